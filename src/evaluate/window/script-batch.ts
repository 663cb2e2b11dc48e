// Sends the Lua script calls of one batch (count windows, buckets, absences) to Redis in one pipeline write.
import { createHash } from "node:crypto";
import { isCluster, type RedisClient } from "../../queue/redis-client.js";
import { keySlot } from "../../queue/slot.js";

/** LuaScript is one script, called by its SHA-1 (loaded into Redis on first need). */
export class LuaScript {
  /** sha is the script's SHA-1, which EVALSHA names it by. */
  readonly sha: string;
  constructor(readonly lua: string) {
    this.sha = createHash("sha1").update(lua).digest("hex");
  }
}

/** ScriptBatcher runs script calls; calls made in the same tick share one pipeline (one write, one read). */
export interface ScriptBatcher {
  /** run calls `script` with KEYS and ARGV and resolves to its reply. */
  run(script: LuaScript, keys: readonly string[], args: readonly string[]): Promise<unknown>;
}

interface Call {
  readonly script: LuaScript;
  readonly keys: readonly string[];
  readonly args: readonly string[];
  resolve(value: unknown): void;
  reject(error: Error): void;
}

const batchers = new WeakMap<RedisClient, ScriptBatcher>();

// A cluster answers these while slots move (failover, resharding): the call did nothing and may go again.
const REDIRECTED = /^(MOVED|ASK|TRYAGAIN|CLUSTERDOWN)\b|Connection is closed/;

/**
 * scriptBatcher is the batcher of a connection (one per connection, so the stores sharing it share its
 * pipelines). The evaluator calls every store of a batch in one tick, so their calls travel together: a
 * status that meets a count rule and a ratio rule costs one round trip, not two. On a cluster, one pipeline
 * goes to each node that holds some of the calls' keys.
 */
export function scriptBatcher(redis: RedisClient): ScriptBatcher {
  const known = batchers.get(redis);
  if (known) return known;
  let pending: Call[] = [];

  /**
   * alone runs one call by itself: a cluster connection follows redirections on its own, and EVAL runs a
   * script the node does not know (Redis restarted, a replica took over, scripts flushed) and caches it.
   */
  async function alone(call: Call, unknown = false): Promise<void> {
    const { script, keys, args } = call;
    try {
      if (!unknown) {
        call.resolve(await redis.evalsha(script.sha, keys.length, ...keys, ...args));
        return;
      }
    } catch (err) {
      if (!(err as Error).message.includes("NOSCRIPT")) throw err;
    }
    call.resolve(await redis.eval(script.lua, keys.length, ...keys, ...args));
  }

  async function send(calls: readonly Call[]): Promise<void> {
    const pipeline = redis.pipeline();
    for (const c of calls) pipeline.evalsha(c.script.sha, c.keys.length, ...c.keys, ...c.args);
    let results: [Error | null, unknown][];
    try {
      results = (await pipeline.exec()) ?? [];
    } catch (err) {
      // A cluster refuses a pipeline whose keys moved to another node since it was grouped: one by one then.
      if (isCluster(redis)) for (const c of calls) alone(c).catch((e: Error) => c.reject(e));
      else for (const c of calls) c.reject(err as Error);
      return;
    }
    calls.forEach((c, i) => {
      const [error, reply] = results[i] ?? [new Error("missing pipeline reply"), undefined];
      if (!error) c.resolve(reply);
      else if (error.message.includes("NOSCRIPT")) alone(c, true).catch((e: Error) => c.reject(e));
      else if (isCluster(redis) && REDIRECTED.test(error.message)) alone(c).catch((e: Error) => c.reject(e));
      else c.reject(error);
    });
  }

  function flush(): void {
    const calls = pending;
    pending = [];
    if (!isCluster(redis)) {
      void send(calls);
      return;
    }
    // Before the slot map is known nothing can be grouped: each call finds its node by itself.
    if (redis.slots.length === 0) {
      for (const c of calls) alone(c).catch((e: Error) => c.reject(e));
      return;
    }
    for (const group of byNode(redis.slots, calls)) void send(group);
  }

  const batcher: ScriptBatcher = {
    run(script, keys, args) {
      return new Promise((resolve, reject) => {
        if (pending.length === 0) process.nextTick(flush);
        pending.push({ script, keys, args, resolve, reject });
      });
    },
  };
  batchers.set(redis, batcher);
  return batcher;
}

/** byNode groups calls by the nodes (master and replicas) serving their first key's slot, as ioredis does. */
function byNode(slots: readonly (readonly string[])[], calls: readonly Call[]): Call[][] {
  const groups = new Map<string, Call[]>();
  for (const c of calls) {
    const node = slots[keySlot(c.keys[0] ?? "")]?.join(";") ?? "";
    const group = groups.get(node);
    if (group) group.push(c);
    else groups.set(node, [c]);
  }
  return [...groups.values()];
}
