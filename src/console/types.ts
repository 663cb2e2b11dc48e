// The shapes the console reads from the admin API (only the fields it shows; unknown states and kinds pass as strings).

/** Alert is an alert as GET /api/alerts lists it. */
export interface Alert {
  id: string;
  type: string;
  state: string;
  rule: { id: string; description: string; severity: string };
  group: Record<string, string>;
  code?: number;
  title: string;
  count: number;
  window_seconds: number;
  first_seen: string;
  last_seen: string;
  samples: Array<Record<string, string | number | undefined>>;
  meaning?: string;
  causes: string[];
  actions: string[];
  docs_url?: string;
  where: Record<string, string | undefined>;
  notify: string[];
  created_at: string;
  fingerprint?: string;
  [extra: string]: unknown;
}

/** Delivery is one notification attempt of an alert. */
export interface Delivery {
  channel: string;
  attempt: number;
  result: string;
  error?: string;
  final: boolean;
  at: string;
}

/** Rule is a rule as GET /api/rules lists it; later rule kinds add fields the console shows as they come. */
export interface Rule {
  id: string;
  description: string;
  severity: string;
  group_by: string[];
  threshold:
    | ({ more_than?: number; within_seconds?: number; distinct?: string } & Record<string, unknown>)
    | null;
  cooldown_seconds: number;
  notify: string[];
  source: string;
  kind?: string;
  [extra: string]: unknown;
}

/** Problem is a positioned rule or config problem. */
export interface Problem {
  file: string;
  line: number;
  col: number;
  message: string;
}

/** Inhibition is one `inhibit:` entry in force: matchers as lists of text values, `at` its file:line:col. */
export interface Inhibition {
  source: Record<string, string[]>;
  target: Record<string, string[]>;
  equal: string[];
  at: string;
}

/** RulesReply is GET /api/rules. */
export interface RulesReply {
  rules: Rule[];
  inhibitions: Inhibition[];
  errors: Problem[];
}

/** RuleStats is one rule's line of GET /api/rules/stats. */
export interface RuleStats {
  id: string;
  evaluations: number;
  matches: number;
  last_fired: string | null;
}

/** Silence is one silence as GET /api/silences lists it. */
export interface Silence {
  id: string;
  matchers: Record<string, string>;
  starts_at: string;
  ends_at: string;
  comment: string;
  created_at: string;
}

/** DeadLetter is one notification that will not be retried any more. */
export interface DeadLetter {
  id: string;
  alert: Alert;
  channel: string;
  attempts: number;
  reason: string;
  error: string;
  failed_at: string;
}

/** StatsReply is GET /api/stats. */
export interface StatsReply {
  step_seconds: number;
  from: string;
  to: string;
  series: Array<{ key: string; total: number; points: Array<[string, number]> }>;
}
