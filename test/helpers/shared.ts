// Paths into ../shared (Meta facts and sample payloads), which sits beside the checkout locally and in CI.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const beside = fileURLToPath(new URL("../../../shared/", import.meta.url));

/** SHARED_DIR is the shared/ folder next to the repository (falls back to /work/shared). */
export const SHARED_DIR = existsSync(beside) ? beside : "/work/shared/";

/** sharedPath joins a path inside shared/, e.g. sharedPath("whatsapp/payloads"). */
export function sharedPath(rel: string): string {
  return `${SHARED_DIR}${rel}`;
}
