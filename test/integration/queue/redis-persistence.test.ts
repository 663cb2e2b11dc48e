// The start-up line about Redis persistence, read from real redis-servers configured each way.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readPersistence, persistenceNote } from "../../../src/queue/redis-persistence.js";
import { FROM_SOURCE, makeEngineDir, spawnEngine } from "../../helpers/engine.js";
import { killAllRedis, type PrivateRedis, startPrivateRedis } from "../../reliability/support/processes.js";

const NONE = ["--save", "", "--appendonly", "no"];
const SNAPSHOTS = ["--save", "3600 1", "--appendonly", "no"];
const AOF = ["--save", "", "--appendonly", "yes", "--appendfsync", "everysec"];
const NO_CONFIG = [...NONE, "--rename-command", "CONFIG", '""'];

describe("Redis persistence at start-up", () => {
  const dir = mkdtempSync(join(tmpdir(), "waba-persistence-"));
  const servers: Record<string, PrivateRedis> = {};

  beforeAll(async () => {
    const kinds = { NONE, SNAPSHOTS, AOF, NO_CONFIG };
    for (const [name, args] of Object.entries(kinds))
      servers[name] = await startPrivateRedis(join(dir, name), args);
  });

  afterAll(async () => {
    await killAllRedis();
    rmSync(dir, { recursive: true, force: true });
  });

  async function note(name: string) {
    const client = new Redis(servers[name]!.url);
    try {
      const p = await readPersistence(client);
      return { p, note: persistenceNote(p) };
    } finally {
      client.disconnect();
    }
  }

  it("says nothing when the append-only file is on", async () => {
    const { p, note: n } = await note("AOF");
    expect(p).toEqual({ aof: true, rdb: false, via: "config" });
    expect(n).toBeUndefined();
  });

  it("warns that acknowledged events would be lost when Redis persists nothing", async () => {
    const { p, note: n } = await note("NONE");
    expect(p).toEqual({ aof: false, rdb: false, via: "config" });
    expect(n?.level).toBe("warn");
    expect(n?.message).toMatch(/no persistence.*lost if Redis restarts.*appendonly yes/);
  });

  it("warns about the window since the last snapshot when Redis only takes RDB snapshots", async () => {
    const { p, note: n } = await note("SNAPSHOTS");
    expect(p).toEqual({ aof: false, rdb: true, via: "config" });
    expect(n?.message).toMatch(/since the last snapshot/);
  });

  it("falls back to INFO when CONFIG is disabled, as on managed Redis", async () => {
    const { p, note: n } = await note("NO_CONFIG");
    expect(p).toEqual({ aof: false, rdb: undefined, via: "info" });
    expect(n?.level).toBe("warn");
    expect(n?.message).toMatch(/CONFIG is disabled/);
  });

  it("puts exactly one warning line in a real process's log, and none with the AOF on", async () => {
    const lines = async (server: string) => {
      const dir = await makeEngineDir({ redisUrl: servers[server]!.url, logLevel: "info" });
      const engine = await spawnEngine(FROM_SOURCE, "serve", dir);
      await engine.stop();
      await dir.remove();
      return engine
        .output()
        .split("\n")
        .filter((l) => l.startsWith("{"))
        .map((l) => JSON.parse(l) as { level: number; msg: string });
    };
    const none = (await lines("NONE")).filter((l) => /persistence/.test(l.msg));
    expect(none).toHaveLength(1);
    expect(none[0]?.level).toBe(40);
    const aof = await lines("AOF");
    expect(aof.some((l) => l.msg === "waba-alerts started")).toBe(true);
    expect(aof.filter((l) => /persist|snapshot/.test(l.msg))).toEqual([]);
  }, 60_000);
});
