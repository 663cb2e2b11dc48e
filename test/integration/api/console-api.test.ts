// The admin API the console adds (real engine in-process, real Redis): dry run, silence checks and history, alert filters.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../../src/app.js";
import {
  ADMIN,
  type EngineDir,
  makeEngineDir,
  PHONE,
  postWebhook,
  SPAM_RULES,
  startInProcess,
  waitFor,
  webhook,
} from "../../helpers/engine.js";

const auth = { authorization: `Bearer ${ADMIN}` };
const MIN = 60_000;

describe("console API", () => {
  let dir: EngineDir;
  let app: App;
  let clock = Date.parse("2026-01-31T14:00:00Z");

  const call = (method: "GET" | "POST" | "DELETE", url: string, payload?: object) =>
    app.server!.inject({ method, url, headers: auth, ...(payload ? { payload } : {}) });
  const ids = async (query: string) =>
    ((await call("GET", `/api/alerts${query}`)).json() as { alerts: Array<{ id: string }> }).alerts.map(
      (a) => a.id,
    );

  beforeAll(async () => {
    dir = await makeEngineDir({ rules: SPAM_RULES });
    app = await startInProcess(dir, "start", { now: () => clock });
    expect(await postWebhook(app, webhook({ count: 3, timeSec: clock / 1000 }))).toBe(200);
    // The worker reads the clock when it evaluates: let it see the first burst before the clock moves.
    await waitFor(async () => ((await ids("")).length >= 1 ? true : undefined), 10_000, "the first alert");
    clock += 10 * MIN;
    expect(await postWebhook(app, webhook({ count: 3, phone: "222", timeSec: clock / 1000 }))).toBe(200);
    await waitFor(async () => ((await ids("")).length >= 2 ? true : undefined), 10_000, "two alerts");
  });

  afterAll(async () => {
    await app?.close();
    await dir?.remove();
  });

  it("runs pasted events through the rules in force, with the explain trace, and stores nothing", async () => {
    const before = await ids("");
    const res = await call("POST", "/api/rules/dry-run", {
      events: webhook({ count: 3, timeSec: 1767225600 }).body,
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as {
      events: number;
      rules: number;
      alerts: Array<{ rule: { id: string }; count: number; at: string; group: object }>;
      explain: string;
    };
    expect(body.events).toBe(3);
    expect(body.rules).toBe(1);
    expect(body.alerts).toEqual([
      expect.objectContaining({
        rule: expect.objectContaining({ id: "spam-burst" }),
        count: 3,
        at: "2026-01-01T00:00:00.000Z",
        group: { phone_number_id: PHONE },
      }),
    ]);
    expect(body.explain).toMatch(
      /counted: 2 of 3 in 10m\n.*\n\s+spam-burst \[phone_number_id=\d+\]: FIRED: 3 in 10m/,
    );
    expect(await ids("")).toEqual(before);
  });

  it("says where pasted text is wrong, and bounds what it takes", async () => {
    const bad = await call("POST", "/api/rules/dry-run", {
      events: '{"object": "whatsapp_business_account", ',
    });
    expect(bad.statusCode).toBe(400);
    expect((bad.json() as { error: string }).error).toMatch(/^pasted:1:\d+: not valid JSON/);
    const lines = Array.from({ length: 5001 }, (_, i) =>
      JSON.stringify({ code: 131048, timestamp: 1767225600 + i }),
    ).join("\n");
    const many = await call("POST", "/api/rules/dry-run", { events: lines });
    expect(many.statusCode).toBe(400);
    expect((many.json() as { error: string }).error).toMatch(/5001 events: a dry run takes at most 5000/);
    const huge = await call("POST", "/api/rules/dry-run", { events: "x".repeat(1_000_001) });
    expect(huge.statusCode).toBe(400);
    expect((await call("POST", "/api/rules/dry-run", { rules: "x" })).statusCode).toBe(400);
    const anonymous = await app.server!.inject({
      method: "POST",
      url: "/api/rules/dry-run",
      payload: { events: "[]" },
    });
    expect(anonymous.statusCode).toBe(401);
  });

  it("refuses silence matchers no alert could carry, with did-you-mean", async () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ rule: "spam-brust" }, /unknown rule "spam-brust"; did you mean "spam-burst"\?/],
      [
        { rule: "spam-burst", phone_numer_id: PHONE },
        /unknown matcher "phone_numer_id"; did you mean "phone_number_id"\?/,
      ],
      [{ status: "failed" }, /"status" is a fact, but no rule groups by it/],
      [{ severity: "loud" }, /severity "loud" is not one of info, warning, critical/],
      [{ code: "spam" }, /code "spam" is not an error code/],
    ];
    for (const [matchers, reason] of cases) {
      const res = await call("POST", "/api/silences", { matchers, duration: "1h" });
      expect(res.statusCode, JSON.stringify(matchers)).toBe(400);
      expect((res.json() as { error: string }).error).toMatch(reason);
    }
    const ok = await call("POST", "/api/silences", {
      matchers: { rule: "spam-burst", phone_number_id: PHONE, code: 131048 },
      duration: "1h",
    });
    expect(ok.statusCode).toBe(201);
  });

  it("expires a silence instead of forgetting it, and lists active, expired or all", async () => {
    const created = await call("POST", "/api/silences", {
      matchers: { severity: "critical" },
      duration: "2h",
      comment: "expire me",
    });
    const { id } = created.json() as { id: string };
    const list = async (state: string) =>
      (
        (await call("GET", `/api/silences${state ? `?state=${state}` : ""}`)).json() as {
          silences: Array<{ id: string; ends_at: string }>;
        }
      ).silences.map((s) => s.id);
    expect(await list("")).toContain(id);
    expect((await call("DELETE", `/api/silences/${id}`)).statusCode).toBe(204);
    expect((await call("DELETE", `/api/silences/${id}`)).statusCode).toBe(404);
    expect(await list("")).not.toContain(id);
    expect(await list("expired")).toEqual([id]);
    expect(await list("all")).toContain(id);
    expect((await call("GET", "/api/silences?state=old")).statusCode).toBe(400);
    // A week after it ended it is dropped for good.
    clock += 8 * 86_400_000;
    expect(await list("expired")).not.toContain(id);
    clock -= 8 * 86_400_000;
  });

  it("filters alerts by code, number and time", async () => {
    const all = await ids("");
    expect(all).toHaveLength(2);
    expect(await ids("?code=131048")).toEqual(all);
    expect(await ids("?code=131026")).toEqual([]);
    expect(await ids(`?phone_number_id=${PHONE}`)).toEqual([all[1]]);
    expect(await ids("?phone_number_id=222")).toEqual([all[0]]);
    const t0 = "2026-01-31T14:00:00.000Z";
    const t5 = "2026-01-31T14:05:00.000Z";
    expect(await ids(`?from=${t5}`)).toEqual([all[0]]);
    expect(await ids(`?to=${t5}`)).toEqual([all[1]]);
    expect(await ids(`?from=${t0}&to=${t5}&phone_number_id=222`)).toEqual([]);
    expect(await ids("?state=inhibited")).toEqual([]);
    expect((await call("GET", "/api/alerts?from=yesterday")).statusCode).toBe(400);
  });
});
