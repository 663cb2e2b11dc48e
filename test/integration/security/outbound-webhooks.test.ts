// Outbound webhooks: no redirects followed, receivers' bodies never stored, no credentials in channel URLs.
import { afterEach, describe, expect, it } from "vitest";
import { runValidate } from "../../../src/cli/validate.js";
import { ProblemsError } from "../../../src/shared/problems.js";
import { captureCli } from "../../helpers/cli.js";
import { ADMIN, postWebhook, waitFor, webhook } from "../../helpers/engine.js";
import { type HttpReceiver, type ScriptedResponse, startHttpReceiver } from "../../helpers/http-receiver.js";
import { type LoggedApp, useEngine } from "./support.js";

/** EVERY_SPAM fires on every 131048 and notifies only the `hook` channel. */
const EVERY_SPAM = `rules:
  - id: every-spam
    description: Every spam rate limit error
    severity: critical
    when: { code: 131048 }
    cooldown: 0s
    notify: [hook]
`;

const HOSTILE_BODY = `<html><script>alert(1)</script>internal token tok-Zz91-LEAKED, see http://10.0.0.7/admin</html>`;

interface Delivery {
  channel: string;
  result: string;
  error?: string;
  final: boolean;
}

describe("outbound webhooks", () => {
  const receivers: HttpReceiver[] = [];
  const slot = useEngine();
  let engine: LoggedApp | undefined;
  afterEach(async () => {
    for (const r of receivers.splice(0)) await r.close();
  });

  async function receiver(script: ScriptedResponse[]): Promise<HttpReceiver> {
    const r = await startHttpReceiver(script);
    receivers.push(r);
    return r;
  }

  /** fireOnce starts an engine whose `hook` channel posts to `url`, fires one alert, and waits for its final delivery. */
  async function fireOnce(
    url: string,
  ): Promise<{ deliveries: Delivery[]; deadLetters: { error: string }[] }> {
    engine = await slot.start({
      rules: EVERY_SPAM,
      channels: `  hook: { type: webhook, url: "${url}", secret: hook-secret, headers: { X-Team: "messaging-secret-header" } }`,
    });
    expect(await postWebhook(engine.app, webhook({ count: 1 }))).toBe(200);
    const headers = { authorization: `Bearer ${ADMIN}` };
    const id = await waitFor(async () => {
      const res = await engine!.app.server!.inject({ url: "/api/alerts", headers });
      return (res.json() as { alerts: { id: string }[] }).alerts[0]?.id;
    });
    const deliveries = await waitFor(async () => {
      const res = await engine!.app.server!.inject({ url: `/api/alerts/${id}`, headers });
      const list = (res.json() as { deliveries: Delivery[] }).deliveries;
      return list.some((d) => d.final) ? list : undefined;
    }, 15_000);
    const dead = await engine.app.server!.inject({ url: "/api/dead-letters", headers });
    return { deliveries, deadLetters: (dead.json() as { dead_letters: { error: string }[] }).dead_letters };
  }

  it("a 3xx is a permanent failure: nothing is re-sent to the other origin, the error says why", async () => {
    const target = await receiver([{ status: 200 }]);
    const redirecting = await receiver([
      { status: 307, headers: { location: target.url }, body: HOSTILE_BODY },
    ]);
    const { deliveries, deadLetters } = await fireOnce(redirecting.url);
    const error =
      "HTTP 307 Temporary Redirect: redirects are not followed; point the channel at the final URL";
    expect(deliveries).toEqual([
      expect.objectContaining({ channel: "hook", result: "permanent", error, final: true }),
    ]);
    expect(deadLetters).toEqual([expect.objectContaining({ error })]);
    expect(redirecting.requests).toHaveLength(1);
    // The body, its signature and the custom headers never reached the redirect's target.
    await new Promise((r) => setTimeout(r, 300));
    expect(target.requests).toHaveLength(0);
  });

  it.each([301, 302, 303, 308])("HTTP %i is not followed either", async (status) => {
    const target = await receiver([{ status: 200 }]);
    const redirecting = await receiver([{ status, headers: { location: target.url } }]);
    const { deliveries } = await fireOnce(redirecting.url);
    expect(deliveries.at(-1)?.error).toMatch(/^HTTP \d{3} [A-Za-z ]+: redirects are not followed/);
    expect(target.requests).toHaveLength(0);
  });

  it("stores the status and a short reason, never the receiver's body (history, dead letters, logs)", async () => {
    const hostile = await receiver([{ status: 400, body: HOSTILE_BODY }]);
    const { deliveries, deadLetters } = await fireOnce(hostile.url);
    expect(deliveries.at(-1)).toMatchObject({
      result: "permanent",
      error: "HTTP 400 Bad Request",
      final: true,
    });
    expect(deadLetters[0]?.error).toBe("HTTP 400 Bad Request");
    for (const text of [JSON.stringify(deliveries), JSON.stringify(deadLetters), engine!.text()]) {
      expect(text).not.toContain("LEAKED");
      expect(text).not.toContain("<script>");
      expect(text).not.toContain("10.0.0.7");
    }
  });

  it("keeps a receiver's short error code, as chat tools send them (Slack's no_service)", async () => {
    const slackish = await receiver([{ status: 404, body: "no_service" }]);
    const { deliveries } = await fireOnce(slackish.url);
    expect(deliveries.at(-1)?.error).toBe("HTTP 404 Not Found: no_service");
  });

  it("a retried 5xx keeps no body either", async () => {
    const failing = await receiver([{ status: 503, body: HOSTILE_BODY }]);
    const { deliveries } = await fireOnce(failing.url);
    expect(deliveries.map((d) => d.error)).toEqual([
      "HTTP 503 Service Unavailable",
      "HTTP 503 Service Unavailable",
    ]);
    expect(engine!.text()).not.toContain("LEAKED");
  });
});

describe("credentials in a webhook URL", () => {
  const slot = useEngine();
  const channel = `  hook: { type: webhook, url: "https://alerts:pa55-Wq7-SECRET@hooks.example.com/waba" }`;

  it("are refused at load with file:line:col, without echoing the password, before any connection", async () => {
    const err = await slot.start({ rules: EVERY_SPAM, channels: channel }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ProblemsError);
    const [problem, ...more] = (err as ProblemsError).problems;
    expect(more).toEqual([]);
    expect(problem).toMatchObject({ line: 8, col: 31 });
    expect(problem?.message).toMatch(/^channel "hook": url carries a user name or password/);
    expect(problem?.message).toContain("headers: { Authorization:");
    expect(JSON.stringify(problem)).not.toContain("pa55-Wq7-SECRET");
  });

  it("validate reports them and exits 1", async () => {
    const dir = await slot.dir({ rules: EVERY_SPAM, channels: channel });
    const run = await captureCli(() => runValidate(dir.config, []));
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/config\.yaml:8:31: channel "hook": url carries a user name or password/);
    expect(run.err + run.out).not.toContain("pa55-Wq7-SECRET");
  });
});
