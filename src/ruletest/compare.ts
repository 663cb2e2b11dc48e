// Compares the alerts a test expects with the alerts that fired, and words the difference as a diff.
import { sameFact } from "../shared/mask.js";
import { didYouMean } from "../shared/suggest.js";
import { relativeTime } from "./times.js";
import type { ActualAlert, ExpectedAlert } from "./types.js";

/** CompareContext is what the diff needs besides the alerts: the time base, loaded rules and why-notes. */
export interface CompareContext {
  readonly startMs: number;
  /** Rule ids the test loaded, to catch an expectation naming a rule that does not exist. */
  readonly ruleIds: readonly string[];
  /** why explains, from the evaluation trace, what a rule did with the events (for a missing alert). */
  why(rule: string): string | undefined;
  /** Show each fired alert's channels (when some expectation of the test names channels). */
  readonly showChannels?: boolean;
}

function q(v: string): string {
  return JSON.stringify(v);
}

function renderGroup(group: Readonly<Record<string, string>>): string {
  const entries = Object.entries(group);
  return entries.length ? `{ ${entries.map(([k, v]) => `${k}: ${q(v)}`).join(", ")} }` : "{}";
}

/** renderExpected shows an expectation as the YAML flow map it was written as. */
function renderExpected(e: ExpectedAlert, startMs: number): string {
  const parts = [`rule: ${e.rule}`];
  if (e.group) parts.push(`group: ${renderGroup(e.group)}`);
  if (e.count !== undefined) parts.push(`count: ${e.count}`);
  if (e.ofCount !== undefined) parts.push(`of_count: ${e.ofCount}`);
  if (e.baselineCount !== undefined) parts.push(`baseline_count: ${e.baselineCount}`);
  if (e.atEvent !== undefined) parts.push(`at_event: ${e.atEvent}`);
  if (e.atMs !== undefined) parts.push(`at: ${q(relativeTime(e.atMs, startMs))}`);
  if (e.inhibited !== undefined) parts.push(`inhibited: ${e.inhibited}`);
  if (e.channels !== undefined) parts.push(`channels: ${renderList(e.channels)}`);
  return `{ ${parts.join(", ")} }   # line ${e.where.line}`;
}

function renderList(items: readonly string[]): string {
  return `[${items.join(", ")}]`;
}

/** renderActual shows a fired alert in the expectation syntax, so it can be pasted into the test. */
function renderActual(a: ActualAlert, ctx: Pick<CompareContext, "startMs" | "showChannels">): string {
  const group = Object.keys(a.group).length ? `, group: ${renderGroup(a.group)}` : "";
  const inhibited = a.inhibited ? `, inhibited: true` : "";
  const channels = ctx.showChannels ? `, channels: ${renderList(a.channels)}` : "";
  const by = a.inhibitedBy ? `   # inhibited by ${a.inhibitedBy}` : "";
  const of = a.ofCount !== undefined ? `, of_count: ${a.ofCount}` : "";
  const usual = a.baselineCount !== undefined ? `, baseline_count: ${a.baselineCount}` : "";
  return `{ rule: ${a.rule}${group}, count: ${a.count}${of}${usual}, at_event: ${a.atEvent}, at: ${q(relativeTime(a.atMs, ctx.startMs))}${inhibited}${channels} }${by}`;
}

function sameGroup(want: Readonly<Record<string, string>>, got: Readonly<Record<string, string>>): boolean {
  const keys = new Set([...Object.keys(want), ...Object.keys(got)]);
  // A customer's number may be written in full; the alert's group carries it masked.
  return [...keys].every((k) => (want[k] === undefined ? got[k] === undefined : sameFact(k, got[k], want[k] as string)));
}

function matches(e: ExpectedAlert, a: ActualAlert): boolean {
  return (
    e.rule === a.rule &&
    (e.group === undefined || sameGroup(e.group, a.group)) &&
    (e.count === undefined || e.count === a.count) &&
    (e.ofCount === undefined || e.ofCount === a.ofCount) &&
    (e.baselineCount === undefined || e.baselineCount === a.baselineCount) &&
    (e.atEvent === undefined || e.atEvent === a.atEvent) &&
    (e.atMs === undefined || e.atMs === a.atMs) &&
    (e.inhibited === undefined || e.inhibited === a.inhibited) &&
    (e.channels === undefined || renderList(e.channels) === renderList(a.channels))
  );
}

function specificity(e: ExpectedAlert): number {
  return [e.group, e.count, e.ofCount, e.baselineCount, e.atEvent, e.atMs, e.inhibited, e.channels].filter(
    (f) => f !== undefined,
  ).length;
}

/** fieldDiffs names each given field whose value differs, e.g. "count: expected 7, got 6". */
function fieldDiffs(e: ExpectedAlert, a: ActualAlert, startMs: number): string[] {
  const out: string[] = [];
  if (e.group && !sameGroup(e.group, a.group)) {
    out.push(`group: expected ${renderGroup(e.group)}, got ${renderGroup(a.group)}`);
  }
  if (e.count !== undefined && e.count !== a.count) out.push(`count: expected ${e.count}, got ${a.count}`);
  if (e.ofCount !== undefined && e.ofCount !== a.ofCount)
    out.push(`of_count: expected ${e.ofCount}, got ${a.ofCount ?? "none"}`);
  if (e.baselineCount !== undefined && e.baselineCount !== a.baselineCount)
    out.push(`baseline_count: expected ${e.baselineCount}, got ${a.baselineCount ?? "none"}`);
  if (e.atEvent !== undefined && e.atEvent !== a.atEvent) {
    out.push(`at_event: expected ${e.atEvent}, got ${a.atEvent}`);
  }
  if (e.atMs !== undefined && e.atMs !== a.atMs) {
    out.push(`at: expected ${relativeTime(e.atMs, startMs)}, got ${relativeTime(a.atMs, startMs)}`);
  }
  if (e.inhibited !== undefined && e.inhibited !== a.inhibited) {
    const why = a.inhibitedBy ? ` (by ${a.inhibitedBy})` : "";
    out.push(`inhibited: expected ${e.inhibited}, got ${a.inhibited}${why}`);
  }
  if (e.channels !== undefined && renderList(e.channels) !== renderList(a.channels)) {
    out.push(`channels: expected ${renderList(e.channels)}, got ${renderList(a.channels)}`);
  }
  return out;
}

/** pairUp assigns each expectation the first fired alert it matches, most specific expectations first. */
function pairUp(expected: readonly ExpectedAlert[], actual: readonly ActualAlert[]): Map<number, number> {
  const byActual = new Map<number, number>();
  const order = expected
    .map((e, i) => ({ e, i }))
    .sort((x, y) => specificity(y.e) - specificity(x.e) || x.i - y.i);
  for (const { e, i } of order) {
    const j = actual.findIndex((a, k) => !byActual.has(k) && matches(e, a));
    if (j !== -1) byActual.set(j, i);
  }
  return byActual;
}

function missingNote(e: ExpectedAlert, ctx: CompareContext): string | undefined {
  if (!ctx.ruleIds.includes(e.rule)) {
    const hint = didYouMean(e.rule, ctx.ruleIds);
    return `no rule "${e.rule}" is loaded by this test${hint || `; loaded: ${ctx.ruleIds.join(", ") || "none"}`}`;
  }
  return ctx.why(e.rule);
}

/**
 * diffAlerts returns no lines when the fired alerts are exactly the expected ones; otherwise the
 * alerts in firing order (`  ` matched, `+` fired but not expected, `-` expected but missing, next
 * to the fired alert of the same rule it most likely meant, with the fields that differ).
 */
export function diffAlerts(
  expected: readonly ExpectedAlert[],
  actual: readonly ActualAlert[],
  ctx: CompareContext,
): string[] {
  const byActual = pairUp(expected, actual);
  const matched = new Set(byActual.values());
  if (matched.size === expected.length && byActual.size === actual.length) return [];
  const missing = expected.map((e, i) => ({ e, i })).filter(({ i }) => !matched.has(i));
  const lines: string[] = [];
  const note = (text: string | undefined) => {
    if (text) lines.push(`      ${text}`);
  };
  actual.forEach((a, j) => {
    if (byActual.has(j)) {
      lines.push(`  ${renderActual(a, ctx)}`);
      return;
    }
    const k = missing.findIndex(({ e }) => e.rule === a.rule);
    const meant = k === -1 ? undefined : missing.splice(k, 1)[0]?.e;
    if (meant) lines.push(`- ${renderExpected(meant, ctx.startMs)}`);
    lines.push(`+ ${renderActual(a, ctx)}`);
    if (meant) for (const d of fieldDiffs(meant, a, ctx.startMs)) note(d);
  });
  for (const { e } of missing) {
    lines.push(`- ${renderExpected(e, ctx.startMs)}`);
    note(missingNote(e, ctx));
  }
  if (actual.length === 0) lines.push("  (no alert fired)");
  if (expected.length === 0) lines.unshift("  (no alert expected)");
  return lines;
}
