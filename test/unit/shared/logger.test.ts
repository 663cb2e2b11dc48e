// log.format: coloured lines only for a terminal; JSON lines with ISO-8601 times for everything else.
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../../src/shared/logger.js";

function sink(): { text: () => string; stream: Writable } {
  let text = "";
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  return { text: () => text, stream };
}

describe("createLogger", () => {
  it("writes JSON lines with ISO-8601 times, secrets redacted and numbers masked", () => {
    const out = sink();
    const log = createLogger("info", { format: "json", tty: true, destination: out.stream });
    log.info({ token: "s3cret", recipient_id: "5215512345679" }, "hello");
    const line = JSON.parse(out.text().trim()) as Record<string, unknown>;
    expect(line.msg).toBe("hello");
    expect(line.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(Date.parse(line.time as string)).toBeGreaterThan(Date.now() - 60_000);
    expect(line.token).toBe("[redacted]");
    expect(line.recipient_id).toBe("+52155****679");
  });

  it("keeps JSON for `pretty` when stdout is not a terminal (a pipe, systemd, a container)", () => {
    const out = sink();
    const log = createLogger("info", { format: "pretty", tty: false, destination: out.stream });
    log.warn("careful");
    expect(JSON.parse(out.text().trim())).toMatchObject({ level: 40, msg: "careful" });
  });

  it("prints readable lines for `pretty` at a terminal, still redacted", () => {
    const out = sink();
    const log = createLogger("info", { format: "pretty", tty: true, destination: out.stream });
    log.info({ token: "s3cret" }, "hello there");
    const text = out.text();
    expect(text).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: hello there\n/);
    expect(text).toContain('token: "[redacted]"');
    expect(text).not.toContain("s3cret");
    expect(() => JSON.parse(text)).toThrow();
  });
});
