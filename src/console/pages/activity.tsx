// Activity: error events per code over time (stacked), numbers by errors with their failure ratio, templates.
import { useMemo } from "preact/hooks";
import { query, request } from "../api.js";
import { PALETTE, StackedChart } from "../components/stacked-chart.js";
import { ErrorBox, Loading, useApi } from "../components/ui.js";
import type { StatsReply } from "../types.js";

/** RANGES are the spans offered, with a step that keeps each chart near 150 points or fewer. */
export const RANGES = {
  "1h": { label: "Last hour", ms: 3_600_000, step: "1m" },
  "24h": { label: "Last 24 hours", ms: 86_400_000, step: "10m" },
  "7d": { label: "Last 7 days", ms: 7 * 86_400_000, step: "1h" },
} as const;
type RangeName = keyof typeof RANGES;

function stats(range: RangeName, params: Record<string, string | number>): Promise<StatsReply> {
  const r = RANGES[range];
  const to = Date.now();
  return request<StatsReply>(
    "GET",
    `/stats${query({ from: new Date(to - r.ms).toISOString(), to: new Date(to).toISOString(), step: r.step, ...params })}`,
  );
}

function percent(part: number, whole: number): string {
  if (whole === 0) return "—";
  const p = (100 * part) / whole;
  return `${p < 10 ? p.toFixed(1) : Math.round(p)} %`;
}

/** ActivityPage reads GET /api/stats for the chosen range. */
export function ActivityPage({ params }: { params: URLSearchParams }) {
  const asked = params.get("range") ?? "24h";
  const range: RangeName = asked in RANGES ? (asked as RangeName) : "24h";
  const codes = useApi(() => stats(range, { by: "code", top: 8 }), [range]);
  const numbers = useApi(
    () =>
      Promise.all([
        stats(range, { by: "phone_number_id", top: 20 }),
        stats(range, { by: "phone_number_id", count: "events", top: 100 }),
      ]),
    [range],
  );
  const templates = useApi(() => stats(range, { by: "template", top: 10 }), [range]);

  const chart = useMemo(() => {
    const body = codes.data;
    if (!body) return undefined;
    const times = (body.series[0]?.points ?? []).map(([t]) => Date.parse(t) / 1000);
    return { times, series: body.series.map((s) => ({ key: s.key, values: s.points.map(([, n]) => n) })) };
  }, [codes.data]);

  const totalErrors = codes.data?.series.reduce((a, s) => a + s.total, 0) ?? 0;
  return (
    <section aria-labelledby="activity-title">
      <div class="title-row">
        <h1 id="activity-title">Activity</h1>
        <nav class="segmented" aria-label="Time range">
          {(Object.keys(RANGES) as RangeName[]).map((r) => (
            <a key={r} href={`#/activity?range=${r}`} aria-current={r === range ? "page" : undefined}>
              {RANGES[r].label}
            </a>
          ))}
        </nav>
      </div>
      <h2>Error events per code</h2>
      {codes.error && <ErrorBox>{codes.error}</ErrorBox>}
      {!codes.data && !codes.error && <Loading />}
      {chart && totalErrors === 0 && <p class="muted">No error events in this range.</p>}
      {chart && totalErrors > 0 && (
        <>
          <StackedChart
            times={chart.times}
            stepSec={codes.data?.step_seconds ?? 60}
            series={chart.series}
            label={`Error events per code, stacked, ${RANGES[range].label.toLowerCase()}: ${codes.data?.series.map((s) => `${s.key} ${s.total}`).join(", ")}`}
          />
          <table class="compact">
            <caption>Totals, {RANGES[range].label.toLowerCase()}</caption>
            <thead>
              <tr>
                <th scope="col">Code</th>
                <th scope="col" class="num">
                  Events
                </th>
              </tr>
            </thead>
            <tbody>
              {codes.data?.series.map((s, i) => (
                <tr key={s.key}>
                  <td>
                    <span class={`swatch sw-${i % PALETTE.length}`} aria-hidden="true" />
                    <a href={`#/alerts?code=${encodeURIComponent(s.key)}`}>{s.key}</a>
                  </td>
                  <td class="num">{s.total}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <div class="columns">
        <section>
          <h2>Numbers by errors</h2>
          {numbers.error && <ErrorBox>{numbers.error}</ErrorBox>}
          {numbers.data && numbers.data[0].series.length === 0 && (
            <p class="muted">No errors in this range.</p>
          )}
          {numbers.data && numbers.data[0].series.length > 0 && (
            <table class="compact">
              <thead>
                <tr>
                  <th scope="col">Phone number id</th>
                  <th scope="col" class="num">
                    Errors
                  </th>
                  <th scope="col" class="num">
                    Events
                  </th>
                  <th scope="col" class="num">
                    Failure ratio
                  </th>
                </tr>
              </thead>
              <tbody>
                {numbers.data[0].series.map((s) => {
                  const all = numbers.data?.[1].series.find((e) => e.key === s.key)?.total ?? 0;
                  return (
                    <tr key={s.key}>
                      <td class="mono">
                        <a href={`#/alerts?phone_number_id=${encodeURIComponent(s.key)}`}>{s.key}</a>
                      </td>
                      <td class="num">{s.total}</td>
                      <td class="num">{all || "—"}</td>
                      <td class="num">{percent(s.total, all)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
        </section>
        <section>
          <h2>Templates by events</h2>
          <p class="hint">Template status and quality changes, and errors that name a template.</p>
          {templates.error && <ErrorBox>{templates.error}</ErrorBox>}
          {templates.data && templates.data.series.length === 0 && (
            <p class="muted">No template events in this range.</p>
          )}
          {templates.data && templates.data.series.length > 0 && (
            <table class="compact">
              <thead>
                <tr>
                  <th scope="col">Template</th>
                  <th scope="col" class="num">
                    Events
                  </th>
                </tr>
              </thead>
              <tbody>
                {templates.data.series.map((s) => (
                  <tr key={s.key}>
                    <td class="mono">{s.key}</td>
                    <td class="num">{s.total}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>
    </section>
  );
}
