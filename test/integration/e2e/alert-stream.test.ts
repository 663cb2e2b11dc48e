// One alert stream end to end: firing and resolved share a fingerprint, the resolved names its firing and threads under it.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../../src/app.js";
import { apiAlerts, metaBody, outboxMails, post } from "../../helpers/drive.js";
import { type EngineDir, makeEngineDir, startInProcess, waitFor } from "../../helpers/engine.js";
import { type HttpReceiver, startHttpReceiver } from "../../helpers/http-receiver.js";

const MIN = 60_000;

const RULES = `rules:
  - id: spam-burst
    description: Spam rate limit hit repeatedly on one number
    severity: critical
    when: { code: 131048 }
    group_by: [phone_number_id]
    threshold: { more_than: 2, within: 10m }
    cooldown: 30m
    notify: [ops, hook]
  - id: payment-wording
    description: Failures that mention the payment method
    when: { all: [{ fact: details, operator: contains, value: payment }] }
    notify: [ops]
  - id: not-payment
    description: Failures that do not mention the payment method
    when: { all: [{ fact: code, operator: equal, value: 131042 }, { fact: details, operator: doesNotContain, value: payment }] }
    notify: [ops]
`;

describe("an alert stream", () => {
  let dir: EngineDir;
  let receiver: HttpReceiver;
  let app: App;
  let clock = 0;

  beforeAll(async () => {
    receiver = await startHttpReceiver();
  });
  afterAll(async () => {
    await receiver.close();
  });
  afterEach(async () => {
    await app?.close();
    await dir?.remove();
  });

  async function start(): Promise<void> {
    dir = await makeEngineDir({ rules: RULES, channels: `  hook: { type: webhook, url: "${receiver.url}" }` });
    clock = Date.now();
    app = await startInProcess(dir, "start", { now: () => clock, resolveIntervalMs: 50 });
  }
  const sec = (offsetMs = 0) => Math.floor((clock + offsetMs) / 1000);

  it("shares one fingerprint between firing and resolved; the resolved names its firing and threads under its email", async () => {
    await start();
    await post(app, metaBody([0, 1, 2].map((i) => ({ time: sec(-i * 1000), recipient: `1555${i}` }))), 3);
    const firing = await waitFor(async () => (await apiAlerts(app, "?state=firing"))[0]);
    clock += 11 * MIN;
    const resolved = await waitFor(async () =>
      (await apiAlerts(app)).find((a) => a.type === "alert.resolved"),
    );
    expect(resolved.fingerprint).toBe(firing.fingerprint);
    expect(resolved.firing_id).toBe(firing.id);
    expect(resolved.count).toBe(0);
    expect(resolved.samples).toEqual([]);

    const bodies = (await receiver.waitForRequests(2)).map((r) => JSON.parse(r.text));
    expect(bodies.map((b) => b.type)).toEqual(["alert.firing", "alert.resolved"]);
    expect(bodies[1].alert).toMatchObject({ fingerprint: firing.fingerprint, firing_id: firing.id });
    expect(bodies[0].alert.fingerprint).toBe(firing.fingerprint);
    expect(bodies[0].alert.firing_id).toBeUndefined();

    const mails = await waitFor(async () => {
      const all = await outboxMails(dir.outbox);
      return all.length === 2 ? all : undefined;
    });
    const [fired, calm] = mails;
    expect(calm!.subject).toMatch(/^\[RESOLVED\]/);
    expect(calm!.inReplyTo).toBe(fired!.messageId);
    expect(calm!.references).toEqual(fired!.messageId);
    expect(calm!.text).not.toMatch(/RECENT EVENTS/);
  });

  it("matches contains and doesNotContain on the text of an error's details", async () => {
    await start();
    await post(
      app,
      metaBody([
        { time: sec(), code: 131042, details: "Message failed to send because of an issue related to your payment method." },
        { time: sec(), code: 131042, details: "Business eligibility check failed." },
      ]),
      // payment-wording and not-payment each match one of the two events.
      2,
    );
    const alerts = await waitFor(async () => {
      const list = await apiAlerts(app);
      return list.length === 2 ? list : undefined;
    });
    expect(alerts.map((a) => a.rule.id).sort()).toEqual(["not-payment", "payment-wording"]);
  });
});
