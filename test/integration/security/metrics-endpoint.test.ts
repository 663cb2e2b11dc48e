// /metrics off the public webhook port (server.metrics_port) and behind an optional bearer token.
import { describe, expect, it } from "vitest";
import { freePort } from "../../helpers/engine.js";
import { useEngine } from "./support.js";

const TOKEN = "metrics-token-for-tests";

describe("/metrics of serve and start", () => {
  const slot = useEngine();

  it("server.metrics_port moves /metrics to its own listener; the webhook port no longer answers it", async () => {
    const metricsPort = await freePort();
    const engine = await slot.start({ serverConfig: `metrics_port: ${metricsPort}` }, "serve");
    await engine.app.listen();
    const main = `http://127.0.0.1:${slot.current().port}`;
    const side = `http://127.0.0.1:${metricsPort}`;
    expect((await fetch(`${main}/metrics`)).status).toBe(404);
    expect((await fetch(`${main}/healthz`)).status).toBe(200);
    const res = await fetch(`${side}/metrics`);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/^# HELP waba_events_received_total/m);
    expect((await fetch(`${side}/readyz`)).status).toBe(200);
    // Nothing else of the engine is reachable there.
    expect((await fetch(`${side}/webhooks/whatsapp`, { method: "POST", body: "{}" })).status).toBe(404);
    expect((await fetch(`${side}/api/rules`)).status).toBe(404);
  });

  it("server.metrics_token guards /metrics (any case of Bearer), not the probes", async () => {
    const engine = await slot.start({ serverConfig: `metrics_token: ${TOKEN}` }, "start");
    await engine.app.listen();
    const main = `http://127.0.0.1:${slot.current().port}`;
    const refused = await fetch(`${main}/metrics`);
    expect(refused.status).toBe(401);
    expect(refused.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(await refused.text()).not.toContain("waba_");
    expect((await fetch(`${main}/metrics`, { headers: { authorization: "Bearer wrong" } })).status).toBe(401);
    for (const scheme of ["Bearer", "bearer"]) {
      const ok = await fetch(`${main}/metrics`, { headers: { authorization: `${scheme} ${TOKEN}` } });
      expect(ok.status).toBe(200);
    }
    expect((await fetch(`${main}/healthz`)).status).toBe(200);
    expect((await fetch(`${main}/readyz`)).status).toBe(200);
  });

  it("the token guards a worker's workers.metrics_port too", async () => {
    const port = await freePort();
    const engine = await slot.start(
      { serverConfig: `metrics_token: ${TOKEN}`, workerMetricsPort: port },
      "worker",
    );
    await engine.app.listen();
    const url = `http://127.0.0.1:${port}/metrics`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
  });
});
