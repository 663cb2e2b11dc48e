// Resolved notifications end to end on real Redis: after the quiet period and not before, once, surviving restarts.
import { afterEach, describe, expect, it } from "vitest";
import type { App } from "../../../src/app.js";
import {
  ADMIN,
  type EngineDir,
  makeEngineDir,
  outboxSubjects,
  startInProcess,
  waitFor,
  webhook,
} from "../../helpers/engine.js";

const MIN = 60_000;

interface AlertView {
  id: string;
  type: string;
  state: string;
  count: number;
  rule: { id: string };
  group: Record<string, string>;
}

describe("resolved notifications", () => {
  let dir: EngineDir | undefined;
  const apps: App[] = [];
  let clock = 0;
  const now = () => clock;

  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
    await dir?.remove();
  });

  async function start(mode: "start" | "worker" = "start"): Promise<App> {
    if (!dir) throw new Error("no engine dir");
    // No background loop: every resolver pass is run by the test, so "nothing resolved" is checked after one.
    const app = await startInProcess(dir, mode, { now, resolveIntervalMs: 50, resolveLoop: false });
    apps.push(app);
    return app;
  }

  async function alerts(app: App, query = ""): Promise<AlertView[]> {
    const res = await app.server!.inject({
      url: `/api/alerts${query}`,
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    expect(res.statusCode).toBe(200);
    return (res.json() as { alerts: AlertView[] }).alerts;
  }

  async function matched(app: App): Promise<number> {
    const text = await app.metrics.registry.getSingleMetricAsString("waba_rule_matches_total");
    return Number(/rule="spam-burst"} (\d+)/.exec(text)?.[1] ?? 0);
  }

  /** burst posts `count` spam errors at the current clock and waits until a worker has evaluated them. */
  async function burst(app: App, count: number): Promise<void> {
    const before = await matched(app);
    const hook = webhook({ count, timeSec: Math.floor(clock / 1000) });
    const res = await app.server!.inject({
      method: "POST",
      url: "/webhooks/whatsapp",
      payload: hook.body,
      headers: hook.headers,
    });
    expect(res.statusCode).toBe(200);
    await waitFor(
      async () => ((await matched(app)) >= before + count ? true : undefined),
      10_000,
      "evaluation",
    );
  }

  /** tick runs one resolver pass in each worker-side app and says how many firings resolved. */
  async function tick(...targets: App[]): Promise<number> {
    let resolved = 0;
    for (const app of targets.length ? targets : apps) if (app.resolveNow) resolved += await app.resolveNow();
    return resolved;
  }

  /** resolvedAfterTicks ticks until a resolved alert shows (the resolver hands it to the queue in its pass). */
  const resolvedAfterTicks = (app: App) =>
    waitFor(
      async () => {
        await tick();
        return (await resolvedAlerts(app))[0];
      },
      10_000,
      "resolved",
    );

  const resolvedAlerts = async (app: App) =>
    (await alerts(app, "?state=resolved")).filter((a) => a.type === "alert.resolved");

  const firing = (app: App) =>
    waitFor(async () => (await alerts(app, "?state=firing"))[0], 10_000, "the firing alert");

  it("sends alert.resolved once the window has been quiet for resolve_after, and not before", async () => {
    dir = await makeEngineDir();
    clock = Date.now();
    const app = await start();
    await burst(app, 3);
    const fired = await firing(app);
    expect(fired).toMatchObject({ type: "alert.firing", count: 3 });

    // Half the window later the three events still count: no resolve yet.
    clock += 5 * MIN;
    expect(await tick()).toBe(0);
    expect(await alerts(app, "?state=resolved")).toEqual([]);

    // Past the window (resolve_after defaults to it): the count is 0 and nothing was above since the firing.
    clock += 5 * MIN + 1000;
    const resolved = await resolvedAfterTicks(app);
    expect(resolved).toMatchObject({
      type: "alert.resolved",
      rule: { id: "spam-burst" },
      group: { phone_number_id: fired.group.phone_number_id },
      count: 0,
    });
    expect(resolved.id).not.toBe(fired.id);
    // The firing alert's own state turns resolved: nothing is left firing.
    expect(await alerts(app, "?state=firing")).toEqual([]);
    const subjects = await waitFor(
      async () => {
        const s = await outboxSubjects(dir!.outbox);
        return s.length >= 2 ? s : undefined;
      },
      10_000,
      "two emails",
    );
    expect(subjects.filter((s) => s.startsWith("[RESOLVED]"))).toHaveLength(1);

    // Much later still: one resolve per firing, never a second one.
    clock += 60 * MIN;
    expect(await tick()).toBe(0);
    expect(await resolvedAlerts(app)).toHaveLength(1);
    expect(await outboxSubjects(dir.outbox)).toHaveLength(2);
  });

  it("does not resolve while matching events keep the count above the threshold", async () => {
    dir = await makeEngineDir();
    clock = Date.now();
    const app = await start();
    await burst(app, 3);
    await firing(app);
    // Every 4 minutes another burst keeps the window above its threshold (in cooldown, so no new alert).
    for (let i = 0; i < 4; i++) {
      clock += 4 * MIN;
      await burst(app, 3);
    }
    clock += 5 * MIN;
    expect(await tick()).toBe(0);
    expect(await alerts(app, "?state=resolved")).toEqual([]);
    // Ten quiet minutes after the last burst it resolves.
    clock += 6 * MIN;
    await resolvedAfterTicks(app);
  });

  it("marks a firing superseded when its rule+group fires again before resolving, and resolves only the newer one", async () => {
    dir = await makeEngineDir();
    clock = Date.now();
    const app = await start();
    await burst(app, 3);
    const first = await firing(app);
    // Bursts every 8 minutes keep the window above its threshold past the 30-minute cooldown: a second firing.
    for (let i = 0; i < 4; i++) {
      clock += 8 * MIN;
      await burst(app, 3);
    }
    const second = await waitFor(
      async () => (await alerts(app, "?state=firing")).find((a) => a.id !== first.id),
      10_000,
      "the second firing",
    );
    // The older one no longer shows as firing: only the newest firing of a rule+group waits to resolve.
    expect((await alerts(app, "?state=firing")).map((a) => a.id)).toEqual([second.id]);
    expect((await alerts(app, "?state=superseded")).map((a) => a.id)).toEqual([first.id]);
    clock += 11 * MIN;
    const resolved = await resolvedAfterTicks(app);
    expect(resolved.group).toEqual(second.group);
    expect(await tick()).toBe(0);
    expect(await resolvedAlerts(app)).toHaveLength(1);
    expect(await alerts(app, "?state=firing")).toEqual([]);
    expect((await alerts(app, "?state=superseded")).map((a) => a.id)).toEqual([first.id]);
  });

  it("sends no resolve for a rule that never fired", async () => {
    dir = await makeEngineDir();
    clock = Date.now();
    const app = await start();
    await burst(app, 2);
    expect(await tick()).toBe(0);
    clock += 60 * MIN;
    expect(await tick()).toBe(0);
    expect(await alerts(app)).toEqual([]);
    expect(await outboxSubjects(dir.outbox)).toEqual([]);
  });

  it("keeps the pending resolve in Redis across a restart, and resolves once with several workers", async () => {
    dir = await makeEngineDir();
    clock = Date.now();
    const first = await start();
    await burst(first, 3);
    await firing(first);
    await first.close();
    apps.splice(apps.indexOf(first), 1);

    const serve = await startInProcess(dir, "serve", { now, resolveLoop: false });
    apps.push(serve);
    await start("worker");
    await start("worker");
    await start("worker");
    clock += 11 * MIN;
    // Three workers run their passes at the same moment: exactly one of them resolves the firing.
    const passes = await Promise.all(apps.filter((a) => a.resolveNow).map((a) => a.resolveNow!()));
    expect(passes.reduce((a, b) => a + b, 0)).toBe(1);
    await waitFor(async () => (await resolvedAlerts(serve))[0], 10_000, "resolved");
    await waitFor(
      async () => ((await outboxSubjects(dir!.outbox)).length >= 2 ? true : undefined),
      10_000,
      "emails",
    );
    expect(await tick()).toBe(0);
    expect(await resolvedAlerts(serve)).toHaveLength(1);
    // The firing alert is marked resolved too: both show under state=resolved.
    expect(await alerts(serve, "?state=resolved")).toHaveLength(2);
    expect((await outboxSubjects(dir.outbox)).filter((s) => s.startsWith("[RESOLVED]"))).toHaveLength(1);
  });
});
