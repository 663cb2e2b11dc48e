// `waba-alerts test --explain` output, pinned by golden files: counted, duplicate, fired, cooldown, not matched, late.
import { readdirSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { captureCli, expectGolden } from "../../helpers/cli.js";
import { runTest } from "../../../src/cli/test.js";
import { sharedPath } from "../../helpers/shared.js";

const GOLDEN = "test/fixtures/golden/explain";

const capture = captureCli;

const golden = (name: string, actual: string): void => expectGolden(GOLDEN, name, actual);

afterEach(() => vi.restoreAllMocks());

describe("waba-alerts test", () => {
  const base = { config: "config.example.yaml", rules: ["test/fixtures/explain/rules.yaml"] };

  it("explains, per event, what each candidate rule did", async () => {
    const r = await capture(() =>
      runTest({ ...base, events: "test/fixtures/explain/events.jsonl", explain: true }),
    );
    expect(r.code).toBe(0);
    expect(r.out).toContain("duplicate id");
    expect(r.out).toContain("suppressed by cooldown until");
    expect(r.out).toContain('not matched: event in ["PAUSED","DISABLED"] (actual "APPROVED")');
    expect(r.out).toContain("too late");
    golden("explain.txt", r.out);
  });

  it("prints the alerts as JSON with --json", async () => {
    const r = await capture(() =>
      runTest({ ...base, events: "test/fixtures/explain/events.jsonl", json: true }),
    );
    expect(JSON.parse(r.out)).toEqual({
      alerts: [
        {
          rule: "spam-burst",
          group: { phone_number_id: "111" },
          count: 3,
          at: "2026-01-01T00:02:00.000Z",
          state: "firing",
          channels: ["ops"],
        },
        {
          rule: "template-paused",
          group: { "template.name": "spring_sale" },
          count: 1,
          at: "2026-01-01T00:04:00.000Z",
          state: "firing",
          channels: ["ops"],
        },
      ],
      redeliveries: 0,
    });
  });

  it("explains ratio, spike and absent rules: shares, the usual count, learning, watched groups, silences", async () => {
    const more = { config: "config.example.yaml", rules: ["test/fixtures/explain/more-than-counts.yaml"] };
    const events = "test/fixtures/explain/more-than-counts.jsonl";
    const r = await capture(() => runTest({ ...more, events, explain: true }));
    expect(r.code).toBe(0);
    expect(r.out).toContain("FIRED: 2 of 4 (50 %) in 10m");
    expect(r.out).toContain("still learning the usual count");
    expect(r.out).toContain("FIRED: 3 in 1m, usual 1.38");
    expect(r.out).toContain("(silence)");
    golden("more-than-counts.txt", r.out);

    const json = await capture(() => runTest({ ...more, events, json: true }));
    const body = JSON.parse(json.out) as { alerts: Record<string, unknown>[] };
    // Every alert would reach the config's ops channel (state and channels are checked elsewhere).
    const fates = body.alerts.map(({ state, channels }) => ({ state, channels }));
    expect(fates).toEqual(Array(5).fill({ state: "firing", channels: ["ops"] }));
    expect(body.alerts.map(({ state: _s, channels: _c, ...rest }) => rest)).toEqual([
      { rule: "failed-share", group: { phone_number_id: "111" }, count: 2, of_count: 4, ratio: 0.5, at: "2026-01-01T00:00:30.000Z" },
      { rule: "failed-share", group: { phone_number_id: "222" }, count: 4, of_count: 4, ratio: 1, at: "2026-01-01T00:04:00.000Z" },
      { rule: "jump", group: {}, count: 3, baseline_count: 1.38, at: "2026-01-01T00:04:11.000Z" },
      {
        rule: "quiet",
        group: { phone_number_id: "111" },
        count: 0,
        silent_since: "2026-01-01T00:00:30.000Z",
        at: "2026-01-01T00:10:30.000Z",
      },
      {
        rule: "quiet",
        group: { phone_number_id: "222" },
        count: 0,
        silent_since: "2026-01-01T00:04:12.000Z",
        at: "2026-01-01T00:14:12.000Z",
      },
    ]);
  });

  it("exits 1 with file:line:col for a broken events file", async () => {
    const r = await capture(() => runTest({ ...base, events: "test/fixtures/explain/broken.jsonl" }));
    expect(r.code).toBe(1);
    golden("broken.txt", r.err);
  });

  it("runs every shared sample payload through the shipped rules", async () => {
    const dir = sharedPath("whatsapp/payloads");
    const files = readdirSync(dir).filter((f) => f.endsWith(".json"));
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) {
      const r = await capture(() =>
        runTest({ config: "config.example.yaml", events: `${dir}/${f}`, json: true }),
      );
      expect(r.code, `${f}: ${r.err}`).toBe(0);
      expect(Array.isArray(JSON.parse(r.out).alerts)).toBe(true);
    }
  });

  it("fires the shipped account rules on the shared account payloads", async () => {
    const dir = sharedPath("whatsapp/payloads");
    const r = await capture(() =>
      runTest({
        config: "config.example.yaml",
        events: `${dir}/05-account-update-disabled.json`,
        json: true,
      }),
    );
    const rules = (JSON.parse(r.out).alerts as Array<{ rule: string }>).map((a) => a.rule);
    expect(rules).toContain("account-restricted");
  });
});
