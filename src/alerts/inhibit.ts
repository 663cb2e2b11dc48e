// Inhibition: while a source alert fires, matching target alerts with the same `equal` facts are held back.
import type { Alert } from "../model/alert.js";
import type { Inhibition } from "../rules/types.js";
import { type AlertFacts, alertFacts, matchesAll, sameValues } from "./match.js";

/**
 * INHIBIT_MAX_MS is the longest a source inhibits after its latest firing when it never resolves (a rule
 * whose resolve_after works out to 0, or a resolve lost with its Redis keys): the state stays bounded.
 */
export const INHIBIT_MAX_MS = 24 * 3_600_000;

/** InhibitSource is a firing alert that matches some inhibition's source, kept until it resolves. */
export interface InhibitSource {
  /** The firing alert's id: what an inhibited alert's `inhibited_by` names. */
  readonly id: string;
  /** One source per rule+group stream: a re-firing replaces the older one. */
  readonly fingerprint: string;
  readonly rule: string;
  readonly facts: AlertFacts;
  /** Unix ms after which the source no longer inhibits, even if it never resolved. */
  readonly untilMs: number;
}

/** InhibitSourceStore keeps the sources that fire now; Redis in production, memory in dry runs. */
export interface InhibitSourceStore {
  /** add keeps `source`, replacing an older source of the same fingerprint. */
  add(source: InhibitSource): Promise<void>;
  /** remove drops the source of `fingerprint` when it is still alert `id` (a newer firing stays). */
  remove(fingerprint: string, id: string): Promise<void>;
  /** active lists the sources whose `untilMs` is after `nowMs`, forgetting the others. */
  active(nowMs: number): Promise<InhibitSource[]>;
}

/** isSource says whether an alert with these facts is the source of some inhibition. */
export function isSource(facts: AlertFacts, inhibitions: readonly Inhibition[]): boolean {
  return inhibitions.some((i) => matchesAll(i.source, facts));
}

/**
 * inhibitorOf returns the active source that inhibits `alert`, if any: an inhibition whose target
 * matches the alert, and a source of another rule+group stream matching its source, with the same
 * values of every `equal` fact (a fact missing on either side is never equal).
 */
export function inhibitorOf(
  alert: Alert,
  sources: readonly InhibitSource[],
  inhibitions: readonly Inhibition[],
  nowMs: number,
): InhibitSource | undefined {
  const facts = alertFacts(alert);
  for (const inhibition of inhibitions) {
    if (!matchesAll(inhibition.target, facts)) continue;
    const found = sources.find(
      (s) =>
        s.untilMs > nowMs &&
        s.fingerprint !== alert.fingerprint &&
        matchesAll(inhibition.source, s.facts) &&
        sameValues(inhibition.equal, s.facts, facts),
    );
    if (found) return found;
  }
  return undefined;
}

/** InhibitorDeps are what createInhibitor needs: the inhibitions in force and where sources are kept. */
export interface InhibitorDeps {
  inhibitions(): readonly Inhibition[];
  store: InhibitSourceStore;
}

/** InhibitBatch answers for the alerts of one batch, reading the store at most once. */
export interface InhibitBatch {
  /** inhibitorOf returns the source inhibiting `alert` at `nowMs`, or undefined when it may be sent. */
  inhibitorOf(alert: Alert, nowMs: number): Promise<InhibitSource | undefined>;
  /** fired notes a sent firing alert: when it matches a source it inhibits from now on. */
  fired(alert: Alert, nowMs: number): Promise<void>;
}

/** Inhibitor applies the inhibitions in force to firing alerts. */
export interface Inhibitor {
  /** batch starts the answers for one batch of alerts. */
  batch(): InhibitBatch;
  /** resolved notes that a firing alert resolved: it inhibits no more. */
  resolved(firing: Alert): Promise<void>;
  /** isSource says whether `alert` matches the source of an inhibition in force. */
  isSource(alert: Alert): boolean;
}

/** createInhibitor builds the inhibitor over a source store. */
export function createInhibitor(deps: InhibitorDeps): Inhibitor {
  const isSourceAlert = (alert: Alert) => isSource(alertFacts(alert), deps.inhibitions());
  return {
    isSource: isSourceAlert,
    batch() {
      let sources: InhibitSource[] | undefined;
      const load = async (nowMs: number) => {
        sources ??= await deps.store.active(nowMs);
        return sources;
      };
      return {
        async inhibitorOf(alert, nowMs) {
          const inhibitions = deps.inhibitions();
          const facts = alertFacts(alert);
          // Most alerts are no inhibition's target: they cost no Redis call.
          if (!inhibitions.some((i) => matchesAll(i.target, facts))) return undefined;
          return inhibitorOf(alert, await load(nowMs), inhibitions, nowMs);
        },
        async fired(alert, nowMs) {
          if (alert.type !== "alert.firing" || !isSourceAlert(alert)) return;
          const source: InhibitSource = {
            id: alert.id,
            fingerprint: alert.fingerprint,
            rule: alert.rule.id,
            facts: alertFacts(alert),
            untilMs: nowMs + INHIBIT_MAX_MS,
          };
          await deps.store.add(source);
          if (sources) sources = [...sources.filter((s) => s.fingerprint !== source.fingerprint), source];
        },
      };
    },
    async resolved(firing) {
      await deps.store.remove(firing.fingerprint, firing.id);
    },
  };
}

/** createMemorySourceStore keeps sources in memory (dry runs and rule tests: no Redis). */
export function createMemorySourceStore(): InhibitSourceStore & { list(): InhibitSource[] } {
  const byFingerprint = new Map<string, InhibitSource>();
  return {
    async add(source) {
      byFingerprint.set(source.fingerprint, source);
    },
    async remove(fingerprint, id) {
      if (byFingerprint.get(fingerprint)?.id === id) byFingerprint.delete(fingerprint);
    },
    async active(nowMs) {
      for (const [f, s] of byFingerprint) if (s.untilMs <= nowMs) byFingerprint.delete(f);
      return [...byFingerprint.values()];
    },
    list: () => [...byFingerprint.values()],
  };
}
