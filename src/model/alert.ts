// The Alert: what a rule firing (or resolving) produces, the value that crosses evaluate → notify.

/** Severity is how urgent a rule says its alert is. */
export type Severity = "info" | "warning" | "critical";

/** AlertSample is a short, masked excerpt of one event that counted toward the alert. */
export interface AlertSample {
  event_id: string;
  message_id?: string;
  recipient_id?: string;
  /** The user's best identity (phone number, else business-scoped user id); masked when a phone number. */
  recipient?: string;
  phone_number_id?: string;
  code?: number;
  details?: string;
  /** ISO-8601 event time. */
  timestamp: string;
}

/** Alert is one crossing of one rule for one group (SPEC.md "What an alert carries"). */
export interface Alert {
  /** Stable: the same crossing evaluated twice yields the same id (rule + group + crossing event). */
  id: string;
  type: "alert.firing" | "alert.resolved";
  /** Names the rule+group alert stream: shared by its firing, re-firing and resolved alerts. */
  fingerprint: string;
  /** On a resolved alert: the id of the firing alert it resolves. */
  firing_id?: string;
  rule: { id: string; description: string; severity: Severity };
  group: Record<string, string>;
  code?: number;
  title: string;
  /** Matching events (or, for `distinct` rules, distinct values) inside the window when the alert was built. */
  count: number;
  /** For `distinct` rules: the fact whose distinct values `count` counts. */
  distinct?: string;
  /** For `distinct` rules: the matching events inside the window that the distinct values came from. */
  event_count?: number;
  /** True when the window hit `rules.max_window_entries`: `count` is then a lower bound. */
  count_capped?: boolean;
  /** Ratio rules: events matching the rule's `of` inside the window (the denominator). */
  of_count?: number;
  /** Ratio rules: count / of_count, rounded to 4 decimals (0.0612 = 6.12 %). */
  ratio?: number;
  /** Spike rules: the usual count per window over the baseline, rounded to 2 decimals. */
  baseline_count?: number;
  /** Absent rules: ISO-8601 arrival time of the group's last matching event; nothing has come since. */
  silent_since?: string;
  /** 0 for rules without a threshold (every match fires); for absent rules, the silence (`absent.for`). */
  window_seconds: number;
  /** Oldest and newest event time (ISO-8601) among the events counted. */
  first_seen: string;
  last_seen: string;
  samples: AlertSample[];
  meaning?: string;
  causes: string[];
  /** Rule actions first, then the catalog's recommended actions. */
  actions: string[];
  docs_url?: string;
  /**
   * The crossing event's own facts, flattened to dotted names (`template.name`), scalars only: what an
   * account-level alert is about (template PAUSED, quality RED, ban state), and what matchers (routes,
   * inhibitions) test. No `id`, no raw `value`; customer numbers are masked when masking is on.
   */
  facts?: Record<string, string | number | boolean>;
  /** Where it happened, for subjects: WABA, phone number id, display number (masked when a recipient). */
  where: { waba_id?: string; phone_number_id?: string; display_phone_number?: string };
  /** Channel names from the rule's `notify`. */
  notify: string[];
  /** Set in history only, on an alert recorded as `inhibited`: the id of the firing alert that inhibited it. */
  inhibited_by?: string;
  /** ISO-8601 time the alert was created (processing time). */
  created_at: string;
  /** Unix ms when the crossing event's request was accepted (for latency metrics). */
  received_at?: number;
}

/** round keeps `digits` decimals: enough for a share or an average, without float noise in the JSON. */
function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/**
 * lineFields is what an alert says about a ratio or spike line besides its count: `of_count` and `ratio`,
 * or `baseline_count`. Firing and resolved alerts both word it this way.
 */
export function lineFields(
  count: number,
  counts: { readonly ofCount?: number; readonly baselineCount?: number },
): Pick<Alert, "of_count" | "ratio" | "baseline_count"> {
  const out: Pick<Alert, "of_count" | "ratio" | "baseline_count"> = {};
  if (counts.ofCount !== undefined) {
    out.of_count = counts.ofCount;
    if (counts.ofCount > 0) out.ratio = round(count / counts.ofCount, 4);
  }
  if (counts.baselineCount !== undefined) out.baseline_count = round(counts.baselineCount, 2);
  return out;
}
