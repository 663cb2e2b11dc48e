// A deliberately naive absence model: per group, a state and the arrivals since it last stopped being watched.
// It states what the Redis scripts and the memory store must both do, without buckets, zsets or leases' keys.
import type {
  AbsenceClaim,
  AbsentProbe,
  AbsentRuleRef,
  Arrival,
  ArrivalOutcome,
} from "../../src/evaluate/absence/types.js";
import type { WindowState } from "../../src/evaluate/window/types.js";

type GroupState =
  | { readonly kind: "idle" }
  | { readonly kind: "watched"; readonly lastMs: number; readonly context: string }
  | { readonly kind: "due"; readonly leaseEndMs: number; readonly sinceMs: number; readonly context: string }
  | { readonly kind: "fired" };

interface Group {
  state: GroupState;
  /** Arrivals (time, how many) while not watched, since it last became watched. */
  arrivals: { readonly timeMs: number; readonly n: number }[];
  backMs?: number;
}

const bucket = (ms: number, r: number) => Math.floor(ms / r);
const lowest = (ms: number, rule: { withinMs: number; resolutionMs: number }) =>
  bucket(ms, rule.resolutionMs) - Math.ceil(rule.withinMs / rule.resolutionMs) + 1;

/** ReferenceAbsence is the naive model with the store's signatures (synchronous). */
export class ReferenceAbsence {
  private readonly groups = new Map<string, Group>();

  private group(rule: string, g: string): Group {
    const key = `${rule}\0${g}`;
    let found = this.groups.get(key);
    if (!found) {
      found = { state: { kind: "idle" }, arrivals: [] };
      this.groups.set(key, found);
    }
    return found;
  }

  record(arrivals: readonly Arrival[], nowMs: number): ArrivalOutcome[] {
    return arrivals.map((a) => {
      const g = this.group(a.rule.key, a.group);
      if (g.state.kind === "due" || g.state.kind === "fired") {
        g.backMs = nowMs;
        g.state = { kind: "idle" };
      }
      if (g.state.kind === "watched") {
        if (nowMs > g.state.lastMs)
          g.state = { kind: "watched", lastMs: nowMs, context: `${nowMs} ${a.context}` };
        return { watched: true, count: 0 };
      }
      g.arrivals.push({ timeMs: nowMs, n: a.count });
      const lo = lowest(nowMs, a.rule);
      const sum = g.arrivals
        .filter((x) => bucket(x.timeMs, a.rule.resolutionMs) >= lo)
        .reduce((s, x) => s + x.n, 0);
      if (sum < a.rule.after) return { watched: false, count: sum };
      g.state = { kind: "watched", lastMs: nowMs, context: `${nowMs} ${a.context}` };
      g.arrivals = [];
      return { watched: true, count: 0 };
    });
  }

  claim(rule: AbsentRuleRef, nowMs: number, leaseMs: number, max: number): AbsenceClaim[] {
    const mine = [...this.groups].filter(([key]) => key.startsWith(`${rule.key}\0`));
    const name = (key: string) => key.slice(rule.key.length + 1);
    const order = (a: [string, number], b: [string, number]) =>
      a[1] - b[1] || Buffer.compare(Buffer.from(a[0]), Buffer.from(b[0]));
    const claims: AbsenceClaim[] = [];
    const take = (key: string, g: Group, sinceMs: number, context: string) => {
      g.state = { kind: "due", leaseEndMs: nowMs + leaseMs, sinceMs, context };
      const space = context.indexOf(" ");
      claims.push({ rule, group: name(key), silentSinceMs: sinceMs, context: context.slice(space + 1) });
    };
    const stale = mine
      .filter(([, g]) => g.state.kind === "due" && g.state.leaseEndMs <= nowMs)
      .map(([key, g]) => [key, (g.state as { leaseEndMs: number }).leaseEndMs] as [string, number])
      .sort((a, b) => order([name(a[0]), a[1]], [name(b[0]), b[1]]))
      .slice(0, max);
    for (const [key] of stale) {
      const g = this.groups.get(key) as Group;
      const s = g.state as Extract<GroupState, { kind: "due" }>;
      take(key, g, s.sinceMs, s.context);
    }
    const silent = mine
      .filter(([, g]) => g.state.kind === "watched" && g.state.lastMs <= nowMs - rule.forMs)
      .map(([key, g]) => [key, (g.state as { lastMs: number }).lastMs] as [string, number])
      .sort((a, b) => order([name(a[0]), a[1]], [name(b[0]), b[1]]))
      .slice(0, max - stale.length);
    for (const [key] of silent) {
      const g = this.groups.get(key) as Group;
      const s = g.state as Extract<GroupState, { kind: "watched" }>;
      take(key, g, s.lastMs, s.context);
    }
    return claims;
  }

  ack(claim: AbsenceClaim): void {
    const g = this.group(claim.rule.key, claim.group);
    if (g.state.kind === "due") g.state = { kind: "fired" };
  }

  inspect(probe: AbsentProbe, nowMs: number): WindowState {
    const g = this.group(probe.key, probe.group);
    const lo = lowest(nowMs, probe);
    const inside = g.arrivals.filter((x) => bucket(x.timeMs, probe.resolutionMs) >= lo);
    const count = inside.reduce((s, x) => s + x.n, 0);
    const since = bucket(probe.silentSinceMs, probe.resolutionMs);
    const spoke =
      (g.backMs ?? 0) > probe.silentSinceMs ||
      (g.state.kind === "watched" && g.state.lastMs > probe.silentSinceMs) ||
      inside.some((x) => bucket(x.timeMs, probe.resolutionMs) > since && x.n > 0);
    return { count, over: !spoke };
  }
}
