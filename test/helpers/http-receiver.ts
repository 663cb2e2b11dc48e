// A real HTTP server on 127.0.0.1 that records webhook requests and answers from a script.
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

/** RecordedRequest is one request as received: exact body bytes, headers, and arrival time. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
  at: number;
}

/** ScriptedResponse is one answer; the last one in the script repeats for ever. */
export interface ScriptedResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  /** Wait this long before answering (to provoke client timeouts). */
  delayMs?: number;
}

/** HttpReceiver is a running receiver. */
export interface HttpReceiver {
  url: string;
  requests: RecordedRequest[];
  /** waitForRequests resolves once `n` requests arrived, or rejects after `timeoutMs`. */
  waitForRequests(n: number, timeoutMs?: number): Promise<RecordedRequest[]>;
  close(): Promise<void>;
}

/** startHttpReceiver listens on a free port of 127.0.0.1; `script` answers requests in order (default 200). */
export async function startHttpReceiver(
  script: ScriptedResponse[] = [{ status: 200 }],
): Promise<HttpReceiver> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const index = requests.length;
      requests.push({
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        body,
        text: body.toString("utf8"),
        at: Date.now(),
      });
      const answer = script[Math.min(index, script.length - 1)] ?? { status: 200 };
      setTimeout(() => {
        res.writeHead(answer.status, { "content-type": "text/plain", ...answer.headers });
        res.end(answer.body ?? "");
      }, answer.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    requests,
    async waitForRequests(n, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (requests.length < n) {
        if (Date.now() > deadline) throw new Error(`expected ${n} requests, got ${requests.length}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
