// The in-process absence store for dry runs and rule tests: the Redis scripts' semantics, step by step.
import { bucketOf, lowestBucket } from "../window/buckets.js";
import { ExpiringMap } from "../window/expiring.js";
import { absenceState, absentTtlMs, qualifyTtlMs } from "./limits.js";
import { splitContext } from "./redis-store.js";
import type { AbsenceClaim, AbsenceStore, ArrivalOutcome } from "./types.js";

/** RuleState is what Redis keeps under one absent rule's shared keys (one lifetime, as they expire together). */
interface RuleState {
  readonly watch: Map<string, number>;
  readonly due: Map<string, number>;
  readonly fired: Map<string, number>;
  readonly ctx: Map<string, string>;
  readonly back: Map<string, number>;
  expiresAtMs: number;
}

/** Counters is one group's arrival counters (a key of its own in Redis). */
interface Counters {
  readonly buckets: Map<number, number>;
  expiresAtMs: number;
}

/** ZSET order: by score, then by member bytes. */
function byScore(a: [string, number], b: [string, number]): number {
  return a[1] - b[1] || Buffer.compare(Buffer.from(a[0]), Buffer.from(b[0]));
}

/** createMemoryAbsenceStore keeps absent rules' state in memory with exactly the Redis store's semantics. */
export function createMemoryAbsenceStore(): AbsenceStore {
  const rules = new ExpiringMap<RuleState>(() => ({
    watch: new Map(),
    due: new Map(),
    fired: new Map(),
    ctx: new Map(),
    back: new Map(),
    expiresAtMs: Number.POSITIVE_INFINITY,
  }));
  const counters = new ExpiringMap<Counters>(() => ({ buckets: new Map(), expiresAtMs: Number.POSITIVE_INFINITY }));
  const ruleState = (key: string, nowMs: number) => rules.get(key, nowMs);

  return {
    async record(arrivals, arrivalMs) {
      const now = Math.trunc(arrivalMs);
      return arrivals.map((a): ArrivalOutcome => {
        const s = ruleState(a.rule.key, now);
        s.expiresAtMs = now + absentTtlMs(a.rule);
        const g = a.group;
        let spoke = false;
        if (s.due.delete(g)) {
          s.ctx.delete(g);
          spoke = true;
        }
        if (s.fired.delete(g)) spoke = true;
        if (spoke) s.back.set(g, now);
        const last = s.watch.get(g);
        if (last !== undefined) {
          if (now > last) {
            s.watch.set(g, now);
            s.ctx.set(g, `${now} ${a.context}`);
          }
          return { watched: true, count: 0 };
        }
        const qKey = `${a.rule.key}\0${g}`;
        const q = counters.get(qKey, now);
        const cur = bucketOf(now, a.rule.resolutionMs);
        q.buckets.set(cur, (q.buckets.get(cur) ?? 0) + a.count);
        const lo = lowestBucket(now, a.rule.withinMs, a.rule.resolutionMs);
        let sum = 0;
        for (const [i, n] of q.buckets) {
          if (i < lo) q.buckets.delete(i);
          else sum += n;
        }
        if (sum >= a.rule.after) {
          s.watch.set(g, now);
          s.ctx.set(g, `${now} ${a.context}`);
          counters.delete(qKey);
          return { watched: true, count: 0 };
        }
        q.expiresAtMs = now + qualifyTtlMs(a.rule);
        return { watched: false, count: sum };
      });
    },
    async claim(rule, nowMs, leaseMs, max) {
      const now = Math.trunc(nowMs);
      const s = ruleState(rule.key, now);
      const claims: AbsenceClaim[] = [];
      const take = (g: string) => {
        s.due.set(g, now + leaseMs);
        claims.push({ rule, group: g, ...splitContext(s.ctx.get(g) ?? "") });
      };
      const stale = [...s.due]
        .filter(([, lease]) => lease <= now)
        .sort(byScore)
        .slice(0, max);
      for (const [g] of stale) take(g);
      const room = max - stale.length;
      if (room > 0) {
        const silent = [...s.watch]
          .filter(([, last]) => last <= now - rule.forMs)
          .sort(byScore)
          .slice(0, room);
        for (const [g] of silent) {
          s.watch.delete(g);
          take(g);
        }
      }
      if (claims.length > 0) s.expiresAtMs = now + absentTtlMs(rule);
      return claims;
    },
    async ack(claim, nowMs) {
      const now = Math.trunc(nowMs);
      const s = ruleState(claim.rule.key, now);
      if (!s.due.delete(claim.group)) return;
      s.fired.set(claim.group, claim.silentSinceMs);
      s.ctx.delete(claim.group);
      s.expiresAtMs = now + absentTtlMs(claim.rule);
    },
    async inspectAbsence(probe, nowMs) {
      const live = rules.live(probe.key, nowMs);
      const q = counters.live(`${probe.key}\0${probe.group}`, nowMs);
      const watchedMs = live?.watch.get(probe.group);
      const backMs = live?.back.get(probe.group);
      return absenceState(probe, nowMs, {
        ...(watchedMs !== undefined ? { watchedMs } : {}),
        ...(backMs !== undefined ? { backMs } : {}),
        buckets: q?.buckets ?? new Map(),
      });
    },
  };
}
