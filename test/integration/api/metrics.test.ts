// /metrics on a real engine: counters, queue depths and latencies move when events flow.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../../src/app.js";
import { type EngineDir, makeEngineDir, startInProcess, waitFor, webhook } from "../../helpers/engine.js";

/** metric reads one sample of /metrics text, e.g. metric(text, 'waba_alerts_total{rule="x"'). */
function metric(text: string, prefix: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(prefix));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(" ") + 1));
}

describe("/metrics", () => {
  let dir: EngineDir;
  let app: App;
  const scrape = async () => (await app.server!.inject({ url: "/metrics" })).body;

  beforeAll(async () => {
    dir = await makeEngineDir();
    app = await startInProcess(dir);
  });

  afterAll(async () => {
    await app?.close();
    await dir?.remove();
  });

  it("starts with nothing counted and the queue depth gauges at zero", async () => {
    const text = await scrape();
    expect(metric(text, 'waba_rule_evaluations_total{rule="spam-burst"}')).toBeUndefined();
    expect(metric(text, 'waba_queue_jobs{queue="events",state="waiting"}')).toBe(0);
    expect(metric(text, 'waba_queue_jobs{queue="notifications",state="failed"}')).toBe(0);
    expect(text).toContain("process_cpu_user_seconds_total");
  });

  it("counts events, rule evaluations and matches, alerts by state, deliveries and job latencies", async () => {
    const hook = webhook({ count: 3 });
    const other = webhook({ count: 2, code: 131026 });
    for (const h of [hook, other]) {
      const res = await app.server!.inject({
        method: "POST",
        url: "/webhooks/whatsapp",
        payload: h.body,
        headers: h.headers,
      });
      expect(res.statusCode).toBe(200);
    }
    const text = await waitFor(
      async () => {
        const t = await scrape();
        // Job latencies are observed on BullMQ's "completed" events, which come just after the
        // delivery outcome is counted, so wait for all of them.
        const sent = metric(t, 'waba_notifications_total{channel="ops",result="ok"}') === 1;
        const done =
          metric(t, 'waba_job_latency_seconds_count{queue="notifications"}') === 1 &&
          metric(t, 'waba_job_latency_seconds_count{queue="events"}') === 2;
        return sent && done ? t : undefined;
      },
      10_000,
      "the alert email to be sent and its job completed",
    );
    expect(metric(text, 'waba_events_received_total{source="whatsapp"}')).toBe(5);
    expect(metric(text, 'waba_events_enqueued_total{source="whatsapp"}')).toBe(5);
    // Only the three 131048 events meet the rule (the index skips 131026 entirely).
    expect(metric(text, 'waba_rule_evaluations_total{rule="spam-burst"}')).toBe(3);
    expect(metric(text, 'waba_rule_matches_total{rule="spam-burst"}')).toBe(3);
    expect(metric(text, 'waba_alerts_total{rule="spam-burst",severity="critical",state="firing"}')).toBe(1);
    expect(metric(text, 'waba_job_latency_seconds_count{queue="events"}')).toBe(2);
    expect(metric(text, 'waba_job_latency_seconds_count{queue="notifications"}')).toBe(1);
    expect(metric(text, "waba_event_batch_seconds_count")).toBe(2);
  });

  it("reports jobs waiting in a queue", async () => {
    // A worker-less serve process on the same Redis sees what it enqueues pile up.
    const serveDir = await makeEngineDir();
    const serve = await startInProcess(serveDir, "serve");
    try {
      const h = webhook({ count: 1 });
      await serve.server!.inject({
        method: "POST",
        url: "/webhooks/whatsapp",
        payload: h.body,
        headers: h.headers,
      });
      const text = (await serve.server!.inject({ url: "/metrics" })).body;
      expect(metric(text, 'waba_queue_jobs{queue="events",state="waiting"}')).toBe(1);
    } finally {
      await serve.close();
      await serveDir.remove();
    }
  });
});
