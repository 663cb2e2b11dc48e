// Ratio and spike rules end to end: signed webhooks in; alerts out by email and to a webhook; resolves; restarts.
import { describe, expect, it } from "vitest";
import type { App } from "../../../src/app.js";
import { apiAlerts, expectSamplesInside, metaBody, outboxMails, post, type StatusSpec } from "../../helpers/drive.js";
import { ADMIN, PHONE, waitFor } from "../../helpers/engine.js";
import { useEngineSuite } from "../../helpers/engine-suite.js";

const MIN = 60_000;

const RULES = `rules:
  - id: failed-share
    description: More than 20 % of a number's statuses failed
    when: { kind: [status, status_error], status: failed }
    group_by: [phone_number_id]
    threshold:
      within: 10m
      ratio: { more_than: 0.2, of: { kind: [status, status_error] } }
      min_of: 20
    cooldown: 30m
    resolve_after: 2m
    notify: [ops, hook]
  - id: jump-131049
    description: 131049 jumped over its usual rate
    when: { code: 131049 }
    group_by: [phone_number_id]
    threshold:
      within: 1m
      spike: { more_than: 3, baseline: 10m }
      min: 5
    cooldown: 30m
    resolve_after: 1m
    notify: [ops, hook]
`;

describe("ratio and spike rules, end to end", () => {
  // Event times follow the engine's clock; it starts in the past so that minutes of history fit before now.
  const suite = useEngineSuite(RULES, -60 * MIN);
  const start = () => suite.start();
  const statuses = (n: number, spec: Omit<StatusSpec, "time">) => suite.statuses(n, spec);
  const delivered = (n: number) => statuses(n, { status: "delivered" });
  const failed = (n: number, code = 131026) => statuses(n, { code });
  const bodiesOf = (rule: string) =>
    suite.receiver.requests.map((r) => JSON.parse(r.text)).filter((b) => b.alert.rule.id === rule);

  it("fires the failed share once, just past the line, with count, of_count and ratio in email and webhook", async () => {
    const app = await start();
    // 4 failed of 20 statuses is exactly 20 %: not more than the line.
    await post(app, metaBody([...delivered(16), ...failed(4)]), 20);
    expect(await apiAlerts(app, "?rule=failed-share")).toEqual([]);
    await post(app, metaBody(failed(1)), 1);
    const [alert] = await waitFor(async () => {
      const list = await apiAlerts(app, "?rule=failed-share");
      return list.length ? list : undefined;
    });
    expect(alert).toMatchObject({ count: 5, of_count: 21, ratio: 0.2381, group: { phone_number_id: PHONE } });
    expectSamplesInside(alert!);
    // More failures inside the cooldown add nothing.
    await post(app, metaBody(failed(5)), 5);
    expect(await apiAlerts(app, "?rule=failed-share")).toHaveLength(1);

    const [body] = await waitFor(async () => (bodiesOf("failed-share").length ? bodiesOf("failed-share") : undefined));
    expect(body.alert).toMatchObject({ count: 5, of_count: 21, ratio: 0.2381, window_seconds: 600 });
    expect(body.alert.code).toBeUndefined();
    const mail = await waitFor(async () => (await outboxMails(suite.dir.outbox)).find((m) => m.subject?.includes("20 %")));
    expect(mail.subject).toContain("23.81 % (5 of 21) in 10m");
    expect(mail.text).toContain("Out of: 21 (23.81 %)");
  });

  it("resolves the failed share once the share stays under the line for resolve_after", async () => {
    const app = await start();
    await post(app, metaBody([...delivered(16), ...failed(5)]), 21);
    const fired = await waitFor(async () => (await apiAlerts(app, "?rule=failed-share"))[0]);
    await post(app, metaBody(delivered(30)), 30);
    suite.clock += MIN;
    await suite.settle();
    expect(await apiAlerts(app, "?state=resolved")).toEqual([]);
    suite.clock += MIN + 1000;
    const resolved = await waitFor(async () =>
      (await apiAlerts(app, "?state=resolved")).find((a) => a.firing_id === fired.id),
    );
    expect(resolved).toMatchObject({ type: "alert.resolved", count: 5, of_count: 51, ratio: 0.098 });
    const bodies = await waitFor(async () => {
      const b = bodiesOf("failed-share");
      return b.length === 2 ? b : undefined;
    });
    expect(bodies.map((b) => b.type)).toEqual(["alert.firing", "alert.resolved"]);
  });

  it("keeps counting the share in Redis across a worker restart", async () => {
    const first = await start();
    await post(first, metaBody([...delivered(16), ...failed(4)]), 20);
    await suite.stop(first);
    const second = await start();
    await post(second, metaBody(failed(1)), 1);
    const alert = await waitFor(async () => (await apiAlerts(second, "?rule=failed-share"))[0]);
    expect(alert).toMatchObject({ count: 5, of_count: 21 });
  });

  /** learn posts one 131049 a minute for ten minutes: a usual rate of one per 1m window. */
  async function learn(app: App): Promise<void> {
    for (let i = 0; i < 10; i++) {
      await post(app, metaBody(failed(1, 131049)), 1);
      suite.clock += MIN;
    }
  }

  it("fires a spike over the usual rate once, with baseline_count; a smaller jump stays silent", async () => {
    const app = await start();
    await learn(app);
    // Three in a minute against a usual one: above 3× only at the fourth, but below min: 5.
    await post(app, metaBody(failed(3, 131049)), 3);
    expect(await apiAlerts(app, "?rule=jump-131049")).toEqual([]);
    await post(app, metaBody(failed(3, 131049)), 3);
    const [alert] = await waitFor(async () => {
      const list = await apiAlerts(app, "?rule=jump-131049");
      return list.length ? list : undefined;
    });
    expect(alert).toMatchObject({ count: 5, code: 131049, group: { phone_number_id: PHONE } });
    const usual = (alert as unknown as { baseline_count: number }).baseline_count;
    expect(usual).toBeGreaterThan(0.8);
    expect(usual).toBeLessThan(1.3);
    await post(app, metaBody(failed(4, 131049)), 4);
    expect(await apiAlerts(app, "?rule=jump-131049")).toHaveLength(1);
    const [body] = await waitFor(async () => (bodiesOf("jump-131049").length ? bodiesOf("jump-131049") : undefined));
    expect(body.alert).toMatchObject({ count: 5, baseline_count: usual });
    const mail = await waitFor(async () => (await outboxMails(suite.dir.outbox)).find((m) => m.subject?.includes("131049")));
    expect(mail.subject).toContain(`5 in 1m (usual ${usual})`);

    // Two windows later nothing is over the line any more: resolved.
    suite.clock += 2 * MIN;
    const resolved = await waitFor(async () =>
      (await apiAlerts(app, "?state=resolved")).find((a) => a.firing_id === alert!.id),
    );
    expect(resolved).toMatchObject({ type: "alert.resolved", count: 0 });
  });

  it("remembers a number's usual rate in Redis across a worker restart", async () => {
    const first = await start();
    await learn(first);
    await suite.stop(first);
    const second = await start();
    await post(second, metaBody(failed(6, 131049)), 6);
    const alert = await waitFor(async () => (await apiAlerts(second, "?rule=jump-131049"))[0]);
    expect(alert).toMatchObject({ count: 5 });
    expect((alert as unknown as { baseline_count: number }).baseline_count).toBeGreaterThan(0.8);
  });

  it("describes both kinds in /api/rules", async () => {
    const app = await start();
    const res = await app.server!.inject({ url: "/api/rules", headers: { authorization: `Bearer ${ADMIN}` } });
    const rules = (res.json() as { rules: { id: string; threshold: unknown; absent: unknown }[] }).rules;
    expect(rules.map(({ id, threshold, absent }) => ({ id, threshold, absent }))).toEqual([
      {
        id: "failed-share",
        threshold: {
          kind: "ratio",
          within_seconds: 600,
          ratio: { more_than: 0.2, of: { all: [{ fact: "kind", operator: "in", value: ["status", "status_error"] }] } },
          min_of: 20,
          resolution_seconds: 10,
        },
        absent: null,
      },
      {
        id: "jump-131049",
        threshold: {
          kind: "spike",
          within_seconds: 60,
          spike: { more_than: 3, baseline_seconds: 600 },
          min: 5,
          resolution_seconds: 1,
          baseline_resolution_seconds: 10,
        },
        absent: null,
      },
    ]);
  });

  it("lets a number with no history learn instead of firing", async () => {
    const app = await start();
    await post(app, metaBody(failed(20, 131049)), 20);
    expect(await apiAlerts(app, "?rule=jump-131049")).toEqual([]);
  });
});
