import { describe, expect, it } from "vitest";
import { loadRules } from "../../../src/rules/load.js";
import { formatProblem } from "../../../src/shared/problems.js";
import { accountChange, OPTS, statusError } from "./support.js";

async function defaultSet() {
  const result = await loadRules(["rules"], OPTS);
  if (!result.ok) throw new Error(result.problems.map(formatProblem).join("\n"));
  return result.set;
}

describe("the shipped default rules", () => {
  it("load without problems and use the config's default channel", async () => {
    const set = await defaultSet();
    expect(set.rules.length).toBeGreaterThanOrEqual(13);
    for (const rule of set.rules) expect(rule.notify, rule.id).toEqual(["ops"]);
    expect(set.files.map((f) => f.split("/").pop())).toEqual([
      "account.yaml",
      "delivery.yaml",
      "flows.yaml",
      "numbers.yaml",
      "templates.yaml",
      "traffic.yaml",
    ]);
  });

  it("cover every code of the support article", async () => {
    const set = await defaultSet();
    for (const code of [131048, 131026, 131042, 130472, 131049, 131031, 132000, 100, 131053]) {
      const event = statusError(code);
      const matched = [];
      // traffic.yaml's rules read every status (shares, spikes, silences); one rule per code is the point here.
      const perCode = set.candidates(event).filter((r) => !r.source.file.endsWith("traffic.yaml"));
      for (const rule of perCode) if ((await rule.match(event)).matched) matched.push(rule.id);
      expect(matched, String(code)).toHaveLength(1);
    }
  });

  it("spam-rate-limit: more than 5 in 10 minutes per number, critical", async () => {
    const rule = (await defaultSet()).rules.find((r) => r.id === "spam-rate-limit");
    expect(rule).toMatchObject({
      severity: "critical",
      groupBy: ["phone_number_id"],
      threshold: { moreThan: 5, withinMs: 600_000 },
    });
    expect(rule?.actions.join(" ")).toMatch(/quality rating/);
  });

  it("catch account-level changes", async () => {
    const set = await defaultSet();
    const cases = [
      [
        accountChange("message_template_status_update", { event: "PAUSED", template: { name: "t" } }),
        "template-paused-or-disabled",
      ],
      [
        accountChange("message_template_quality_update", { quality: { previous: "YELLOW", new: "RED" } }),
        "template-quality-red",
      ],
      [accountChange("account_update", { event: "ACCOUNT_RESTRICTION" }), "account-restricted"],
      [
        accountChange("account_alerts", { alert: { severity: "CRITICAL", type: "X" } }),
        "account-alert-critical",
      ],
    ] as const;
    for (const [event, id] of cases) {
      const matched = [];
      // traffic.yaml's rules read every status (shares, spikes, silences); one rule per code is the point here.
      const perCode = set.candidates(event).filter((r) => !r.source.file.endsWith("traffic.yaml"));
      for (const rule of perCode) if ((await rule.match(event)).matched) matched.push(rule.id);
      expect(matched).toEqual([id]);
    }
    const approved = accountChange("message_template_status_update", { event: "APPROVED" });
    const warning = accountChange("account_alerts", { alert: { severity: "WARNING" } });
    for (const event of [approved, warning]) {
      for (const rule of set.candidates(event)) expect((await rule.match(event)).matched).toBe(false);
    }
  });
});
