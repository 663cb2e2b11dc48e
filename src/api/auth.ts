// Bearer-token check for the admin API, in constant time.
import { createHash, timingSafeEqual } from "node:crypto";

/** bearerMatches compares `Authorization: Bearer <token>` with the expected token without leaking timing. */
export function bearerMatches(header: string | undefined, expected: string): boolean {
  if (!expected || !header?.startsWith("Bearer ")) return false;
  // Hashing both sides gives equal lengths, so timingSafeEqual never throws and length is not leaked.
  const a = createHash("sha256").update(header.slice(7)).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}
