// The real HTTP surface under hostile requests: fuzzed and truncated bodies, forged signatures, floods.
import { createHmac } from "node:crypto";
import { connect } from "node:net";
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { signBody } from "../../../src/shared/hmac.js";
import { sharedPath } from "../../helpers/shared.js";
import { buildHarness, type Harness, hostileConfig, SECRETS } from "./harness.js";

const SAMPLE = readFileSync(sharedPath("whatsapp/payloads/01-status-failed-131049.json"));
const LIMIT = 64 * 1024;

function post(h: Harness, body: Buffer | string, signature?: string, contentType = "application/json") {
  const headers: Record<string, string> = { "content-type": contentType };
  if (signature !== undefined) headers["x-hub-signature-256"] = signature;
  return h.app.inject({ method: "POST", url: "/webhooks/whatsapp", payload: body, headers });
}

const sign = (body: Buffer | string) => signBody(body, SECRETS.appSecret);
const hmac = (algorithm: string, body: Buffer) =>
  createHmac(algorithm, SECRETS.appSecret).update(body).digest("hex");

describe("POST /webhooks/whatsapp under hostile input", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await buildHarness();
  });
  afterAll(async () => {
    await h.app.close();
  });
  beforeEach(() => {
    h.batches.length = 0;
    h.failEnqueue.on = false;
  });

  it("answers 200 or 400 to any correctly signed bytes, never 5xx, and enqueues only on 200", async () => {
    const bodies = fc.oneof(
      fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
      fc.string({ unit: "binary", maxLength: 200 }),
      fc.jsonValue({ stringUnit: "binary" }).map((v) => JSON.stringify(v) ?? "null"),
      fc.jsonValue().map((v) => JSON.stringify({ object: "whatsapp_business_account", entry: [v] })),
    );
    await fc.assert(
      fc.asyncProperty(bodies, async (body) => {
        const before = h.batches.length;
        const res = await post(h, body, sign(body));
        expect([200, 400]).toContain(res.statusCode);
        if (res.statusCode !== 200) expect(h.batches.length).toBe(before);
        expect(() => res.json()).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });

  it("answers 400 to every truncation of a valid body and enqueues nothing", async () => {
    for (let cut = 0; cut < SAMPLE.length - 1; cut += 7) {
      const body = SAMPLE.subarray(0, cut);
      const res = await post(h, body, sign(body));
      expect(res.statusCode, `cut at ${cut}`).toBe(400);
    }
    expect(h.batches).toHaveLength(0);
  });

  it("answers 400 to JSON that is not a WhatsApp envelope and to a hostile nesting depth", async () => {
    const deep = "[".repeat(20_000) + "]".repeat(20_000);
    for (const body of [
      "null",
      "[]",
      '"x"',
      "{}",
      '{"object":"page","entry":[]}',
      '{"object":"whatsapp_business_account","entry":{}}',
      '{"object":"whatsapp_business_account","entry":[1]}',
      '{"object":"whatsapp_business_account","entry":[{"changes":"x"}]}',
      `{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"account_update","value":{"x":${deep}}}]}]}`,
    ]) {
      const res = await post(h, body, sign(body));
      expect(res.statusCode, body.slice(0, 80)).toBe(400);
    }
    expect(h.batches).toHaveLength(0);
  });

  it("accepts a correctly signed odd-but-valid body: escapes, string codes, unknown keys, odd content type", async () => {
    const body = String.raw`  {"entry":[{"id":102290129340398,"time":"1767225600000","unknown":{"a":[1,2,3]},"changes":[{"value":{"metadata":{"phone_number_id":"1065\u00340352242922","display_phone_number":"+1 555 078 3881"},"statuses":[{"id":"wamid.\u00e9\ud83d\ude00","status":"failed","timestamp":1767225600,"recipient_id":"15551234567","errors":[{"code":"131048","title":"Spam \"rate\" limit\n<b>hit</b>"}]}]}}]}],"object":"whatsapp_business_account"}
`;
    const res = await post(h, body, sign(body), "text/plain; charset=latin1");
    expect(res.statusCode).toBe(200);
    expect(h.batches).toHaveLength(1);
    expect(h.batches[0]?.events[0]).toMatchObject({
      code: 131048,
      phone_number_id: "106540352242922",
      message_id: "wamid.\u00e9\u{1F600}",
      title: 'Spam "rate" limit\n<b>hit</b>',
      waba_id: "102290129340398",
    });
  });

  describe("signature", () => {
    const other = Buffer.from(SAMPLE.toString("utf8").replace("131049", "131048"));
    const good = sign(SAMPLE);
    const hex = good.slice("sha256=".length);
    const cases: Array<[string, string | undefined]> = [
      ["missing", undefined],
      ["empty", ""],
      ["wrong", `sha256=${"0".repeat(64)}`],
      ["sha1 prefix", `sha1=${hex.slice(0, 40)}`],
      ["sha1 prefix, sha256 digest", `sha1=${hex}`],
      ["no prefix", hex],
      ["too short", good.slice(0, -2)],
      ["too long", `${good}00`],
      ["not hex", `sha256=${"zz".repeat(32)}`],
      ["valid for another body", sign(other)],
      ["keyed by the verify token", signBody(SAMPLE, SECRETS.verifyToken)],
      ["keyed by an empty secret", signBody(SAMPLE, "")],
      ["a correct HMAC-SHA1 (legacy sha1=)", `sha1=${hmac("sha1", SAMPLE)}`],
      ["a correct HMAC-SHA512 (sha512=)", `sha512=${hmac("sha512", SAMPLE)}`],
      ["upper-case SHA256= prefix", `SHA256=${hex}`],
    ];
    for (const [name, signature] of cases) {
      it(`refuses ${name} with 401 and enqueues nothing`, async () => {
        const res = await post(h, SAMPLE, signature);
        expect(res.statusCode).toBe(401);
        expect(h.batches).toHaveLength(0);
      });
    }

    it("refuses a body signed only with the legacy X-Hub-Signature (HMAC-SHA1) header", async () => {
      const res = await h.app.inject({
        method: "POST",
        url: "/webhooks/whatsapp",
        payload: SAMPLE,
        headers: { "content-type": "application/json", "x-hub-signature": `sha1=${hmac("sha1", SAMPLE)}` },
      });
      expect(res.statusCode).toBe(401);
      expect(h.batches).toHaveLength(0);
    });

    it("refuses a second signature header (array) with 401", async () => {
      const res = await h.app.inject({
        method: "POST",
        url: "/webhooks/whatsapp",
        payload: SAMPLE,
        headers: { "content-type": "application/json", "x-hub-signature-256": [good, good] },
      });
      expect(res.statusCode).toBe(401);
      expect(h.batches).toHaveLength(0);
    });

    it("checks the raw bytes: an escaped-unicode body signed as sent passes, its re-serialization does not", async () => {
      const escaped = Buffer.from(SAMPLE.toString("utf8").replace('"status"', '"st\\u0061tus"'));
      expect(escaped.equals(SAMPLE)).toBe(false);
      const signature = sign(escaped);
      expect((await post(h, escaped, signature)).statusCode).toBe(200);
      const reserialized = JSON.stringify(JSON.parse(escaped.toString("utf8")));
      expect((await post(h, reserialized, signature)).statusCode).toBe(401);
      expect(h.batches).toHaveLength(1);
    });
  });

  it("answers 413 to a body over the limit, even a correctly signed one, and enqueues nothing", async () => {
    const big = Buffer.from(
      JSON.stringify({ object: "whatsapp_business_account", entry: [], pad: "x".repeat(LIMIT) }),
    );
    const res = await post(h, big, sign(big));
    expect(res.statusCode).toBe(413);
    expect(h.batches).toHaveLength(0);
  });

  it("answers 503 (with Retry-After) when the queue is away, and acknowledges nothing", async () => {
    h.failEnqueue.on = true;
    const res = await post(h, SAMPLE, sign(SAMPLE));
    expect(res.statusCode).toBe(503);
    expect(res.headers["retry-after"]).toBeDefined();
    expect(h.batches).toHaveLength(0);
  });

  it("bounds slow request bodies (slow-loris): the server has a request and connection timeout", () => {
    const { requestTimeout, connectionTimeout } = h.app.initialConfig as {
      requestTimeout?: number;
      connectionTimeout?: number;
    };
    expect(requestTimeout).toBeGreaterThan(0);
    expect(requestTimeout).toBeLessThanOrEqual(60_000);
    expect(connectionTimeout).toBeGreaterThan(0);
  });
});

/** rawRequest writes `head`, then keeps writing `chunk` while the server reads, and returns the answer and bytes sent. */
function floodRequest(
  port: number,
  head: string,
  chunk: Buffer,
  maxBytes: number,
): Promise<{ status: string; sent: number }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let sent = 0;
    let answer = "";
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer after ${sent} bytes`));
    }, 10_000);
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ status: answer.split("\r\n")[0] ?? "", sent });
    };
    socket.on("data", (d: Buffer) => {
      answer += d.toString("latin1");
      if (answer.includes("\r\n")) finish();
    });
    socket.on("error", () => finish());
    socket.on("close", () => finish());
    socket.on("connect", () => {
      socket.write(head);
      const pump = () => {
        while (sent < maxBytes && answer === "" && !socket.destroyed) {
          sent += chunk.length;
          if (!socket.write(chunk)) return socket.once("drain", pump);
        }
      };
      pump();
    });
  });
}

describe("oversized bodies on a listening server", () => {
  let h: Harness;
  let port: number;
  beforeAll(async () => {
    h = await buildHarness(hostileConfig("64kb"));
    await h.app.listen({ host: "127.0.0.1", port: 0 });
    const address = h.app.server.address();
    port = typeof address === "object" && address ? address.port : 0;
  });
  afterAll(async () => {
    await h.app.close();
  });

  it("refuses a huge Content-Length with 413 before reading the body", async () => {
    const head = `POST /webhooks/whatsapp HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-Hub-Signature-256: ${sign("x")}\r\nContent-Length: 2000000000\r\n\r\n`;
    const { status, sent } = await floodRequest(port, head, Buffer.alloc(64 * 1024, 0x20), 200 * 1024 * 1024);
    expect(status).toMatch(/^HTTP\/1\.1 413/);
    expect(sent).toBeLessThan(20 * 1024 * 1024);
    expect(h.batches).toHaveLength(0);
  });

  it("cuts off a chunked body without length once it passes the limit", async () => {
    const head = `POST /webhooks/whatsapp HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-Hub-Signature-256: ${sign("x")}\r\nTransfer-Encoding: chunked\r\n\r\n`;
    const data = Buffer.alloc(16 * 1024, 0x20);
    const chunk = Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from("\r\n")]);
    const { status, sent } = await floodRequest(port, head, chunk, 200 * 1024 * 1024);
    expect(status).toMatch(/^HTTP\/1\.1 413/);
    expect(sent).toBeLessThan(20 * 1024 * 1024);
    expect(h.batches).toHaveLength(0);
  });
});
