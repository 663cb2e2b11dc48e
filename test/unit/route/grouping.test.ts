// Which channels gather alerts into digests by default, and which alerts share a digest.
import { describe, expect, it } from "vitest";
import { alertFacts } from "../../../src/alerts/match.js";
import type { ChannelConfig } from "../../../src/config/schema.js";
import { sampleAlert } from "../../../src/notify/sample.js";
import { DEFAULT_GROUP_INTERVAL_MS, groupOf, groupSpecOf } from "../../../src/route/grouping.js";
import { emailChannel, webhookChannel } from "../../fixtures/notify/config.js";

describe("groupSpecOf", () => {
  it("groups email and chat formats by rule every 5m, and leaves machine-read webhooks alone", () => {
    const byRule = { by: ["rule"], intervalMs: DEFAULT_GROUP_INTERVAL_MS };
    expect(groupSpecOf(emailChannel())).toEqual(byRule);
    for (const format of ["slack", "teams", "google-chat"] as const)
      expect(groupSpecOf(webhookChannel("http://127.0.0.1:1/h", { format }))).toEqual(byRule);
    expect(groupSpecOf(webhookChannel("http://127.0.0.1:1/h"))).toBeUndefined();
    expect(
      groupSpecOf(webhookChannel("http://127.0.0.1:1/h", { format: "slack", template: "{}" })),
    ).toBeUndefined();
  });

  it("follows the channel's own group setting, filling what it leaves out", () => {
    const email = emailChannel();
    expect(groupSpecOf({ ...email, group: false })).toBeUndefined();
    expect(groupSpecOf({ ...email, group: { interval: "30s" } } as ChannelConfig, 30_000)).toEqual({
      by: ["rule"],
      intervalMs: 30_000,
    });
    const json = webhookChannel("http://127.0.0.1:1/h");
    expect(groupSpecOf({ ...json, group: { by: ["waba_id"], interval: "1m" } }, 60_000)).toEqual({
      by: ["waba_id"],
      intervalMs: 60_000,
    });
  });
});

describe("groupOf", () => {
  const spec = { by: ["rule", "waba_id"], intervalMs: 1000 };
  const a = sampleAlert();

  it("puts alerts with the same values on one channel in one group", () => {
    const other = { ...a, id: "x", where: { ...a.where, phone_number_id: "999" } };
    expect(groupOf(a, alertFacts(a), "ops", spec)).toEqual(groupOf(other, alertFacts(other), "ops", spec));
    expect(groupOf(a, alertFacts(a), "ops", spec).values).toEqual({
      rule: "spam-rate-limit",
      waba_id: "102290129340398",
    });
  });

  it("keeps channels, alert types and values apart", () => {
    const id = groupOf(a, alertFacts(a), "ops", spec).id;
    expect(groupOf(a, alertFacts(a), "team", spec).id).not.toBe(id);
    const resolved = { ...a, type: "alert.resolved" as const };
    expect(groupOf(resolved, alertFacts(resolved), "ops", spec).id).not.toBe(id);
    const elsewhere = { ...a, where: { waba_id: "1" } };
    expect(groupOf(elsewhere, alertFacts(elsewhere), "ops", spec).id).not.toBe(id);
  });
});
