// The resolver loop: due firings whose window stayed below its threshold for resolve_after become alert.resolved.
import { createHash } from "node:crypto";
import { type Alert, lineFields } from "../model/alert.js";
import type { WindowInspector, WindowProbe, WindowState } from "../evaluate/window/types.js";
import type { Logger } from "../shared/logger.js";
import { startLoop } from "../shared/loop.js";
import type { PendingResolve, ResolveStore } from "./resolve-store.js";

/** RESOLVE_LEASE_MS is how long a claimed entry is hidden from other processes; a crash retries it after. */
export const RESOLVE_LEASE_MS = 60_000;

/** RESOLVE_BATCH is the most entries one tick handles. */
const RESOLVE_BATCH = 100;

/** resolvedAlertId derives the resolved alert's id from the firing's, so a retried resolve is the same alert. */
export function resolvedAlertId(firingId: string): string {
  return createHash("sha256").update(`${firingId}\0resolved`).digest("hex").slice(0, 24);
}

/**
 * resolvedAlert is the alert.resolved for a firing: same rule, group, code, title and fingerprint, the
 * count now, and `firing_id` naming the firing it resolves. It carries no samples: none are in the window now.
 */
export function resolvedAlert(firing: Alert, state: WindowState, nowMs: number): Alert {
  const {
    received_at: _receivedAt,
    event_count: _events,
    count_capped: _capped,
    of_count: _of,
    ratio: _ratio,
    baseline_count: _baseline,
    ...rest
  } = firing;
  // `distinct` stays: the resolved count counts the same distinct values.
  return {
    ...rest,
    id: resolvedAlertId(firing.id),
    type: "alert.resolved",
    firing_id: firing.id,
    count: state.count,
    ...lineFields(state.count, state),
    samples: [],
    created_at: new Date(nowMs).toISOString(),
  };
}

/** probeOf says how to read a pending firing's window; entries from before probes are count windows. */
export function probeOf(entry: PendingResolve): WindowProbe {
  return (
    entry.probe ?? {
      kind: "count",
      key: entry.windowKey,
      windowMs: entry.windowMs ?? 0,
      moreThan: entry.moreThan ?? 0,
      distinct: entry.distinct ?? false,
    }
  );
}

/**
 * resolveDecision says whether a pending firing resolves at `nowMs`: its window must have stayed out of
 * "over the line" for resolve_after and be under the line now (an absence: the group spoke). Otherwise
 * it gives the next time worth checking.
 */
export function resolveDecision(
  entry: PendingResolve,
  state: WindowState,
  nowMs: number,
  recheckMs: number,
): { resolve: true } | { resolve: false; nextCheckMs: number } {
  // Expired window keys lose `above`; the firing itself then marks when the window was last above.
  const lastAbove = Math.max(state.aboveMs ?? 0, entry.firedAtMs);
  const quietAt = lastAbove + entry.resolveAfterMs;
  if (nowMs >= quietAt && !state.over) return { resolve: true };
  return { resolve: false, nextCheckMs: Math.max(quietAt, nowMs + recheckMs) };
}

/** ResolverOptions configure startResolver. */
export interface ResolverOptions {
  store: ResolveStore;
  windows: WindowInspector;
  /** How often to look for due firings (and the soonest recheck of one still above). */
  intervalMs: number;
  /** onResolved records and sends the resolved alert; it must be idempotent (it may run again after a crash). */
  onResolved(resolved: Alert, firing: PendingResolve): Promise<void>;
  log: Logger;
  now?: () => number;
  /** False runs no background loop: passes happen only through `tick` (tests that must know when one ran). */
  loop?: boolean;
}

/** Resolver is a running resolver loop. */
export interface Resolver {
  /** tick handles every due firing once now; resolves to how many resolved (tests call it directly). */
  tick(): Promise<number>;
  /** close stops the loop after the tick in progress. */
  close(): Promise<void>;
}

/** startResolver checks due firings every `intervalMs` until closed. */
export function startResolver(opts: ResolverOptions): Resolver {
  const now = opts.now ?? Date.now;

  async function handle(entry: PendingResolve): Promise<boolean> {
    const nowMs = now();
    const state = await opts.windows.inspect(probeOf(entry), nowMs);
    const decision = resolveDecision(entry, state, nowMs, opts.intervalMs);
    if (!decision.resolve) {
      await opts.store.reschedule(entry, decision.nextCheckMs);
      return false;
    }
    await opts.onResolved(resolvedAlert(entry.alert, state, nowMs), entry);
    await opts.store.finish(entry);
    return true;
  }

  async function tick(): Promise<number> {
    let resolved = 0;
    const due = await opts.store.claim(now(), RESOLVE_LEASE_MS, RESOLVE_BATCH);
    for (const entry of due) {
      try {
        if (await handle(entry)) resolved++;
      } catch (err) {
        // The lease runs out and another tick (here or in another process) tries again.
        opts.log.warn({ alert: entry.alert.id, err: (err as Error).message }, "could not resolve an alert");
      }
    }
    return resolved;
  }

  // Without a loop, passes run only through `tick` (tests that must know when one ran).
  if (opts.loop === false) return { tick, close: async () => {} };
  const loop = startLoop(tick, opts.intervalMs, (err) =>
    opts.log.warn({ err: err.message }, "resolver tick failed"),
  );
  return { tick, close: () => loop.close() };
}
