// Rules: every rule in force with its kind, window, channels and last day's counts; reload errors; the dry run.
import { useState } from "preact/hooks";
import { ApiError, request } from "../api.js";
import { ErrorBox, Loading, Notice, SeverityBadge, useApi } from "../components/ui.js";
import { ago, seconds } from "../format.js";
import type { Inhibition, Problem, Rule, RuleStats, RulesReply } from "../types.js";
import { DryRun } from "./dry-run.js";

/** ruleKind names what a rule counts; kinds this console does not know yet are shown by their own name. */
export function ruleKind(r: Rule): string {
  if (typeof r.kind === "string") return r.kind;
  if (r.absent) return "absent";
  const t = r.threshold;
  if (!t) return "every event";
  for (const k of ["ratio", "spike"]) if (t[k] !== undefined) return k;
  return t.distinct ? `distinct ${t.distinct}` : "count";
}

function thresholdText(r: Rule): string {
  const t = r.threshold;
  if (!t) return "—";
  if (t.more_than !== undefined) return `> ${t.more_than}`;
  const ratio = t.ratio as { more_than?: number } | undefined;
  if (ratio?.more_than !== undefined) return `> ${ratio.more_than}`;
  const spike = t.spike as { more_than?: number } | undefined;
  if (spike?.more_than !== undefined) return `> ${spike.more_than}×`;
  return "—";
}

function Problems({ problems }: { problems: Problem[] }) {
  return (
    <ErrorBox>
      <strong>The last reload was rejected; the rules below are the last good ones.</strong>
      <ul class="problems">
        {problems.map((p) => (
          <li key={`${p.file}:${p.line}:${p.col}:${p.message}`} class="mono">
            {p.file}:{p.line}:{p.col}: {p.message}
          </li>
        ))}
      </ul>
    </ErrorBox>
  );
}

function matcherText(m: Record<string, string[]>): string {
  return Object.entries(m)
    .map(([k, v]) => `${k}: ${v.length === 1 ? v[0] : `[${v.join(", ")}]`}`)
    .join(", ");
}

/** Inhibitions lists the `inhibit:` entries in force: while a source alert fires, matching targets are held back. */
function Inhibitions({ inhibitions }: { inhibitions: Inhibition[] }) {
  return (
    <div class="inhibitions">
      <h2 id="inhibitions-title">Inhibitions</h2>
      <p class="muted">
        While a source alert fires, target alerts with the same values of the equal facts are recorded, not
        sent.
      </p>
      <table class="stack" aria-labelledby="inhibitions-title">
        <thead>
          <tr>
            <th scope="col">Source</th>
            <th scope="col">Target</th>
            <th scope="col">Equal</th>
            <th scope="col">Written at</th>
          </tr>
        </thead>
        <tbody>
          {inhibitions.map((i) => (
            <tr key={i.at} data-inhibition={i.at}>
              <td data-label="Source" class="mono">
                {matcherText(i.source)}
              </td>
              <td data-label="Target" class="mono">
                {matcherText(i.target)}
              </td>
              <td data-label="Equal" class="mono">
                {i.equal.join(", ") || "—"}
              </td>
              <td data-label="Written at" class="mono small">
                {i.at}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** RulesPage reads GET /api/rules and /api/rules/stats, and can reload the rules. */
export function RulesPage() {
  const rules = useApi(() => request<RulesReply>("GET", "/rules"), []);
  const stats = useApi(() => request<{ rules: RuleStats[] }>("GET", "/rules/stats"), []);
  const [notice, setNotice] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const byId = new Map((stats.data?.rules ?? []).map((s) => [s.id, s]));

  async function reload() {
    setBusy(true);
    setNotice(undefined);
    try {
      const r = await request<RulesReply>("POST", "/rules/reload");
      setNotice(`Reloaded: ${r.rules.length} rule(s) in force.`);
    } catch (err) {
      // A rejected reload (422) shows its problems in the box below; anything else is said here.
      if (!(err instanceof ApiError && err.status === 422)) setNotice((err as Error).message);
    } finally {
      setBusy(false);
      rules.reload();
      stats.reload();
    }
  }

  return (
    <section aria-labelledby="rules-title">
      <div class="title-row">
        <h1 id="rules-title">Rules</h1>
        <button type="button" class="secondary" disabled={busy} onClick={reload}>
          {busy ? "Reloading…" : "Reload rules"}
        </button>
      </div>
      {notice && <Notice>{notice}</Notice>}
      {rules.error && <ErrorBox>{rules.error}</ErrorBox>}
      {!rules.data && !rules.error && <Loading />}
      {rules.data && rules.data.errors.length > 0 && <Problems problems={rules.data.errors} />}
      {rules.data && (
        <table class="stack">
          <caption class="sr-only">Rules in force; counts cover the last 24 hours</caption>
          <thead>
            <tr>
              <th scope="col">Rule</th>
              <th scope="col">Kind</th>
              <th scope="col">Threshold</th>
              <th scope="col">Window</th>
              <th scope="col">Group by</th>
              <th scope="col">Channels</th>
              <th scope="col" class="num">
                Evaluated (24 h)
              </th>
              <th scope="col" class="num">
                Matched (24 h)
              </th>
              <th scope="col">Last fired</th>
            </tr>
          </thead>
          <tbody>
            {rules.data.rules.map((r) => {
              const s = byId.get(r.id);
              return (
                <tr key={r.id} data-rule={r.id}>
                  <td data-label="Rule">
                    <SeverityBadge severity={r.severity} /> <strong>{r.id}</strong>
                    <div class="muted">{r.description}</div>
                    <div class="muted mono small">{r.source}</div>
                  </td>
                  <td data-label="Kind">{ruleKind(r)}</td>
                  <td data-label="Threshold">{thresholdText(r)}</td>
                  <td data-label="Window">{seconds(r.threshold?.within_seconds)}</td>
                  <td data-label="Group by" class="mono">
                    {r.group_by.join(", ") || "—"}
                  </td>
                  <td data-label="Channels">{r.notify.join(", ") || "(record only)"}</td>
                  <td data-label="Evaluated (24 h)" class="num">
                    {s?.evaluations ?? "—"}
                  </td>
                  <td data-label="Matched (24 h)" class="num">
                    {s?.matches ?? "—"}
                  </td>
                  <td data-label="Last fired">
                    {s?.last_fired ? (
                      <a href={`#/alerts?rule=${encodeURIComponent(r.id)}`} title={s.last_fired}>
                        {ago(s.last_fired)}
                      </a>
                    ) : (
                      "never"
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {rules.data && rules.data.inhibitions.length > 0 && (
        <Inhibitions inhibitions={rules.data.inhibitions} />
      )}
      <DryRun />
    </section>
  );
}
