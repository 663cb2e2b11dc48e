// scripts/audit.mjs (.ci/run): high and critical advisories of production dependencies fail CI; a registry
// that does not answer the audit is reported, not a failure.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO } from "../../helpers/engine.js";
import { sh } from "../../helpers/release.js";

const dir = mkdtempSync(join(tmpdir(), "waba-audit-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** report is an `npm audit --json` (report version 2) with one advisory per given severity. */
function report(severities: string[]): string {
  const counts: Record<string, number> = { info: 0, low: 0, moderate: 0, high: 0, critical: 0 };
  const vulnerabilities: Record<string, object> = {};
  severities.forEach((severity, i) => {
    counts[severity] = (counts[severity] ?? 0) + 1;
    vulnerabilities[`pkg-${i}`] = { name: `pkg-${i}`, severity, isDirect: false, via: [], effects: [] };
  });
  const total = severities.length;
  return JSON.stringify({
    auditReportVersion: 2,
    vulnerabilities,
    metadata: { vulnerabilities: { ...counts, total }, dependencies: { prod: 120, dev: 300, total: 420 } },
  });
}

async function audit(text: string) {
  const file = join(dir, `r${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, text);
  return sh([process.execPath, join(REPO, "scripts", "audit.mjs"), "--report", file], { cwd: REPO });
}

describe("scripts/audit.mjs", () => {
  it("passes a clean report and prints the counts", async () => {
    const r = await audit(report([]));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      "audit: production dependencies: 0 info, 0 low, 0 moderate, 0 high, 0 critical",
    );
  });

  it("reports low and moderate advisories without failing", async () => {
    const r = await audit(report(["low", "moderate"]));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("1 low, 1 moderate, 0 high");
    expect(r.stdout).toContain("moderate: pkg-1");
  });

  it.each(["high", "critical"])("fails on a %s advisory, naming the package", async (severity) => {
    const r = await audit(report(["moderate", severity]));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${severity}: pkg-1`);
    expect(r.stderr).toContain("1 high or critical advisories in production dependencies");
  });

  it("skips, with a note, when the registry refuses the audit or answers nothing usable", async () => {
    const refusal = JSON.stringify({
      message: "405 Method Not Allowed - POST https://registry.example/-/npm/v1/security/advisories/bulk",
      statusCode: 405,
      error: { summary: "", detail: "" },
    });
    for (const text of [refusal, "npm error audit endpoint returned an error", ""]) {
      const r = await audit(text);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^audit: skipped, the registry did not answer the audit: /);
    }
    expect((await audit(refusal)).stdout).toContain("405 Method Not Allowed");
  });
});
