// Redis trouble in the log: one line per outage, one when it ends, never a Lua script.
import { Writable } from "node:stream";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { createOutageLog, errorLine, QUIET_MS } from "../../../src/queue/outage.js";

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  return { log: pino({ level: "info" }, stream), lines };
}

describe("outage log", () => {
  it("says one line for a thousand errors of one outage, and one when it ends", async () => {
    const { log, lines } = capture();
    let now = 0;
    const outage = createOutageLog(log, "events worker", { now: () => now });
    for (let i = 0; i < 1000; i++) {
      now += 10;
      outage.report(new Error("connect ECONNREFUSED 127.0.0.1:6379"));
    }
    outage.recovered();
    outage.recovered();
    await new Promise((r) => setImmediate(r));
    expect(lines.map((l) => l.msg)).toEqual([
      "events worker: Redis connection lost",
      "events worker: Redis connection back",
    ]);
    expect(lines[1]?.errors).toBe(1000);
  });

  it("starts a new outage after a quiet spell, since a cluster never says it is back", async () => {
    const { log, lines } = capture();
    let now = 0;
    const outage = createOutageLog(log, "state connection", { now: () => now });
    outage.report(new Error("MOVED 6001 127.0.0.1:7001"));
    now += QUIET_MS - 1;
    outage.report(new Error("MOVED 6001 127.0.0.1:7001"));
    now += QUIET_MS + 1;
    outage.report(new Error("CLUSTERDOWN The cluster is down"));
    await new Promise((r) => setImmediate(r));
    expect(lines.map((l) => l.err)).toEqual(["MOVED 6001 127.0.0.1:7001", "CLUSTERDOWN The cluster is down"]);
  });

  it("keeps only the first line of an error's message, cut short, and never its command", () => {
    const err = Object.assign(new Error(`ERR Error running script\n${"local x = 1\n".repeat(500)}`), {
      command: { name: "eval", args: ["--[[ a whole BullMQ script ]] local rcall = redis.call", "3"] },
    });
    expect(errorLine(err)).toBe("ERR Error running script");
    expect(errorLine(new Error("x".repeat(1000)))).toHaveLength(201);
  });
});
