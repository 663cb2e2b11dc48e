// What happens to an alert after evaluation: silence check, history, hand-off to notify, and resolve bookkeeping.
import type { Alert } from "../evaluate/alert.js";
import { type FiredAlert, resolves } from "../evaluate/evaluator.js";
import type { Logger } from "../shared/logger.js";
import type { AlertHistoryStore, AlertState } from "./history.js";
import type { PendingResolve, ResolveStore } from "./resolve-store.js";
import type { SilenceStore } from "./silences.js";

/** LifecycleDeps are the collaborators app.ts wires into the alert lifecycle. */
export interface LifecycleDeps {
  history: AlertHistoryStore;
  silences: SilenceStore;
  resolves: ResolveStore;
  /** send hands an alert to the notify stage (idempotent per alert id). */
  send(alert: Alert): Promise<void>;
  /** recorded is called once per alert newly stored in history, for metrics. */
  recorded?(alert: Alert, state: AlertState): void;
  log: Logger;
  now: () => number;
}

/** AlertLifecycle handles firing alerts from the events worker and resolved alerts from the resolver. */
export interface AlertLifecycle {
  /** handleFiring records, silences or sends a batch's alerts and registers each sent firing for resolving. */
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

  /** pendingFor describes, for resolving later, the rule+group window that produced the alert. */
  function pendingFor({ alert, window }: FiredAlert): PendingResolve {
    return {
      alert,
      windowKey: window.key,
      probe: window.probe,
      resolveAfterMs: window.resolveAfterMs,
      firedAtMs: Date.parse(alert.created_at),
    };
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
      for (const f of fired) {
        const { alert } = f;
        const silence = await silences.matching(alert, deps.now());
        const isNew = await record(alert, silence ? "silenced" : "firing");
        if (silence) {
          if (isNew)
            log.info({ alert: alert.id, rule: alert.rule.id, silence: silence.id }, "alert silenced");
          continue;
        }
        // A redelivered alert is sent again on purpose: the stable job id makes it a no-op, and it
        // covers a crash between recording and sending.
        await deps.send(alert);
        // A silenced firing was never sent, so it gets no resolve; nor does a redelivery of a resolved one.
        if (!isNew && (await history.get(alert.id))?.state === "resolved") continue;
        // resolve_after 0 (a rule without threshold or cooldown) would resolve every alert at once: no resolves.
        if (resolves(f.window)) await registerForResolve(pendingFor(f));
      }
    },
    async handleResolved(resolved, pending) {
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
