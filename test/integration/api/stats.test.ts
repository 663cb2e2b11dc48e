// GET /api/stats and /api/rules/stats on a real engine (in-process, real Redis, pinned clock): buckets, ranges, by.
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

const MIN = 60_000;
const auth = { authorization: `Bearer ${ADMIN}` };
// A whole hour, so minute and hour buckets line up in the assertions: 2026-01-31T14:00:00Z.
const T0 = Date.parse("2026-01-31T14:00:00Z");
const iso = (ms: number) => new Date(ms).toISOString();

interface Series {
  key: string;
  total: number;
  points: Array<[string, number]>;
}
interface StatsBody {
  step_seconds: number;
  series: Series[];
}

describe("GET /api/stats", () => {
  let dir: EngineDir;
  let app: App;
  let clock = T0 + 10_000;

  const get = (url: string, headers: Record<string, string> = auth) => app.server!.inject({ url, headers });
  const stats = async (query: string): Promise<StatsBody> => {
    const res = await get(`/api/stats?${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as StatsBody;
  };
  const series = (body: StatsBody, key: string) => body.series.find((s) => s.key === key);

  async function send(count: number, code: number, phone = PHONE): Promise<void> {
    const hook = webhook({ count, code, phone, timeSec: Math.floor(clock / 1000) });
    expect(await postWebhook(app, hook)).toBe(200);
  }

  /** settle waits until the workers have counted `n` error events in the last two hours. */
  async function settle(n: number): Promise<void> {
    const range = `from=${iso(T0 - 60 * MIN)}&to=${iso(T0 + 60 * MIN)}&step=1h`;
    await waitFor(
      async () => {
        const body = await stats(range);
        const total = body.series.reduce((a, s) => a + s.total, 0);
        return total >= n ? true : undefined;
      },
      10_000,
      `${n} counted errors`,
    );
  }

  beforeAll(async () => {
    dir = await makeEngineDir({ rules: SPAM_RULES });
    app = await startInProcess(dir, "start", { now: () => clock });
    await send(3, 131048);
    await send(2, 131026, "222");
    await settle(5);
    clock = T0 + 2 * MIN + 5_000;
    await send(1, 131048);
    await settle(6);
  });

  afterAll(async () => {
    await app?.close();
    await dir?.remove();
  });

  it("counts error events per code in one-minute buckets, dense and newest last", async () => {
    const body = await stats(`from=${iso(T0)}&to=${iso(T0 + 4 * MIN)}&step=1m&by=code`);
    expect(body.step_seconds).toBe(60);
    const points = (n: number) =>
      Array.from({ length: 4 }, (_, i) => iso(T0 + i * MIN)).map((t, i) => [
        t,
        n === 0 ? 0 : i === 0 ? n : 0,
      ]);
    expect(series(body, "131048")!.points).toEqual([
      [iso(T0), 3],
      [iso(T0 + MIN), 0],
      [iso(T0 + 2 * MIN), 1],
      [iso(T0 + 3 * MIN), 0],
    ]);
    expect(series(body, "131026")!.points).toEqual(points(2));
    // Largest total first.
    expect(body.series.map((s) => [s.key, s.total])).toEqual([
      ["131048", 4],
      ["131026", 2],
    ]);
  });

  it("sums buckets into larger steps, aligned to the step, `to` exclusive", async () => {
    const five = await stats(`from=${iso(T0 + MIN)}&to=${iso(T0 + 10 * MIN)}&step=5m`);
    expect(five.step_seconds).toBe(300);
    expect(series(five, "131048")!.points).toEqual([
      [iso(T0), 4],
      [iso(T0 + 5 * MIN), 0],
    ]);
    const before = await stats(`from=${iso(T0 - 5 * MIN)}&to=${iso(T0)}&step=1m`);
    expect(before.series).toEqual([]);
    const hourly = await stats(`from=${iso(T0 - 60 * MIN)}&to=${iso(T0 + 60 * MIN)}&step=1h`);
    expect(hourly.step_seconds).toBe(3600);
    expect(series(hourly, "131048")!.points).toEqual([
      [iso(T0 - 60 * MIN), 0],
      [iso(T0), 4],
    ]);
  });

  it("splits by phone number (errors, or every event) and by rule (matches and evaluations)", async () => {
    const range = `from=${iso(T0)}&to=${iso(T0 + 5 * MIN)}&step=5m`;
    const numbers = await stats(`${range}&by=phone_number_id`);
    expect(numbers.series.map((s) => [s.key, s.total])).toEqual([
      [PHONE, 4],
      ["222", 2],
    ]);
    const events = await stats(`${range}&by=phone_number_id&count=events`);
    expect(events.series.map((s) => [s.key, s.total])).toEqual([
      [PHONE, 4],
      ["222", 2],
    ]);
    const matches = await stats(`${range}&by=rule`);
    expect(matches.series.map((s) => [s.key, s.total])).toEqual([["spam-burst", 4]]);
    const evaluations = await stats(`${range}&by=rule&count=evaluations`);
    expect(evaluations.series.map((s) => [s.key, s.total])).toEqual([["spam-burst", 4]]);
    const top = await stats(`${range}&top=1`);
    expect(top.series.map((s) => [s.key, s.total])).toEqual([
      ["131048", 4],
      ["(other)", 2],
    ]);
  });

  it("defaults to the last hour by code at one minute", async () => {
    const body = await stats("");
    expect(body.step_seconds).toBe(60);
    expect(series(body, "131048")!.total).toBe(4);
    // From 13:02:05 to 14:02:05: the steps starting 13:02 … 14:02, the current minute included.
    expect(series(body, "131048")!.points).toHaveLength(61);
    expect(series(body, "131048")!.points.at(-1)).toEqual([iso(T0 + 2 * MIN), 1]);
  });

  it("answers 400 saying what is wrong with from, to, step, by, count and top", async () => {
    const cases: Array<[string, RegExp]> = [
      ["from=yesterday", /"from" must be an ISO-8601 time/],
      [`from=${iso(T0)}&to=${iso(T0 - MIN)}`, /"from" must be before "to"/],
      ["step=30s", /"step" must be whole minutes/],
      ["step=0m", /"step" must be whole minutes/],
      ["by=colour", /by/],
      ["by=code&count=matches", /with by=code, "count" must be one of errors/],
      ["top=0", /top/],
      [`from=${iso(clock - 2 * 86_400_000)}&step=1m`, /1440|too many/],
      [`from=${iso(clock - 26 * 3_600_000)}&step=5m`, /kept for 25 h.*step=1h/],
      [`from=${iso(clock - 9 * 86_400_000)}&step=1d`, /kept for 8 days/],
      ["limit=3", /must NOT have additional properties/],
    ];
    for (const [query, reason] of cases) {
      const res = await get(`/api/stats?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect((res.json() as { error: string }).error, query).toMatch(reason);
    }
    expect((await get("/api/stats", { authorization: "Bearer nope" })).statusCode).toBe(401);
    expect((await get("/api/rules/stats", { authorization: "Bearer nope" })).statusCode).toBe(401);
  });

  it("gives each rule's evaluations, matches and last firing for the Rules page", async () => {
    const res = await get("/api/rules/stats");
    expect(res.statusCode).toBe(200);
    const body = res.json() as {
      rules: Array<{ id: string; evaluations: number; matches: number; last_fired: string | null }>;
    };
    expect(body.rules).toEqual([
      {
        id: "spam-burst",
        evaluations: 4,
        matches: 4,
        last_fired: expect.stringMatching(/^2026-01-31T14:00:1/),
      },
    ]);
  });
});
