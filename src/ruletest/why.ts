// Summarizes what each rule did with a test's events, to explain an expected alert that did not fire.
import type { EventTrace, RuleTrace } from "../evaluate/trace.js";
import type { Rule } from "../rules/types.js";
import { describeLine } from "../rules/describe.js";

interface RuleTally {
  matched: number;
  highest: number;
  cooldown: number;
  late: number;
  duplicate: number;
  skipped?: string;
  firstMiss?: string;
}

/** WhyTally collects, per rule, what its window did with each event of one test. */
export class WhyTally {
  private readonly tallies = new Map<string, RuleTally>();
  private events = 0;

  /** add records the trace of one evaluated event. */
  add(trace: readonly EventTrace[]): void {
    for (const event of trace) {
      this.events++;
      for (const r of event.rules) this.addRule(r);
    }
  }

  private addRule(r: RuleTrace): void {
    let t = this.tallies.get(r.ruleId);
    if (!t) {
      t = { matched: 0, highest: 0, cooldown: 0, late: 0, duplicate: 0 };
      this.tallies.set(r.ruleId, t);
    }
    if (!r.match.matched) {
      const miss = r.match.conditions.find((c) => !c.result);
      t.firstMiss ??=
        miss &&
        `${miss.fact} is ${JSON.stringify(miss.actual)}, the rule wants ${miss.operator} ${JSON.stringify(miss.value)}`;
      return;
    }
    t.matched++;
    if (r.skipped) t.skipped ??= r.skipped;
    const w = r.window;
    if (!w) return;
    if (w.kind === "counted" || w.kind === "cooldown") t.highest = Math.max(t.highest, w.count);
    if (w.kind === "fired" || w.kind === "refired") t.highest = Math.max(t.highest, w.firing.count);
    if (w.kind === "cooldown") t.cooldown++;
    if (w.kind === "late" || w.kind === "future") t.late++;
    if (w.kind === "duplicate") t.duplicate++;
  }

  /** matched returns how many events each rule matched (rules that matched none are left out). */
  matched(): Record<string, number> {
    return Object.fromEntries(
      [...this.tallies].filter(([, t]) => t.matched > 0).map(([id, t]) => [id, t.matched]),
    );
  }

  /** why words the tally of `rule` in one line, or undefined when the rule is unknown. */
  why(rule: Rule | undefined): string | undefined {
    if (!rule) return undefined;
    const t = this.tallies.get(rule.id);
    if (!t || t.matched === 0) {
      const miss = t?.firstMiss ? ` (first miss: ${t.firstMiss})` : "";
      return `why: ${rule.id} matched none of the ${this.events} event(s)${miss}`;
    }
    const th = rule.threshold;
    const fires = `it fires on ${describeLine(rule)}`;
    const extra = [
      t.cooldown && `${t.cooldown} held back by cooldown`,
      t.late && `${t.late} too late for the window`,
      t.duplicate && `${t.duplicate} duplicate id(s)`,
      t.skipped,
    ].filter(Boolean);
    const counted = th ? `; its window counted up to ${t.highest}` : "";
    return `why: ${rule.id} matched ${t.matched} of ${this.events} event(s)${counted}; ${fires}${extra.length ? `; ${extra.join(", ")}` : ""}`;
  }
}
