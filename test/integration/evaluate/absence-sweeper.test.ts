// The absence sweeper on real Redis: one owner per silent group across processes, retried after a crash, same id.
import { afterAll, describe, expect, it } from "vitest";
import { createRedisAbsenceStore } from "../../../src/evaluate/absence/redis-store.js";
import { absenceFiring, sweepAbsences } from "../../../src/evaluate/absence/sweeper.js";
import type { FiredAlert } from "../../../src/evaluate/evaluator.js";
import { absentRef } from "../../../src/evaluate/hits.js";
import { buildRuleSet } from "../../../src/rules/index-rules.js";
import { rulesFrom } from "../../unit/rules/support.js";
import { connect, deleteKeys, randomPrefix } from "./redis-helpers.js";

const MIN = 60_000;
const T0 = Date.UTC(2026, 0, 1, 9, 0, 0);

const set = buildRuleSet(
  rulesFrom(`rules:
  - id: went-quiet
    description: A busy number stopped
    when: { kind: status }
    group_by: [phone_number_id]
    absent: { for: 15m, after: 3, within: 1h }
`),
  [],
);
const rule = set.rules[0]!;
const catalog = { get: () => undefined };

describe("absence sweeper", () => {
  const a = connect();
  const b = connect();
  const prefix = randomPrefix("sweep");
  afterAll(async () => {
    await deleteKeys(a, `${prefix}:*`);
    await a.quit();
    await b.quit();
  });

  it("fires a silent group once across two processes, and again with the same id after a crash before the ack", async () => {
    const stores = [createRedisAbsenceStore(a, prefix), createRedisAbsenceStore(b, prefix)];
    const context = JSON.stringify({ group: { phone_number_id: "111" }, where: {}, eventMs: T0, sample: "{}" });
    await stores[0]!.record([{ rule: absentRef(rule)!, group: "111", count: 3, context }], T0);

    const fired: FiredAlert[] = [];
    let crash = true;
    const deps = (i: number) => ({
      rules: () => set,
      store: stores[i]!,
      catalog,
      async onFired(f: readonly FiredAlert[]) {
        if (crash) {
          crash = false;
          throw new Error("worker died before handing the alert on");
        }
        fired.push(...f);
      },
    });
    // Due at T0 + 15m: the first sweeper claims it and dies; the other one finds nothing to claim.
    expect(await sweepAbsences(deps(0), T0 + 15 * MIN)).toEqual([]);
    expect(await sweepAbsences(deps(1), T0 + 15 * MIN + 1000)).toEqual([]);
    // Once the lease ran out, another sweeper fires it; both sweepers racing see it exactly once.
    const later = T0 + 17 * MIN;
    const both = await Promise.all([sweepAbsences(deps(0), later), sweepAbsences(deps(1), later)]);
    expect(both.flat()).toHaveLength(1);
    expect(fired).toHaveLength(1);
    const { alert, window } = fired[0]!;
    expect(alert).toMatchObject({ count: 0, group: { phone_number_id: "111" }, window_seconds: 900 });
    expect(alert.silent_since).toBe(new Date(T0).toISOString());
    expect(window.probe).toMatchObject({ kind: "absent", group: "111", silentSinceMs: T0 });
    // The id depends only on the rule, the group and the silence: a retry is the same alert.
    const retried = await sweepAbsences({ ...deps(0), rules: () => set }, T0 + 60 * MIN);
    expect(retried).toEqual([]);
    const again = absenceFiring(rule, { rule: absentRef(rule)!, group: "111", silentSinceMs: T0, context }, catalog, T0 + 99 * MIN);
    expect(again.alert.id).toBe(alert.id);
  });
});
