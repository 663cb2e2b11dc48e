// The package's own name, version and install directory, read from its package.json (for --version and the OpenAPI document).
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

interface PackageInfo {
  readonly name: string;
  readonly version: string;
  readonly dir: string;
}

let cached: PackageInfo | undefined;

/**
 * packageInfo finds the nearest package.json named waba-alerts above this module, wherever the code runs
 * from (src/ under tsx or vitest, dist/, a test's private build, node_modules/waba-alerts).
 */
export function packageInfo(): PackageInfo {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = join(dir, "package.json");
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string };
      if (pkg.name === "waba-alerts" && pkg.version) {
        cached = { name: pkg.name, version: pkg.version, dir };
        return cached;
      }
    }
    const up = dirname(dir);
    if (up === dir) throw new Error("waba-alerts: cannot find the package's own package.json");
    dir = up;
  }
}
