// The plain-Node baseline: a bare node:http server that checks X-Hub-Signature-256 on the raw bytes,
// parses the JSON and answers 200 — the least any webhook receiver must do.
// Run as a child process: `node --import tsx bench/bare-http.ts PORT SECRET`.
import { createServer } from "node:http";
import { verifySignature } from "../src/shared/hmac.js";

const port = Number(process.argv[2]);
const secret = process.argv[3] ?? "";

const server = createServer((req, res) => {
  if (req.method === "GET" && req.url === "/healthz") {
    res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
    return;
  }
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const raw = Buffer.concat(chunks);
    const header = req.headers["x-hub-signature-256"];
    if (!verifySignature(raw, typeof header === "string" ? header : undefined, secret)) {
      res.writeHead(401, { "content-type": "application/json" }).end('{"error":"invalid X-Hub-Signature-256"}');
      return;
    }
    try {
      JSON.parse(raw.toString("utf8"));
    } catch {
      res.writeHead(400, { "content-type": "application/json" }).end('{"error":"not JSON"}');
      return;
    }
    res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
  });
});
server.keepAliveTimeout = 5000;
server.listen(port, "127.0.0.1");
const stop = () => server.close(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
