// Slow-loris: a client trickling its headers or body is cut off after the request timeout, and the
// server keeps answering everyone else meanwhile.
import { readFileSync } from "node:fs";
import { connect } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { signBody } from "../../../src/shared/hmac.js";
import { sharedPath } from "../../helpers/shared.js";
import { buildHarness, type Harness, hostileConfig, SECRETS } from "./harness.js";

const SAMPLE = readFileSync(sharedPath("whatsapp/payloads/01-status-failed-131049.json"));
const REQUEST_MS = 1_000;
/** MARGIN covers Node's expiry check (every 100 ms here) and a busy shared machine. */
const MARGIN_MS = 1_500;
const TRICKLE_MS = 100;

/** SlowOutcome is how a trickled request ended: the server's status line (if any), when, and bytes trickled. */
interface SlowOutcome {
  status: string;
  closedAfterMs: number;
  trickled: number;
}

/**
 * slowRequest writes `head`, then one byte of `trickle` every TRICKLE_MS, never finishing the request,
 * until the server answers or closes the socket; after `giveUpMs` it gives up and reports no status.
 */
function slowRequest(port: number, head: string, trickle: string, giveUpMs: number): Promise<SlowOutcome> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = connect(port, "127.0.0.1");
    let answer = "";
    let trickled = 0;
    let ticker: NodeJS.Timeout | undefined;
    const finish = () => {
      clearInterval(ticker);
      clearTimeout(giveUp);
      socket.destroy();
      resolve({ status: answer.split("\r\n")[0] ?? "", closedAfterMs: Date.now() - started, trickled });
    };
    const giveUp = setTimeout(() => {
      answer = "";
      finish();
    }, giveUpMs);
    socket.on("data", (d: Buffer) => {
      answer += d.toString("latin1");
    });
    socket.on("error", () => {});
    socket.on("close", finish);
    socket.on("connect", () => {
      socket.write(head);
      ticker = setInterval(() => {
        if (socket.destroyed || !socket.writable) return;
        socket.write(trickle.charAt(trickled % trickle.length));
        trickled++;
      }, TRICKLE_MS);
    });
  });
}

describe("the product's request timeouts", () => {
  it("cut off a whole request, headers and body, after 30–35 s: Node's headersTimeout does not exceed it", async () => {
    const h = await buildHarness();
    try {
      const { requestTimeout, headersTimeout } = h.app.server;
      expect(requestTimeout).toBe(30_000);
      // Node swaps the two when headersTimeout is the larger, letting a trickled body run to headersTimeout.
      expect(headersTimeout).toBeGreaterThan(0);
      expect(headersTimeout).toBeLessThanOrEqual(requestTimeout);
      // Expired requests are looked for every 5 s, so the cut-off comes at 30–35 s, not up to 60.
      const server = h.app.server as unknown as { connectionsCheckingInterval?: number };
      expect(server.connectionsCheckingInterval).toBe(5_000);
    } finally {
      await h.app.close();
    }
  });
});

describe("slow-loris requests on a listening server", () => {
  let h: Harness;
  let port: number;
  beforeAll(async () => {
    h = await buildHarness(hostileConfig(), { timeouts: { requestMs: REQUEST_MS, checkEveryMs: 100 } });
    await h.app.listen({ host: "127.0.0.1", port: 0 });
    const address = h.app.server.address();
    port = typeof address === "object" && address ? address.port : 0;
  });
  afterAll(async () => {
    await h.app.close();
  });
  beforeEach(() => {
    h.batches.length = 0;
  });

  /** goodRequest sends a well-formed signed webhook on its own connection. */
  async function goodRequest(): Promise<number> {
    const res = await fetch(`http://127.0.0.1:${port}/webhooks/whatsapp`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-hub-signature-256": signBody(SAMPLE, SECRETS.appSecret),
      },
      body: SAMPLE,
    });
    await res.arrayBuffer();
    return res.status;
  }

  it("answers 408 and closes a body trickled byte by byte, enqueues nothing, and serves others meanwhile", async () => {
    const head =
      "POST /webhooks/whatsapp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" +
      `X-Hub-Signature-256: ${signBody(SAMPLE, SECRETS.appSecret)}\r\nContent-Length: 5000\r\n\r\n`;
    const slow = slowRequest(port, head, SAMPLE.toString("latin1"), REQUEST_MS + 4 * MARGIN_MS);

    await new Promise((r) => setTimeout(r, REQUEST_MS / 3));
    expect(await goodRequest()).toBe(200);
    expect(h.batches).toHaveLength(1);

    const outcome = await slow;
    expect(outcome.status, `after ${outcome.closedAfterMs} ms`).toMatch(/^HTTP\/1\.1 408/);
    expect(outcome.closedAfterMs).toBeGreaterThanOrEqual(REQUEST_MS - 50);
    expect(outcome.closedAfterMs).toBeLessThan(REQUEST_MS + MARGIN_MS);
    expect(outcome.trickled).toBeGreaterThan(3);
    // Only the well-formed request reached the queue.
    expect(h.batches).toHaveLength(1);
    expect(await goodRequest()).toBe(200);
  }, 15_000);

  it("answers 408 and closes a request whose headers never finish", async () => {
    const head = "POST /webhooks/whatsapp HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: ";
    const slow = slowRequest(port, head, "abcdefghij", REQUEST_MS + 4 * MARGIN_MS);

    await new Promise((r) => setTimeout(r, REQUEST_MS / 3));
    expect(await goodRequest()).toBe(200);

    const outcome = await slow;
    expect(outcome.status, `after ${outcome.closedAfterMs} ms`).toMatch(/^HTTP\/1\.1 408/);
    expect(outcome.closedAfterMs).toBeLessThan(REQUEST_MS + MARGIN_MS);
    expect(h.batches).toHaveLength(1);
  }, 15_000);
});
