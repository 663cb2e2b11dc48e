// Stable event ids: the same Meta update, however often it is delivered, always hashes to the same id.
import * as crypto from "node:crypto";

/**
 * sha256 is the hex SHA-256 of `data`: Node's one-shot `crypto.hash` (20.12+, ~3× cheaper for the short
 * strings ids are made of, and this runs once per event on the ingest path), else a Hash object.
 */
const sha256: (data: Buffer | string) => string =
  typeof crypto.hash === "function"
    ? (data) => crypto.hash("sha256", data, "hex")
    : (data) => crypto.createHash("sha256").update(data).digest("hex");

/** ID_LENGTH is how many hex characters an event id keeps (128 bits: collisions are not a concern). */
export const ID_LENGTH = 32;

/** hashId hashes an ordered list of parts into a short hex id; parts are JSON-encoded so "a|b"+"c" ≠ "a"+"b|c". */
export function hashId(...parts: ReadonlyArray<string | number | undefined>): string {
  // JSON.stringify writes an undefined array member as null: the same text the ids have always hashed.
  return sha256(JSON.stringify(parts)).slice(0, ID_LENGTH);
}

/** sha256Hex is the full hex SHA-256 of raw bytes (used as the body hash behind positional ids). */
export function sha256Hex(data: Buffer | string): string {
  return sha256(data);
}
