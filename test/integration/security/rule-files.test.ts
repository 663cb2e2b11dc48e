// Hostile or careless rule files (alias bombs, huge files, thousands of files) are reported reload errors.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runValidate } from "../../../src/cli/validate.js";
import { captureCli } from "../../helpers/cli.js";
import { ADMIN, SPAM_RULES } from "../../helpers/engine.js";
import { type LoggedApp, useEngine } from "./support.js";

/** BOMB nests aliases nine wide and six deep: 9^6 = 531,441 strings from under 300 bytes. */
const BOMB = `rules: *f
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
`;

interface RulesView {
  rules: { id: string }[];
  errors: { file: string; line: number; col: number; message: string }[];
}

describe("rule files an attacker or a careless admin could write", () => {
  const slot = useEngine();
  const start = (rulesConfig?: string) => slot.start(rulesConfig ? { rulesConfig } : {}, "serve");
  const rulesDir = () => join(slot.current().dir, "rules");

  const api = (e: LoggedApp, method: "GET" | "POST", url: string) =>
    e.app.server!.inject({ method, url, headers: { authorization: `Bearer ${ADMIN}` } });

  const reloadFailures = async (e: LoggedApp) =>
    Number(
      /waba_rule_reload_failures_total (\d+)/.exec(
        await e.app.metrics.registry.getSingleMetricAsString("waba_rule_reload_failures_total"),
      )?.[1],
    );

  /** reloadRejected reloads through the API and checks every place a rejected reload must show up. */
  async function reloadRejected(e: LoggedApp, failuresBefore: number): Promise<RulesView["errors"]> {
    const res = await api(e, "POST", "/api/rules/reload");
    expect(res.statusCode).toBe(422);
    const answer = res.json() as RulesView;
    expect(answer.errors.length).toBeGreaterThan(0);
    // The last good rules stay in force.
    expect(answer.rules.map((r) => r.id)).toEqual(["spam-burst"]);
    expect(((await api(e, "GET", "/api/rules")).json() as RulesView).errors).toEqual(answer.errors);
    expect(await reloadFailures(e)).toBe(failuresBefore + 1);
    const logged = e.logs.filter((l) => l.msg === "rule reload rejected; keeping the last good rules");
    expect(logged).toHaveLength(failuresBefore + 1);
    const ready = await e.app.server!.inject({ url: "/readyz" });
    expect(ready.statusCode).toBe(200);
    return answer.errors;
  }

  it("an alias bomb is a reload error at file:line:col: logged, counted, shown, answered 422", async () => {
    const e = await start();
    writeFileSync(join(rulesDir(), "bomb.yaml"), BOMB);
    const errors = await reloadRejected(e, 0);
    expect(errors).toEqual([
      expect.objectContaining({
        file: "rules/bomb.yaml",
        line: 1,
        col: 8,
        message: expect.stringMatching(/aliases expand too much/),
      }),
    ]);
    const line = e.logs.find((l) => l.msg === "rule reload rejected; keeping the last good rules");
    expect(JSON.stringify(line?.problems)).toContain("rules/bomb.yaml:1:8: YAML aliases expand too much");
  });

  it("a rule file larger than rules.max_file_size (default 1 MiB) is refused unread", async () => {
    const e = await start();
    const padding = `# ${"x".repeat(1000)}\n`.repeat(1100);
    writeFileSync(join(rulesDir(), "huge.yaml"), `${SPAM_RULES.replace("spam-burst", "other")}${padding}`);
    const errors = await reloadRejected(e, 0);
    expect(errors).toEqual([
      {
        file: "rules/huge.yaml",
        line: 1,
        col: 1,
        message:
          "rule file is 1.1 MiB, more than rules.max_file_size (1 MiB); split it into several files, or raise rules.max_file_size in the config",
      },
    ]);
  });

  it("more rule files than rules.max_files are refused, naming the first one past the limit", async () => {
    const e = await start("max_files: 2, max_file_size: 4kb");
    for (const name of ["b.yaml", "c.yaml"]) writeFileSync(join(rulesDir(), name), "rules: []\n");
    const errors = await reloadRejected(e, 0);
    expect(errors).toEqual([
      expect.objectContaining({
        file: "rules/spam.yaml",
        message: expect.stringContaining("3 rule files under rules.paths, more than rules.max_files (2)"),
      }),
    ]);
    writeFileSync(join(rulesDir(), "c.yaml"), `rules: []\n# ${"y".repeat(5000)}\n`);
    // Both limits at once: c.yaml is read (and too large), spam.yaml is past the count.
    const again = await reloadRejected(e, 1);
    expect(again.map((p) => p.file)).toEqual(["rules/c.yaml", "rules/spam.yaml"]);
    expect(again[0]?.message).toMatch(/^rule file is 4\.9 KiB, more than rules.max_file_size \(4 KiB\)/);
  });

  it("validate reports the alias bomb at file:line:col and exits 1", async () => {
    const dir = await slot.dir();
    writeFileSync(join(rulesDir(), "bomb.yaml"), BOMB);
    const run = await captureCli(() => runValidate(dir.config, [rulesDir()]));
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/bomb\.yaml:1:8: YAML aliases expand too much/);
  });
});
