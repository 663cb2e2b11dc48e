// What happens to an alert after evaluation: silences, inhibitions, history, hand-off to routing, resolve bookkeeping.
import type { Alert } from "../evaluate/alert.js";
import type { FiredAlert } from "../evaluate/evaluator.js";
import type { Logger } from "../shared/logger.js";
import type { AlertHistoryStore, AlertState } from "./history.js";
import type { Inhibitor } from "./inhibit.js";
import { type PendingResolve, pendingResolveOf, type ResolveStore } from "./resolve-store.js";
import type { SilenceStore } from "./silences.js";

/** LifecycleDeps are the collaborators app.ts wires into the alert lifecycle. */
export interface LifecycleDeps {
  history: AlertHistoryStore;
  silences: SilenceStore;
  resolves: ResolveStore;
  /** inhibitor holds back alerts while an inhibiting alert fires (absent: nothing is inhibited). */
  inhibitor?: Inhibitor;
  /** send hands an alert on towards its channels (idempotent per alert id). */
  send(alert: Alert): Promise<void>;
  /** recorded is called once per alert newly stored in history, for metrics. */
  recorded?(alert: Alert, state: AlertState): void;
  log: Logger;
  now: () => number;
}

/** AlertLifecycle handles firing alerts from the events worker and resolved alerts from the resolver. */
export interface AlertLifecycle {
  /**
   * handleFiring records, silences, inhibits or sends a batch's alerts and registers each sent firing
   * for resolving. Alerts that can inhibit others go first, so a source inhibits targets of its own batch.
   */
  handleFiring(fired: readonly FiredAlert[]): Promise<void>;
  /** handleResolved records and sends a resolved alert and marks its firing alert resolved. */
  handleResolved(resolved: Alert, pending: PendingResolve): Promise<void>;
}

/** createAlertLifecycle builds the lifecycle over history, silences and pending resolves. */
export function createAlertLifecycle(deps: LifecycleDeps): AlertLifecycle {
  const { history, silences, log } = deps;

  async function record(alert: Alert, state: AlertState): Promise<boolean> {
    const isNew = await history.record(alert, state);
    if (isNew) deps.recorded?.(alert, state);
    return isNew;
  }

  /**
   * registerForResolve schedules the resolve check. Only the newest firing of a rule+group waits to
   * resolve; the older one it replaces (or this one, when a newer firing got there first) is marked
   * superseded so that it does not stay "firing" in history for ever.
   */
  async function registerForResolve(pending: PendingResolve): Promise<void> {
    const outcome = await deps.resolves.register(pending);
    const stale = outcome.registered ? outcome.replaced : pending.alert.id;
    if (stale === undefined) return;
    // Only a firing moves to superseded: a silenced or resolved entry keeps its state.
    if ((await history.get(stale))?.state !== "firing") return;
    await history.setState(stale, "superseded");
    log.info({ alert: stale, rule: pending.alert.rule.id }, "alert superseded by a newer firing");
  }

  return {
    async handleFiring(fired) {
      const inhibit = deps.inhibitor?.batch();
      const sourcesFirst = deps.inhibitor
        ? [...fired].sort(
            (a, b) => Number(deps.inhibitor?.isSource(b.alert)) - Number(deps.inhibitor?.isSource(a.alert)),
          )
        : fired;
      for (const f of sourcesFirst) {
        const { alert } = f;
        const nowMs = deps.now();
        const silence = await silences.matching(alert, nowMs);
        const inhibitor = silence ? undefined : await inhibit?.inhibitorOf(alert, nowMs);
        if (inhibitor) {
          const isNew = await record({ ...alert, inhibited_by: inhibitor.id }, "inhibited");
          // A redelivery of an alert sent before its inhibitor fired is sent again (a no-op), not re-recorded.
          if (isNew || (await history.get(alert.id))?.state === "inhibited") {
            if (isNew)
              log.info(
                { alert: alert.id, rule: alert.rule.id, inhibited_by: inhibitor.id },
                "alert inhibited",
              );
            continue;
          }
        }
        const isNew = await record(alert, silence ? "silenced" : "firing");
        if (silence) {
          if (isNew)
            log.info({ alert: alert.id, rule: alert.rule.id, silence: silence.id }, "alert silenced");
          continue;
        }
        // A redelivery of an alert recorded as inhibited stays held back, whatever fires now.
        if (!isNew && (await history.get(alert.id))?.state === "inhibited") continue;
        // A redelivered alert is sent again on purpose: the stable job id makes it a no-op, and it
        // covers a crash between recording and sending.
        await deps.send(alert);
        await inhibit?.fired(alert, nowMs);
        // A silenced firing was never sent, so it gets no resolve; nor does a redelivery of a resolved one.
        if (!isNew && (await history.get(alert.id))?.state === "resolved") continue;
        // resolve_after 0 (a rule without threshold or cooldown) would resolve every alert at once: no resolves.
        if (f.window.resolveAfterMs > 0) await registerForResolve(pendingResolveOf(f));
      }
    },
    async handleResolved(resolved, pending) {
      // Resolved, the firing inhibits no more (before anything else can fail: it never over-inhibits).
      await deps.inhibitor?.resolved(pending.alert);
      const silence = await silences.matching(resolved, deps.now());
      await record(resolved, silence ? "silenced" : "resolved");
      await history.setState(pending.alert.id, "resolved");
      if (silence) {
        log.info(
          { alert: resolved.id, rule: resolved.rule.id, silence: silence.id },
          "resolved alert silenced",
        );
        return;
      }
      log.info({ alert: resolved.id, firing: pending.alert.id, rule: resolved.rule.id }, "alert resolved");
      await deps.send(resolved);
    },
  };
}
