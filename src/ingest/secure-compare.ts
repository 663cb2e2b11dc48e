// Constant-time comparison of shared secrets (verify token, bearer token) of any length.
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
