// Alert history on real Redis: bounded in size, each alert once, state changes, delivery outcomes evicted too.
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { createAlertHistory } from "../../../src/alerts/history.js";
import type { Alert } from "../../../src/model/alert.js";
import { sampleAlert } from "../../../src/notify/sample.js";
import { deleteRedisPrefix } from "../../helpers/engine.js";

const prefix = `test-history-${randomUUID().slice(0, 8)}`;
const T0 = Date.parse("2026-11-24T10:00:00Z");

function alert(n: number): Alert {
  const base = sampleAlert(new Date(T0 + n * 1000));
  return { ...base, id: `alert-${n}`, created_at: new Date(T0 + n * 1000).toISOString() };
}

describe("alert history", () => {
  const redis = new Redis("redis://127.0.0.1:6379");
  const history = createAlertHistory(redis, prefix, 3);
  const delivery = {
    channel: "ops",
    attempt: 1,
    result: "ok" as const,
    final: true,
    at: new Date(T0).toISOString(),
  };

  afterAll(async () => {
    await deleteRedisPrefix(prefix);
    redis.disconnect();
  });

  it("keeps the newest N alerts, and drops an evicted alert's state and delivery outcomes with it", async () => {
    for (let n = 1; n <= 5; n++) {
      expect(await history.record(alert(n), "firing")).toBe(true);
      await history.addDelivery(`alert-${n}`, delivery);
    }
    // Recording the same alert again is a no-op.
    expect(await history.record(alert(5), "firing")).toBe(false);
    const listed = await history.list({ limit: 10 });
    expect(listed.map((e) => e.alert.id)).toEqual(["alert-5", "alert-4", "alert-3"]);
    expect(listed[0]?.deliveries).toEqual([delivery]);
    expect(await history.get("alert-1")).toBeUndefined();
    expect(
      await redis.exists(`{${prefix}}:alerts:deliveries:alert-1`, `{${prefix}}:alerts:deliveries:alert-2`),
    ).toBe(0);
    expect(await redis.hexists(`{${prefix}}:alerts:state`, "alert-2")).toBe(0);
    expect(await redis.exists(`{${prefix}}:alerts:deliveries:alert-3`)).toBe(1);
  });

  it("changes the state of a kept alert, and says so when the alert is no longer kept", async () => {
    expect(await history.setState("alert-4", "superseded")).toBe(true);
    expect((await history.get("alert-4"))?.state).toBe("superseded");
    expect((await history.list({ limit: 10, state: "superseded" })).map((e) => e.alert.id)).toEqual([
      "alert-4",
    ]);
    expect(await history.setState("alert-1", "resolved")).toBe(false);
  });
});
