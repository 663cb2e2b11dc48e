// Real `waba-alerts` processes: serve + 2 workers equal one start, each mode runs only its half, SIGTERM loses nothing.
import { spawn as spawnChild } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { signBody } from "../../../src/shared/hmac.js";
import { maskPhone } from "../../../src/shared/mask.js";
import { startHttpReceiver } from "../../helpers/http-receiver.js";
import {
  ADMIN,
  buildDist,
  type Engine,
  type EngineDir,
  floodBody,
  freePort,
  makeEngineDir,
  quiesce,
  SECRET,
  SPAM_RULES,
  spawnEngine,
  startInProcess,
  waitFor,
  webhook,
} from "../../helpers/engine.js";

const RULES = `${SPAM_RULES}
  - id: undeliverable
    description: Message undeliverable
    severity: warning
    when: { code: 131026 }
    group_by: [recipient_id]
    cooldown: 0s
    resolve_after: 1h
`;

interface AlertView {
  rule: { id: string };
  group: Record<string, string>;
  count: number;
}

/** STREAM is one fixed webhook stream: spam on three numbers (two cross), four undeliverable recipients. */
function stream(timeSec: number): { body: string; headers: Record<string, string> }[] {
  return [
    webhook({ count: 3, phone: "111", run: "p1", timeSec }),
    webhook({ count: 2, phone: "222", run: "p2", timeSec }),
    webhook({ count: 5, phone: "333", run: "p3", timeSec }),
    webhook({ count: 4, code: 131026, phone: "444", run: "u1", timeSec }),
  ];
}

async function post(port: number, h: { body: string; headers: Record<string, string> }): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/webhooks/whatsapp`, {
    method: "POST",
    body: h.body,
    headers: h.headers,
  });
  return res.status;
}

async function alertSet(port: number): Promise<string[]> {
  const res = await fetch(`http://127.0.0.1:${port}/api/alerts?limit=500`, {
    headers: { authorization: `Bearer ${ADMIN}` },
  });
  const { alerts } = (await res.json()) as { alerts: AlertView[] };
  return alerts.map((a) => `${a.rule.id} ${JSON.stringify(a.group)} ${a.count}`).sort();
}

describe("processes", () => {
  let dist = "";
  const engines: Engine[] = [];
  const dirs: EngineDir[] = [];

  beforeAll(() => {
    dist = buildDist();
  }, 120_000);

  afterEach(async () => {
    for (const e of engines.splice(0)) {
      e.child.kill("SIGKILL");
      await e.exited;
    }
  });

  afterAll(async () => {
    for (const d of dirs.splice(0)) await d.remove();
    if (dist) rmSync(dist, { recursive: true, force: true });
  });

  async function dir(): Promise<EngineDir> {
    const d = await makeEngineDir({ rules: RULES, logLevel: "info" });
    dirs.push(d);
    return d;
  }

  async function spawn(mode: "start" | "serve" | "worker", d: EngineDir): Promise<Engine> {
    const e = await spawnEngine(dist, mode, d);
    engines.push(e);
    return e;
  }

  it("exits 1 at once, naming file:line:col, on a config it cannot use (no hang)", async () => {
    const d = await dir();
    const text = readFileSync(d.config, "utf8").replace("email: { outbox: ./outbox }", 'email: { outbox: ./outbox, smtp: "smtp//bad" }');
    writeFileSync(d.config, text);
    const started = Date.now();
    const child = spawnChild(process.execPath, [join(dist, "main.js"), "start", "-c", d.config], { cwd: d.dir });
    let err = "";
    child.stderr?.on("data", (b: Buffer) => {
      err += b.toString();
    });
    const code = await new Promise<number | null>((done) => child.on("exit", done));
    expect(code).toBe(1);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(err).toMatch(/config\.yaml:\d+:\d+: email\.smtp is not a URL/);
  });

  it("gives exactly the alerts of one start process with serve + two workers, each doing only its half", async () => {
    const timeSec = Math.floor(Date.now() / 1000);
    const single = await dir();
    await spawn("start", single);
    for (const h of stream(timeSec)) expect(await post(single.port, h)).toBe(200);
    const expected = await waitFor(
      async () => {
        const set = await alertSet(single.port);
        return set.length === 6 ? set : undefined;
      },
      15_000,
      "six alerts from start",
    );
    expect(expected.filter((a) => a.startsWith("spam-burst"))).toEqual([
      'spam-burst {"phone_number_id":"111"} 3',
      'spam-burst {"phone_number_id":"333"} 3',
    ]);

    const split = await dir();
    // A worker alone serves no HTTP at all.
    const w1 = await spawn("worker", split);
    expect(await fetch(`http://127.0.0.1:${split.port}/healthz`).catch(() => "refused")).toBe("refused");
    await w1.stop();
    // serve alone accepts webhooks but evaluates nothing: they wait in the events queue.
    await spawn("serve", split);
    for (const h of stream(timeSec)) expect(await post(split.port, h)).toBe(200);
    // With no worker every batch waits in the queue, so nothing can have been evaluated.
    const metrics = await (await fetch(`http://127.0.0.1:${split.port}/metrics`)).text();
    expect(metrics).toContain('waba_queue_jobs{queue="events",state="waiting"} 4');
    expect(await alertSet(split.port)).toEqual([]);

    await spawn("worker", split);
    await spawn("worker", split);
    const got = await waitFor(
      async () => {
        const set = await alertSet(split.port);
        return set.length >= 6 ? set : undefined;
      },
      15_000,
      "six alerts from serve + workers",
    );
    await quiesce(split.prefix);
    expect(await alertSet(split.port)).toEqual(expected);
    expect(got).toEqual(expected);
  }, 90_000);

  it("sends one digest per group and interval with two workers sharing the flood (one owner per digest)", async () => {
    const chat = await startHttpReceiver();
    const forward = await startHttpReceiver();
    try {
      const d = await makeEngineDir({
        rules: `rules:
  - id: spam-flood
    description: Spam rate limit hit on a number
    severity: critical
    when: { code: 131048 }
    group_by: [phone_number_id]
    notify: [chat, forward]
`,
        channels: `  chat: { type: webhook, url: "${chat.url}", format: slack, group: { interval: 2s } }
  forward: { type: webhook, url: "${forward.url}" }`,
        logLevel: "info",
      });
      dirs.push(d);
      await spawn("serve", d);
      await spawn("worker", d);
      await spawn("worker", d);
      const t = Math.floor(Date.now() / 1000);
      // Two POSTs, so that each worker is likely to take one batch and admit alerts into the same digest.
      for (const body of [floodBody({ numbers: 100, timeSec: t }), floodBody({ numbers: 100, timeSec: t, first: 100 })]) {
        const headers = { "content-type": "application/json", "x-hub-signature-256": signBody(body, SECRET) };
        expect(await post(d.port, { body, headers })).toBe(200);
      }
      await forward.waitForRequests(200, 30_000);
      await chat.waitForRequests(2, 15_000);
      // Both digests' intervals are over and their jobs done: no third message can come.
      await quiesce(d.prefix);
      expect(chat.requests).toHaveLength(2);
      const [, digest] = chat.requests.map((r) => JSON.parse(r.text) as { text: string });
      expect(digest?.text).toBe("[CRITICAL] 199 more alerts: spam-flood on 199 numbers");
    } finally {
      await chat.close();
      await forward.close();
    }
  }, 90_000);

  it("a worker with workers.metrics_port serves its own /metrics for Prometheus", async () => {
    const metricsPort = await freePort();
    const d = await makeEngineDir({ rules: RULES, workerMetricsPort: metricsPort, logLevel: "info" });
    dirs.push(d);
    await spawn("serve", d);
    await spawn("worker", d);
    for (const h of stream(Math.floor(Date.now() / 1000))) expect(await post(d.port, h)).toBe(200);
    const text = await waitFor(
      async () => {
        const body = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
        const done = /waba_alerts_total\{rule="spam-burst",severity="critical",state="firing"\} 2/.test(body);
        return done ? body : undefined;
      },
      15_000,
      "alerts counted on the worker's /metrics",
    );
    expect(text).toMatch(/waba_rule_evaluations_total\{rule="spam-burst"\} 10/);
    expect((await fetch(`http://127.0.0.1:${metricsPort}/healthz`)).status).toBe(200);
  });

  it("exits 0 on SIGTERM under load, and every acknowledged event is processed", async () => {
    const d = await dir();
    const engine = await spawn("start", d);
    const acknowledged: number[] = [];
    let next = 0;
    let stopped = false;
    const client = async () => {
      while (!stopped) {
        const recipient = 16000000000 + next++;
        const h = webhook({ count: 1, code: 131026, recipientBase: recipient, run: `r${recipient}` });
        const status = await post(d.port, h).catch(() => 0);
        if (status === 200) acknowledged.push(recipient);
        else if (status === 0) stopped = true;
      }
    };
    const clients = Array.from({ length: 8 }, () => client());
    await waitFor(
      async () => (acknowledged.length >= 50 ? true : undefined),
      15_000,
      "50 acknowledged requests",
    );
    const signalled = Date.now();
    engine.child.kill("SIGTERM");
    const code = await engine.exited;
    const took = Date.now() - signalled;
    stopped = true;
    await Promise.all(clients);
    expect(
      code,
      engine
        .output()
        .split("\n")
        .filter((l) => !/notification delivered|alert fired/.test(l))
        .join("\n")
        .slice(-3000),
    ).toBe(0);
    expect(took).toBeLessThan(10_000);

    // Whatever was acknowledged but not yet evaluated is still queued: a fresh worker drains it.
    const drain = await startInProcess(d, "start");
    try {
      const recipients = await waitFor(
        async () => {
          const res = await drain.server!.inject({
            url: "/api/alerts?rule=undeliverable&limit=500",
            headers: { authorization: `Bearer ${ADMIN}` },
          });
          const got = new Set(
            (res.json() as { alerts: AlertView[] }).alerts.map((a) => a.group.recipient_id),
          );
          // Alerts carry customer numbers masked (alerts.mask_phone_numbers), so compare the masked forms.
          return acknowledged.every((r) => got.has(maskPhone(String(r)))) ? got : undefined;
        },
        15_000,
        "an alert for every acknowledged event",
      );
      expect(recipients.size).toBeGreaterThanOrEqual(acknowledged.length);
    } finally {
      await drain.close();
    }
  }, 90_000);
});
