// Bull Board is read-only by default (admin.queue_board): no pause, add, empty or obliterate; framing denied.
import { appRoutes } from "@bull-board/api/dist/routes.js";
import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { QUEUE_EVENTS, queuePrefix } from "../../../src/queue/names.js";
import { ADMIN, type EngineDir, makeEngineDir, postWebhook, webhook } from "../../helpers/engine.js";
import { type LoggedApp, startLogged, useEngine } from "./support.js";

const AUTH = { authorization: `Bearer ${ADMIN}` };
const BASE = "/admin/queues";

/** WRITES are every route of @bull-board/api that changes something, read from the library itself. */
const WRITES = appRoutes.api.flatMap((r) => {
  const methods = (Array.isArray(r.method) ? r.method : [r.method]).filter((m) => m !== "get");
  const routes = Array.isArray(r.route) ? r.route : [r.route];
  return methods.flatMap((method) => routes.map((route) => ({ method, route })));
});

/** concrete fills a route's parameters with the events queue, a real job id and plausible values. */
function concrete(route: string, jobId: string): string {
  return route
    .replace(":queueName", QUEUE_EVENTS)
    .replace(":jobId", jobId)
    .replace(":queueStatus", "waiting")
    .replace(":schedulerId", "s1");
}

const BODIES: Record<string, object> = {
  add: { name: "batch", data: { events: [{ id: "forged", code: 131048, source: "whatsapp" }] } },
  concurrency: { concurrency: 1 },
  "rate-limit": { max: 1, duration: 1000 },
  "update-data": { data: { events: [] } },
  delay: { delay: 1000 },
  priority: { priority: 1 },
};

function bodyFor(route: string): object {
  const last = route.split("/").at(-1) ?? "";
  return BODIES[last] ?? {};
}

describe("Bull Board, admin.queue_board: readonly (the default)", () => {
  let dir: EngineDir;
  let engine: LoggedApp;
  let queue: Queue;
  let jobId: string;
  beforeAll(async () => {
    dir = await makeEngineDir();
    // serve only: the job stays waiting, so every write route has something to act on.
    engine = await startLogged(dir, "serve");
    queue = new Queue(QUEUE_EVENTS, {
      connection: { url: "redis://127.0.0.1:6379" },
      prefix: queuePrefix(dir.prefix),
    });
    expect(await postWebhook(engine.app, webhook({ count: 2, recipientBase: 5215512345000 }))).toBe(200);
    const [job] = await queue.getJobs(["waiting"]);
    jobId = job!.id!;
  });
  afterAll(async () => {
    await queue.close();
    await engine.app.close();
    await dir.remove();
  });

  it("lists the library's write routes (pause, add, empty, obliterate among them)", () => {
    const routes = WRITES.map((w) => w.route);
    for (const r of ["/api/queues/pause", "/api/queues/:queueName/add", "/api/queues/:queueName/empty"]) {
      expect(routes).toContain(r);
    }
    expect(routes).toContain("/api/queues/:queueName/obliterate");
    expect(WRITES.length).toBeGreaterThanOrEqual(20);
  });

  it("answers every write route with 405 and changes nothing in Redis", async () => {
    const before = await queue.getJobCounts();
    const data = (await queue.getJob(jobId))?.data;
    for (const { method, route } of WRITES) {
      const res = await engine.app.server!.inject({
        method: method.toUpperCase() as "PUT",
        url: `${BASE}${concrete(route, jobId)}`,
        headers: { ...AUTH, "content-type": "application/json" },
        payload: JSON.stringify(bodyFor(route)),
      });
      expect(res.statusCode, `${method} ${route}`).toBe(405);
      expect(res.json(), `${method} ${route}`).toMatchObject({ error: expect.stringContaining("read-only") });
    }
    expect(await queue.isPaused()).toBe(false);
    expect(await queue.getJobCounts()).toEqual(before);
    expect((await queue.getJob(jobId))?.data).toEqual(data);
    expect(await queue.getGlobalConcurrency()).toBeNull();
  });

  it("still shows the queues and jobs, with customer numbers masked, and forbids framing", async () => {
    const page = await engine.app.server!.inject({ url: BASE, headers: AUTH });
    expect(page.statusCode).toBe(200);
    const api = await engine.app.server!.inject({
      url: `${BASE}/api/queues?activeQueue=${QUEUE_EVENTS}&status=waiting&page=1&jobsPerPage=10`,
      headers: AUTH,
    });
    expect(api.statusCode).toBe(200);
    expect(api.body).toContain("+52155****000");
    expect(api.body).not.toContain("5215512345000");
    for (const res of [page, api]) {
      expect(res.headers["x-frame-options"]).toBe("DENY");
      expect(String(res.headers["content-security-policy"])).toContain("frame-ancestors 'none'");
      expect(String(res.headers["content-security-policy"])).toContain("script-src 'self'");
      expect(res.headers["x-content-type-options"]).toBe("nosniff");
    }
  });
});

describe("admin.queue_board: full and off", () => {
  const slot = useEngine();

  it("full: write actions work (here pause and resume), still framed-off", async () => {
    const engine = await slot.start({ adminConfig: "queue_board: full" }, "serve");
    const queue = new Queue(QUEUE_EVENTS, {
      connection: { url: "redis://127.0.0.1:6379" },
      prefix: queuePrefix(slot.current().prefix),
    });
    try {
      const res = await engine.app.server!.inject({
        method: "PUT",
        url: `${BASE}/api/queues/${QUEUE_EVENTS}/pause`,
        headers: AUTH,
      });
      expect(res.statusCode).toBe(200);
      expect(res.headers["x-frame-options"]).toBe("DENY");
      expect(await queue.isPaused()).toBe(true);
      await engine.app.server!.inject({
        method: "PUT",
        url: `${BASE}/api/queues/${QUEUE_EVENTS}/resume`,
        headers: AUTH,
      });
      expect(await queue.isPaused()).toBe(false);
    } finally {
      await queue.close();
    }
  });

  it("off: there is no board at all", async () => {
    const engine = await slot.start({ adminConfig: "queue_board: off" }, "serve");
    expect((await engine.app.server!.inject({ url: BASE, headers: AUTH })).statusCode).toBe(404);
    expect(
      (await engine.app.server!.inject({ method: "PUT", url: `${BASE}/api/queues/pause`, headers: AUTH }))
        .statusCode,
    ).toBe(404);
  });
});
