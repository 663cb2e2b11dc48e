// What happens to an alert after evaluation: silences, inhibitions, history, hand-off to routing, resolve bookkeeping.
import type { Alert } from "../model/alert.js";
import { type FiredAlert, resolves } from "../evaluate/evaluator.js";
import type { Logger } from "../shared/logger.js";
import type { AlertHistoryStore, AlertState } from "./history.js";
import type { InhibitBatch, Inhibitor } from "./inhibit.js";
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
  /**
   * channels is every channel an alert goes to, its rule's and the routes' (absent: the rule's). The alert
   * is recorded with them, so history and /api/alerts say where it went, or would have gone when held back.
   */
  channels?(alert: Alert): readonly string[];
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
  const routed = (alert: Alert): Alert =>
    deps.channels ? { ...alert, notify: [...deps.channels(alert)] } : alert;

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

  /**
   * recordFiring records a firing alert as silenced, inhibited or firing and says whether to send it. A
   * redelivered alert keeps the state it was first recorded with: held back stays held back, and a sent
   * one is sent again on purpose (the stable job id makes that a no-op, and it covers a crash between
   * recording and sending).
   */
  async function recordFiring(
    alert: Alert,
    nowMs: number,
    inhibit: InhibitBatch | undefined,
  ): Promise<{ send: boolean; isNew: boolean }> {
    const silence = await silences.matching(alert, nowMs);
    const inhibitor = silence ? undefined : await inhibit?.inhibitorOf(alert, nowMs);
    const isNew = inhibitor
      ? await record({ ...alert, inhibited_by: inhibitor.id }, "inhibited")
      : await record(alert, silence ? "silenced" : "firing");
    if (isNew) {
      const at = { alert: alert.id, rule: alert.rule.id };
      if (silence) log.info({ ...at, silence: silence.id }, "alert silenced");
      if (inhibitor) log.info({ ...at, inhibited_by: inhibitor.id }, "alert inhibited");
      return { send: !silence && !inhibitor, isNew };
    }
    const state = (await history.get(alert.id))?.state;
    return { send: state !== "silenced" && state !== "inhibited", isNew };
  }

  return {
    async handleFiring(fired) {
      const inhibit = deps.inhibitor?.batch();
      const isSource = (f: FiredAlert) => Number(deps.inhibitor?.isSource(f.alert) ?? false);
      // Sources first: an alert that inhibits others holds back the targets of its own batch too.
      for (const f of [...fired]
        .sort((a, b) => isSource(b) - isSource(a))
        .map((x) => ({ ...x, alert: routed(x.alert) }))) {
        const { alert } = f;
        const nowMs = deps.now();
        const { send, isNew } = await recordFiring(alert, nowMs, inhibit);
        if (!send) continue;
        await deps.send(alert);
        await inhibit?.fired(alert, nowMs);
        // A held-back firing was never sent, so it gets no resolve; nor does a redelivery of a resolved one.
        if (!isNew && (await history.get(alert.id))?.state === "resolved") continue;
        // resolve_after 0 (a rule without threshold or cooldown) would resolve every alert at once: no resolves.
        if (resolves(f.window)) await registerForResolve(pendingResolveOf(f));
      }
    },
    async handleResolved(unrouted, pending) {
      const resolved = routed(unrouted);
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
