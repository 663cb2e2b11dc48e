// Firings waiting to resolve, in Redis: a due-time zset plus details, claimed with a lease so one process handles each.
import type { RedisClient } from "../queue/redis-client.js";
import type { Alert } from "../model/alert.js";
import type { FiredAlert } from "../evaluate/evaluator.js";
import type { WindowProbe } from "../evaluate/window/types.js";
import { claimDue } from "../shared/lease-claim.js";

/** PendingResolve is one firing rule+group waiting for its window to stay quiet for `resolveAfterMs`. */
export interface PendingResolve {
  /** The firing alert as it was sent; the resolved alert is derived from it. */
  readonly alert: Alert;
  /** The rule+group window key (WindowRef.key); one pending resolve per window. */
  readonly windowKey: string;
  /** How to read the window; entries registered by versions before probes lack it (count windows). */
  readonly probe?: WindowProbe;
  /** Count windows registered before probes: the window (0 for rules without a threshold) and its line. */
  readonly windowMs?: number;
  readonly moreThan?: number;
  readonly distinct?: boolean;
  readonly resolveAfterMs: number;
  /** Processing time (unix ms) of the firing. */
  readonly firedAtMs: number;
}

/** pendingResolveOf describes, for resolving later, the rule+group window that produced a fired alert. */
export function pendingResolveOf({ alert, window }: FiredAlert): PendingResolve {
  return {
    alert,
    windowKey: window.key,
    probe: window.probe,
    resolveAfterMs: window.resolveAfterMs,
    firedAtMs: Date.parse(alert.created_at),
  };
}

// KEYS[1] due zset (window key -> next check ms), KEYS[2] details hash (window key -> JSON),
// KEYS[3] firing hash (window key -> "<fired ms> <alert id>")
// ARGV[1] window key, ARGV[2] alert id, ARGV[3] fired ms, ARGV[4] first check ms, ARGV[5] JSON
// Returns {1, id of the firing it replaced or ""} when registered, {0, id of the newer firing} when a
// newer firing of the same window is already registered.
const REGISTER = `
local current = redis.call('HGET', KEYS[3], ARGV[1])
local previous = ''
if current then
  local fired = tonumber(string.match(current, '^(%d+) '))
  previous = string.match(current, ' (.*)$') or ''
  if fired and fired > tonumber(ARGV[3]) then return {0, previous} end
end
redis.call('HSET', KEYS[3], ARGV[1], ARGV[3] .. ' ' .. ARGV[2])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[5])
redis.call('ZADD', KEYS[1], ARGV[4], ARGV[1])
return {1, previous}
`;

/**
 * Registration is what register did: `registered` false when a newer firing of the window is already
 * waiting (then `newer` names it); `replaced` names an older, different firing this one took over from.
 */
export interface Registration {
  readonly registered: boolean;
  readonly replaced?: string;
  readonly newer?: string;
}

// KEYS[1] due zset, KEYS[2] details hash, KEYS[3] firing hash; ARGV[1] window key, ARGV[2] alert id,
// ARGV[3] next check ms, or "" to finish (remove the entry).
// Returns 1 when the entry still belonged to that alert and was changed, 0 when a newer firing replaced it.
const SETTLE = `
local current = redis.call('HGET', KEYS[3], ARGV[1])
if not current or string.match(current, ' (.*)$') ~= ARGV[2] then return 0 end
if ARGV[3] == '' then
  redis.call('ZREM', KEYS[1], ARGV[1])
  redis.call('HDEL', KEYS[2], ARGV[1])
  redis.call('HDEL', KEYS[3], ARGV[1])
else
  redis.call('ZADD', KEYS[1], tonumber(ARGV[3]), ARGV[1])
end
return 1
`;

/** ResolveStore keeps pending resolves; every process shares it through Redis. */
export interface ResolveStore {
  /** register schedules a firing's first check at `firedAtMs + resolveAfterMs`, replacing an older firing of the window. */
  register(entry: PendingResolve): Promise<Registration>;
  /** claim returns up to `max` due entries, leased to the caller for `leaseMs`. */
  claim(nowMs: number, leaseMs: number, max: number): Promise<PendingResolve[]>;
  /** reschedule moves an entry's next check, unless a newer firing replaced it. */
  reschedule(entry: PendingResolve, atMs: number): Promise<boolean>;
  /** finish removes an entry once resolved, unless a newer firing replaced it. */
  finish(entry: PendingResolve): Promise<boolean>;
  /** size is how many firings wait to resolve. */
  size(): Promise<number>;
}

/** createResolveStore builds the store; its keys share the `{prefix}` hash tag so each script runs in one slot. */
export function createResolveStore(redis: RedisClient, prefix: string): ResolveStore {
  const due = `{${prefix}}:resolve:due`;
  const details = `{${prefix}}:resolve:details`;
  const firing = `{${prefix}}:resolve:firing`;
  const settle = async (e: PendingResolve, next: string): Promise<boolean> =>
    ((await redis.eval(SETTLE, 3, due, details, firing, e.windowKey, e.alert.id, next)) as number) === 1;
  return {
    async register(e) {
      const firstCheck = e.firedAtMs + e.resolveAfterMs;
      const args = [e.windowKey, e.alert.id, String(e.firedAtMs), String(firstCheck), JSON.stringify(e)];
      const [ok, other] = (await redis.eval(REGISTER, 3, due, details, firing, ...args)) as [number, string];
      if (ok !== 1) return { registered: false, ...(other ? { newer: other } : {}) };
      return { registered: true, ...(other && other !== e.alert.id ? { replaced: other } : {}) };
    },
    async claim(nowMs, leaseMs, max) {
      const raw = await claimDue(redis, due, details, nowMs, leaseMs, max);
      return raw.map((json) => JSON.parse(json) as PendingResolve);
    },
    reschedule: (e, atMs) => settle(e, String(Math.trunc(atMs))),
    finish: (e) => settle(e, ""),
    size: () => redis.zcard(due),
  };
}
