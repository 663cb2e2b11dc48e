// Metric labels come from configured names only: a token holder cannot grow /metrics without bound.
import { describe, expect, it } from "vitest";
import { postWebhook, webhook } from "../../helpers/engine.js";
import { auth, INGEST_TOKEN as INGEST, RELAY_TOKEN as RELAY, useIngestServer } from "./support.js";

describe("the source label of ingest metrics", () => {
  const engine = useIngestServer();

  const post = (url: string, token: string, payload: string) =>
    engine().app.server!.inject({
      method: "POST",
      url,
      payload,
      headers: { ...auth("Bearer", token), "content-type": "application/json" },
    });

  /** sources reads every `source` label value of one metric from GET /metrics, with its sample value. */
  async function sources(metric: string): Promise<Record<string, number>> {
    const text = (await engine().app.server!.inject({ url: "/metrics" })).body;
    const out: Record<string, number> = {};
    for (const m of text.matchAll(new RegExp(`^${metric}\\{([^}]*)\\} (\\d+)`, "gm"))) {
      const source = /source="([^"]*)"/.exec(m[1] ?? "")?.[1] ?? "";
      out[source] = (out[source] ?? 0) + Number(m[2]);
    }
    return out;
  }

  it("events naming any source of their own count as `other`; configured sources keep their names", async () => {
    const events = Array.from({ length: 200 }, (_, i) => ({ code: 131048, source: `made-up-${i}` }));
    events.push({ code: 131048, source: "generic" }, { code: 131048, source: "acme" });
    expect((await post("/events", INGEST, JSON.stringify(events))).statusCode).toBe(200);
    expect((await post("/events", INGEST, JSON.stringify({ code: 131026 }))).statusCode).toBe(200);
    const envelope = webhook({ count: 2 }).body;
    expect((await post("/webhooks/relay/acme", RELAY, envelope)).statusCode).toBe(200);
    expect(await postWebhook(engine().app, webhook({ count: 3 }))).toBe(200);

    const expected = { other: 200, generic: 2, acme: 3, whatsapp: 3 };
    expect(await sources("waba_events_received_total")).toEqual(expected);
    expect(await sources("waba_events_enqueued_total")).toEqual(expected);
  });

  it("refused requests are labelled by their route, never by what the body says", async () => {
    const bad = JSON.stringify([{ code: "x", source: "made-up-refused" }]);
    expect((await post("/events", INGEST, bad)).statusCode).toBe(400);
    expect((await post("/webhooks/relay/not-configured-name", RELAY, "{}")).statusCode).toBe(404);
    const labels = Object.keys(await sources("waba_requests_rejected_total"));
    expect(labels.every((l) => ["whatsapp", "generic", "acme", "relay", "other"].includes(l))).toBe(true);
    expect(labels).toContain("generic");
  });
});
