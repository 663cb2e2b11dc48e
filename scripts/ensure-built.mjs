#!/usr/bin/env node
// Builds dist/ only when a source is newer than the last build, so `npm start` on a built tree starts at once.
//
//   node scripts/ensure-built.mjs            (npm start) build when stale; fail if there is no build and no compiler
//   node scripts/ensure-built.mjs --prepare  (npm install) the same, but a tree without TypeScript (an install with
//                                            --omit=dev) skips the build with a note instead of failing the install
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const stamp = join(root, "dist", ".build-stamp");
const prepare = process.argv.includes("--prepare");
const INPUTS = ["src", "tsconfig.json", "tsconfig.build.json"];

/** newestMtime is the latest modification time (ms) of a file or of any file under a directory. */
function newestMtime(path) {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) return 0;
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs; // a deleted source changes its directory's mtime
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/**
 * canBuild says whether the dev dependencies the build needs are here. typescript alone is not enough: npm keeps
 * it under --omit=dev as an optional peer of a runtime dependency, without @types/node.
 */
function canBuild() {
  const req = createRequire(join(root, "package.json"));
  try {
    req.resolve("typescript");
    req.resolve("@types/node/package.json");
  } catch {
    return false;
  }
  // An install with --omit=dev (or NODE_ENV=production) skips dev dependencies, whatever is left over.
  const omit = (process.env.npm_config_omit ?? "").split(/[\s,]+/);
  const include = (process.env.npm_config_include ?? "").split(/[\s,]+/);
  const production = process.env.NODE_ENV === "production" && !include.includes("dev");
  return !(prepare && (omit.includes("dev") || production));
}

// An installed package carries dist/ but no sources: nothing to compare, nothing to build.
if (!existsSync(join(root, "src"))) process.exit(0);

const built = statSync(stamp, { throwIfNoEntry: false })?.mtimeMs ?? 0;
const sources = Math.max(...INPUTS.map((p) => newestMtime(join(root, p))));
if (built >= sources) process.exit(0);

if (!canBuild()) {
  const hasDist = existsSync(join(root, "dist", "main.js"));
  if (prepare || hasDist) {
    process.stderr.write(
      hasDist
        ? "waba-alerts: sources are newer than dist/ but the dev dependencies (TypeScript) are not installed; " +
            "using the existing build\n"
        : "waba-alerts: dist/ was not built: the dev dependencies (TypeScript) are not installed (--omit=dev). " +
            "Install with them and run `npm run build`, or install the packed tarball (`npm pack`), which carries dist/\n",
    );
    process.exit(0);
  }
  process.stderr.write(
    "waba-alerts: there is no build in dist/ and the dev dependencies (TypeScript) are not installed. Run " +
      "`npm install` (with dev dependencies) here, or install the packed tarball (`npm pack`), which carries dist/\n",
  );
  process.exit(1);
}

process.stderr.write(
  built ? "waba-alerts: sources changed since the last build; building…\n" : "waba-alerts: building…\n",
);
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const run = spawnSync(npm, ["run", "--silent", "build"], { cwd: root, stdio: "inherit" });
process.exit(run.status ?? 1);
