// The Fastify baseline: a bare Fastify server that checks X-Hub-Signature-256 on the raw bytes, parses the
// JSON and answers 200.
// Run as a child process: `node --import tsx bench/bare-server.ts PORT SECRET`.
import Fastify from "fastify";
import { verifySignature } from "../src/shared/hmac.js";

const port = Number(process.argv[2]);
const secret = process.argv[3] ?? "";
const app = Fastify({ logger: false, bodyLimit: 3 * 1024 * 1024 });
app.removeAllContentTypeParsers();
app.addContentTypeParser("*", { parseAs: "buffer" }, (_req, body, done) => done(null, body));
app.post("/webhooks/whatsapp", async (req, reply) => {
  const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  const header = req.headers["x-hub-signature-256"];
  if (!verifySignature(raw, typeof header === "string" ? header : undefined, secret)) {
    return reply.code(401).send({ error: "invalid X-Hub-Signature-256" });
  }
  try {
    JSON.parse(raw.toString("utf8"));
  } catch {
    return reply.code(400).send({ error: "not JSON" });
  }
  return reply.code(200).send({ ok: true });
});
app.get("/healthz", async () => ({ ok: true }));
await app.listen({ host: "127.0.0.1", port });
const stop = () => {
  app.close().finally(() => process.exit(0));
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
