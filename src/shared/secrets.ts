// Shared secrets and bearer tokens: one parser for `Authorization: Bearer`, compared in constant time.
import { createHash, timingSafeEqual } from "node:crypto";

/**
 * secretEquals compares a presented secret with the configured one without leaking, through timing,
 * how much of it matched or how long it is: both sides are hashed to equal length first. An empty
 * configured secret never matches, so an unset token cannot be "guessed" by sending nothing.
 */
export function secretEquals(presented: string | undefined, configured: string): boolean {
  if (presented === undefined || configured === "") return false;
  const a = createHash("sha256").update(presented).digest();
  const b = createHash("sha256").update(configured).digest();
  return timingSafeEqual(a, b);
}

/** bearerToken reads the token of an `Authorization: Bearer <token>` header; the scheme's case does not matter. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/**
 * basicPassword reads the password of an `Authorization: Basic base64(user:password)` header (any case of
 * the scheme); the user name is ignored.
 */
export function basicPassword(header: string | undefined): string | undefined {
  const match = header === undefined ? null : /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon < 0 ? undefined : decoded.slice(colon + 1);
}

/**
 * bearerMatches says whether an `Authorization` header carries `Bearer <expected>` (any case of the
 * scheme), compared in constant time; an empty expected token never matches.
 */
export function bearerMatches(header: string | undefined, expected: string): boolean {
  return secretEquals(bearerToken(header), expected);
}
