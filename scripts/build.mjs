#!/usr/bin/env node
// `npm run build`: the server (tsc), then the console's front end when package.json defines build:console.
//
//   node scripts/build.mjs           build into dist/ and stamp it (scripts/ensure-built.mjs reads the stamp)
//   node scripts/build.mjs --clean   empty dist/ first, so a packed tarball never carries outputs of deleted sources
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const dist = join(root, "dist");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const { scripts = {} } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));

if (process.argv.includes("--clean")) rmSync(dist, { recursive: true, force: true });

for (const step of ["build:server", "build:console"]) {
  // build:console comes with the web console; a tree without it builds the server alone.
  if (!scripts[step]) continue;
  const run = spawnSync(npm, ["run", "--silent", step], { cwd: root, stdio: "inherit" });
  if (run.status !== 0) {
    process.stderr.write(`build: "npm run ${step}" failed\n`);
    process.exit(run.status ?? 1);
  }
}
mkdirSync(dist, { recursive: true });
// The stamp, not tsc's outputs, tells when dist/ was built: tsc leaves unchanged outputs untouched.
writeFileSync(join(dist, ".build-stamp"), `${new Date().toISOString()}\n`);
