// The admin API on a real engine (in-process, real Redis): auth, bad input, alerts, silences, dead letters, Bull Board.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../../src/app.js";
import {
  ADMIN,
  type EngineDir,
  freePort,
  makeEngineDir,
  outboxSubjects,
  quiesce,
  SPAM_RULES,
  startInProcess,
  waitFor,
  webhook,
} from "../../helpers/engine.js";

const MIN = 60_000;
const auth = { authorization: `Bearer ${ADMIN}` };

// Every new undeliverable error fires (no threshold), per recipient, so one webhook gives several alerts.
const RULES = `${SPAM_RULES}
  - id: undeliverable
    description: Message undeliverable
    severity: warning
    when: { code: 131026 }
    group_by: [recipient_id]
    cooldown: 0s
    resolve_after: 1h
    notify: [ops, refuser]
`;

interface AlertView {
  id: string;
  type: string;
  state: string;
  rule: { id: string; severity: string };
  group: Record<string, string>;
}

describe("admin API", () => {
  let dir: EngineDir;
  let app: App;
  let refuser: Server;
  let clock = Date.now();

  const get = (url: string, headers: Record<string, string> = auth) => app.server!.inject({ url, headers });
  const post = (url: string, payload?: object, headers: Record<string, string> = auth) =>
    app.server!.inject({ method: "POST", url, headers, ...(payload ? { payload } : {}) });
  const alerts = async (query = ""): Promise<AlertView[]> =>
    ((await get(`/api/alerts${query}`)).json() as { alerts: AlertView[] }).alerts;

  async function send(count: number, code: number): Promise<void> {
    const hook = webhook({ count, code, timeSec: Math.floor(clock / 1000) });
    const res = await app.server!.inject({
      method: "POST",
      url: "/webhooks/whatsapp",
      payload: hook.body,
      headers: hook.headers,
    });
    expect(res.statusCode).toBe(200);
  }

  beforeAll(async () => {
    // A webhook receiver that refuses everything with 400: permanent, so it dead-letters at once.
    refuser = createServer((_req, res) => res.writeHead(400).end("no"));
    await new Promise<void>((r) => refuser.listen(0, "127.0.0.1", r));
    const port = (refuser.address() as AddressInfo).port;
    dir = await makeEngineDir({
      rules: RULES,
      // Each alert its own email, so every alert has its own delivery outcomes at once (digests wait 5m).
      ops: "{ type: email, to: [ops@example.com], group: false }",
      channels: `  refuser: { type: webhook, url: "http://127.0.0.1:${port}/hook", send_resolved: false }`,
    });
    app = await startInProcess(dir, "start", { now: () => clock, resolveIntervalMs: 100 });
    await send(3, 131048);
    await send(4, 131026);
    await waitFor(async () => ((await alerts()).length >= 5 ? true : undefined), 10_000, "five alerts");
  });

  afterAll(async () => {
    await app?.close();
    await dir?.remove();
    await new Promise((r) => refuser?.close(r));
  });

  it("refuses every route without the right bearer token", async () => {
    const routes: Array<[string, string]> = [
      ["GET", "/api/rules"],
      ["POST", "/api/rules/reload"],
      ["GET", "/api/alerts"],
      ["GET", "/api/alerts/x"],
      ["GET", "/api/silences"],
      ["POST", "/api/silences"],
      ["DELETE", "/api/silences/x"],
      ["GET", "/api/dead-letters"],
      ["POST", "/api/dead-letters/x/retry"],
      ["GET", "/admin/queues"],
    ];
    for (const [method, url] of routes) {
      for (const headers of [{}, { authorization: "Bearer wrong" }]) {
        const res = await app.server!.inject({ method: method as "GET", url, headers });
        expect(res.statusCode, `${method} ${url}`).toBe(401);
      }
    }
  });

  it("lists the rules with their source and reloads them", async () => {
    const res = await get("/api/rules");
    expect(res.statusCode).toBe(200);
    const body = res.json() as { rules: { id: string; source: string }[]; errors: unknown[] };
    expect(body.rules.map((r) => r.id)).toEqual(["spam-burst", "undeliverable"]);
    expect(body.rules[0]!.source).toMatch(/spam\.yaml:2:\d+$/);
    expect(body.errors).toEqual([]);
    expect((await post("/api/rules/reload")).statusCode).toBe(200);
  });

  it("answers 400 with the reason on bad input", async () => {
    const cases: Array<[Awaited<ReturnType<typeof get>>, RegExp]> = [
      [await get("/api/alerts?limit=0"), /limit/],
      [await get("/api/alerts?severity=loud"), /severity/],
      [await get("/api/alerts?colour=red"), /additional properties/],
      [await post("/api/silences", { comment: "no matchers" }), /matchers/],
      [await post("/api/silences", { matchers: { rule: "x" } }), /ends_at.*duration/],
      [await post("/api/silences", { matchers: { rule: "x" }, duration: "soon" }), /duration/],
      [
        await post("/api/silences", { matchers: { rule: "x" }, ends_at: "2001-01-01T00:00:00Z" }),
        /already be over/,
      ],
      [await get("/api/dead-letters?limit=5000"), /limit/],
    ];
    for (const [res, reason] of cases) {
      expect(res.statusCode, res.body).toBe(400);
      expect((res.json() as { error: string }).error).toMatch(reason);
    }
  });

  it("pages and filters alerts, newest first", async () => {
    const all = await alerts();
    expect(all).toHaveLength(5);
    expect((await alerts("?rule=undeliverable")).every((a) => a.rule.id === "undeliverable")).toBe(true);
    expect(await alerts("?severity=critical")).toHaveLength(1);
    expect(await alerts("?rule=nope")).toEqual([]);
    const page1 = await alerts("?limit=2");
    const page2 = await alerts("?limit=2&offset=2");
    const page3 = await alerts("?limit=2&offset=4");
    expect([...page1, ...page2, ...page3].map((a) => a.id)).toEqual(all.map((a) => a.id));
    const filteredPage = await alerts("?rule=undeliverable&limit=2&offset=3");
    expect(filteredPage.map((a) => a.id)).toEqual(
      (await alerts("?rule=undeliverable")).slice(3).map((a) => a.id),
    );
  });

  it("shows one alert with its delivery outcomes, and 404 for an unknown id", async () => {
    const id = (await alerts("?rule=undeliverable"))[0]!.id;
    const detail = await waitFor(
      async () => {
        const body = (await get(`/api/alerts/${id}`)).json() as {
          alert: AlertView;
          deliveries: { channel: string; result: string; final: boolean }[];
        };
        return body.deliveries.length >= 2 ? body : undefined;
      },
      10_000,
      "two delivery outcomes",
    );
    expect(detail.alert.id).toBe(id);
    expect(detail.deliveries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ channel: "ops", result: "ok", final: true }),
        expect.objectContaining({ channel: "refuser", result: "permanent", final: true }),
      ]),
    );
    const missing = await get("/api/alerts/does-not-exist");
    expect(missing.statusCode).toBe(404);
  });

  it("lists dead letters and retries one", async () => {
    const letters = await waitFor(
      async () => {
        const body = (await get("/api/dead-letters")).json() as {
          dead_letters: { id: string; channel: string }[];
        };
        return body.dead_letters.length >= 4 ? body.dead_letters : undefined;
      },
      10_000,
      "four dead letters",
    );
    expect(letters.every((l) => l.channel === "refuser")).toBe(true);
    const retried = await post(`/api/dead-letters/${letters[0]!.id}/retry`);
    expect(retried.statusCode).toBe(202);
    expect((await post(`/api/dead-letters/${letters[0]!.id}/retry`)).statusCode).toBe(404);
    // The retry fails for good again and comes back as a new dead letter.
    await waitFor(
      async () => {
        const body = (await get("/api/dead-letters")).json() as { dead_letters: { id: string }[] };
        return body.dead_letters.length >= 4 && !body.dead_letters.some((l) => l.id === letters[0]!.id)
          ? true
          : undefined;
      },
      10_000,
      "the retried letter to fail again",
    );
  });

  it("creates, lists and deletes silences; a silenced alert is recorded, not sent; expired silences stop", async () => {
    const created = await post("/api/silences", {
      matchers: { rule: "undeliverable" },
      ends_at: new Date(clock + 2 * MIN).toISOString(),
      comment: "campaign paused",
    });
    expect(created.statusCode).toBe(201);
    const { id } = created.json() as { id: string };
    const listed = (await get("/api/silences")).json() as { silences: { id: string; comment: string }[] };
    expect(listed.silences).toEqual([expect.objectContaining({ id, comment: "campaign paused" })]);

    const emailsBefore = (await outboxSubjects(dir.outbox)).length;
    await send(1, 131026);
    const silenced = await waitFor(
      async () => (await alerts("?state=silenced"))[0],
      10_000,
      "silenced alert",
    );
    expect(silenced.rule.id).toBe("undeliverable");
    await quiesce(dir.prefix);
    expect(await outboxSubjects(dir.outbox)).toHaveLength(emailsBefore);

    // Three minutes later the silence has ended by itself: it is not listed and no longer matches.
    clock += 3 * MIN;
    expect(((await get("/api/silences")).json() as { silences: unknown[] }).silences).toEqual([]);
    // A new firing of the same rule+group supersedes an older one, so look for a new id, not a count.
    const firingBefore = new Set((await alerts("?rule=undeliverable&state=firing")).map((a) => a.id));
    await send(1, 131026);
    await waitFor(
      async () =>
        (await alerts("?rule=undeliverable&state=firing")).some((a) => !firingBefore.has(a.id))
          ? true
          : undefined,
      10_000,
      "a firing alert after the silence ended",
    );

    const again = await post("/api/silences", { matchers: { rule: "undeliverable" }, duration: "1h" });
    const againId = (again.json() as { id: string }).id;
    expect(
      (await app.server!.inject({ method: "DELETE", url: `/api/silences/${againId}`, headers: auth }))
        .statusCode,
    ).toBe(204);
    expect(
      (await app.server!.inject({ method: "DELETE", url: `/api/silences/${againId}`, headers: auth }))
        .statusCode,
    ).toBe(404);
    expect(((await get("/api/silences")).json() as { silences: unknown[] }).silences).toEqual([]);
  });

  it("serves Bull Board under /admin/queues with the token (Bearer or Basic) and its queues", async () => {
    const page = await get("/admin/queues");
    expect(page.statusCode).toBe(200);
    expect(page.headers["content-type"]).toMatch(/html/);
    const basic = `Basic ${Buffer.from(`ops:${ADMIN}`).toString("base64")}`;
    const api = await get("/admin/queues/api/queues", { authorization: basic });
    expect(api.statusCode).toBe(200);
    const names = (api.json() as { queues: { name: string }[] }).queues.map((q) => q.name).sort();
    expect(names).toEqual(["events", "notifications"]);
  });
});

describe("admin API without a token", () => {
  it("is not there at all (404), nor is Bull Board", async () => {
    const dir = await makeEngineDir({ adminToken: "" });
    const app = await startInProcess(dir, "serve");
    try {
      for (const url of ["/api/rules", "/api/alerts", "/admin/queues"]) {
        const res = await app.server!.inject({ url, headers: { authorization: "Bearer " } });
        expect(res.statusCode, url).toBe(404);
      }
    } finally {
      await app.close();
      await dir.remove();
    }
  });
});

describe("/readyz", () => {
  it("is 503 with the reason when Redis is gone", async () => {
    const dir = await makeEngineDir({ redisUrl: `redis://127.0.0.1:${await freePort()}` });
    const app = await startInProcess(dir, "serve");
    try {
      const res = await app.server!.inject({ url: "/readyz" });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toEqual({ ready: false, reason: "Redis is not answering" });
      expect((await app.server!.inject({ url: "/healthz" })).statusCode).toBe(200);
    } finally {
      await app.close();
      await dir.remove();
    }
  });
});
