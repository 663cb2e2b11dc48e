// examples/grafana and examples/prometheus name only metrics that a real waba-alerts process exports.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Engine,
  type EngineDir,
  FROM_SOURCE,
  makeEngineDir,
  REPO,
  spawnEngine,
} from "../../helpers/engine.js";

interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: { uid: string };
  gridPos: { h: number; w: number; x: number; y: number };
  targets?: Array<{ expr: string; refId: string }>;
}
interface Rule {
  alert: string;
  expr: string;
  labels: { severity: string };
  annotations: { summary: string; description: string };
}

const dashboard = JSON.parse(readFileSync(join(REPO, "examples/grafana/waba-alerts.json"), "utf8")) as {
  panels: Panel[];
  templating: { list: Array<{ name: string; type: string }> };
};
const rules = (
  parse(readFileSync(join(REPO, "examples/prometheus/waba-alerts-rules.yaml"), "utf8")) as {
    groups: Array<{ name: string; rules: Rule[] }>;
  }
).groups.flatMap((g) => g.rules);
const dashboardExprs = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));

/** metricNames lists the metrics an expression reads: ours and the Node/process defaults (not Prometheus's `up`). */
function metricNames(expr: string): string[] {
  return [...expr.matchAll(/\b(?:waba|process|nodejs)_[a-z0-9_]+\b/g)].map((m) => m[0]);
}

/** exported lists every series name /metrics can carry: TYPE lines, plus _bucket/_sum/_count of histograms. */
function exported(text: string): Set<string> {
  const names = new Set<string>();
  for (const m of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    const [, name, type] = m;
    if (!name) continue;
    names.add(name);
    if (type === "histogram") for (const s of ["_bucket", "_sum", "_count"]) names.add(name + s);
  }
  return names;
}

describe("dashboards and alert rules", () => {
  let dir: EngineDir;
  let engine: Engine;
  let metrics = "";

  beforeAll(async () => {
    dir = await makeEngineDir();
    engine = await spawnEngine(FROM_SOURCE, "start", dir);
    metrics = await (await fetch(`http://127.0.0.1:${dir.port}/metrics`)).text();
  }, 30_000);

  afterAll(async () => {
    await engine?.stop();
    await dir?.remove();
  });

  it("name only metrics that /metrics of a running engine exports", () => {
    const available = exported(metrics);
    const used = new Set([...dashboardExprs, ...rules.map((r) => r.expr)].flatMap(metricNames));
    expect(used.size).toBeGreaterThanOrEqual(15);
    const missing = [...used].filter((n) => !available.has(n));
    expect(missing, "metrics named in examples/ that the engine does not export").toEqual([]);
  });

  it("the dashboard shows ingest outcomes, backlog, alerts, notifications, reloads and latency histograms", () => {
    const used = new Set(dashboardExprs.flatMap(metricNames));
    for (const name of [
      "waba_events_received_total",
      "waba_requests_rejected_total",
      "waba_queue_jobs",
      "waba_alerts_total",
      "waba_notifications_total",
      "waba_notifications_dead_lettered_total",
      "waba_rule_reload_failures_total",
      "waba_job_latency_seconds_bucket",
      "waba_alert_latency_seconds_bucket",
      "waba_redis_up",
    ])
      expect(used, name).toContain(name);
  });

  it("the dashboard is importable: unique panel ids, a data-source variable every query uses, balanced queries", () => {
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(dashboard.templating.list).toContainEqual(
      expect.objectContaining({ name: "datasource", type: "datasource" }),
    );
    for (const p of dashboard.panels.filter((x) => x.type !== "row")) {
      expect(p.datasource?.uid, p.title).toBe("${datasource}");
      expect(p.targets?.length, p.title).toBeGreaterThan(0);
      expect(p.gridPos.x + p.gridPos.w, p.title).toBeLessThanOrEqual(24);
    }
    for (const e of dashboardExprs) expect(balanced(e), e).toBe(true);
  });

  it("the rules alert on a growing backlog, dead letters, reload failures, Redis unreachable and no events", () => {
    const byMetric = (m: string) => rules.filter((r) => metricNames(r.expr).includes(m)).map((r) => r.alert);
    expect(byMetric("waba_queue_jobs")).toContain("WabaAlertsBacklogGrowing");
    expect(byMetric("waba_notifications_dead_lettered_total")).toContain(
      "WabaAlertsNotificationsDeadLettered",
    );
    expect(byMetric("waba_rule_reload_failures_total")).toContain("WabaAlertsRuleReloadFailed");
    expect(byMetric("waba_redis_up")).toContain("WabaAlertsRedisUnreachable");
    expect(byMetric("waba_events_received_total")).toContain("WabaAlertsNoEvents");
    const names = rules.map((r) => r.alert);
    expect(new Set(names).size).toBe(names.length);
    for (const r of rules) {
      expect(["warning", "critical"], r.alert).toContain(r.labels.severity);
      expect(r.annotations.summary.length, r.alert).toBeGreaterThan(10);
      expect(balanced(r.expr), r.alert).toBe(true);
    }
  });
});

/** balanced says whether the brackets of a query pair up (a cheap guard against a mangled edit). */
function balanced(expr: string): boolean {
  const open: string[] = [];
  const pairs: Record<string, string> = { ")": "(", "]": "[", "}": "{" };
  for (const c of expr.replace(/"[^"]*"/g, "")) {
    if ("([{".includes(c)) open.push(c);
    else if (c in pairs && open.pop() !== pairs[c]) return false;
  }
  return open.length === 0;
}
