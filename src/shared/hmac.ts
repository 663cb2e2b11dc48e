// HMAC-SHA256 signatures as `sha256=<hex>`: Meta's X-Hub-Signature-256, relays, and our own forwarded bodies.
import { createHmac, timingSafeEqual } from "node:crypto";

const SIGNATURE = /^sha256=([0-9a-fA-F]{64})$/;

/**
 * verifySignature tells whether `header` (`sha256=<64 hex>`) is the HMAC-SHA256 of `raw` keyed by `secret`.
 * The format is checked first so a malformed header is refused without comparing anything; the digest
 * is compared with timingSafeEqual so response times leak nothing about the right value.
 */
export function verifySignature(raw: Buffer, header: string | undefined, secret: string): boolean {
  if (header === undefined || secret === "") return false;
  const match = SIGNATURE.exec(header.trim());
  if (!match?.[1]) return false;
  const given = Buffer.from(match[1], "hex");
  const expected = createHmac("sha256", secret).update(raw).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * signBody is the `sha256=<hex HMAC-SHA256>` of `raw` keyed by `secret`: what Meta (or a relay) sends, and
 * what our forwarded webhooks carry in X-Waba-Alerts-Signature.
 */
export function signBody(raw: Buffer | string, secret: string): string {
  return `sha256=${createHmac("sha256", secret).update(raw).digest("hex")}`;
}
