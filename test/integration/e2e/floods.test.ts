// No floods, end to end: signed webhooks in, a real SMTP server and real HTTP receivers out. Grouping into
// digests, json webhooks untouched, a paused template inhibiting its 132015 flood, routes per WABA.
import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type App, buildApp } from "../../../src/app.js";
import { loadedConfig, parseConfig } from "../../../src/config/load.js";
import { createLogger } from "../../../src/shared/logger.js";
import { apiAlerts, post } from "../../helpers/drive.js";
import { ADMIN, deleteRedisPrefix, floodBody, SECRET, waitFor } from "../../helpers/engine.js";
import { type HttpReceiver, startHttpReceiver } from "../../helpers/http-receiver.js";
import { startSmtpServer } from "../../helpers/smtp.js";

const WABA_A = "102290129340398";
const WABA_B = "209999999999001";

interface Engine {
  app: App;
  close(): Promise<void>;
}

const running: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of running.splice(0).reverse()) await stop();
});

/** engine runs buildApp ("start") on a fresh prefix with `rules` and the config lines given. */
async function engine(rules: string, config: string, now?: () => number): Promise<Engine> {
  const dir = mkdtempSync(join(tmpdir(), "waba-floods-"));
  mkdirSync(join(dir, "rules"));
  writeFileSync(join(dir, "rules", "rules.yaml"), rules);
  const prefix = `t-floods-${randomUUID().slice(0, 8)}`;
  const text = `server: { port: 0, host: 127.0.0.1 }
redis: { prefix: ${prefix} }
whatsapp: { app_secret: ${SECRET}, verify_token: v }
rules: { paths: [./rules], watch: false }
notify: { attempts: 3, backoff: 100ms, max_backoff: 200ms }
admin: { token: ${ADMIN} }
${config}`;
  const loaded = loadedConfig(parseConfig("floods.yaml", text, {}), join(dir, "config.yaml"), dir);
  const app = await buildApp({
    loaded,
    mode: "start",
    log: createLogger("silent"),
    ...(now ? { now, resolveIntervalMs: 50 } : {}),
  });
  const close = async () => {
    await app.close();
    await deleteRedisPrefix(prefix);
    rmSync(dir, { recursive: true, force: true });
  };
  running.push(close);
  return { app, close };
}

async function receiver(): Promise<HttpReceiver> {
  const r = await startHttpReceiver();
  running.push(() => r.close());
  return r;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const json = (r: HttpReceiver) => r.requests.map((q) => JSON.parse(q.text) as Record<string, unknown>);

describe("a flood of 200 groups of one rule in one POST", () => {
  const RULES = `rules:
  - id: spam-flood
    description: Spam rate limit hit on a number
    severity: critical
    when: { code: 131048 }
    group_by: [phone_number_id]
    notify: [ops, chat, forward]
`;
  const INTERVAL_MS = 3000;

  it("reaches each grouped channel at most twice within interval + 5 s, the digest listing all 200; json gets 200", async () => {
    const smtp = await startSmtpServer();
    running.push(() => smtp.close());
    const chat = await receiver();
    const forward = await receiver();
    const { app } = await engine(
      RULES,
      `email: { smtp: "${smtp.url}" }
channels:
  ops: { type: email, to: [oncall@example.com], group: { by: [rule], interval: 3s } }
  chat: { type: webhook, url: "${chat.url}", format: slack, group: { interval: 3s } }
  forward: { type: webhook, url: "${forward.url}" }
`,
    );
    const posted = Date.now();
    await post(app, floodBody({ numbers: 200, timeSec: Math.floor(posted / 1000) }), 200);

    const deadline = posted + INTERVAL_MS + 5000;
    const mails = await smtp.waitForMessages(2, deadline - Date.now());
    expect(Date.now()).toBeLessThanOrEqual(deadline);
    const chats = await chat.waitForRequests(2, Math.max(0, deadline - Date.now()));
    expect(chats[1]?.at).toBeLessThanOrEqual(deadline);
    await sleep(Math.max(0, deadline - Date.now()));
    expect(smtp.messages).toHaveLength(2);
    expect(chat.requests).toHaveLength(2);

    // format: json is not grouped by default: every alert is its own signed body.
    await forward.waitForRequests(200, 30_000);
    expect(new Set(json(forward).map((b) => (b.alert as { id: string }).id)).size).toBe(200);
    expect(json(forward).every((b) => b.type === "alert.firing")).toBe(true);

    const [single, digest] = mails as [(typeof mails)[number], (typeof mails)[number]];
    expect(single.subject).toMatch(/^\[CRITICAL\] 131048 .* — 1 on \+1 555 000 0000$/);
    expect(digest.subject).toBe("[CRITICAL] 199 more alerts: spam-flood on 199 numbers");
    for (let i = 0; i < 200; i++) expect(digest.text).toContain(`+1 555 000 ${String(i).padStart(4, "0")}`);
    expect(digest.headers.get("x-waba-alerts-digest-id")).toBeTruthy();

    const [, card] = json(chat) as [unknown, { text: string }];
    expect(card.text).toBe("[CRITICAL] 199 more alerts: spam-flood on 199 numbers");

    // Every alert is in the history once, and a gathered one shows the digest it went out in.
    const alerts = await apiAlerts(app, "?limit=500");
    expect(alerts).toHaveLength(200);
    const gathered = alerts.find((a) => a.group.phone_number_id === "pn-7");
    const res = await app.server!.inject({
      url: `/api/alerts/${gathered!.id}`,
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    const deliveries = (res.json() as { deliveries: { channel: string; digest?: string }[] }).deliveries;
    expect(
      deliveries
        .filter((d) => d.digest)
        .map((d) => d.channel)
        .sort(),
    ).toEqual(["chat", "ops"]);
  }, 60_000);
});

describe("a paused template and its 132015 flood", () => {
  const RULES = `rules:
  - id: template-paused
    description: Template paused by Meta
    severity: critical
    when: { kind: message_template_status_update, event: [PAUSED, DISABLED] }
    group_by: [waba_id, template.name]
    cooldown: 1m
    resolve_after: 2m
  - id: template-unavailable
    description: Sends rejected, the template is paused
    severity: warning
    when: { code: [132015, 132016] }
    group_by: [phone_number_id]
    threshold: { more_than: 0, within: 10m }
inhibit:
  - source: { rule: template-paused }
    target: { code: [132015, 132016] }
    equal: [waba_id]
`;

  function paused(waba: string, timeSec: number): string {
    const value = {
      event: "PAUSED",
      message_template_id: 9001,
      message_template_name: "spring_sale",
      message_template_language: "es_MX",
      reason: "NONE",
    };
    return JSON.stringify({
      object: "whatsapp_business_account",
      entry: [{ id: waba, time: timeSec, changes: [{ field: "message_template_status_update", value }] }],
    });
  }

  it("records the flood as inhibited (not sent) while the pause fires, and sends again once it resolved", async () => {
    const forward = await receiver();
    let clock = Date.now();
    const sec = () => Math.floor(clock / 1000);
    const { app } = await engine(
      RULES,
      `channels:
  forward: { type: webhook, url: "${forward.url}" }
defaults: { notify: [forward] }
`,
      () => clock,
    );
    await post(app, paused(WABA_A, sec()), 1);
    const source = await waitFor(async () => (await apiAlerts(app, "?rule=template-paused"))[0]);
    await post(app, floodBody({ numbers: 20, code: 132015, timeSec: sec(), waba: WABA_A }), 20);
    await post(app, floodBody({ numbers: 2, code: 132015, timeSec: sec(), waba: WABA_B, first: 100 }), 2);

    const inhibited = await waitFor(
      async () => {
        const list = await apiAlerts(app, "?state=inhibited&limit=100");
        return list.length === 20 ? list : undefined;
      },
      15_000,
      "20 inhibited alerts",
    );
    expect(inhibited.every((a) => (a as { inhibited_by?: string }).inhibited_by === source.id)).toBe(true);
    // The admin API lists the inhibition that held them back, with where it is written.
    const rules = await app.server!.inject({ url: "/api/rules", headers: { authorization: `Bearer ${ADMIN}` } });
    expect(rules.json().inhibitions).toEqual([
      {
        source: { rule: ["template-paused"] },
        target: { code: ["132015", "132016"] },
        equal: ["waba_id"],
        at: expect.stringMatching(/rules\.yaml:\d+:\d+$/),
      },
    ]);
    await forward.waitForRequests(3);
    await sleep(500);
    // Sent: the pause itself and the two alerts of the other WABA; none of the 20.
    expect(
      json(forward)
        .map((b) => (b.alert as { rule: { id: string } }).rule.id)
        .sort(),
    ).toEqual(["template-paused", "template-unavailable", "template-unavailable"]);
    expect(
      json(forward).filter((b) => (b.alert as { where: { waba_id: string } }).where.waba_id === WABA_A),
    ).toHaveLength(1);

    // Two minutes on, the pause resolves (its own resolved notification goes out) and inhibits no more.
    clock += 3 * 60_000;
    await waitFor(
      async () => (await apiAlerts(app, "?rule=template-paused&state=resolved"))[0],
      10_000,
      "resolve",
    );
    await post(app, floodBody({ numbers: 3, code: 132015, timeSec: sec(), waba: WABA_A, first: 200 }), 3);
    await forward.waitForRequests(3 + 1 + 3);
    const later = json(forward).slice(3);
    expect(later.map((b) => b.type).sort()).toEqual([
      "alert.firing",
      "alert.firing",
      "alert.firing",
      "alert.resolved",
    ]);
    expect(await apiAlerts(app, "?state=inhibited&limit=100")).toHaveLength(20);
  }, 60_000);
});

describe("routes for a BSP", () => {
  const RULES = `rules:
  - id: spam-hit
    description: Spam rate limit hit
    severity: critical
    when: { code: 131048 }
    group_by: [phone_number_id]
`;

  it("deliver each WABA's alerts to its own channel only, and every alert to the BSP's", async () => {
    const acme = await receiver();
    const globex = await receiver();
    const bsp = await receiver();
    const { app } = await engine(
      RULES,
      `channels:
  bsp: { type: webhook, url: "${bsp.url}" }
  acme: { type: webhook, url: "${acme.url}" }
  globex: { type: webhook, url: "${globex.url}" }
defaults: { notify: [bsp] }
routes:
  - { match: { waba_id: ${WABA_A} }, notify: [acme] }
  - { match: { waba_id: "${WABA_B}" }, notify: [globex] }
`,
    );
    const t = Math.floor(Date.now() / 1000);
    await post(app, floodBody({ numbers: 3, timeSec: t, waba: WABA_A }), 3);
    await post(app, floodBody({ numbers: 2, timeSec: t, waba: WABA_B, first: 10 }), 2);
    await bsp.waitForRequests(5);
    await acme.waitForRequests(3);
    await globex.waitForRequests(2);
    await sleep(500);
    const wabaOf = (r: HttpReceiver) =>
      json(r).map((b) => (b.alert as { where: { waba_id: string } }).where.waba_id);
    expect(wabaOf(acme)).toEqual([WABA_A, WABA_A, WABA_A]);
    expect(wabaOf(globex)).toEqual([WABA_B, WABA_B]);
    expect(wabaOf(bsp).sort()).toEqual([WABA_A, WABA_A, WABA_A, WABA_B, WABA_B].sort());
    // The alert history says where each alert went: the rule's channel and the routed one.
    const recorded = await apiAlerts(app, "?limit=100");
    expect(recorded).toHaveLength(5);
    for (const a of recorded) {
      const waba = (a as unknown as { where: { waba_id: string } }).where.waba_id;
      expect(a.notify).toEqual(waba === WABA_A ? ["bsp", "acme"] : ["bsp", "globex"]);
    }
  }, 30_000);
});
