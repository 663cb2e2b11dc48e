// Absent rules end to end: a busy number goes silent → one alert by email and webhook; it speaks → resolved.
import { describe, expect, it } from "vitest";
import type { App } from "../../../src/app.js";
import { apiAlerts, metaBody, outboxMails, post } from "../../helpers/drive.js";
import { signBody } from "../../../src/shared/hmac.js";
import { ADMIN, PHONE, SECRET, waitFor } from "../../helpers/engine.js";
import { useEngineSuite } from "../../helpers/engine-suite.js";

const MIN = 60_000;
const OTHER = "106540352240000";

const RULES = `rules:
  - id: went-quiet
    description: A busy number stopped receiving statuses
    when: { kind: [status, status_error] }
    group_by: [phone_number_id]
    absent: { for: 5m, after: 10, within: 10m }
    notify: [ops, hook]
`;

describe("absent rules, end to end", () => {
  const suite = useEngineSuite(RULES);
  const start = (mode?: "start" | "worker" | "serve") => suite.start(mode);
  const delivered = (n: number) => suite.statuses(n, { status: "delivered" });
  const settle = () => suite.settle();
  const firing = async (app: App) => (await apiAlerts(app, "?rule=went-quiet")).filter((a) => a.type === "alert.firing");

  it("fires once when a busy number stops for `for`, and resolves when it speaks again", async () => {
    const app = await start();
    const lastArrival = suite.clock;
    await post(app, metaBody(delivered(10)), 10);
    // 9 statuses are not busy enough to be watched.
    await post(app, metaBody(delivered(9), OTHER), 9);
    suite.clock += 5 * MIN - 1000;
    await settle();
    expect(await firing(app)).toEqual([]);

    suite.clock += 2000;
    const [alert] = await waitFor(async () => {
      const list = await firing(app);
      return list.length ? list : undefined;
    });
    expect(alert).toMatchObject({ count: 0, group: { phone_number_id: PHONE }, state: "firing" });
    // The sweepers keep looking, and ten more minutes pass: still one alert, and none for the quieter number.
    suite.clock += 10 * MIN;
    await settle();
    expect(await firing(app)).toHaveLength(1);

    const [body] = await suite.receiver.waitForRequests(1);
    const sent = JSON.parse(body!.text);
    expect(sent).toMatchObject({ type: "alert.firing", alert: { count: 0, window_seconds: 300 } });
    expect(Date.parse(sent.alert.silent_since)).toBe(lastArrival);
    const mail = await waitFor(async () => (await outboxMails(suite.dir.outbox)).find((m) => m.subject?.includes("none for 5m")));
    expect(mail.text).toContain("No matching event for 5m");

    await post(app, metaBody(delivered(1)), 1);
    // The resolver rechecks on the engine's clock, which the test moves on.
    suite.clock += 1000;
    const resolved = await waitFor(async () =>
      (await apiAlerts(app, "?state=resolved")).find((a) => a.firing_id === alert!.id),
    );
    expect(resolved).toMatchObject({ type: "alert.resolved", count: 1 });
    const bodies = await suite.receiver.waitForRequests(2);
    expect(JSON.parse(bodies[1]!.text).type).toBe("alert.resolved");
    const resolvedMail = await waitFor(async () =>
      (await outboxMails(suite.dir.outbox)).find((m) => m.subject?.startsWith("[RESOLVED]")),
    );
    expect(resolvedMail.subject).toContain("sending again");
  });

  it("describes the rule in /api/rules", async () => {
    const app = await start();
    const res = await app.server!.inject({ url: "/api/rules", headers: { authorization: `Bearer ${ADMIN}` } });
    const [rule] = (res.json() as { rules: { threshold: unknown; absent: unknown }[] }).rules;
    expect(rule).toMatchObject({
      threshold: null,
      absent: { for_seconds: 300, after: 10, within_seconds: 600, resolution_seconds: 10 },
    });
  });

  it("watches the number in Redis across a worker restart, and a new worker fires its silence", async () => {
    const serve = await start("serve");
    const first = await start("worker");
    const processed = async () =>
      (await first.metrics.registry.getSingleMetricAsString("waba_alerts_window_outcomes_total")).match(/counted"\} 10$/m);
    const payload = metaBody(delivered(10));
    const headers = { "content-type": "application/json", "x-hub-signature-256": signBody(payload, SECRET) };
    const res = await serve.server!.inject({ method: "POST", url: "/webhooks/whatsapp", payload, headers });
    expect(res.statusCode).toBe(200);
    await waitFor(async () => ((await processed()) ? true : undefined), 10_000, "the first worker to count");
    await suite.stop(first);

    suite.clock += 6 * MIN;
    await start("worker");
    const alert = await waitFor(async () => (await apiAlerts(serve, "?rule=went-quiet"))[0], 10_000, "the silence");
    expect(alert).toMatchObject({ type: "alert.firing", count: 0, group: { phone_number_id: PHONE } });
  });
});
