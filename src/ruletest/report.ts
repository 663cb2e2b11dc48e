// Renders a rule unit-test report as text: problems, then each failing test with its diff, then a summary.
import { formatProblem } from "../shared/problems.js";
import type { RuleTestReport, RuleTestResult } from "./types.js";

function where(r: RuleTestResult): string {
  return `${r.where.file}:${r.where.line}:${r.where.col}`;
}

/** formatFailure renders one failing test: its position and name, then the alert diff. */
export function formatFailure(r: RuleTestResult): string {
  const head = `FAIL ${where(r)}: ${r.name}\n  alerts (- expected but missing, + fired but not expected, ${r.events} event(s)):\n`;
  return `${head}${r.diff.map((line) => `  ${line}\n`).join("")}`;
}

/**
 * formatRuleTestReport renders a report for the terminal: every problem as `file:line:col: message`,
 * every failing test as a diff, passing tests as one `ok` line each, and a closing summary line.
 */
export function formatRuleTestReport(report: RuleTestReport): string {
  const out: string[] = [];
  for (const p of report.problems) out.push(`${formatProblem(p)}\n`);
  for (const r of report.results) out.push(r.passed ? `ok   ${where(r)}: ${r.name}\n` : formatFailure(r));
  const invalid = report.problems.length ? `, ${report.problems.length} problem(s)` : "";
  const verdict = report.ok ? "PASS" : "FAIL";
  out.push(
    `${verdict}: ${report.passed} passed, ${report.failed} failed${invalid} (${report.results.length} test(s) in ${report.files.length} file(s))\n`,
  );
  return out.join("");
}
