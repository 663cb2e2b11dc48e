// Real WhatsApp traffic end to end, with the shipped rules: signed (or relayed) Meta bodies into a real app,
// alerts observed as email at an in-process SMTP server and as JSON at a local webhook receiver.
// Covers: a reinstated account (info, never the critical rule), 2593109 in a history webhook, two
// templates' category changes, statuses addressed by business-scoped user ids, and BSP relays.
import { quiesce } from "../../helpers/engine.js";
import { createHmac, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Redis } from "ioredis";
import type { ParsedMail } from "mailparser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAlertHistory } from "../../../src/alerts/history.js";
import type { App } from "../../../src/app.js";
import { signBody } from "../../../src/shared/hmac.js";
import type { WebhookAlert, WebhookBody } from "../../../src/notify/webhook/body.js";
import { startApp } from "../../helpers/app.js";
import { type HttpReceiver, startHttpReceiver } from "../../helpers/http-receiver.js";
import { deleteKeys } from "../../helpers/redis.js";
import { type SmtpTestServer, startSmtpServer } from "../../helpers/smtp.js";

const SECRET = "real-traffic-app-secret";
const RELAY_TOKEN = "acme-relay-token";
const RELAY_SECRET = "hmac-relay-secret";
const PREFIX = `t-real-${randomBytes(4).toString("hex")}`;
const FIXTURES = join(import.meta.dirname, "../../fixtures/webhooks");
const WABA = "310000000000001";

let app: App;
let smtp: SmtpTestServer;
let receiver: HttpReceiver;
let redis: Redis;
let dir: string;

/** fixture is a fixture's Meta body with its times moved to now, so windows count it as fresh traffic. */
function fixture(name: string, edit: (value: Record<string, unknown>) => void = () => {}): Buffer {
  const { body } = JSON.parse(readFileSync(join(FIXTURES, name), "utf8")) as {
    body: { entry: { time?: number; changes: { value: Record<string, unknown> }[] }[] };
  };
  const now = Math.floor(Date.now() / 1000);
  for (const entry of body.entry) {
    if (entry.time !== undefined) entry.time = now;
    for (const change of entry.changes) edit(change.value);
  }
  return Buffer.from(JSON.stringify(body));
}

function messagesBody(phoneNumberId: string, statuses: unknown[]): Buffer {
  const value = {
    messaging_product: "whatsapp",
    metadata: { display_phone_number: "15550100123", phone_number_id: phoneNumberId },
    statuses,
  };
  return Buffer.from(
    JSON.stringify({
      object: "whatsapp_business_account",
      entry: [{ id: WABA, changes: [{ field: "messages", value }] }],
    }),
  );
}

async function post(body: Buffer, url = "/webhooks/whatsapp", headers?: Record<string, string>) {
  const res = await app.server!.inject({
    method: "POST",
    url,
    headers: {
      "content-type": "application/json",
      ...(headers ?? { "x-hub-signature-256": signBody(body, SECRET) }),
    },
    payload: body,
  });
  return res.statusCode;
}

const alertsFor = (rule: string) => createAlertHistory(redis, PREFIX, 1000).list({ limit: 100, rule });

/** mailWith waits for an email whose subject matches, and returns it. */
async function mailWith(subject: RegExp, timeoutMs = 8000): Promise<ParsedMail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = smtp.messages.find((m) => subject.test(m.subject ?? ""));
    if (found) return found;
    if (Date.now() > deadline) {
      throw new Error(
        `no email matching ${subject}; got: ${smtp.messages.map((m) => m.subject).join(" | ")}`,
      );
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** forwardedFor waits for the forwarded webhook body of the first alert of `rule`. */
async function forwardedFor(rule: string): Promise<WebhookAlert> {
  const deadline = Date.now() + 8000;
  for (;;) {
    const bodies = receiver.requests.map((r) => JSON.parse(r.text) as WebhookBody);
    const found = bodies.find((b) => b.alert.rule.id === rule);
    if (found) return found.alert;
    if (Date.now() > deadline) throw new Error(`no forwarded alert of ${rule}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** settle waits until every accepted batch was evaluated and every notification attempted. */
const settle = () => quiesce(PREFIX);

beforeAll(async () => {
  smtp = await startSmtpServer();
  receiver = await startHttpReceiver([{ status: 200 }]);
  redis = new Redis("redis://127.0.0.1:6379");
  dir = mkdtempSync(join(tmpdir(), "waba-real-"));
  // Beside the shipped rules, one an admin would add for BSUID traffic: distinct users, not numbers.
  writeFileSync(
    join(dir, "bsuid.yaml"),
    `rules:
  - id: undeliverable-to-many-users
    description: Undeliverable to many different users
    severity: warning
    when: { code: 131026 }
    group_by: [phone_number_id]
    threshold: { more_than: 2, within: 10m, distinct: recipient }
`,
  );
  const text = `
server: { port: 0, host: 127.0.0.1 }
redis: { prefix: ${PREFIX} }
whatsapp: { app_secret: ${SECRET}, verify_token: v }
ingest:
  relays:
    acme-bsp: { token: ${RELAY_TOKEN} }
    hmac-bsp: { secret: ${RELAY_SECRET}, header: X-Relay-Signature }
rules: { paths: [${resolve("rules")}, ${dir}], watch: false }
email: { smtp: "${smtp.url}", outbox: ${join(dir, "outbox")} }
channels:
  ops: { type: email, to: [oncall@example.com], group: false }   # one email per alert: the test reads each
  forward: { type: webhook, url: "${receiver.url}/alerts", format: json }
defaults: { notify: [ops, forward] }
notify: { attempts: 3, backoff: 50ms, max_backoff: 200ms }
`;
  app = await startApp("real-traffic.yaml", text);
});

afterAll(async () => {
  await app?.close();
  await smtp?.close();
  await receiver?.close();
  await deleteKeys(redis, `*${PREFIX}*`);
  redis.disconnect();
  rmSync(dir, { recursive: true, force: true });
});

describe("real WhatsApp traffic through the shipped rules", () => {
  it("a reinstated account sends an info alert naming the ban state, and never the critical one", async () => {
    expect(await post(fixture("25-account-update-reinstated.json"))).toBe(200);
    const mail = await mailWith(/reinstated/);
    expect(mail.subject).toBe(
      `[INFO] WhatsApp Business Account reinstated by Meta: DISABLED_UPDATE, ban state REINSTATE — 1 on WABA ${WABA}`,
    );
    expect(mail.text).toContain("Ban state: REINSTATE, March 3, 2026");
    const forwarded = await forwardedFor("account-reinstated");
    expect(forwarded.facts).toMatchObject({
      kind: "account_update",
      event: "DISABLED_UPDATE",
      "ban.state": "REINSTATE",
    });
    await settle();
    expect(await alertsFor("account-restricted")).toEqual([]);

    // The same webhook with ban state DISABLE is the critical one.
    expect(await post(fixture("26-account-update-disabled.json"))).toBe(200);
    const critical = await mailWith(/^\[CRITICAL\] WhatsApp Business Account disabled/);
    expect(critical.subject).toContain("DISABLED_UPDATE, ban state DISABLE —");
  });

  it("2593109 in a history webhook is an error event with its code: the history rule fires", async () => {
    expect(await post(fixture("54-history-sync-off-2593109.json"))).toBe(200);
    const mail = await mailWith(/2593109/);
    expect(mail.subject).toBe(
      "[INFO] 2593109 History sync turned off by the business — 1 on +1 555 010 0123",
    );
    expect(mail.text).toContain("declined to share its WhatsApp Business app chat history");
    const forwarded = await forwardedFor("history-sync-off");
    expect(forwarded).toMatchObject({
      code: 2593109,
      group: { phone_number_id: "410000000000001" },
      facts: { kind: "history", code: 2593109, phone_number_id: "410000000000001" },
    });
  });

  it("category changes of two templates raise one alert each, each naming its template", async () => {
    expect(await post(fixture("44-template-category-upcoming.json"))).toBe(200);
    expect(await post(fixture("45-template-category-changed.json"))).toBe(200);
    const first = await mailWith(/order_update/);
    const second = await mailWith(/loyalty_points/);
    expect(first.subject).toContain("template order_update (en_US), category UTILITY → MARKETING in 24 h");
    expect(second.subject).toContain("template loyalty_points (es), category UTILITY → MARKETING");
    await settle();
    const alerts = await alertsFor("template-category-changed");
    expect(alerts.map((a) => a.alert.group["template.name"]).sort()).toEqual([
      "loyalty_points",
      "order_update",
    ]);
  });

  it("statuses addressed by business-scoped user ids count per user: three users fire, one user thrice does not", async () => {
    const now = Math.floor(Date.now() / 1000);
    const failed = (id: string, userId: string, i: number) => ({
      id,
      status: "failed",
      timestamp: String(now - 5 + i),
      recipient_id: "",
      recipient_user_id: userId,
      errors: [
        { code: 131026, title: "Message undeliverable", error_data: { details: "Receiver cannot take it" } },
      ],
    });
    const users = ["MX.1111111111111111111", "MX.2222222222222222222", "MX.3333333333333333333"];
    expect(
      await post(
        messagesBody(
          "410000000000077",
          users.map((u, i) => failed(`wamid.U${i}`, u, i)),
        ),
      ),
    ).toBe(200);
    expect(
      await post(
        messagesBody(
          "410000000000088",
          [0, 1, 2].map((i) => failed(`wamid.S${i}`, users[0]!, i)),
        ),
      ),
    ).toBe(200);
    const mail = await mailWith(/Undeliverable to many different users|131026/);
    expect(mail.text).toContain("MX.3333333333333333333");
    const forwarded = await forwardedFor("undeliverable-to-many-users");
    expect(forwarded).toMatchObject({ count: 3, group: { phone_number_id: "410000000000077" } });
    expect(forwarded.samples.map((s) => s.recipient).sort()).toEqual(users);
    await settle();
    const alerts = await alertsFor("undeliverable-to-many-users");
    expect(alerts.map((a) => a.alert.group.phone_number_id)).toEqual(["410000000000077"]);
  });

  it("a BSP relay's envelope alerts like Meta's own, tagged with the relay's name; a wrong token is refused", async () => {
    const locked = (id: string) =>
      messagesBody("410000000000099", [
        {
          id,
          status: "failed",
          timestamp: String(Math.floor(Date.now() / 1000)),
          recipient_id: "5215512345678",
          errors: [{ code: 131031, title: "Business account locked" }],
        },
      ]);
    const wrong = await post(locked("wamid.R0"), "/webhooks/relay/acme-bsp", {
      authorization: "Bearer nope",
    });
    expect(wrong).toBe(401);
    expect(
      await post(locked("wamid.R1"), "/webhooks/relay/acme-bsp", { authorization: `Bearer ${RELAY_TOKEN}` }),
    ).toBe(200);
    const mail = await mailWith(/^\[CRITICAL\] 131031 /);
    expect(mail.text).toContain("+52155****678");
    expect(mail.text).not.toContain("5215512345678");
    const forwarded = await forwardedFor("account-locked");
    expect(forwarded.facts).toMatchObject({ source: "acme-bsp", code: 131031, recipient: "+52155****678" });

    const hmacBody = fixture("51-calls-terminate-error-138021.json");
    const signature = `sha256=${createHmac("sha256", RELAY_SECRET).update(hmacBody).digest("hex")}`;
    expect(await post(hmacBody, "/webhooks/relay/hmac-bsp", { "x-relay-signature": signature })).toBe(200);
    expect(await post(hmacBody, "/webhooks/relay/nobody", { "x-relay-signature": signature })).toBe(404);
    await settle();
    // The refused body (wamid.R0) never reached the rules: one lock alert, from the accepted one.
    expect(await alertsFor("account-locked")).toHaveLength(1);
  });
});
