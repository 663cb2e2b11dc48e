// Gathers one batch's matching events of absent rules into one arrival per rule and group.
import type { Matched } from "../hits.js";
import { absentRef, contextOf } from "../hits.js";
import type { RuleTrace } from "../trace.js";
import type { WindowOutcome } from "../window/types.js";
import type { AbsenceStore, Arrival } from "./types.js";

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface Gathered {
  latest: Matched;
  timeMs: number;
  readonly traces: Mutable<RuleTrace>[];
}

/** ArrivalBatch collects absent-rule matches of one batch; the newest event of a group describes it. */
export class ArrivalBatch {
  private readonly groups = new Map<string, Gathered>();

  constructor(private readonly maskPhoneNumbers: boolean) {}

  /** size is how many events were gathered. */
  get size(): number {
    let n = 0;
    for (const g of this.groups.values()) n += g.traces.length;
    return n;
  }

  /** add gathers one matched event of an absent rule. */
  add(m: Matched, timeMs: number): void {
    const key = `${m.rule.stateKey}|${m.groupKey}`;
    const g = this.groups.get(key);
    if (g) {
      g.latest = m;
      g.timeMs = timeMs;
      g.traces.push(m.trace);
    } else this.groups.set(key, { latest: m, timeMs, traces: [m.trace] });
  }

  /**
   * record hands the arrivals to the store at `arrivalMs` and returns one `counted` outcome per event
   * (also set on its trace), saying whether its group is watched or how far it is from qualifying.
   */
  async record(store: AbsenceStore | undefined, arrivalMs: number): Promise<WindowOutcome[]> {
    if (this.groups.size === 0) return [];
    if (!store) throw new Error("an absent rule needs an absence store");
    const gathered = [...this.groups.values()];
    const arrivals: Arrival[] = gathered.map((g) => ({
      rule: absentRef(g.latest.rule) as Arrival["rule"],
      group: g.latest.groupKey,
      count: g.traces.length,
      context: contextOf(g.latest, g.timeMs, this.maskPhoneNumbers),
    }));
    const replies = await store.record(arrivals, arrivalMs);
    return gathered.flatMap((g, i) => {
      const reply = replies[i] ?? { watched: false, count: 0 };
      const outcome: WindowOutcome = { kind: "counted", count: reply.count, watched: reply.watched };
      for (const t of g.traces) t.window = outcome;
      return g.traces.map(() => outcome);
    });
  }
}
