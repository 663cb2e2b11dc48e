// Open digests in Redis: one per channel group, sealed by exactly one process when its interval ends.
import { randomUUID } from "node:crypto";
import type { RedisClient } from "../queue/redis-client.js";
import type { Alert } from "../model/alert.js";
import { claimDue } from "../shared/lease-claim.js";
import { DIGEST_MAX_ALERTS, digestItem } from "./digest.js";
import type { Digest } from "../model/notification.js";

/** DIGEST_KEY_TTL_MS is how long past its interval a group's keys outlive a stopped flusher (bounded state). */
export const DIGEST_KEY_TTL_MS = 24 * 3_600_000;

// KEYS[1] group hash, KEYS[2] items list, KEYS[3] due zset (group id -> interval end ms)
// ARGV[1] group id, ARGV[2] now ms, ARGV[3] interval ms, ARGV[4] id for a new digest, ARGV[5] channel,
// ARGV[6] alert type, ARGV[7] group values JSON, ARGV[8] alert id, ARGV[9] item JSON, ARGV[10] max items,
// ARGV[11] key TTL ms past the interval, ARGV[12] most groups open at once.
// Returns 1 when the alert opens the group (send it now), 0 when it is gathered, 2 when its group is not open
// and no more may open (send it on its own); the same answer again for an alert already admitted to a group,
// so a redelivered alert is neither sent twice nor listed twice.
const ADMIT = `
local seen = redis.call('HGET', KEYS[1], 'a:' .. ARGV[8])
if seen then return tonumber(seen) end
local now = tonumber(ARGV[2])
local ttl = tonumber(ARGV[3]) + tonumber(ARGV[11])
if redis.call('EXISTS', KEYS[1]) == 0 then
  if redis.call('ZCARD', KEYS[3]) >= tonumber(ARGV[12]) then return 2 end
  local ends = now + tonumber(ARGV[3])
  redis.call('DEL', KEYS[2])
  redis.call('HSET', KEYS[1], 'id', ARGV[4], 'channel', ARGV[5], 'type', ARGV[6], 'group', ARGV[7],
    'opened', ARGV[2], 'ends', ends, 'interval', ARGV[3], 'count', 1, 'first', ARGV[8], 'a:' .. ARGV[8], 1)
  redis.call('RPUSH', KEYS[2], ARGV[9])
  redis.call('ZADD', KEYS[3], ends, ARGV[1])
  redis.call('PEXPIRE', KEYS[1], ttl)
  redis.call('PEXPIRE', KEYS[2], ttl)
  return 1
end
redis.call('HINCRBY', KEYS[1], 'count', 1)
if redis.call('LLEN', KEYS[2]) < tonumber(ARGV[10]) then
  redis.call('RPUSH', KEYS[2], ARGV[9])
  redis.call('HSET', KEYS[1], 'a:' .. ARGV[8], 0)
end
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('PEXPIRE', KEYS[2], ttl)
return 0
`;

// KEYS[1] group hash, KEYS[2] items list, KEYS[3] due zset, KEYS[4] sealed hash (digest id -> JSON),
// KEYS[5] sealed lease zset (digest id -> lease end ms)
// ARGV[1] group id, ARGV[2] now ms, ARGV[3] lease ms, ARGV[4] id for the next digest, ARGV[5] key TTL ms
// Returns the sealed digest's JSON when this call sealed it (its caller owns it until the lease ends), else
// nothing: not due yet, sealed by another process, or nothing gathered (the group then closes).
const SEAL = `
local ends = redis.call('HGET', KEYS[1], 'ends')
if not ends then
  redis.call('ZREM', KEYS[3], ARGV[1])
  return false
end
local now = tonumber(ARGV[2])
if tonumber(ends) > now then return false end
local h = redis.call('HMGET', KEYS[1], 'id', 'channel', 'type', 'group', 'opened', 'interval', 'count', 'first')
local count = tonumber(h[7])
local first = h[8]
local more = count
if first ~= '' then more = count - 1 end
local items = redis.call('LRANGE', KEYS[2], 0, -1)
redis.call('DEL', KEYS[1], KEYS[2])
if more <= 0 then
  redis.call('ZREM', KEYS[3], ARGV[1])
  return false
end
local packed = cjson.encode({ id = h[1], channel = h[2], type = h[3], group = h[4], opened = h[5],
  ends = ends, count = count, first = first, items = items })
redis.call('HSET', KEYS[4], h[1], packed)
redis.call('ZADD', KEYS[5], now + tonumber(ARGV[3]), h[1])
local nextEnds = now + tonumber(h[6])
redis.call('HSET', KEYS[1], 'id', ARGV[4], 'channel', h[2], 'type', h[3], 'group', h[4],
  'opened', ARGV[2], 'ends', nextEnds, 'interval', h[6], 'count', 0, 'first', '')
redis.call('ZADD', KEYS[3], nextEnds, ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(h[6]) + tonumber(ARGV[5]))
return packed
`;

/** AdmitInput is one alert offered to one channel's group. */
export interface AdmitInput {
  readonly groupId: string;
  readonly channel: string;
  readonly values: Record<string, string>;
  readonly alert: Alert;
  readonly intervalMs: number;
  readonly nowMs: number;
}

/** SealedDigest is a digest one process now owns: deliver it, then `finish` it. */
export interface SealedDigest {
  readonly channel: string;
  readonly digest: Digest;
}

/** DigestStore keeps open and sealed digests; every process shares it through Redis. */
export interface DigestStore {
  /** admit says whether an alert opens its group (`send` it now) or is `gathered` into the group's digest. */
  admit(input: AdmitInput): Promise<"send" | "gathered">;
  /** due lists up to `max` groups whose interval has ended. */
  due(nowMs: number, max: number): Promise<string[]>;
  /** seal closes a due group's digest and leases it to the caller; undefined when there is nothing to send. */
  seal(groupId: string, nowMs: number, leaseMs: number): Promise<SealedDigest | undefined>;
  /** reclaim leases to the caller the sealed digests whose owner did not finish them in time. */
  reclaim(nowMs: number, leaseMs: number, max: number): Promise<SealedDigest[]>;
  /** finish forgets a delivered digest. */
  finish(digestId: string): Promise<void>;
}

interface Packed {
  id: string;
  channel: string;
  type: Alert["type"];
  group: string;
  opened: string;
  ends: string;
  count: number;
  first: string;
  // cjson writes an empty Lua table as {}.
  items: string[] | Record<string, never>;
}

function unpack(json: string): SealedDigest {
  const p = JSON.parse(json) as Packed;
  const items = Array.isArray(p.items) ? p.items : [];
  const digest: Digest = {
    id: p.id,
    type: "alert.digest",
    alert_type: p.type,
    group: JSON.parse(p.group) as Record<string, string>,
    from: new Date(Number(p.opened)).toISOString(),
    to: new Date(Number(p.ends)).toISOString(),
    count: p.count,
    alerts: items.map((i) => JSON.parse(i) as Alert),
    ...(p.first ? { sent_at_once: p.first } : {}),
  };
  return { channel: p.channel, digest };
}

/** DEFAULT_MAX_DIGEST_GROUPS is retention.digest_groups when nothing else is said. */
export const DEFAULT_MAX_DIGEST_GROUPS = 10_000;

/**
 * createDigestStore builds the store; its keys share the `{prefix}` hash tag so every script runs in one
 * slot. At most `maxGroups` digests are open at once: past that, an alert whose group is not open is sent
 * on its own (admit says "send") rather than opening one more, so groups by many values cannot fill Redis.
 */
export function createDigestStore(
  redis: RedisClient,
  prefix: string,
  maxItems: number = DIGEST_MAX_ALERTS,
  maxGroups: number = DEFAULT_MAX_DIGEST_GROUPS,
): DigestStore {
  const base = `{${prefix}}:digest`;
  const due = `${base}:due`;
  const sealed = `${base}:sealed`;
  const leases = `${base}:leases`;
  const groupKey = (id: string) => `${base}:group:${id}`;
  const itemsKey = (id: string) => `${base}:items:${id}`;
  return {
    async admit(a) {
      const opened = (await redis.eval(
        ADMIT,
        3,
        groupKey(a.groupId),
        itemsKey(a.groupId),
        due,
        a.groupId,
        String(Math.trunc(a.nowMs)),
        String(a.intervalMs),
        randomUUID(),
        a.channel,
        a.alert.type,
        JSON.stringify(a.values),
        a.alert.id,
        JSON.stringify(digestItem(a.alert)),
        String(maxItems),
        String(DIGEST_KEY_TTL_MS),
        String(maxGroups),
      )) as number;
      return opened === 0 ? "gathered" : "send";
    },
    due: (nowMs, max) => redis.zrangebyscore(due, "-inf", Math.trunc(nowMs), "LIMIT", 0, max),
    async seal(groupId, nowMs, leaseMs) {
      const keys = [groupKey(groupId), itemsKey(groupId), due, sealed, leases];
      const args = [
        groupId,
        String(Math.trunc(nowMs)),
        String(leaseMs),
        randomUUID(),
        String(DIGEST_KEY_TTL_MS),
      ];
      const packed = (await redis.eval(SEAL, keys.length, ...keys, ...args)) as string | null;
      return packed ? unpack(packed) : undefined;
    },
    async reclaim(nowMs, leaseMs, max) {
      // A sealed digest's lease end is its due time: past it, its owner did not finish.
      return (await claimDue(redis, leases, sealed, nowMs, leaseMs, max)).map(unpack);
    },
    async finish(digestId) {
      await redis.multi().hdel(sealed, digestId).zrem(leases, digestId).exec();
    },
  };
}
