// POST /webhooks/relay/:name on real Fastify + Redis: token and HMAC relays, their refusals, and `source`.
import { createHmac, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  buildIngest,
  type EventsQueueReader,
  type IngestHarness,
  readEventsQueue,
} from "../../helpers/ingest.js";

const NOW = 1_767_300_000_000;
const FIXTURES = join(import.meta.dirname, "../../fixtures/webhooks");
const fixtureBody = (name: string) =>
  Buffer.from(JSON.stringify(JSON.parse(readFileSync(join(FIXTURES, name), "utf8")).body));
const BODY = fixtureBody("05-status-failed-131049-callback.json");
const RELAYS = {
  "acme-bsp": { token: "acme-relay-token" },
  "hmac-bsp": { secret: "hmac-relay-secret", header: "X-Signature-256" },
  "off-bsp": { token: "" },
};

function post(
  app: FastifyInstance,
  name: string,
  body: Buffer | string,
  headers: Record<string, string> = {},
) {
  return app.inject({
    method: "POST",
    url: `/webhooks/relay/${name}`,
    payload: body,
    headers: { "content-type": "application/json", ...headers },
  });
}

const hmac = (body: Buffer | string, secret = "hmac-relay-secret") =>
  `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;

describe("POST /webhooks/relay/:name", () => {
  let h: IngestHarness;
  let queue: EventsQueueReader;

  beforeEach(async () => {
    const prefix = `test-relay-${randomBytes(6).toString("hex")}`;
    h = await buildIngest(
      { prefix },
      {
        appSecret: "meta-secret",
        verifyToken: "v",
        ingestToken: "",
        relays: RELAYS,
        bodyLimit: 4096,
        now: () => NOW,
      },
    );
    queue = readEventsQueue(prefix);
  });

  afterEach(async () => {
    await h.app.close();
    await h.producer.close();
    await queue.close();
  });

  it("accepts a token relay's envelope (scheme in any case) and tags its events with the relay's name", async () => {
    const res = await post(h.app, "acme-bsp", BODY, { authorization: "bearer acme-relay-token" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true, events: 1 });
    const [batch, ...rest] = await queue.jobs();
    expect(rest).toEqual([]);
    expect(batch?.events).toMatchObject([{ source: "acme-bsp", kind: "status_error", code: 131049 }]);
    expect(h.seen).toEqual(["received acme-bsp 1", "enqueued acme-bsp 1"]);
  });

  it("accepts an HMAC relay's envelope signed over the raw bytes in its header", async () => {
    const res = await post(h.app, "hmac-bsp", BODY, { "x-signature-256": hmac(BODY) });
    expect(res.statusCode).toBe(200);
    expect((await queue.jobs())[0]?.events[0]).toMatchObject({ source: "hmac-bsp", code: 131049 });
  });

  it("answers 401 to a missing or wrong token or signature and enqueues nothing", async () => {
    const answers = [
      await post(h.app, "acme-bsp", BODY),
      await post(h.app, "acme-bsp", BODY, { authorization: "Bearer acme-relay-token-x" }),
      await post(h.app, "acme-bsp", BODY, { authorization: "Basic acme-relay-token" }),
      await post(h.app, "hmac-bsp", BODY),
      await post(h.app, "hmac-bsp", BODY, { "x-signature-256": hmac(BODY, "other-secret") }),
      // Meta's own header is not the relay's: a relay is checked only by what its config names.
      await post(h.app, "hmac-bsp", BODY, { "x-hub-signature-256": hmac(BODY) }),
    ];
    expect(answers.map((r) => r.statusCode)).toEqual([401, 401, 401, 401, 401, 401]);
    expect(answers[3]?.json()).toEqual({ error: "missing X-Signature-256 signature" });
    expect(await queue.jobs()).toEqual([]);
    expect(h.logs.join("")).not.toContain("acme-relay-token");
    expect(h.logs.join("")).not.toContain("hmac-relay-secret");
  });

  it("answers 404 for a relay that is not configured or is off, without counting it", async () => {
    const unknown = await post(h.app, "nobody", BODY, { authorization: "Bearer acme-relay-token" });
    const off = await post(h.app, "off-bsp", BODY, { authorization: "Bearer " });
    const proto = await post(h.app, "__proto__", BODY);
    expect([unknown.statusCode, off.statusCode, proto.statusCode]).toEqual([404, 404, 404]);
    expect(h.seen).toEqual([]);
  });

  it("answers 400 for an authenticated body that is not JSON or not a WhatsApp envelope", async () => {
    const auth = { authorization: "Bearer acme-relay-token" };
    const notJson = await post(h.app, "acme-bsp", "{nope", auth);
    const notEnvelope = await post(h.app, "acme-bsp", JSON.stringify({ object: "page", entry: [] }), auth);
    const valueOnly = JSON.stringify({ statuses: [] });
    const signedValue = await post(h.app, "hmac-bsp", valueOnly, { "x-signature-256": hmac(valueOnly) });
    expect([notJson.statusCode, notEnvelope.statusCode, signedValue.statusCode]).toEqual([400, 400, 400]);
    expect(notEnvelope.json().error).toMatch(/not a WhatsApp webhook envelope/);
    expect(h.seen).toEqual([
      "rejected acme-bsp invalid_json",
      "rejected acme-bsp not_envelope",
      "rejected hmac-bsp not_envelope",
    ]);
    expect(await queue.jobs()).toEqual([]);
  });

  it("answers 413 over the body limit", async () => {
    const big = Buffer.alloc(5000, "a");
    const res = await post(h.app, "hmac-bsp", big, { "x-signature-256": hmac(big) });
    expect(res.statusCode).toBe(413);
    expect(h.seen).toEqual(["rejected hmac-bsp too_large"]);
  });

  it("gives a Meta delivery the same event ids through a relay as directly, so the copy is queued once", async () => {
    const direct = await h.app.inject({
      method: "POST",
      url: "/webhooks/whatsapp",
      payload: BODY,
      headers: { "content-type": "application/json", "x-hub-signature-256": hmac(BODY, "meta-secret") },
    });
    const relayed = await post(h.app, "acme-bsp", BODY, { authorization: "Bearer acme-relay-token" });
    expect([direct.statusCode, relayed.statusCode]).toEqual([200, 200]);
    const jobs = await queue.jobs();
    expect(jobs).toHaveLength(1);
    expect(jobs[0]?.events[0]?.source).toBe("whatsapp");
  });
});

describe("POST /webhooks/relay/:name when Redis is unreachable", () => {
  it("answers 503 with Retry-After, so the BSP retries", async () => {
    const h = await buildIngest(
      { prefix: "unused", url: "redis://127.0.0.1:1" },
      { appSecret: "s", verifyToken: "v", ingestToken: "", relays: RELAYS, bodyLimit: 4096 },
    );
    try {
      const res = await post(h.app, "acme-bsp", BODY, { authorization: "Bearer acme-relay-token" });
      expect(res.statusCode).toBe(503);
      expect(res.headers["retry-after"]).toBeDefined();
      expect(h.seen).toEqual(["received acme-bsp 1", "rejected acme-bsp unavailable"]);
    } finally {
      await h.app.close();
      await h.producer.close();
    }
  });
});
