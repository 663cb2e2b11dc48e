// The absence sweeper: in worker processes, turns groups silent for `absent.for` into alerts, each exactly once.
import type { Rule, RuleSet } from "../../rules/types.js";
import type { Logger } from "../../shared/logger.js";
import { startLoop } from "../../shared/loop.js";
import { buildAbsentAlert } from "../alert-builder.js";
import type { FiredAlert } from "../evaluator.js";
import { type CatalogLookup, windowKey } from "../facts.js";
import { absentRef } from "../hits.js";
import type { AbsenceClaim, AbsenceContext, AbsenceStore } from "./types.js";

/** SWEEP_LEASE_MS is how long a claimed group is hidden from other sweepers; a crash retries it after. */
export const SWEEP_LEASE_MS = 60_000;

/** SWEEP_BATCH is the most silent groups one rule hands out per tick. */
const SWEEP_BATCH = 100;

/** SweepDeps is what a sweep needs: the rules, the store, the catalog, and where fired alerts go. */
export interface SweepDeps {
  rules(): RuleSet;
  store: AbsenceStore;
  catalog: CatalogLookup;
  /** onFired hands alerts to the lifecycle; when it throws, the claim is not acked and is retried after the lease. */
  onFired(fired: readonly FiredAlert[]): Promise<void>;
  log?: Logger;
  leaseMs?: number;
}

function parseContext(text: string): AbsenceContext {
  try {
    const value = JSON.parse(text) as Partial<AbsenceContext>;
    return {
      group: value.group ?? {},
      where: value.where ?? {},
      eventMs: value.eventMs ?? 0,
      sample: value.sample ?? "",
      ...(typeof value.fingerprint === "string" ? { fingerprint: value.fingerprint } : {}),
    };
  } catch {
    return { group: {}, where: {}, eventMs: 0, sample: "" };
  }
}

/** absenceFiring is the alert of one claimed silence, with what the resolver needs to end it. */
export function absenceFiring(
  rule: Rule,
  claim: AbsenceClaim,
  catalog: CatalogLookup,
  nowMs: number,
): FiredAlert {
  const context = parseContext(claim.context);
  const alert = buildAbsentAlert(
    rule,
    { group: claim.group, silentSinceMs: claim.silentSinceMs, context },
    catalog,
    nowMs,
  );
  const { key, withinMs, resolutionMs } = claim.rule;
  return {
    alert,
    window: {
      key: windowKey(rule.stateKey, claim.group),
      probe: {
        kind: "absent",
        key,
        group: claim.group,
        withinMs,
        resolutionMs,
        silentSinceMs: claim.silentSinceMs,
      },
      resolveAfterMs: 0,
    },
  };
}

/**
 * sweepAbsences claims every absent rule's silent groups at `nowMs`, fires each and acks it once the
 * lifecycle took it: at least once, always with the same alert id for the same silence.
 */
export async function sweepAbsences(deps: SweepDeps, nowMs: number): Promise<FiredAlert[]> {
  const fired: FiredAlert[] = [];
  for (const rule of deps.rules().rules) {
    const ref = rule.enabled ? absentRef(rule) : undefined;
    if (!ref) continue;
    const claims = await deps.store.claim(ref, nowMs, deps.leaseMs ?? SWEEP_LEASE_MS, SWEEP_BATCH);
    for (const claim of claims) {
      const f = absenceFiring(rule, claim, deps.catalog, nowMs);
      try {
        await deps.onFired([f]);
        await deps.store.ack(claim, nowMs);
        fired.push(f);
      } catch (err) {
        // Not acked: the lease runs out and a sweep (here or in another process) fires it again.
        deps.log?.warn(
          { rule: rule.id, group: claim.group, err: (err as Error).message },
          "could not fire an absence",
        );
      }
    }
  }
  return fired;
}

/** AbsenceSweeper is a running sweep loop. */
export interface AbsenceSweeper {
  /** tick sweeps once now; resolves to the alerts fired (tests call it directly). */
  tick(): Promise<FiredAlert[]>;
  close(): Promise<void>;
}

/** startAbsenceSweeper sweeps every `intervalMs` until closed. */
export function startAbsenceSweeper(
  deps: SweepDeps & { intervalMs: number; log: Logger; now?: () => number },
): AbsenceSweeper {
  const now = deps.now ?? Date.now;
  const tick = () => sweepAbsences(deps, now());
  const loop = startLoop(tick, deps.intervalMs, (err) => deps.log.warn({ err: err.message }, "absence sweep failed"));
  return { tick, close: () => loop.close() };
}
