// GET /api/openapi.json: every /api route of a real engine appears, with the auth it really enforces.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../../src/app.js";
import { BEARER, OPENAPI_PATH, toOpenApiPath } from "../../../src/api/openapi.js";
import { packageInfo } from "../../../src/shared/version.js";
import { ADMIN, type EngineDir, makeEngineDir, startInProcess } from "../../helpers/engine.js";

interface Operation {
  security?: Array<Record<string, string[]>>;
  parameters?: Array<{ name: string; in: string }>;
  requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown> } }> };
  responses: Record<string, unknown>;
  tags?: string[];
}
interface OpenApiDoc {
  openapi: string;
  info: { title: string; version: string };
  security: Array<Record<string, string[]>>;
  components: { securitySchemes: Record<string, { type: string; scheme: string }> };
  paths: Record<string, Record<string, Operation>>;
}

/** routesOf reads Fastify's printRoutes({ commonPrefix: false }) tree into "METHOD /url" pairs (HEAD left out). */
function routesOf(tree: string): Array<{ method: string; url: string }> {
  const routes: Array<{ method: string; url: string }> = [];
  const stack: string[] = [];
  for (const line of tree.split("\n")) {
    const m = /^([│ ]*)[├└]── (.+?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = (m[1] ?? "").length / 4;
    stack.length = depth;
    stack.push(m[2] ?? "");
    const url = stack.join("");
    for (const method of (m[3] ?? "").split(", ").filter((x) => x && x !== "HEAD"))
      routes.push({ method, url });
  }
  return routes;
}

describe("GET /api/openapi.json", () => {
  let dir: EngineDir;
  let app: App;
  let doc: OpenApiDoc;

  beforeAll(async () => {
    dir = await makeEngineDir();
    app = await startInProcess(dir, "serve");
    const res = await app.server!.inject({ url: OPENAPI_PATH });
    expect(res.statusCode).toBe(200);
    doc = res.json() as OpenApiDoc;
  });

  afterAll(async () => {
    await app?.close();
    await dir?.remove();
  });

  it("is an OpenAPI 3 document of this version, with the admin token as a bearer scheme", () => {
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.info.version).toBe(packageInfo().version);
    expect(doc.components.securitySchemes[BEARER]).toMatchObject({ type: "http", scheme: "bearer" });
    expect(doc.security).toEqual([{ [BEARER]: [] }]);
  });

  it("lists every /api route with the auth the server really enforces, and nothing else", async () => {
    const api = routesOf(app.server!.printRoutes({ commonPrefix: false })).filter((r) =>
      r.url.startsWith("/api/"),
    );
    // The admin API's routes as README lists them, so a broken tree reader cannot make this pass empty.
    expect(api.length).toBeGreaterThanOrEqual(10);
    const listed = new Set<string>();
    for (const { method, url } of api) {
      const path = toOpenApiPath(url);
      const op = doc.paths[path]?.[method.toLowerCase()];
      expect(op, `${method} ${url} is missing from the document`).toBeDefined();
      listed.add(`${method} ${path}`);
      const security = op!.security ?? doc.security;
      const needsToken = security.some((s) => BEARER in s);

      const target = url.replace(/:[A-Za-z0-9_]+/g, "no-such-id");
      const payload = method === "POST" || method === "PUT" ? {} : undefined;
      const bare = await app.server!.inject({ method: method as "GET", url: target, payload });
      const wrong = await app.server!.inject({
        method: method as "GET",
        url: target,
        payload,
        headers: { authorization: "Bearer not-the-token" },
      });
      const right = await app.server!.inject({
        method: method as "GET",
        url: target,
        payload,
        headers: { authorization: `Bearer ${ADMIN}` },
      });
      expect(
        [bare.statusCode, wrong.statusCode].map((s) => s === 401),
        `${method} ${url}`,
      ).toEqual([needsToken, needsToken]);
      expect(right.statusCode, `${method} ${url} with the token`).not.toBe(401);
      if (needsToken) expect(op!.responses).toHaveProperty("401");
    }
    expect(listed.has(`GET ${OPENAPI_PATH}`)).toBe(true);
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`),
    );
    expect(documented.sort()).toEqual([...listed].sort());
  });

  it("carries the route schemas: query filters, path ids and request bodies", () => {
    const alerts = doc.paths["/api/alerts"]?.get;
    expect(alerts?.parameters?.map((p) => p.name)).toEqual(
      expect.arrayContaining(["rule", "severity", "state", "limit", "offset"]),
    );
    expect(doc.paths["/api/alerts/{id}"]?.get?.parameters).toEqual([
      expect.objectContaining({ name: "id", in: "path" }),
    ]);
    const body = doc.paths["/api/silences"]?.post?.requestBody?.content["application/json"]?.schema;
    expect(Object.keys(body?.properties ?? {})).toEqual(
      expect.arrayContaining(["matchers", "ends_at", "duration", "comment"]),
    );
  });

  it("is not served when the admin API is off (no admin.token)", async () => {
    const off = await makeEngineDir({ adminToken: "" });
    const offApp = await startInProcess(off, "serve");
    try {
      expect((await offApp.server!.inject({ url: OPENAPI_PATH })).statusCode).toBe(404);
    } finally {
      await offApp.close();
      await off.remove();
    }
  });
});
