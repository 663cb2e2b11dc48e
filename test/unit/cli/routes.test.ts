// `waba-alerts routes test`: the channels an alert with given facts reaches, and `validate` on routes.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { runRoutesTest } from "../../../src/cli/routes-test.js";
import { runValidate } from "../../../src/cli/validate.js";
import { captureCli } from "../../helpers/cli.js";

/** bspConfig writes a BSP-style config (the shipped rules, one channel per client, routes by waba_id). */
function bspConfig(routes: string): string {
  const dir = mkdtempSync(join(tmpdir(), "waba-routes-"));
  const file = join(dir, "config.yaml");
  writeFileSync(
    file,
    `rules: { paths: ["${resolve("rules")}"], watch: false }
channels:
  ops: { type: email, to: [ops@bsp.example.com] }
  acme: { type: webhook, url: "https://acme.example.com/hook", format: slack }
  globex: { type: email, to: [noc@globex.example.com], group: { by: [rule, phone_number_id], interval: 10m } }
  audit: { type: webhook, url: "https://audit.example.com/hook" }
defaults: { notify: [ops] }
routes:
${routes}`,
  );
  return file;
}

const ROUTES = `  - match: { waba_id: "111" }
    notify: [acme]
  - match: { waba_id: ["222", "223"] }
    notify: [globex]
    continue: true
  - match: { severity: critical }
    notify: [audit]
`;

describe("waba-alerts routes test", () => {
  const config = bspConfig(ROUTES);

  it("prints the rule's channels plus each matching route's, with where each route is written", async () => {
    const r = await captureCli(() =>
      runRoutesTest({ config, facts: '{"waba_id":"222","phone_number_id":"1065"}', rule: "spam-rate-limit" }),
    );
    expect(r.code).toBe(0);
    const lines = r.out.split("\n");
    expect(lines[0]).toBe("channels: ops, globex, audit");
    expect(r.out).toContain("ops: rule spam-rate-limit's notify; grouped by rule, digests every 5m");
    expect(r.out).toMatch(
      /route 2 \(.*config\.yaml:11:5\) matches \{ waba_id: \[222, 223\] \} → globex; continue: true/,
    );
    expect(r.out).toContain("globex: route 2; grouped by rule, phone_number_id, digests every 10m");
    expect(r.out).toContain("audit: route 3; every alert sent on its own");
  });

  it("stops at the first match without continue, compares numbers as text, and uses defaults.notify without a rule", async () => {
    const r = await captureCli(() =>
      runRoutesTest({ config, facts: '{"waba_id":111,"severity":"critical"}', json: true }),
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({
      channels: ["ops", "acme"],
      own: ["ops"],
      routes: [{ route: 1 }],
    });
    const none = await captureCli(() => runRoutesTest({ config, facts: '{"waba_id":"999"}' }));
    expect(none.out).toBe(
      "channels: ops\n  ops: defaults.notify (no rule given); grouped by rule, digests every 5m\n  no route of 3 matched\n",
    );
  });

  it("exits 1 on facts that are not a JSON object, and on a rule it does not know", async () => {
    const bad = await captureCli(() => runRoutesTest({ config, facts: "waba_id=1" }));
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/--facts is not JSON/);
    const list = await captureCli(() => runRoutesTest({ config, facts: "[1]" }));
    expect(list.err).toMatch(/--facts must be a JSON object/);
    const rule = await captureCli(() => runRoutesTest({ config, facts: "{}", rule: "spam-rate-limt" }));
    expect(rule.code).toBe(1);
    expect(rule.err).toContain('no rule "spam-rate-limt"; did you mean "spam-rate-limit"?');
  });
});

describe("waba-alerts validate on routes", () => {
  it("reports a route matching a rule that does not exist, at its position in the config", async () => {
    const config = bspConfig(`  - match: { rule: spam-rate-limt }\n    notify: [audit]\n`);
    const r = await captureCli(() => runValidate(config, []));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/config\.yaml:9:20: no rule "spam-rate-limt"; did you mean "spam-rate-limit"\?/);
  });
});
