// The dry run's events file, as people paste it: a value without its envelope, a bare status, hand-written events.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readEventsFile } from "../../../src/dryrun/events-file.js";
import { runTest } from "../../../src/cli/test.js";
import { captureCli } from "../../helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "waba-events-file-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function file(content: unknown): string {
  const path = join(dir, `events-${n++}.json`);
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content, null, 2));
  return path;
}

const failedStatus = {
  id: "wamid.BARE1",
  status: "failed",
  timestamp: "1767225600",
  recipient_id: "5215512345678",
  errors: [{ code: 131031, title: "Business account locked", error_data: { details: "Account locked" } }],
};

describe("events file", () => {
  it('says "missing envelope" for the value of a change given alone, not that it needs a timestamp', () => {
    const value = {
      messaging_product: "whatsapp",
      metadata: { display_phone_number: "15550100123", phone_number_id: "410000000000001" },
      statuses: [failedStatus],
    };
    const r = readEventsFile(file(value));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]?.message).toMatch(/^missing envelope: this looks like the value of a change/);
    expect(r.problems[0]?.message).toContain('"object":"whatsapp_business_account"');
    expect(r.problems[0]?.message).not.toContain("timestamp");
  });

  it("names an entry or a change given without the envelope too", () => {
    const change = { field: "account_update", value: { event: "ACCOUNT_DELETED" } };
    const lines = [JSON.stringify(change), JSON.stringify({ id: "310000000000001", changes: [change] })];
    const r = readEventsFile(file(lines.join("\n")));
    expect(r.ok ? [] : r.problems.map((p) => [p.line, p.message.slice(0, 48)])).toEqual([
      [1, "missing envelope: this looks like a change of a "],
      [2, "missing envelope: this looks like an entry of a "],
    ]);
  });

  it("reads a bare status object as a status, errors and all", () => {
    const r = readEventsFile(
      file([failedStatus, { ...failedStatus, id: "wamid.BARE2", status: "read", errors: undefined }]),
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.events.map((e) => [e.kind, e.status, e.code, e.recipient, e.timestamp])).toEqual([
      ["status_error", "failed", 131031, "5215512345678", 1767225600],
      ["status", "read", undefined, "5215512345678", 1767225600],
    ]);
  });

  it("still reads hand-written events, giving them a recipient from recipient_id or recipient_user_id", () => {
    const r = readEventsFile(
      file([
        { code: 131026, timestamp: 1767225600, recipient_id: "5215512345678" },
        { code: 131026, timestamp: 1767225601, recipient_user_id: "MX.123" },
        { code: 131026, timestamp: 1767225602 },
      ]),
    );
    expect(r.ok && r.events.map((e) => e.recipient)).toEqual(["5215512345678", "MX.123", undefined]);
  });

  it("runs a bare status through the shipped rules in `waba-alerts test`", async () => {
    const r = await captureCli(() =>
      runTest({ config: "config.example.yaml", events: file(failedStatus), json: true }),
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).alerts).toMatchObject([{ rule: "account-locked", count: 1 }]);
  });

  it("exits 1 and says missing envelope for a value-only body in `waba-alerts test`", async () => {
    const r = await captureCli(() =>
      runTest({ config: "config.example.yaml", events: file({ statuses: [failedStatus] }) }),
    );
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/:1:1: missing envelope/);
  });
});
