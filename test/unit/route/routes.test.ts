// Routes as a BSP writes them: tried in order on an alert's facts, each match adding channels, `continue` going on.
import { describe, expect, it } from "vitest";
import { alertFacts } from "../../../src/alerts/match.js";
import type { Config } from "../../../src/config/schema.js";
import { sampleAlert } from "../../../src/notify/sample.js";
import { compileRoutes, routeAlert } from "../../../src/route/routes.js";

const ROUTES = compileRoutes([
  { match: { waba_id: 102290129340398 }, notify: ["acme"], continue: false },
  { match: { waba_id: ["111", "222"] }, notify: ["globex", "ops"], continue: true },
  { match: { severity: "critical" }, notify: ["pager"], continue: false },
  { match: { rule: "spam-rate-limit", waba_id: "222" }, notify: ["not-after-pager"], continue: false },
] as Config["routes"]);

const facts = (where: Record<string, string>, severity: "critical" | "warning" = "critical") =>
  alertFacts({ ...sampleAlert(), where, rule: { ...sampleAlert().rule, severity } });

describe("routeAlert", () => {
  it("adds a matching route's channels to the rule's own, and stops there by default", () => {
    const r = routeAlert(facts({ waba_id: "102290129340398" }), ["ops"], ROUTES);
    expect(r.channels).toEqual(["ops", "acme"]);
    expect(r.matched.map((m) => m.index)).toEqual([0]);
  });

  it("goes on after a route with continue: true, and lists each channel once", () => {
    const r = routeAlert(facts({ waba_id: "222" }), ["ops"], ROUTES);
    expect(r.channels).toEqual(["ops", "globex", "pager"]);
    expect(r.matched.map((m) => m.index)).toEqual([1, 2]);
  });

  it("keeps only the rule's channels when nothing matches", () => {
    const r = routeAlert(facts({ waba_id: "999" }, "warning"), ["ops"], ROUTES);
    expect(r).toEqual({ channels: ["ops"], matched: [] });
  });

  it("matches numbers written unquoted against the text of the fact", () => {
    expect(ROUTES[0]?.match).toEqual({ waba_id: ["102290129340398"] });
  });

  it("never matches a fact the alert does not have", () => {
    const r = routeAlert(facts({}, "warning"), [], ROUTES);
    expect(r.channels).toEqual([]);
  });
});
