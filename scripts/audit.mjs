#!/usr/bin/env node
// CI's dependency audit: `npm audit` of what a production install contains, failing on high or critical advisories.
//
//   node scripts/audit.mjs                  ask the registry (npm audit --omit=dev, then all dependencies for the record)
//   node scripts/audit.mjs --report FILE    judge a saved `npm audit --json` report instead (what CI would decide)
//
// Production dependencies (what `npm install --omit=dev` and the Docker image hold, and what faces the network)
// fail the run at `high` or `critical`; lower severities, and every advisory of dev-only tools (vite, playwright,
// autocannon: never installed in production), are printed but do not fail it. A registry that does not answer
// the audit (offline, a mirror without the audit endpoint) is reported and skipped: it says nothing about us.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

/** FAILING are the severities that fail CI for production dependencies. */
const FAILING = ["high", "critical"];
const SEVERITIES = ["info", "low", "moderate", "high", "critical"];

/** judge reads one `npm audit --json` output: the refusal, or the counts by severity and the packages at each. */
function judge(text) {
  let report;
  try {
    report = JSON.parse(text);
  } catch {
    return { refused: `no JSON report (${text.trim().split("\n")[0]?.slice(0, 120) || "empty output"})` };
  }
  const counts = report?.metadata?.vulnerabilities;
  if (!counts || typeof counts !== "object") {
    const why = report?.message ?? report?.error?.summary ?? "no vulnerability counts in the report";
    return { refused: String(why).split("\n")[0] };
  }
  const packages = {};
  for (const [name, v] of Object.entries(report.vulnerabilities ?? {})) {
    const severity = typeof v?.severity === "string" ? v.severity : "unknown";
    packages[severity] = [...(packages[severity] ?? []), name];
  }
  return { counts, packages };
}

function summary(verdict) {
  return SEVERITIES.map((s) => `${verdict.counts[s] ?? 0} ${s}`).join(", ");
}

function npmAudit(args) {
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const run = spawnSync(npm, ["audit", "--json", ...args], { encoding: "utf8", timeout: 120_000 });
  return `${run.stdout ?? ""}`.trim() || `${run.stderr ?? ""}`;
}

const reportFlag = process.argv.indexOf("--report");
const fromFile = reportFlag >= 0 ? process.argv[reportFlag + 1] : undefined;
const production = judge(fromFile ? readFileSync(fromFile, "utf8") : npmAudit(["--omit=dev"]));

if (production.refused) {
  process.stdout.write(`audit: skipped, the registry did not answer the audit: ${production.refused}\n`);
  process.exit(0);
}
process.stdout.write(`audit: production dependencies: ${summary(production)}\n`);
for (const s of SEVERITIES) {
  if (production.packages[s]?.length) process.stdout.write(`  ${s}: ${production.packages[s].join(", ")}\n`);
}
if (!fromFile) {
  const all = judge(npmAudit([]));
  if (!all.refused)
    process.stdout.write(`audit: all dependencies, dev tools included (reported only): ${summary(all)}\n`);
}
const failing = FAILING.reduce((n, s) => n + Number(production.counts[s] ?? 0), 0);
if (failing > 0) {
  process.stderr.write(
    `audit: ${failing} high or critical advisories in production dependencies; update them (npm audit fix, or a newer release) before releasing\n`,
  );
  process.exit(1);
}
