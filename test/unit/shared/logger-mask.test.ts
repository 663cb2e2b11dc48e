// Log lines mask customer numbers wherever an alert or event puts them, and leave BSUIDs readable.
import { Writable } from "node:stream";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { REDACT } from "../../../src/shared/logger.js";

function logged(obj: object): string {
  let line = "";
  const stream = new Writable({
    write(chunk, _enc, done) {
      line += String(chunk);
      done();
    },
  });
  pino({ redact: REDACT }, stream).info(obj, "x");
  return line;
}

describe("log masking", () => {
  it("masks recipient, recipient_id and group members in events, samples and alert facts", () => {
    const line = logged({
      event: {
        recipient_id: "5215512345678",
        recipient: "5215512345678",
        recipient_participant_id: "16505551234",
      },
      alert: { facts: { recipient: "5491165432100" }, samples: [{ recipient: "5215512345679" }] },
    });
    for (const full of ["5215512345678", "16505551234", "5491165432100", "5215512345679"]) {
      expect(line).not.toContain(full);
    }
    expect(line).toContain("+52155****678");
  });

  it("keeps business-scoped user ids readable", () => {
    expect(logged({ event: { recipient: "MX.2093847561029384756" } })).toContain("MX.2093847561029384756");
  });
});
