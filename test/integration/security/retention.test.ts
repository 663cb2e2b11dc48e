// Stored state is bounded by count as well as age: notification jobs, silences, open digests, history.
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import { QUEUE_NOTIFICATIONS, queuePrefix } from "../../../src/queue/names.js";
import { signBody } from "../../../src/shared/hmac.js";
import { ADMIN, floodBody, SECRET, waitFor } from "../../helpers/engine.js";
import { type HttpReceiver, startHttpReceiver } from "../../helpers/http-receiver.js";
import { postStatuses, useEngine } from "./support.js";

const MIN = 60_000;
const headers = { authorization: `Bearer ${ADMIN}` };

/** EVERY_SPAM fires on every 131048 of a number, each its own alert. */
const EVERY_SPAM = (notify: string) => `rules:
  - id: every-spam
    description: Every spam rate limit error
    severity: critical
    when: { code: 131048 }
    group_by: [phone_number_id]
    cooldown: 0s
    notify: [${notify}]
`;

let run = 0;
/** statuses are `n` failed 131048 statuses stamped at `timeMs`, each with its own id. */
function statuses(n: number, timeMs: number): object[] {
  run += 1;
  return Array.from({ length: n }, (_, i) => ({
    id: `wamid.keep${run}x${i}`,
    status: "failed",
    timestamp: String(Math.floor(timeMs / 1000)),
    recipient_id: `1555000${i}`,
    errors: [{ code: 131048, title: "Spam", message: "Spam" }],
  }));
}

describe("retention by count and age", () => {
  const slot = useEngine();
  const receivers: HttpReceiver[] = [];
  afterEach(async () => {
    for (const r of receivers.splice(0)) await r.close();
  });
  const receiver = async (status: number) => {
    const r = await startHttpReceiver([{ status }]);
    receivers.push(r);
    return r;
  };

  it("retention.notification_jobs keeps that many finished jobs per outcome (each holds a whole alert)", async () => {
    const ok = await receiver(200);
    const bad = await receiver(400);
    const engine = await slot.start({
      rules: EVERY_SPAM("good, broken"),
      channels: [
        `  good: { type: webhook, url: "${ok.url}", group: false }`,
        `  broken: { type: webhook, url: "${bad.url}", group: false }`,
      ].join("\n"),
      extra: "retention: { notification_jobs: 3 }",
    });
    await postStatuses(engine.app, statuses(6, Date.now()));
    await ok.waitForRequests(6);
    await bad.waitForRequests(6);
    const queue = new Queue(QUEUE_NOTIFICATIONS, {
      connection: { url: "redis://127.0.0.1:6379" },
      prefix: queuePrefix(slot.current().prefix),
    });
    try {
      const counts = await waitFor(async () => {
        const c = await queue.getJobCounts("completed", "failed", "active", "waiting", "delayed");
        return (c.active ?? 0) + (c.waiting ?? 0) + (c.delayed ?? 0) === 0 ? c : undefined;
      });
      expect(counts.completed).toBe(3);
      expect(counts.failed).toBe(3);
    } finally {
      await queue.close();
    }
    // What failed for good is still listed in full: the dead letters keep their own (documented) bound.
    const dead = await engine.app.server!.inject({ url: "/api/dead-letters", headers });
    expect((dead.json() as { dead_letters: unknown[] }).dead_letters).toHaveLength(6);
  });

  it("retention.silences bounds the silences kept; the oldest expired give way, then new ones are refused", async () => {
    const engine = await slot.start(
      { rules: EVERY_SPAM("ops"), extra: "retention: { silences: 3 }" },
      "serve",
    );
    const create = (rule: string) =>
      engine.app.server!.inject({
        method: "POST",
        url: "/api/silences",
        headers,
        payload: { matchers: { rule }, duration: "1h" },
      });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await create("every-spam");
      expect(res.statusCode).toBe(201);
      ids.push((res.json() as { id: string }).id);
    }
    const refused = await create("every-spam");
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toEqual({
      error:
        "3 silences are kept already (retention.silences); expire one (DELETE /api/silences/:id) or raise retention.silences",
    });
    const expired = await engine.app.server!.inject({
      method: "DELETE",
      url: `/api/silences/${ids[0]}`,
      headers,
    });
    expect(expired.statusCode).toBe(204);
    expect((await create("every-spam")).statusCode).toBe(201);
    const all = await engine.app.server!.inject({ url: "/api/silences?state=all", headers });
    const kept = (all.json() as { silences: { id: string }[] }).silences;
    expect(kept).toHaveLength(3);
    expect(kept.map((s) => s.id)).not.toContain(ids[0]);
  });

  it("retention.silences holds when many silences are created at once", async () => {
    const engine = await slot.start(
      { rules: EVERY_SPAM("ops"), extra: "retention: { silences: 3 }" },
      "serve",
    );
    const replies = await Promise.all(
      Array.from({ length: 20 }, () =>
        engine.app.server!.inject({
          method: "POST",
          url: "/api/silences",
          headers,
          payload: { matchers: { rule: "every-spam" }, duration: "1h" },
        }),
      ),
    );
    expect(replies.filter((r) => r.statusCode === 201)).toHaveLength(3);
    expect(replies.filter((r) => r.statusCode === 409)).toHaveLength(17);
    const all = await engine.app.server!.inject({ url: "/api/silences?state=all", headers });
    expect((all.json() as { silences: unknown[] }).silences).toHaveLength(3);
  });

  it("retention.digest_groups bounds open digests; past it a new group's alerts go out on their own", async () => {
    const hook = await receiver(200);
    const engine = await slot.start({
      rules: EVERY_SPAM("team"),
      channels: `  team: { type: webhook, url: "${hook.url}", group: { by: [rule, phone_number_id], interval: 5m } }`,
      extra: "retention: { digest_groups: 2 }",
    });
    const flood = async () => {
      const body = floodBody({ numbers: 4, timeSec: Math.floor(Date.now() / 1000) });
      const res = await engine.app.server!.inject({
        method: "POST",
        url: "/webhooks/whatsapp",
        payload: body,
        headers: { "content-type": "application/json", "x-hub-signature-256": signBody(body, SECRET) },
      });
      expect(res.statusCode).toBe(200);
    };
    await flood();
    await hook.waitForRequests(4);
    await flood();
    // Numbers 0 and 1 have open digests and gather; 2 and 3 found no room and are sent on their own.
    const requests = await hook.waitForRequests(6);
    await new Promise((r) => setTimeout(r, 500));
    expect(requests).toHaveLength(6);
    const redis = new Redis("redis://127.0.0.1:6379");
    try {
      const prefix = slot.current().prefix;
      expect(await redis.zcard(`{${prefix}}:digest:due`)).toBe(2);
      expect(await redis.keys(`{${prefix}}:digest:group:*`)).toHaveLength(2);
    } finally {
      redis.disconnect();
    }
  });

  it("alerts.history_max_age drops alerts older than that from the history, whatever its size", async () => {
    let clock = Date.now();
    const engine = await slot.start(
      { rules: EVERY_SPAM("ops"), alertsConfig: "history_max_age: 1h" },
      "start",
      { now: () => clock },
    );
    const listed = async () => {
      const res = await engine.app.server!.inject({ url: "/api/alerts", headers });
      return (res.json() as { alerts: { id: string; created_at: string }[] }).alerts;
    };
    await postStatuses(engine.app, statuses(1, clock));
    const [old] = await waitFor(async () => ((await listed()).length === 1 ? listed() : undefined));
    clock += 61 * MIN;
    await postStatuses(engine.app, statuses(1, clock));
    const after = await waitFor(async () => {
      const list = await listed();
      return list.some((a) => a.id !== old!.id) ? list : undefined;
    });
    expect(after.map((a) => a.id)).not.toContain(old!.id);
    const detail = await engine.app.server!.inject({ url: `/api/alerts/${old!.id}`, headers });
    expect(detail.statusCode).toBe(404);
  });
});
