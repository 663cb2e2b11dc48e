// The dry run and rule tests are one engine with one clock; and a rule that would notify nobody is an error.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { buildApp } from "../../../src/app.js";
import { runTest } from "../../../src/cli/test.js";
import { runValidate } from "../../../src/cli/validate.js";
import { loadConfig } from "../../../src/config/load.js";
import { runRuleTestCommand } from "../../../src/cli/rule-tests.js";
import { createLogger } from "../../../src/shared/logger.js";
import { ProblemsError } from "../../../src/shared/problems.js";
import { captureCli } from "../../helpers/cli.js";

const T0 = Date.UTC(2026, 0, 1) / 1000;

const RULES = `rules:
  - id: spam-burst
    description: Spam on one number
    when: { code: 131048 }
    group_by: [phone_number_id]
    threshold: { more_than: 2, within: 10m }
    cooldown: 5m
`;

/** Events in arrival order: out of time order, a redelivery, one without a time, one too late. */
const EVENTS = [
  { id: "a1", code: 131048, phone_number_id: "111", timestamp: T0 },
  { id: "a2", code: 131048, phone_number_id: "111", timestamp: T0 + 120 },
  { id: "a2", code: 131048, phone_number_id: "111", timestamp: T0 + 120 },
  { id: "a3", code: 131048, phone_number_id: "111" },
  { id: "b1", code: 131048, phone_number_id: "222", timestamp: T0 + 60 },
  { id: "late", code: 131048, phone_number_id: "222", timestamp: T0 - 900 },
  { id: "b2", code: 131048, phone_number_id: "222", timestamp: T0 + 30 },
  { id: "b3", code: 131048, phone_number_id: "222", timestamp: T0 + 400 },
];

let dir: string | undefined;
afterEach(() => {
  vi.restoreAllMocks();
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function workspace(config: string, rules: string): { config: string; rules: string } {
  dir = mkdtempSync(join(tmpdir(), "waba-one-engine-"));
  writeFileSync(join(dir, "config.yaml"), config);
  writeFileSync(join(dir, "rules.yaml"), rules);
  return { config: join(dir, "config.yaml"), rules: join(dir, "rules.yaml") };
}

describe("one dry-run engine", () => {
  it("gives `test --events` and a rule test over the same file the same alerts", async () => {
    const ws = workspace("channels: { ops: { type: email, to: [a@example.com] } }\n", RULES);
    const events = join(dir!, "events.jsonl");
    writeFileSync(events, `${EVENTS.map((e) => JSON.stringify(e)).join("\n")}\n`);
    const dry = await captureCli(() => runTest({ events, config: ws.config, rules: [ws.rules], json: true }));
    expect(dry.code).toBe(0);
    const alerts = (JSON.parse(dry.out) as { alerts: { rule: string; group: object; count: number; at: string }[] })
      .alerts;
    // a3 has no time of its own: it arrives at the clock (a2's time) and crosses; b3 crosses for 222.
    expect(alerts).toEqual([
      { rule: "spam-burst", group: { phone_number_id: "111" }, count: 3, at: new Date((T0 + 120) * 1000).toISOString(), state: "firing", channels: ["ops"] },
      { rule: "spam-burst", group: { phone_number_id: "222" }, count: 3, at: new Date((T0 + 400) * 1000).toISOString(), state: "firing", channels: ["ops"] },
    ]);

    const expectations = alerts
      .map((a) => `        - { rule: ${a.rule}, group: ${JSON.stringify(a.group)}, count: ${a.count}, at: "${a.at}" }`)
      .join("\n");
    writeFileSync(
      join(dir!, "spam.test.yaml"),
      `rules: [rules.yaml]\ntests:\n  - name: same file, same alerts\n    events_file: events.jsonl\n    expect:\n      alerts:\n${expectations}\n`,
    );
    const tests = await captureCli(() =>
      runRuleTestCommand([join(dir!, "spam.test.yaml")], { config: ws.config, json: false }),
    );
    expect(tests.out).toContain("ok ");
    expect(tests.code).toBe(0);
  });
});

describe("a rule that would notify no channel", () => {
  const noChannels = "defaults: { cooldown: 15m }\nrules: { paths: [rules.yaml], watch: false }\n";

  it("fails validate with file:line:col and how to fix it", async () => {
    const ws = workspace(noChannels, RULES);
    const r = await captureCli(() => runValidate(ws.config, [ws.rules]));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/rules\.yaml:2:9: rule "spam-burst" would notify no channel: .*define a channel/);
  });

  it("fails start-up with the same problem, while an explicit notify: [] records only", async () => {
    const ws = workspace(noChannels, RULES);
    const start = buildApp({ loaded: loadConfig(ws.config), mode: "start", log: createLogger("silent") });
    await expect(start).rejects.toBeInstanceOf(ProblemsError);
    await expect(start).rejects.toMatchObject({
      problems: [expect.objectContaining({ line: 2, col: 9, message: expect.stringContaining("would notify no channel") })],
    });
    const recordOnly = workspace(noChannels, RULES.replace("cooldown: 5m", "cooldown: 5m\n    notify: []"));
    const r = await captureCli(() => runValidate(recordOnly.config, [recordOnly.rules]));
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
  });
});
