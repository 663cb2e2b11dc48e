// One alert: what happened, where, how often, what to do, every delivery attempt, and "silence this".
import { useState } from "preact/hooks";
import { request } from "../api.js";
import { SilenceForm } from "../components/silence-form.js";
import { ErrorBox, Loading, Notice, SeverityBadge, StateBadge, useApi } from "../components/ui.js";
import { groupText, seconds, when } from "../format.js";
import type { Alert, Delivery, RulesReply } from "../types.js";

function Samples({ samples }: { samples: Alert["samples"] }) {
  if (samples.length === 0) return <p class="muted">No samples.</p>;
  const columns = [...new Set(samples.flatMap((s) => Object.keys(s)))].filter((c) => c !== "event_id");
  return (
    <div class="scroll">
      <table class="stack">
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {samples.map((s, i) => (
            <tr key={i}>
              {columns.map((c) => (
                <td key={c} class="mono" data-label={c}>
                  {c === "timestamp" ? when(String(s[c] ?? "")) : String(s[c] ?? "—")}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Deliveries({ deliveries }: { deliveries: Delivery[] }) {
  if (deliveries.length === 0) return <p class="muted">No delivery attempts recorded (yet).</p>;
  return (
    <table class="stack">
      <thead>
        <tr>
          <th scope="col">At</th>
          <th scope="col">Channel</th>
          <th scope="col">Attempt</th>
          <th scope="col">Outcome</th>
          <th scope="col">Error</th>
        </tr>
      </thead>
      <tbody>
        {deliveries.map((d, i) => (
          <tr key={i}>
            <td data-label="At">{when(d.at)}</td>
            <td data-label="Channel">{d.channel}</td>
            <td data-label="Attempt">{d.attempt}</td>
            <td data-label="Outcome">
              <span class={`badge result-${d.result}`}>{d.result}</span>
              {d.final && d.result !== "ok" && " (final)"}
            </td>
            <td data-label="Error">{d.error ?? "—"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** AlertDetailPage shows one alert from GET /api/alerts/:id. */
export function AlertDetailPage({ id }: { id: string }) {
  const loaded = useApi(
    () => request<{ alert: Alert; deliveries: Delivery[] }>("GET", `/alerts/${encodeURIComponent(id)}`),
    [id],
  );
  const rules = useApi(() => request<RulesReply>("GET", "/rules"), []);
  const [silencing, setSilencing] = useState(false);
  const [silenced, setSilenced] = useState<string | undefined>();

  if (loaded.error) return <ErrorBox>{loaded.error}</ErrorBox>;
  if (!loaded.data) return <Loading />;
  const { alert: a, deliveries } = loaded.data;
  const facts: Array<[string, preact.ComponentChildren]> = [
    [
      "Rule",
      <span key="r">
        {a.rule.id} — {a.rule.description}
      </span>,
    ],
    ["Group", <span class="mono">{groupText(a.group)}</span>],
    ["Code", a.code !== undefined ? `${a.code} ${a.title}` : a.title],
    ["Count", a.window_seconds > 0 ? `${a.count} in ${seconds(a.window_seconds)}` : String(a.count)],
    ["First seen", when(a.first_seen)],
    ["Last seen", when(a.last_seen)],
    ["Created", when(a.created_at)],
    [
      "Where",
      groupText(Object.fromEntries(Object.entries(a.where).filter(([, v]) => v)) as Record<string, string>),
    ],
    ["Channels", a.notify.join(", ") || "—"],
  ];
  for (const extra of ["of_count", "ratio", "baseline_count", "firing_id", "fingerprint"]) {
    if (a[extra] !== undefined) facts.push([extra, String(a[extra])]);
  }

  return (
    <article aria-labelledby="alert-title">
      <p>
        <a href="#/alerts">← All alerts</a>
      </p>
      <div class="title-row">
        <h1 id="alert-title">
          {a.code !== undefined ? `${a.code} ` : ""}
          {a.title}
        </h1>
        <span>
          <StateBadge state={a.state} /> <SeverityBadge severity={a.rule.severity} />
        </span>
      </div>
      {silenced && (
        <Notice>
          Silence created. Matching alerts are recorded as silenced, not sent.{" "}
          <a href="#/silences">See silences</a>.
        </Notice>
      )}
      {!silencing && (
        <p>
          <button type="button" onClick={() => setSilencing(true)}>
            Silence this…
          </button>
        </p>
      )}
      {silencing && (
        <section aria-labelledby="silence-title" class="panel">
          <h2 id="silence-title">Silence alerts like this one</h2>
          <SilenceForm
            initial={{ rule: a.rule.id, ...a.group }}
            rules={rules.data?.rules ?? []}
            onCancel={() => setSilencing(false)}
            onCreated={(sid) => {
              setSilenced(sid);
              setSilencing(false);
            }}
          />
        </section>
      )}
      <dl class="facts">
        {facts.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      {a.meaning && (
        <section>
          <h2>What it means</h2>
          <p>{a.meaning}</p>
        </section>
      )}
      {a.causes.length > 0 && (
        <section>
          <h2>Likely causes</h2>
          <ul>
            {a.causes.map((c) => (
              <li key={c}>{c}</li>
            ))}
          </ul>
        </section>
      )}
      {a.actions.length > 0 && (
        <section>
          <h2>What to do</h2>
          <ol class="actions-list">
            {a.actions.map((c) => (
              <li key={c}>{c}</li>
            ))}
          </ol>
        </section>
      )}
      {a.docs_url && (
        <p>
          <a href={a.docs_url} rel="noreferrer noopener" target="_blank">
            Meta's documentation for this code
          </a>
        </p>
      )}
      <section>
        <h2>Samples</h2>
        <Samples samples={a.samples} />
      </section>
      <section>
        <h2>Deliveries</h2>
        <Deliveries deliveries={deliveries} />
      </section>
    </article>
  );
}
