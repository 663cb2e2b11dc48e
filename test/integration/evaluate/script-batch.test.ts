// The script batcher on real Redis: calls of one tick share a pipeline, and a script Redis does not know yet is loaded.
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { LuaScript, scriptBatcher } from "../../../src/evaluate/window/script-batch.js";
import { connect } from "./redis-helpers.js";

describe("script batcher", () => {
  const redis = connect();
  afterAll(async () => {
    await redis.quit();
  });

  it("runs calls made together, loading a script Redis has never seen, each with its own reply", async () => {
    // A fresh script text: Redis answers NOSCRIPT to the first EVALSHA, and the batcher loads it.
    const echo = new LuaScript(`return {KEYS[1], ARGV[1]} -- ${randomUUID()}`);
    const batcher = scriptBatcher(redis);
    expect(scriptBatcher(redis)).toBe(batcher);
    const replies = await Promise.all([
      batcher.run(echo, ["k1"], ["a"]),
      batcher.run(echo, ["k2"], ["b"]),
      batcher.run(new LuaScript("return redis.call('PING')"), [], []),
    ]);
    expect(replies).toEqual([["k1", "a"], ["k2", "b"], "PONG"]);
    expect(await batcher.run(echo, ["k3"], ["c"])).toEqual(["k3", "c"]);
  });

  it("rejects only the call whose script fails", async () => {
    const batcher = scriptBatcher(redis);
    const [bad, good] = await Promise.allSettled([
      batcher.run(new LuaScript("return redis.call('NOSUCHCOMMAND')"), [], []),
      batcher.run(new LuaScript("return 7"), [], []),
    ]);
    expect(bad.status).toBe("rejected");
    expect(good).toEqual({ status: "fulfilled", value: 7 });
  });
});
