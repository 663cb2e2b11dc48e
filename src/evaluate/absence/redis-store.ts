// The Redis absence store: one script call per absent rule per batch, claims and acks as atomic scripts.
import type { RedisClient } from "../../queue/redis-client.js";
import { groupByWindow } from "../window/batch.js";
import { LuaScript, scriptBatcher } from "../window/script-batch.js";
import { groupShardKey, shardKey } from "../window/shards.js";
import { absentKeys } from "./keys.js";
import { absenceState, absentTtlMs, qualifyTtlMs } from "./limits.js";
import { ACK_LUA, CLAIM_LUA, RECORD_LUA } from "./script.js";
import type { AbsenceClaim, AbsenceStore, AbsentRuleRef, Arrival, ArrivalOutcome } from "./types.js";

const RECORD = new LuaScript(RECORD_LUA);
const CLAIM = new LuaScript(CLAIM_LUA);
const ACK = new LuaScript(ACK_LUA);

/** splitContext reads a ctx entry, "<last arrival ms> <context JSON>". */
export function splitContext(entry: string): { silentSinceMs: number; context: string } {
  const space = entry.indexOf(" ");
  return space < 0
    ? { silentSinceMs: Number(entry) || 0, context: "{}" }
    : { silentSinceMs: Number(entry.slice(0, space)), context: entry.slice(space + 1) };
}

/**
 * createRedisAbsenceStore keeps absent rules' state in Redis under `prefix`, on the caller's connection, each
 * rule's groups split into `shards` (see shards.ts): a sweep claims from every shard of a rule.
 */
export function createRedisAbsenceStore(redis: RedisClient, prefix: string, shards = 1): AbsenceStore {
  const batcher = scriptBatcher(redis);
  const keysOf = (ruleKey: string, group: string) => absentKeys(prefix, groupShardKey(ruleKey, group, shards));
  return {
    async record(arrivals, arrivalMs) {
      const outcomes: ArrivalOutcome[] = new Array(arrivals.length);
      const byRule = groupByWindow(
        arrivals.map((a) => ({ key: groupShardKey(a.rule.key, a.group, shards) })),
        arrivals.map((_, i) => i),
      );
      await Promise.all(
        byRule.map(async (indexes) => {
          const first = arrivals[indexes[0] as number] as Arrival;
          const { rule } = first;
          const keys = keysOf(rule.key, first.group);
          const groups = indexes.map((i) => arrivals[i] as Arrival);
          const args = [
            String(Math.trunc(arrivalMs)),
            String(rule.withinMs),
            String(rule.resolutionMs),
            String(rule.after),
            String(absentTtlMs(rule)),
            String(qualifyTtlMs(rule)),
            ...groups.flatMap((a) => [a.group, String(a.count), a.context]),
          ];
          const allKeys = [...keys.shared, ...groups.map((a) => keys.counters(a.group))];
          const replies = (await batcher.run(RECORD, allKeys, args)) as [number, number][];
          indexes.forEach((i, j) => {
            const [watched, count] = replies[j] ?? [0, 0];
            outcomes[i] = { watched: Number(watched) === 1, count: Number(count) };
          });
        }),
      );
      return outcomes;
    },
    async claim(rule: AbsentRuleRef, nowMs, leaseMs, max) {
      const claims: AbsenceClaim[] = [];
      for (let shard = 0; shard < shards && claims.length < max; shard++) {
        const { shared } = absentKeys(prefix, shardKey(rule.key, shard, shards));
        const room = max - claims.length;
        const args = [nowMs, rule.forMs, leaseMs, room, absentTtlMs(rule)].map((n) => String(Math.trunc(n)));
        const flat = (await batcher.run(CLAIM, shared, args)) as string[];
        for (let i = 0; i + 1 < flat.length; i += 2) {
          claims.push({ rule, group: flat[i] as string, ...splitContext(flat[i + 1] as string) });
        }
      }
      return claims;
    },
    async ack(claim) {
      const { shared } = keysOf(claim.rule.key, claim.group);
      const args = [claim.group, String(claim.silentSinceMs), String(absentTtlMs(claim.rule))];
      await batcher.run(ACK, shared, args);
    },
    async inspectAbsence(probe, nowMs) {
      const keys = keysOf(probe.key, probe.group);
      const [watch, , , , back] = keys.shared;
      const [watchedMs, backMs, counters] = await Promise.all([
        redis.zscore(watch, probe.group),
        redis.hget(back, probe.group),
        redis.hgetall(keys.counters(probe.group)),
      ]);
      const buckets = new Map(Object.entries(counters).map(([i, n]) => [Number(i), Number(n)] as const));
      return absenceState(probe, nowMs, {
        ...(watchedMs !== null ? { watchedMs: Number(watchedMs) } : {}),
        ...(backMs !== null ? { backMs: Number(backMs) } : {}),
        buckets,
      });
    },
  };
}
