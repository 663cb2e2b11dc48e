// The ingest routes on a real Fastify instance with the real events producer on real Redis (random prefix).
import { sharedPath } from "../../helpers/shared.js";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { Queue } from "bullmq";
import type { FastifyInstance } from "fastify";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { EventBatch } from "../../../src/model/event.js";
import { normalizeWhatsApp } from "../../../src/ingest/normalize.js";
import type { IngestOptions } from "../../../src/ingest/routes.js";
import { signBody } from "../../../src/shared/hmac.js";
import { redisOptions } from "../../../src/queue/connection.js";
import { QUEUE_EVENTS, queuePrefix } from "../../../src/queue/names.js";
import { buildIngest, type IngestHarness, REDIS_URL } from "../../helpers/ingest.js";

const SECRET = "test_app_secret";
const VERIFY = "verify-me";
const TOKEN = "ingest-token-123";
const NOW = 1_767_300_000_000;
const SAMPLE = readFileSync(sharedPath("whatsapp/payloads/01-status-failed-131049.json"));

type Harness = IngestHarness;

function build(where: { url?: string; prefix: string }, opts: Partial<IngestOptions> = {}): Promise<Harness> {
  return buildIngest(where, {
    appSecret: SECRET,
    verifyToken: VERIFY,
    ingestToken: TOKEN,
    bodyLimit: 4096,
    now: () => NOW,
    ...opts,
  });
}

function postWhatsApp(app: FastifyInstance, body: Buffer | string, signature?: string) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (signature !== undefined) headers["x-hub-signature-256"] = signature;
  return app.inject({ method: "POST", url: "/webhooks/whatsapp", payload: body, headers });
}

function postEvents(app: FastifyInstance, body: unknown, token?: string) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  return app.inject({ method: "POST", url: "/events", payload: JSON.stringify(body), headers });
}

describe("ingest routes against real Redis", () => {
  let prefix: string;
  let h: Harness;
  let queue: Queue<EventBatch>;
  let queueClient: Redis;
  const admin = new Redis(REDIS_URL);

  async function jobs(): Promise<EventBatch[]> {
    return (await queue.getJobs(["waiting", "prioritized", "delayed"])).map((j) => j.data);
  }

  beforeEach(async () => {
    prefix = `test-ingest-${randomBytes(6).toString("hex")}`;
    h = await build({ prefix });
    queueClient = new Redis(redisOptions(REDIS_URL, "worker"));
    queue = new Queue<EventBatch>(QUEUE_EVENTS, {
      connection: queueClient,
      prefix: queuePrefix(prefix),
    });
  });

  afterEach(async () => {
    await h.app.close();
    await h.producer.close();
    await queue.obliterate({ force: true });
    await queue.close();
    queueClient.disconnect();
    const keys = await admin.keys(`${queuePrefix(prefix)}*`);
    if (keys.length > 0) await admin.del(...keys);
  });

  afterAll(() => {
    admin.disconnect();
  });

  describe("GET /webhooks/whatsapp handshake", () => {
    const url = (mode: string, token: string) =>
      `/webhooks/whatsapp?hub.mode=${mode}&hub.verify_token=${token}&hub.challenge=1158201444`;

    it("echoes the challenge as plain text for the right token", async () => {
      const res = await h.app.inject({ method: "GET", url: url("subscribe", VERIFY) });
      expect(res.statusCode).toBe(200);
      expect(res.headers["content-type"]).toMatch(/^text\/plain/);
      expect(res.body).toBe("1158201444");
    });

    it("answers 403 for a wrong token or mode", async () => {
      expect((await h.app.inject({ method: "GET", url: url("subscribe", "nope") })).statusCode).toBe(403);
      expect((await h.app.inject({ method: "GET", url: url("unsubscribe", VERIFY) })).statusCode).toBe(403);
      expect((await h.app.inject({ method: "GET", url: "/webhooks/whatsapp" })).statusCode).toBe(403);
    });
  });

  describe("POST /webhooks/whatsapp", () => {
    it("answers 200 after putting exactly one job with every event on the queue", async () => {
      const res = await postWhatsApp(h.app, SAMPLE, signBody(SAMPLE, SECRET));
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ ok: true, events: 1 });
      const batches = await jobs();
      expect(batches).toHaveLength(1);
      expect(batches[0]?.received_at).toBe(NOW);
      expect(batches[0]?.events).toMatchObject([
        { kind: "status_error", code: 131049, phone_number_id: "200000000000001", timestamp: 1767225660 },
      ]);
      expect(h.seen).toEqual(["received whatsapp 1", "enqueued whatsapp 1"]);
    });

    it("enqueues a redelivery with the same event ids, and only once while it waits", async () => {
      const sig = signBody(SAMPLE, SECRET);
      expect((await postWhatsApp(h.app, SAMPLE, sig)).statusCode).toBe(200);
      expect((await postWhatsApp(h.app, SAMPLE, sig)).statusCode).toBe(200);
      const batches = await jobs();
      expect(batches).toHaveLength(1);
      const expected = normalizeWhatsApp(JSON.parse(SAMPLE.toString("utf8")), {
        receivedAtMs: 0,
        bodyHash: () => "",
      });
      expect(expected.ok && batches[0]?.events.map((e) => e.id)).toEqual(
        expected.ok && expected.events.map((e) => e.id),
      );
    });

    it("answers 401 for a missing or wrong signature, enqueues nothing, and logs no secret or body", async () => {
      expect((await postWhatsApp(h.app, SAMPLE)).statusCode).toBe(401);
      const wrong = await postWhatsApp(h.app, SAMPLE, signBody(SAMPLE, "not-the-secret"));
      expect(wrong.statusCode).toBe(401);
      expect(wrong.json()).toEqual({ error: "invalid X-Hub-Signature-256" });
      const reserialized = JSON.stringify(JSON.parse(SAMPLE.toString("utf8")));
      expect((await postWhatsApp(h.app, reserialized, signBody(SAMPLE, SECRET))).statusCode).toBe(401);
      expect(await jobs()).toEqual([]);
      const lines = h.logs.filter((l) => l.includes("ingest rejected"));
      expect(lines).toHaveLength(3);
      expect(lines.join("")).toContain("bad_signature");
      expect(lines.join("")).not.toMatch(/test_app_secret|5215512345678|131049/);
    });

    it("answers 400 for a signed body that is not JSON or not a WhatsApp envelope", async () => {
      const garbage = "{not json";
      const notJson = await postWhatsApp(h.app, garbage, signBody(garbage, SECRET));
      expect(notJson.statusCode).toBe(400);
      const page = JSON.stringify({ object: "page", entry: [] });
      const notEnvelope = await postWhatsApp(h.app, page, signBody(page, SECRET));
      expect(notEnvelope.statusCode).toBe(400);
      expect(notEnvelope.json().error).toMatch(/not a WhatsApp webhook envelope/);
      expect(await jobs()).toEqual([]);
      expect(h.seen).toEqual(["rejected whatsapp invalid_json", "rejected whatsapp not_envelope"]);
    });

    it("answers 413 over the body limit and enqueues nothing", async () => {
      const big = JSON.stringify({ object: "whatsapp_business_account", entry: [], pad: "x".repeat(5000) });
      const res = await postWhatsApp(h.app, big, signBody(big, SECRET));
      expect(res.statusCode).toBe(413);
      expect(res.json()).toEqual({ error: "body larger than 4096 bytes" });
      expect(await jobs()).toEqual([]);
      expect(h.seen).toEqual(["rejected whatsapp too_large"]);
    });

    it("answers 200 without enqueuing for a body with no events", async () => {
      const empty = JSON.stringify({
        object: "whatsapp_business_account",
        entry: [{ id: "1", changes: [{ field: "messages", value: { statuses: [] } }] }],
      });
      const res = await postWhatsApp(h.app, empty, signBody(empty, SECRET));
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ ok: true, events: 0 });
      expect(await jobs()).toEqual([]);
    });

    it("checks the signature of a body sent without a content type", async () => {
      const res = await h.app.inject({
        method: "POST",
        url: "/webhooks/whatsapp",
        payload: SAMPLE,
        headers: { "x-hub-signature-256": signBody(SAMPLE, SECRET) },
      });
      expect(res.statusCode).toBe(200);
    });
  });

  describe("POST /events", () => {
    it("accepts one object or an array with the bearer token and fills the defaults", async () => {
      const one = await postEvents(h.app, { code: 131048, phone_number_id: "200" }, TOKEN);
      expect(one.statusCode).toBe(200);
      const many = await postEvents(
        h.app,
        [{ code: 131026, id: "evt-1", source: "wolkvox" }, { code: 1 }],
        TOKEN,
      );
      expect(many.json()).toEqual({ ok: true, events: 2 });
      const events = (await jobs()).flatMap((b) => b.events);
      expect(events).toHaveLength(3);
      const byCode = new Map(events.map((e) => [e.code, e]));
      expect(byCode.get(131048)).toMatchObject({ source: "generic", kind: "generic", timestamp: NOW / 1000 });
      expect(byCode.get(131048)?.id).toMatch(/^[0-9a-f]{32}$/);
      expect(byCode.get(131026)).toMatchObject({ id: "evt-1", source: "wolkvox" });
    });

    it("answers 401 without or with a wrong token, 400 on an invalid event, and enqueues nothing", async () => {
      expect((await postEvents(h.app, { code: 1 })).statusCode).toBe(401);
      expect((await postEvents(h.app, { code: 1 }, "wrong")).statusCode).toBe(401);
      const bad = await postEvents(h.app, [{ code: 1 }, { code: "131048" }], TOKEN);
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error).toMatch(/events\[1\].*"code" must be an integer/);
      expect((await postEvents(h.app, [{ code: 1 }, 7], TOKEN)).statusCode).toBe(400);
      expect((await postEvents(h.app, { title: "no code" }, TOKEN)).statusCode).toBe(400);
      expect(await jobs()).toEqual([]);
    });

    it("answers 404 when no ingest token is configured", async () => {
      const off = await build({ prefix }, { ingestToken: "" });
      try {
        expect((await postEvents(off.app, { code: 1 }, "")).statusCode).toBe(404);
        expect((await postEvents(off.app, { code: 1 }, "anything")).statusCode).toBe(404);
      } finally {
        await off.app.close();
        await off.producer.close();
      }
    });
  });
});

describe("ingest routes when Redis is unreachable", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await build({ prefix: "unused", url: "redis://127.0.0.1:1" });
  });
  afterAll(async () => {
    await h.app.close();
    await h.producer.close();
  });

  it("answers 503 with Retry-After within a few seconds", async () => {
    const started = Date.now();
    const res = await postWhatsApp(h.app, SAMPLE, signBody(SAMPLE, SECRET));
    expect(Date.now() - started).toBeLessThan(4000);
    expect(res.statusCode).toBe(503);
    expect(res.headers["retry-after"]).toBeDefined();
    expect(res.json().error).toMatch(/unavailable/);
    expect(h.seen).toEqual(["received whatsapp 1", "rejected whatsapp unavailable"]);
    expect(await h.producer.ping()).toBe(false);
  });
});
