// Serves the built web console (dist/console) at /console: hashed assets immutable, the page no-cache, strict CSP.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyPluginAsync, FastifyReply } from "fastify";

/** CONSOLE_PATH is where the console is mounted. */
export const CONSOLE_PATH = "/console";

/**
 * CONSOLE_CSP allows the page nothing but its own scripts, styles and API calls: no inline script or
 * style, no other origin, no framing. Charts set styles through the DOM (CSSOM), which CSP permits.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
};

/**
 * defaultConsoleDir finds the built console: beside the compiled server (dist/api → dist/console), or,
 * when the server runs from source (tests, tsx), the checkout's dist/console.
 */
export function defaultConsoleDir(): string {
  const here = fileURLToPath(new URL(".", import.meta.url));
  const candidates = [join(here, "../console"), join(here, "../../dist/console")];
  return (
    candidates.find((d) => existsSync(join(d, "index.html")) && existsSync(join(d, "assets"))) ??
    candidates[1]!
  );
}

/** ConsoleOptions say where the built files are. */
export interface ConsoleOptions {
  dir: string;
}

function secure(reply: FastifyReply): FastifyReply {
  return reply
    .header("content-security-policy", CONSOLE_CSP)
    .header("x-content-type-options", "nosniff")
    .header("referrer-policy", "no-referrer")
    .header("x-frame-options", "DENY")
    .header("cross-origin-opener-policy", "same-origin");
}

/**
 * consoleRoutes serves index.html and assets/* from memory: only files present at start are served,
 * so no request path ever reaches the file system. A missing build answers 503 saying how to build it.
 */
export const consoleRoutes: FastifyPluginAsync<ConsoleOptions> = async (app, opts) => {
  const indexFile = join(opts.dir, "index.html");
  const built = existsSync(indexFile) && existsSync(join(opts.dir, "assets"));
  const index = built ? readFileSync(indexFile) : undefined;
  const assets = new Map<string, { body: Buffer; type: string }>();
  if (built) {
    for (const name of readdirSync(join(opts.dir, "assets"))) {
      const type = TYPES[extname(name)];
      if (type) assets.set(name, { body: readFileSync(join(opts.dir, "assets", name)), type });
    }
  }

  const page = async (_req: unknown, reply: FastifyReply) => {
    secure(reply).header("cache-control", "no-cache");
    if (!index) {
      return reply
        .code(503)
        .type("text/plain; charset=utf-8")
        .send("The console is not built: run `npm run build:console` (npm install does it), then restart.\n");
    }
    return reply.type(TYPES[".html"]!).send(index);
  };
  app.get(CONSOLE_PATH, page);
  app.get(`${CONSOLE_PATH}/`, page);
  app.get<{ Params: { name: string } }>(`${CONSOLE_PATH}/assets/:name`, async (req, reply) => {
    const asset = assets.get(req.params.name);
    secure(reply);
    if (!asset) return reply.code(404).header("cache-control", "no-cache").send({ error: "no such asset" });
    // Asset names carry a content hash: a changed file is a new name, so a name never needs revalidating.
    return reply
      .header("cache-control", "public, max-age=31536000, immutable")
      .type(asset.type)
      .send(asset.body);
  });
};
