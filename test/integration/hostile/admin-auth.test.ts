// Every admin API route refuses requests without the admin token, including ones carrying other secrets.
import { randomUUID } from "node:crypto";
import { Queue } from "bullmq";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deleteRedisPrefix } from "../../helpers/engine.js";
import { buildHarness, type Harness, hostileConfig, SECRETS } from "./harness.js";

type Method = "GET" | "POST" | "DELETE";
const ROUTES: Array<[Method, string, string?]> = [
  ["GET", "/api/rules"],
  ["POST", "/api/rules/reload"],
  ["GET", "/api/alerts"],
  ["GET", "/api/alerts/a1"],
  ["GET", "/api/silences"],
  ["POST", "/api/silences", JSON.stringify({ matchers: { rule: "spam" }, duration: "1h" })],
  ["DELETE", "/api/silences/s1"],
  ["GET", "/api/dead-letters"],
  ["POST", "/api/dead-letters/d1/retry"],
];

const basic = (password: string) => `Basic ${Buffer.from(`ops:${password}`).toString("base64")}`;

describe("admin API authentication", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await buildHarness();
  });
  afterAll(async () => {
    await h.app.close();
  });

  const wrong: Array<[string, Record<string, string>]> = [
    ["no header", {}],
    ["the ingest token", { authorization: `Bearer ${SECRETS.ingestToken}` }],
    ["the app secret", { authorization: `Bearer ${SECRETS.appSecret}` }],
    ["the verify token", { authorization: `Bearer ${SECRETS.verifyToken}` }],
    ["an empty bearer", { authorization: "Bearer " }],
    ["the token without Bearer", { authorization: SECRETS.adminToken }],
    [
      "Basic auth with the token",
      { authorization: `Basic ${Buffer.from(`admin:${SECRETS.adminToken}`).toString("base64")}` },
    ],
    ["a prefix of the token", { authorization: `Bearer ${SECRETS.adminToken.slice(0, -1)}` }],
    ["the token plus a suffix", { authorization: `Bearer ${SECRETS.adminToken}x` }],
    ["the token in a query string only", {}],
  ];

  for (const [method, url, payload] of ROUTES) {
    it(`${method} ${url} exists and refuses every wrong credential with 401`, async () => {
      expect(h.app.hasRoute({ method, url: url.replace(/\/(a1|s1|d1)(\/|$)/, "/:id$2") })).toBe(true);
      for (const [name, headers] of wrong) {
        const res = await h.app.inject({
          method,
          url: name.includes("query") ? `${url}?token=${SECRETS.adminToken}` : url,
          headers: { ...headers, ...(payload ? { "content-type": "application/json" } : {}) },
          ...(payload ? { payload } : {}),
        });
        expect(res.statusCode, name).toBe(401);
      }
      const ok = await h.app.inject({
        method,
        url,
        headers: {
          authorization: `Bearer ${SECRETS.adminToken}`,
          ...(payload ? { "content-type": "application/json" } : {}),
        },
        ...(payload ? { payload } : {}),
      });
      expect(ok.statusCode).not.toBe(401);
    });
  }

  it("nothing was changed by the refused requests: no silence created, none deleted", async () => {
    const res = await h.app.inject({
      method: "GET",
      url: "/api/silences",
      headers: { authorization: `Bearer ${SECRETS.adminToken}` },
    });
    // Only the one authorised POST above created a silence.
    expect((res.json() as { silences: unknown[] }).silences.length).toBeLessThanOrEqual(1);
  });

  it("any method on any path under /api answers 401 or 404 without the token, never 2xx", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<Method | "PUT" | "PATCH">("GET", "POST", "DELETE", "PUT", "PATCH"),
        fc.array(
          fc.constantFrom(
            "rules",
            "alerts",
            "silences",
            "dead-letters",
            "reload",
            "retry",
            "x",
            "..",
            "%2e%2e",
            "a1",
          ),
          { maxLength: 3 },
        ),
        async (method, parts) => {
          const res = await h.app.inject({
            method,
            url: `/api/${parts.join("/")}`,
            headers: { authorization: `Bearer ${SECRETS.ingestToken}` },
          });
          expect([401, 404]).toContain(res.statusCode);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe("Bull Board authentication", () => {
  // A real queue on the local Redis under a throwaway prefix; refused requests never reach it.
  const prefix = `hostile-${randomUUID().slice(0, 8)}`;
  let queue: Queue;
  let h: Harness;
  beforeAll(async () => {
    queue = new Queue("events", { connection: { host: "127.0.0.1", port: 6379 }, prefix });
    h = await buildHarness(hostileConfig(), { queues: [queue] });
  });
  afterAll(async () => {
    await h.app.close();
    await queue.close();
    await deleteRedisPrefix(prefix);
  });

  const refused: Array<[string, Record<string, string>]> = [
    ["no header", {}],
    ["the ingest token as bearer", { authorization: `Bearer ${SECRETS.ingestToken}` }],
    ["the ingest token as Basic password", { authorization: basic(SECRETS.ingestToken) }],
    ["the app secret as bearer", { authorization: `Bearer ${SECRETS.appSecret}` }],
    ["the verify token as Basic password", { authorization: basic(SECRETS.verifyToken) }],
    [
      "the admin token as Basic user name",
      { authorization: `Basic ${Buffer.from(`${SECRETS.adminToken}:`).toString("base64")}` },
    ],
    ["a prefix of the admin token", { authorization: basic(SECRETS.adminToken.slice(0, -1)) }],
  ];

  for (const url of ["/admin/queues", "/admin/queues/api/queues"]) {
    it(`GET ${url} refuses every credential but the admin token with 401`, async () => {
      for (const [name, headers] of refused) {
        const res = await h.app.inject({ method: "GET", url, headers });
        expect(res.statusCode, name).toBe(401);
      }
    });
  }

  it("opens the dashboard with the admin token, as bearer or as Basic password", async () => {
    for (const authorization of [`Bearer ${SECRETS.adminToken}`, basic(SECRETS.adminToken)]) {
      const res = await h.app.inject({ method: "GET", url: "/admin/queues", headers: { authorization } });
      expect(res.statusCode).toBe(200);
    }
  });
});
