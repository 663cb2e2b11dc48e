// alerts.mask_phone_numbers holds wherever an operator can look: admin API, history, resolves, dead letters,
// notification jobs, logs, absence state, and Redis key names (window keys hash the group values).
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { fingerprint } from "../../../src/evaluate/facts.js";
import { outboxMails } from "../../helpers/drive.js";
import { ADMIN, PHONE, waitFor } from "../../helpers/engine.js";
import { type HttpReceiver, startHttpReceiver } from "../../helpers/http-receiver.js";
import { type LoggedApp, postStatuses, useEngine } from "./support.js";

const CUSTOMER = "5215512345679";
const MASKED = "+52155****679";
const OTHER = "5215598765432";
const MIN = 60_000;

const RULES = `rules:
  - id: spam-per-customer
    description: Spam rate limit hit repeatedly for one customer
    severity: critical
    when: { code: 131048 }
    group_by: [phone_number_id, recipient_id]
    threshold: { more_than: 1, within: 10m }
    cooldown: 1m
    resolve_after: 1m
    notify: [ops, hook]
  - id: many-customers
    description: Spam for many distinct customers of one number
    when: { code: 131048 }
    group_by: [phone_number_id]
    threshold: { more_than: 1, within: 10m, distinct: recipient_id }
    cooldown: 1m
    notify: [ops]
  - id: customer-went-quiet
    description: A customer stopped getting statuses
    when: { code: 131048 }
    group_by: [recipient]
    absent: { for: 1m, after: 2, within: 10m }
    notify: [ops, hook]
`;

interface AlertView {
  id: string;
  fingerprint: string;
  type: string;
  state: string;
  rule: { id: string };
  group: Record<string, string>;
}

/** redisText is every key name and every value under the engine's prefix except the events queue (raw input). */
async function redisText(prefix: string): Promise<{ names: string[]; values: string }> {
  const redis = new Redis("redis://127.0.0.1:6379");
  try {
    const names: string[] = [];
    for (const pattern of [`${prefix}:*`, `{${prefix}}:*`]) {
      let cursor = "0";
      do {
        const [next, keys] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 1000);
        cursor = next;
        names.push(...keys);
      } while (cursor !== "0");
    }
    const parts: string[] = [];
    for (const key of names.filter((k) => !k.startsWith(`{${prefix}}:events:`))) {
      const type = await redis.type(key);
      if (type === "string") parts.push(String(await redis.get(key)));
      else if (type === "hash") parts.push(JSON.stringify(await redis.hgetall(key)));
      else if (type === "list") parts.push(JSON.stringify(await redis.lrange(key, 0, -1)));
      else if (type === "set") parts.push(JSON.stringify(await redis.smembers(key)));
      else if (type === "zset") parts.push(JSON.stringify(await redis.zrange(key, "0", "-1")));
      else if (type === "stream") parts.push(JSON.stringify(await redis.xrange(key, "-", "+")));
    }
    return { names, values: parts.join("\n") };
  } finally {
    redis.disconnect();
  }
}

describe("with alerts.mask_phone_numbers on (the default)", () => {
  const slot = useEngine();
  let engine: LoggedApp;
  let receiver: HttpReceiver;
  let clock = 0;
  let run = 0;
  beforeAll(async () => {
    receiver = await startHttpReceiver([{ status: 400, body: "bad" }]);
  });
  afterAll(async () => {
    await receiver.close();
  });
  afterEach(() => {
    receiver.requests.length = 0;
  });

  const headers = { authorization: `Bearer ${ADMIN}` };
  const get = async <T>(url: string): Promise<T> => {
    const res = await engine.app.server!.inject({ url, headers });
    expect(res.statusCode, url).toBe(200);
    return res.json() as T;
  };
  const alerts = async () => (await get<{ alerts: AlertView[] }>("/api/alerts")).alerts;

  /** spam posts two failed 131048 statuses for each recipient, stamped at the clock. */
  async function spam(...recipients: string[]): Promise<void> {
    run += 1;
    const statuses = recipients.flatMap((r, i) =>
      [0, 1].map((k) => ({
        id: `wamid.mask${run}x${i}x${k}`,
        status: "failed",
        timestamp: String(Math.floor(clock / 1000)),
        recipient_id: r,
        errors: [{ code: 131048, title: "Spam rate limit hit", message: "Spam rate limit hit" }],
      })),
    );
    await postStatuses(engine.app, statuses);
  }

  const waitAlerts = (test: (list: AlertView[]) => boolean, what: string) =>
    waitFor(
      async () => {
        const list = await alerts();
        return test(list) ? list : undefined;
      },
      15_000,
      what,
    );

  it("never shows or stores a customer's full number, and silences still match what an operator types", async () => {
    clock = Date.now();
    engine = await slot.start(
      { rules: RULES, channels: `  hook: { type: webhook, url: "${receiver.url}", group: false }` },
      "start",
      { now: () => clock, resolveIntervalMs: 50, sweepIntervalMs: 50 },
    );

    // Fire: one alert per customer, one distinct alert, and both customers watched for silence.
    await spam(CUSTOMER, OTHER);
    await waitAlerts((l) => l.filter((a) => a.rule.id === "spam-per-customer").length === 2, "the firings");
    await waitAlerts((l) => l.some((a) => a.rule.id === "many-customers"), "the distinct alert");
    // Absence: both customers go quiet for longer than `for`.
    clock += 2 * MIN;
    await waitAlerts(
      (l) => l.filter((a) => a.rule.id === "customer-went-quiet").length === 2,
      "the absences",
    );
    // Resolve: the spam windows stay quiet past resolve_after.
    clock += 12 * MIN;
    await engine.app.resolveNow!();
    await waitAlerts((l) => l.filter((a) => a.type === "alert.resolved").length >= 2, "the resolves");

    // The operator silences the customer by the full number they were told on the phone.
    const silence = await engine.app.server!.inject({
      method: "POST",
      url: "/api/silences",
      headers,
      payload: { matchers: { rule: "spam-per-customer", recipient_id: CUSTOMER }, duration: "1h" },
    });
    expect(silence.statusCode).toBe(201);
    expect(silence.json()).toMatchObject({ silence: { matchers: { recipient_id: MASKED } } });
    await spam(CUSTOMER);
    const again = await waitAlerts(
      (l) => l.some((a) => a.rule.id === "spam-per-customer" && a.state === "silenced"),
      "the silenced re-firing",
    );

    // Every alert shows the customer masked; one stream keeps one fingerprint, the one it always had.
    const mine = again.filter((a) => a.rule.id === "spam-per-customer" && a.group.recipient_id === MASKED);
    expect(mine.map((a) => `${a.type}/${a.state}`).sort()).toEqual([
      "alert.firing/resolved",
      "alert.firing/silenced",
      "alert.resolved/resolved",
    ]);
    expect(new Set(mine.map((a) => a.fingerprint))).toEqual(
      new Set([fingerprint("spam-per-customer", `${PHONE},${CUSTOMER}`)]),
    );
    const quiet = again.filter((a) => a.rule.id === "customer-went-quiet");
    expect(quiet.map((a) => a.group.recipient).sort()).toContain(MASKED);

    // The admin API: lists, details with deliveries, dead letters, silences.
    const seen = [JSON.stringify(again)];
    for (const a of again) seen.push(JSON.stringify(await get(`/api/alerts/${a.id}`)));
    const dead = await get<{ dead_letters: unknown[] }>("/api/dead-letters");
    expect(dead.dead_letters.length).toBeGreaterThan(0);
    seen.push(JSON.stringify(dead));
    seen.push(JSON.stringify(await get("/api/silences?state=all")));
    for (const text of seen) {
      expect(text).not.toContain(CUSTOMER);
      expect(text).not.toContain(OTHER);
    }
    expect(seen.join("")).toContain(MASKED);

    // Redis: no key is named after a customer; no stored value but the raw events queue holds one.
    const stored = await redisText(slot.current().prefix);
    const windowKeys = stored.names.filter((k) => k.includes(":window:") || k.includes(":absent:"));
    expect(windowKeys.length).toBeGreaterThan(0);
    for (const name of stored.names) {
      expect(name).not.toContain(CUSTOMER.slice(-7));
      expect(name).not.toContain(OTHER.slice(-7));
    }
    expect(stored.values).not.toContain(CUSTOMER);
    expect(stored.values).not.toContain(OTHER);
    expect(stored.values).toContain(MASKED);

    // What went out and what was logged.
    for (const r of receiver.requests) expect(r.text).not.toContain(CUSTOMER);
    for (const mail of await outboxMails(slot.current().outbox)) {
      expect(String(mail.html)).not.toContain(CUSTOMER);
      expect(mail.text ?? "").not.toContain(CUSTOMER);
    }
    expect(engine.text()).not.toContain(CUSTOMER);
    expect(engine.text()).not.toContain(OTHER);
  });
});

describe("with alerts.mask_phone_numbers off", () => {
  const slot = useEngine();

  it("shows the numbers, but window keys still hash the group values", async () => {
    const clock = Date.now();
    const hook = `  hook: { type: webhook, url: "http://127.0.0.1:9/unreachable", group: false }`;
    const engine = await slot.start(
      { rules: RULES, channels: hook, alertsConfig: "mask_phone_numbers: false" },
      "start",
      {
        now: () => clock,
      },
    );
    const statuses = [0, 1].map((k) => ({
      id: `wamid.plain${k}`,
      status: "failed",
      timestamp: String(Math.floor(clock / 1000)),
      recipient_id: CUSTOMER,
      errors: [{ code: 131048, title: "Spam rate limit hit", message: "Spam rate limit hit" }],
    }));
    await postStatuses(engine.app, statuses);
    const list = await waitFor(async () => {
      const res = await engine.app.server!.inject({
        url: "/api/alerts",
        headers: { authorization: `Bearer ${ADMIN}` },
      });
      const all = (res.json() as { alerts: AlertView[] }).alerts;
      return all.some((a) => a.rule.id === "spam-per-customer") ? all : undefined;
    });
    expect(list.find((a) => a.rule.id === "spam-per-customer")?.group.recipient_id).toBe(CUSTOMER);
    const { names } = await redisText(slot.current().prefix);
    for (const name of names) expect(name).not.toContain(CUSTOMER.slice(-7));
  });
});
