// Alerts that tell the truth, end to end: signed webhooks in, alerts out through the API, email and a webhook.
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../../src/app.js";
import {
  apiAlerts,
  expectSamplesInside,
  metaBody,
  outboxMails,
  outcomes,
  post,
  type StatusSpec,
} from "../../helpers/drive.js";
import { type EngineDir, makeEngineDir, startInProcess, waitFor } from "../../helpers/engine.js";
import { type HttpReceiver, startHttpReceiver } from "../../helpers/http-receiver.js";

const MIN = 60_000;

const RULES = `rules:
  - id: spam-burst
    description: Spam rate limit hit repeatedly on one number
    severity: critical
    when: { code: 131048 }
    group_by: [phone_number_id]
    threshold: { more_than: 5, within: 10m }
    cooldown: 1m
    notify: [ops, hook]
  - id: many-recipients
    description: Undeliverable to many different people
    when: { code: 131026 }
    group_by: [phone_number_id]
    threshold: { more_than: 3, within: 1h, distinct: recipient_id }
    notify: [ops]
  - id: pair
    description: Two different people in one second
    when: { code: 131049 }
    threshold: { more_than: 1, within: 1m, distinct: recipient_id }
    notify: []
`;

describe("counts that tell the truth", () => {
  let dir: EngineDir;
  let receiver: HttpReceiver;
  let app: App;
  let clock = 0;
  const redis = new Redis("redis://127.0.0.1:6379");

  beforeAll(async () => {
    receiver = await startHttpReceiver();
  });
  afterAll(async () => {
    await receiver.close();
    redis.disconnect();
  });
  afterEach(async () => {
    await app?.close();
    await dir?.remove();
  });

  async function start(): Promise<App> {
    // Every alert its own email: these tests read counts in subjects (grouping has tests of its own).
    dir = await makeEngineDir({
      rules: RULES,
      ops: "{ type: email, to: [ops@example.com], group: false }",
      channels: `  hook: { type: webhook, url: "${receiver.url}" }`,
    });
    clock = Date.now();
    app = await startInProcess(dir, "start", { now: () => clock });
    return app;
  }
  const sec = (offsetMs = 0) => Math.floor((clock + offsetMs) / 1000);

  it("counts new distinct values that arrive with older times, and each value once", async () => {
    await start();
    const same: StatusSpec[] = Array.from({ length: 10 }, (_, i) => ({
      time: sec(-100_000 + i * 1000),
      recipient: "5215512345679",
      code: 131026,
    }));
    await post(app, metaBody(same), 10);
    const older: StatusSpec[] = ["5215500000001", "5215500000002", "5215500000003"].map((r, i) => ({
      time: sec(-300_000 - i * 1000),
      recipient: r,
      code: 131026,
    }));
    await post(app, metaBody(older), 3);
    const [alert] = await waitFor(async () => {
      const list = await apiAlerts(app, "?rule=many-recipients");
      return list.length ? list : undefined;
    });
    expect(alert).toMatchObject({ count: 4, event_count: 13 });
    expect(alert!.first_seen).toBe(new Date(sec(-302_000) * 1000).toISOString());
    expectSamplesInside(alert!);
    const mail = await waitFor(async () => (await outboxMails(dir.outbox)).find((m) => m.subject?.includes("— 4 distinct recipient_id in 1h")));
    const shown = /RECENT EVENTS \((\d+) of (\d+)\)/.exec(mail.text ?? "");
    expect(shown).not.toBeNull();
    expect(Number(shown![1])).toBeLessThanOrEqual(Number(shown![2]));
    expect(Number(shown![2])).toBe(13);

    // A, A, B in the same second cross "more than one distinct recipient".
    const t = sec();
    await post(
      app,
      metaBody([
        { time: t, recipient: "111", code: 131049 },
        { time: t, recipient: "111", code: 131049 },
        { time: t, recipient: "222", code: 131049 },
      ]),
      3,
    );
    const pair = await waitFor(async () => (await apiAlerts(app, "?rule=pair"))[0]);
    expect(pair).toMatchObject({ count: 2, event_count: 3 });
  });

  it("re-fires after the cooldown with the true count, 501 not 6, and its samples inside first/last seen", async () => {
    await start();
    const burst = (n: number, from: number) =>
      Array.from({ length: n }, (_, i) => ({ time: sec(-5 * MIN + from + i * 100), recipient: `1555000${i}` }));
    await post(app, metaBody(burst(6, 0)), 6);
    const [first] = await waitFor(async () => {
      const list = await apiAlerts(app, "?rule=spam-burst");
      return list.length ? list : undefined;
    });
    expect(first).toMatchObject({ count: 6 });
    await post(app, metaBody(burst(494, 1000)), 494);
    expect(await apiAlerts(app, "?rule=spam-burst")).toHaveLength(1);

    clock += 2 * MIN;
    await post(app, metaBody([{ time: sec(), recipient: "15559999999" }]), 1);
    const refired = await waitFor(async () => {
      const list = await apiAlerts(app, "?rule=spam-burst");
      return list.length === 2 ? list[0] : undefined;
    });
    expect(refired.count).toBe(501);
    expect(refired.fingerprint).toBe(first!.fingerprint);
    expectSamplesInside(refired);
    const bodies = await receiver.waitForRequests(2);
    const counts = bodies.map((r) => JSON.parse(r.text).alert.count);
    expect(counts.slice(-2)).toEqual([6, 501]);
    const mails = await waitFor(async () => {
      const all = (await outboxMails(dir.outbox)).filter((m) => m.subject?.includes("Spam"));
      return all.length === 2 ? all : undefined;
    });
    expect(mails.map((m) => m.subject)).toEqual([
      expect.stringContaining("— 6 in 10m"),
      expect.stringContaining("— 501 in 10m"),
    ]);
  });

  it("counts events from 2100 nowhere, keeps no key alive past window + cooldown + resolve_after, still fires later", async () => {
    await start();
    const y2100 = Math.floor(Date.UTC(2100, 0, 1) / 1000);
    await post(app, metaBody([1, 2, 3].map((i) => ({ time: y2100 + i, recipient: `1${i}` }))), 3);
    expect(await apiAlerts(app, "?rule=spam-burst")).toEqual([]);
    expect((await outcomes(app)).future).toBe(3);
    expect(await redis.keys(`${dir.prefix}:window:*`)).toEqual([]);

    await post(app, metaBody(Array.from({ length: 6 }, (_, i) => ({ time: sec(-i * 1000), recipient: `2${i}` }))), 6);
    const [alert] = await waitFor(async () => {
      const list = await apiAlerts(app, "?rule=spam-burst");
      return list.length ? list : undefined;
    });
    expect(alert!.count).toBe(6);
    const keys = await redis.keys(`${dir.prefix}:window:*`);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      const ttl = await redis.pttl(key);
      expect(ttl).toBeGreaterThan(0);
      // 10m window + 1m cooldown + 10m resolve_after (the window, by default).
      expect(ttl).toBeLessThanOrEqual(21 * MIN);
    }
  });

  it("counts every window outcome in waba_alerts_window_outcomes_total, and pending resolves from Redis", async () => {
    await start();
    const six = Array.from({ length: 6 }, (_, i) => ({ time: sec(-i * 1000), recipient: `3${i}`, id: `wamid.six${i}` }));
    await post(app, metaBody(six), 6);
    await post(app, metaBody([six[0]!]), 1);
    await post(app, metaBody([{ time: sec(-20 * MIN), recipient: "late" }]), 1);
    await post(app, metaBody([{ time: sec(60 * MIN), recipient: "future" }]), 1);
    await post(app, metaBody([{ time: sec(), recipient: "cool" }]), 1);
    expect(await outcomes(app)).toEqual({ counted: 5, fired: 1, duplicate: 1, late: 1, future: 1, cooldown: 1 });
    const text = await app.metrics.registry.getSingleMetricAsString("waba_alerts_pending_resolve");
    expect(text).toMatch(/^waba_alerts_pending_resolve 1$/m);
  });
});
