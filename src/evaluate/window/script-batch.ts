// Sends the Lua script calls of one batch (count windows, buckets, absences) to Redis in one pipeline write.
import { createHash } from "node:crypto";
import type { Redis } from "ioredis";

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

const batchers = new WeakMap<Redis, ScriptBatcher>();

/**
 * scriptBatcher is the batcher of a connection (one per connection, so the stores sharing it share its
 * pipelines). The evaluator calls every store of a batch in one tick, so their calls travel together: a
 * status that meets a count rule and a ratio rule costs one round trip, not two.
 */
export function scriptBatcher(redis: Redis): ScriptBatcher {
  const known = batchers.get(redis);
  if (known) return known;
  let pending: Call[] = [];

  async function retry(call: Call): Promise<void> {
    // Redis restarted or its scripts were flushed: load it, then run the call alone (it did nothing yet).
    await redis.script("LOAD", call.script.lua);
    call.resolve(await redis.evalsha(call.script.sha, call.keys.length, ...call.keys, ...call.args));
  }

  async function flush(): Promise<void> {
    const calls = pending;
    pending = [];
    const pipeline = redis.pipeline();
    for (const c of calls) pipeline.evalsha(c.script.sha, c.keys.length, ...c.keys, ...c.args);
    let results: [Error | null, unknown][];
    try {
      results = (await pipeline.exec()) ?? [];
    } catch (err) {
      for (const c of calls) c.reject(err as Error);
      return;
    }
    calls.forEach((c, i) => {
      const [error, reply] = results[i] ?? [new Error("missing pipeline reply"), undefined];
      if (!error) c.resolve(reply);
      else if (error.message.includes("NOSCRIPT")) retry(c).catch((e: Error) => c.reject(e));
      else c.reject(error);
    });
  }

  const batcher: ScriptBatcher = {
    run(script, keys, args) {
      return new Promise((resolve, reject) => {
        if (pending.length === 0) process.nextTick(() => void flush());
        pending.push({ script, keys, args, resolve, reject });
      });
    },
  };
  batchers.set(redis, batcher);
  return batcher;
}
