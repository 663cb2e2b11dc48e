import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createRuleRegistry, type RuleRegistry } from "../../../src/rules/registry.js";
import type { RuleLoadResult } from "../../../src/rules/types.js";
import { formatProblem, ProblemsError } from "../../../src/shared/problems.js";
import { OPTS } from "./support.js";

const SPAM = `rules:
  - id: spam-rate-limit
    description: Spam rate limit
    when: { code: 131048 }
    group_by: [phone_number_id]
    threshold: { more_than: 5, within: 10m }
`;
const PAYMENT = `rules:
  - id: payment-issue
    description: Payment problem
    when: { code: 131042 }
`;

describe("rule registry", () => {
  let dir: string;
  let registry: RuleRegistry | undefined;
  const seen: RuleLoadResult[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "waba-rules-"));
    writeFileSync(join(dir, "spam.yaml"), SPAM);
    seen.length = 0;
  });
  afterEach(() => {
    registry?.close();
    registry = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  const open = () => createRuleRegistry(["."], { ...OPTS, baseDir: dir }, { onReload: (r) => seen.push(r) });
  const ids = (r: RuleRegistry) => r.current().rules.map((rule) => rule.id);

  it("refuses to start on invalid rules, with every problem", async () => {
    writeFileSync(join(dir, "bad.yaml"), "rules:\n  - id: x\n    description: x\n    when: { codee: 1 }\n");
    const err = await open().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProblemsError);
    expect((err as ProblemsError).problems.map(formatProblem)).toEqual([
      'bad.yaml:4:13: unknown fact "codee"; did you mean "code"?',
    ]);
  });

  it("a good edit swaps in the new set; unchanged rules keep their state key", async () => {
    registry = await open();
    const before = registry.current();
    expect(ids(registry)).toEqual(["spam-rate-limit"]);

    writeFileSync(join(dir, "payment.yaml"), PAYMENT);
    writeFileSync(join(dir, "spam.yaml"), SPAM.replace("Spam rate limit", "Spam rate limit, reworded"));
    const result = await registry.reload();

    expect(result.ok).toBe(true);
    expect(ids(registry)).toEqual(["payment-issue", "spam-rate-limit"]);
    expect(registry.lastProblems()).toEqual([]);
    const spam = registry.current().rules.find((r) => r.id === "spam-rate-limit");
    expect(spam?.description).toBe("Spam rate limit, reworded");
    expect(spam?.stateKey).toBe(before.rules[0]?.stateKey);
    expect(before.rules).toHaveLength(1); // the old set was swapped, not changed
  });

  it("a bad edit keeps the last good set and reports the problems", async () => {
    registry = await open();
    const good = registry.current();
    writeFileSync(join(dir, "payment.yaml"), PAYMENT.replace("when:", "wehn:"));

    const result = await registry.reload();

    expect(result.ok).toBe(false);
    expect(registry.current()).toBe(good);
    expect(registry.lastProblems().map(formatProblem)).toEqual([
      'payment.yaml:4:5: unknown key "wehn" in "rules.0"; did you mean "when"?',
    ]);
    expect(seen.map((r) => r.ok)).toEqual([false]);
  });

  it("watch reloads after a file changes", async () => {
    registry = await open();
    registry.watch();
    writeFileSync(join(dir, "payment.yaml"), PAYMENT);
    await expect.poll(() => ids(registry as RuleRegistry), { timeout: 5000 }).toContain("payment-issue");
  });

  it("ignores rule unit-test files", async () => {
    writeFileSync(join(dir, "spam.test.yaml"), "not: [a rule file");
    registry = await open();
    expect(ids(registry)).toEqual(["spam-rate-limit"]);
  });
});
