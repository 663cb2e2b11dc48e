// The built console: nothing in it reaches the network, and /console serves it with its caching and CSP headers.
import { execSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Fastify, { type FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONSOLE_CSP, consoleRoutes } from "../../../src/api/console.js";
import { makeEngineDir, REPO, startInProcess } from "../../helpers/engine.js";

// XML namespace names are identifiers the DOM needs, never fetched.
const NAMESPACES = new Set([
  "http://www.w3.org/2000/svg",
  "http://www.w3.org/1999/xhtml",
  "http://www.w3.org/1998/Math/MathML",
  "http://www.w3.org/1999/xlink",
  "http://www.w3.org/XML/1998/namespace",
]);

describe("the built console", () => {
  let out = "";
  let app: FastifyInstance;

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), "waba-console-"));
    execSync(`npx vite build --config src/console/vite.config.ts --outDir ${out} --emptyOutDir`, {
      cwd: REPO,
      stdio: "pipe",
    });
    app = Fastify();
    await app.register(consoleRoutes, { dir: out });
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    rmSync(out, { recursive: true, force: true });
  });

  it("names no other origin: no CDN, no fonts, no analytics, no source map", () => {
    const files = ["index.html", ...readdirSync(join(out, "assets")).map((f) => join("assets", f))];
    expect(files.some((f) => f.endsWith(".js"))).toBe(true);
    expect(files.some((f) => f.endsWith(".css"))).toBe(true);
    for (const file of files) {
      expect(file.endsWith(".map"), file).toBe(false);
      const text = readFileSync(join(out, file), "utf8");
      const urls = [...text.matchAll(/(?:https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}[^\s"'`)]*/gi)].map((m) => m[0]);
      expect(
        urls.filter((u) => !NAMESPACES.has(u)),
        file,
      ).toEqual([]);
      expect(text, file).not.toMatch(/@import\s+url|sourceMappingURL/);
    }
    const html = readFileSync(join(out, "index.html"), "utf8");
    // Every script and stylesheet is one of the built files, under /console/assets/.
    const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    for (const ref of refs.filter((r) => r !== "data:,")) {
      expect(ref, ref).toMatch(/^\/console\/assets\/[\w.-]+$/);
      expect(files).toContain(ref.replace("/console/", ""));
    }
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/\sstyle=/);
  });

  it("serves the page uncached and the hashed assets immutable, both under a strict CSP", async () => {
    for (const url of ["/console", "/console/"]) {
      const page = await app.inject({ url });
      expect(page.statusCode, url).toBe(200);
      expect(page.headers["content-type"]).toMatch(/text\/html/);
      expect(page.headers["cache-control"]).toBe("no-cache");
      expect(page.headers["content-security-policy"]).toBe(CONSOLE_CSP);
      expect(page.headers["x-frame-options"]).toBe("DENY");
    }
    expect(CONSOLE_CSP).toMatch(/default-src 'none'/);
    expect(CONSOLE_CSP).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    const name = readdirSync(join(out, "assets")).find((f) => f.endsWith(".js"))!;
    const asset = await app.inject({ url: `/console/assets/${name}` });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers["content-type"]).toMatch(/text\/javascript/);
    expect(asset.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(asset.headers["content-security-policy"]).toBe(CONSOLE_CSP);
    for (const url of [
      "/console/assets/nope.js",
      "/console/assets/..%2F..%2Fpackage.json",
      "/console/assets/%2e%2e%2findex.html",
    ]) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(404);
    }
  });

  it("says how to build it when it is missing", async () => {
    const bare = Fastify();
    await bare.register(consoleRoutes, { dir: join(out, "missing") });
    const res = await bare.inject({ url: "/console/" });
    expect(res.statusCode).toBe(503);
    expect(res.body).toMatch(/npm run build:console/);
    await bare.close();
  });

  it("is not served at all without an admin token", async () => {
    const dir = await makeEngineDir({ adminToken: "" });
    const engine = await startInProcess(dir, "serve");
    try {
      expect((await engine.server!.inject({ url: "/console/" })).statusCode).toBe(404);
    } finally {
      await engine.close();
      await dir.remove();
    }
  });
});
