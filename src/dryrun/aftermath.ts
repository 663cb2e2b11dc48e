// What the alert lifecycle would do with dry-run alerts, in memory: inhibit them, resolve sources, route them.
import { createInhibitor, createMemorySourceStore } from "../alerts/inhibit.js";
import { alertFacts } from "../alerts/match.js";
import { type PendingResolve, pendingResolveOf } from "../alerts/resolve-store.js";
import { probeOf, resolveDecision } from "../alerts/resolver.js";
import type { Alert } from "../model/alert.js";
import { type FiredAlert, resolves } from "../evaluate/evaluator.js";
import type { WindowInspector } from "../evaluate/window/types.js";
import { type Route, routeAlert } from "../route/routes.js";
import type { Inhibition } from "../rules/types.js";

/** Fate is what would become of one fired alert: sent to `channels`, or inhibited by a firing alert. */
export interface Fate {
  readonly state: "firing" | "inhibited";
  /** The firing alert that inhibits it, when inhibited. */
  readonly inhibitedBy?: Alert;
  /** The channels it would reach: the rule's own plus the routes' (none when inhibited). */
  readonly channels: readonly string[];
}

/** Aftermath follows alerts through inhibition and routing as a worker would, on the dry run's clock. */
export interface Aftermath {
  /** resolveDue lets sources whose window calmed down by `clockMs` resolve (they inhibit no more). */
  resolveDue(clockMs: number): Promise<void>;
  /** fates decides, in order, what becomes of a batch's new alerts at `clockMs`. */
  fates(fired: readonly FiredAlert[], clockMs: number): Promise<Fate[]>;
}

/** createAftermath builds the in-memory lifecycle over the run's windows. */
export function createAftermath(
  inhibitions: readonly Inhibition[],
  routes: readonly Route[],
  windows: WindowInspector,
): Aftermath {
  const inhibitor = createInhibitor({ inhibitions: () => inhibitions, store: createMemorySourceStore() });
  // One firing source per rule+group stream waits to resolve, as the resolve store keeps it.
  const waiting = new Map<string, PendingResolve>();
  const sourcesById = new Map<string, Alert>();
  return {
    async resolveDue(clockMs) {
      for (const [fingerprint, p] of waiting) {
        const state = await windows.inspect(probeOf(p), clockMs);
        if (!resolveDecision(p, state, clockMs, 0).resolve) continue;
        waiting.delete(fingerprint);
        await inhibitor.resolved(p.alert);
      }
    },
    async fates(fired, clockMs) {
      const batch = inhibitor.batch();
      const fates = new Map<FiredAlert, Fate>();
      // Sources first, as the lifecycle takes them: a source inhibits targets of its own batch.
      const order = [...fired].sort(
        (a, b) => Number(inhibitor.isSource(b.alert)) - Number(inhibitor.isSource(a.alert)),
      );
      for (const f of order) {
        const by = await batch.inhibitorOf(f.alert, clockMs);
        if (by) {
          const source = sourcesById.get(by.id);
          fates.set(f, { state: "inhibited", ...(source ? { inhibitedBy: source } : {}), channels: [] });
          continue;
        }
        await batch.fired(f.alert, clockMs);
        if (inhibitor.isSource(f.alert)) {
          sourcesById.set(f.alert.id, f.alert);
          if (resolves(f.window)) waiting.set(f.alert.fingerprint, pendingResolveOf(f));
        }
        const { channels } = routeAlert(alertFacts(f.alert), f.alert.notify, routes);
        fates.set(f, { state: "firing", channels });
      }
      return fired.map((f) => fates.get(f) as Fate);
    },
  };
}
