// The lazy per-request logger: same lines as a pino child (bindings, redaction), but no child until one logs.
import { Writable } from "node:stream";
import type { FastifyBaseLogger } from "fastify";
import { pino } from "pino";
import { describe, expect, it, vi } from "vitest";
import { REDACT } from "../../../src/shared/logger.js";
import { lazyChildLogger } from "../../../src/shared/request-logger.js";

function capture(level: string) {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const parent = pino({ level, redact: REDACT }, stream);
  return { lines, parent };
}

describe("lazyChildLogger", () => {
  it("builds no child for a request that does not log, nor for lines below the level", () => {
    const { parent } = capture("warn");
    const child = vi.spyOn(parent, "child");
    const log = lazyChildLogger(parent as FastifyBaseLogger, { reqId: "req-1" });
    expect(child).not.toHaveBeenCalled();
    log.info("dropped: below warn");
    log.debug("dropped too");
    expect(child).not.toHaveBeenCalled();
    expect(log.level).toBe("warn");
  });

  it("logs through one child with the request's bindings and the parent's redaction", async () => {
    const { lines, parent } = capture("info");
    const child = vi.spyOn(parent, "child");
    const log = lazyChildLogger(parent as FastifyBaseLogger, { reqId: "req-2" });
    log.warn({ token: "s3cret", reason: "bad_signature" }, "ingest rejected");
    log.error("second line");
    await new Promise((r) => setImmediate(r));
    expect(child).toHaveBeenCalledTimes(1);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      reqId: "req-2",
      reason: "bad_signature",
      token: "[redacted]",
      msg: "ingest rejected",
    });
    expect(lines[1]).toMatchObject({ reqId: "req-2", msg: "second line" });
    expect(log.child({ extra: 1 }).level).toBe("info");
  });
});
