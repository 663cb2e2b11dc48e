// Prometheus metrics of the whole process; stages report through small observer callbacks wired in app.ts.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/** Metrics holds every metric waba-alerts exports on /metrics. */
export interface Metrics {
  readonly registry: Registry;
  readonly eventsReceived: Counter<"source">;
  readonly eventsEnqueued: Counter<"source">;
  readonly requestsRejected: Counter<"source" | "reason">;
  readonly ruleEvaluations: Counter<"rule">;
  readonly ruleMatches: Counter<"rule">;
  readonly alerts: Counter<"rule" | "severity" | "state">;
  readonly notifications: Counter<"channel" | "result">;
  readonly deadLetters: Counter<"channel">;
  readonly ruleReloadFailures: Counter;
  readonly rulesLoaded: Gauge;
  readonly queueDepth: Gauge<"queue" | "state">;
  readonly batchDuration: Histogram;
  readonly alertLatency: Histogram;
  readonly jobLatency: Histogram<"queue">;
  readonly pendingResolves: Gauge;
  readonly windowOutcomes: Counter<"outcome">;
  readonly windowEvictions: Counter;
  /** Alerts gathered into a channel's digest instead of being sent on their own. */
  readonly alertsGathered: Counter<"channel">;
  /** setPendingResolveSource makes waba_alerts_pending_resolve ask `source` (Redis) when scraped. */
  setPendingResolveSource(source: () => Promise<number>): void;
  readonly redisUp: Gauge;
  /** setQueueDepthSource makes waba_queue_jobs ask `source` (at most once a second) when scraped. */
  setQueueDepthSource(source: QueueDepthSource): void;
}

/** QueueDepthSource reports job counts per queue and state, e.g. `{events: {waiting: 3, active: 1}}`. */
export type QueueDepthSource = () => Promise<Record<string, Record<string, number>>>;

/** QUEUE_DEPTH_CACHE_MS is how long one set of queue counts answers scrapes, so scrapes cannot load Redis. */
export const QUEUE_DEPTH_CACHE_MS = 1000;

/** SOURCE_TIMEOUT_MS bounds how long a scrape waits for a value read from Redis. */
const SOURCE_TIMEOUT_MS = 500;

/** withinMs settles like `p`, or rejects after `ms` so a scrape never waits for a reconnect. */
function withinMs<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** createMetrics builds a fresh registry (one per process; tests make their own). */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const r = [registry];
  let depthSource: QueueDepthSource | undefined;
  let pendingSource: (() => Promise<number>) | undefined;
  let cached: { at: number; counts: Promise<Record<string, Record<string, number>>> } | undefined;
  const depths = (): Promise<Record<string, Record<string, number>>> => {
    if (!depthSource) return Promise.resolve({});
    if (!cached || Date.now() - cached.at >= QUEUE_DEPTH_CACHE_MS) {
      cached = { at: Date.now(), counts: depthSource() };
    }
    return cached.counts;
  };
  const windowOutcomes = new Counter({
    name: "waba_alerts_window_outcomes_total",
    help: "Matched events by what their rule+group window did: counted, duplicate, late, future, fired, cooldown",
    labelNames: ["outcome"],
    registers: r,
  });
  for (const outcome of ["counted", "duplicate", "late", "future", "fired", "cooldown"]) {
    windowOutcomes.inc({ outcome }, 0);
  }
  return {
    windowOutcomes,
    windowEvictions: new Counter({
      name: "waba_alerts_window_evictions_total",
      help: "Window entries pushed out because a rule+group window held rules.max_window_entries (its count is then a floor)",
      registers: r,
    }),
    setPendingResolveSource(source) {
      pendingSource = source;
    },
    setQueueDepthSource(source) {
      depthSource = source;
      cached = undefined;
    },
    registry,
    eventsReceived: new Counter({
      name: "waba_events_received_total",
      help: "Events normalized from accepted requests, by source",
      labelNames: ["source"],
      registers: r,
    }),
    eventsEnqueued: new Counter({
      name: "waba_events_enqueued_total",
      help: "Events durably written to the events queue, by source",
      labelNames: ["source"],
      registers: r,
    }),
    requestsRejected: new Counter({
      name: "waba_requests_rejected_total",
      help: "Ingest requests refused, by source and reason",
      labelNames: ["source", "reason"],
      registers: r,
    }),
    ruleEvaluations: new Counter({
      name: "waba_rule_evaluations_total",
      help: "Events tested against a rule, by rule",
      labelNames: ["rule"],
      registers: r,
    }),
    ruleMatches: new Counter({
      name: "waba_rule_matches_total",
      help: "Events that matched a rule's when, by rule",
      labelNames: ["rule"],
      registers: r,
    }),
    alerts: new Counter({
      name: "waba_alerts_total",
      help: "Alerts produced, by rule, severity and state",
      labelNames: ["rule", "severity", "state"],
      registers: r,
    }),
    alertsGathered: new Counter({
      name: "waba_alerts_gathered_total",
      help: "Alerts gathered into a digest (sent when the channel's group interval ends) instead of on their own, by channel",
      labelNames: ["channel"],
      registers: r,
    }),
    notifications: new Counter({
      name: "waba_notifications_total",
      help: "Notification attempts, by channel and result (ok, retryable, permanent)",
      labelNames: ["channel", "result"],
      registers: r,
    }),
    deadLetters: new Counter({
      name: "waba_notifications_dead_lettered_total",
      help: "Notifications that finally failed and went to the dead-letter list, by channel",
      labelNames: ["channel"],
      registers: r,
    }),
    ruleReloadFailures: new Counter({
      name: "waba_rule_reload_failures_total",
      help: "Rule reloads rejected because a file was invalid",
      registers: r,
    }),
    rulesLoaded: new Gauge({
      name: "waba_rules_loaded",
      help: "Enabled rules currently in force",
      registers: r,
    }),
    queueDepth: new Gauge({
      name: "waba_queue_jobs",
      help: "Jobs in a queue, by queue and state (waiting, active, delayed, failed), read from Redis when scraped",
      labelNames: ["queue", "state"],
      registers: r,
      async collect() {
        try {
          const counts = await depths();
          for (const [queue, states] of Object.entries(counts)) {
            for (const [state, n] of Object.entries(states)) this.set({ queue, state }, n);
          }
        } catch {
          // Redis is away: /readyz says so; /metrics keeps answering with the last counts.
          cached = undefined;
        }
      },
    }),
    jobLatency: new Histogram({
      name: "waba_job_latency_seconds",
      help: "From a job being queued to it being finished, by queue",
      labelNames: ["queue"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: r,
    }),
    pendingResolves: new Gauge({
      name: "waba_alerts_pending_resolve",
      help: "Firing rule+groups waiting to resolve, read from Redis when scraped",
      registers: r,
      async collect() {
        if (!pendingSource) return;
        try {
          // A scrape must answer while Redis is away (commands wait for a reconnect): keep the last value.
          this.set(await withinMs(pendingSource(), SOURCE_TIMEOUT_MS));
        } catch {
          // Redis is away or slow: /readyz says so; keep the last value.
        }
      },
    }),
    redisUp: new Gauge({
      name: "waba_redis_up",
      help: "1 while this process's Redis connection is ready, 0 while Redis is unreachable",
      registers: r,
    }),
    batchDuration: new Histogram({
      name: "waba_event_batch_seconds",
      help: "Time to evaluate one event batch",
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: r,
    }),
    alertLatency: new Histogram({
      name: "waba_alert_latency_seconds",
      help: "From the crossing event's request being accepted to its alert being handed to notify",
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: r,
    }),
  };
}
