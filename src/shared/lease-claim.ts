// Claiming due entries with a lease, so that exactly one process works on each until its lease runs out.
import type { Cluster, Redis } from "ioredis";

// KEYS[1] due zset (entry -> due ms), KEYS[2] details hash (entry -> value); ARGV[1] now ms, ARGV[2] lease ms,
// ARGV[3] max entries
// Returns the value of every due entry, each pushed past the lease so no other process claims it meanwhile;
// an entry without details is dropped.
const CLAIM = `
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
local out = {}
for _, key in ipairs(due) do
  local details = redis.call('HGET', KEYS[2], key)
  if details then
    redis.call('ZADD', KEYS[1], tonumber(ARGV[1]) + tonumber(ARGV[2]), key)
    out[#out + 1] = details
  else
    redis.call('ZREM', KEYS[1], key)
  end
end
return out
`;

/**
 * claimDue returns the values (from `details`) of up to `max` entries of `due` whose time has come, and
 * leases them to the caller for `leaseMs`: a caller that crashes hands them on when the lease ends.
 */
export async function claimDue(
  redis: Redis | Cluster,
  due: string,
  details: string,
  nowMs: number,
  leaseMs: number,
  max: number,
): Promise<string[]> {
  const args = [String(Math.trunc(nowMs)), String(leaseMs), String(max)];
  return (await redis.eval(CLAIM, 2, due, details, ...args)) as string[];
}
