// Alerts: newest first, filtered by state, rule, code, number and time, a page at a time.
import { useState } from "preact/hooks";
import { query, request } from "../api.js";
import { ErrorBox, Loading, SeverityBadge, StateBadge, useApi } from "../components/ui.js";
import { fromLocalInput, groupText, toLocalInput, when } from "../format.js";
import { href, navigate } from "../route.js";
import type { Alert, RulesReply } from "../types.js";

/** PAGE_SIZE is how many alerts one page lists. */
export const PAGE_SIZE = 25;

/** ALERT_STATES are offered in the state filter; the API may know more, and they are shown as they come. */
export const ALERT_STATES = ["firing", "resolved", "silenced", "inhibited", "superseded"];

const FILTERS = ["state", "rule", "code", "phone_number_id", "from", "to"] as const;
type Filters = Partial<Record<(typeof FILTERS)[number], string>>;

function filtersOf(params: URLSearchParams): Filters {
  const f: Filters = {};
  for (const k of FILTERS) {
    const v = params.get(k);
    if (v) f[k] = v;
  }
  return f;
}

function FilterForm({ filters, ruleIds }: { filters: Filters; ruleIds: string[] }) {
  const [draft, setDraft] = useState<Filters>(filters);
  const set = (k: keyof Filters) => (e: Event) =>
    setDraft({ ...draft, [k]: (e.target as HTMLInputElement | HTMLSelectElement).value });
  return (
    <form
      class="filters"
      aria-label="Filter alerts"
      onSubmit={(e) => {
        e.preventDefault();
        navigate(href("alerts", draft));
      }}
    >
      <div class="field">
        <label for="f-state">State</label>
        <select id="f-state" value={draft.state ?? ""} onChange={set("state")}>
          <option value="">any</option>
          {ALERT_STATES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="f-rule">Rule</label>
        <select id="f-rule" value={draft.rule ?? ""} onChange={set("rule")}>
          <option value="">any</option>
          {ruleIds.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="f-code">Error code</label>
        <input
          id="f-code"
          inputMode="numeric"
          pattern="[0-9]*"
          value={draft.code ?? ""}
          onInput={set("code")}
        />
      </div>
      <div class="field">
        <label for="f-number">Phone number id</label>
        <input id="f-number" value={draft.phone_number_id ?? ""} onInput={set("phone_number_id")} />
      </div>
      <div class="field">
        <label for="f-from">From</label>
        <input
          id="f-from"
          type="datetime-local"
          value={toLocalInput(draft.from)}
          onInput={(e) => setDraft({ ...draft, from: fromLocalInput((e.target as HTMLInputElement).value) })}
        />
      </div>
      <div class="field">
        <label for="f-to">To</label>
        <input
          id="f-to"
          type="datetime-local"
          value={toLocalInput(draft.to)}
          onInput={(e) => setDraft({ ...draft, to: fromLocalInput((e.target as HTMLInputElement).value) })}
        />
      </div>
      <div class="actions">
        <button type="submit">Apply</button>
        <a class="button secondary" href="#/alerts">
          Clear
        </a>
      </div>
    </form>
  );
}

/** AlertsPage lists alerts with the filters and page in the hash. */
export function AlertsPage({ params }: { params: URLSearchParams }) {
  const filters = filtersOf(params);
  const offset = Math.max(0, Number(params.get("offset") ?? 0) || 0);
  const key = JSON.stringify({ filters, offset });
  const alerts = useApi(
    () =>
      request<{ alerts: Alert[] }>("GET", `/alerts${query({ ...filters, limit: PAGE_SIZE + 1, offset })}`),
    [key],
  );
  const rules = useApi(() => request<RulesReply>("GET", "/rules"), []);
  const list = alerts.data?.alerts ?? [];
  const page = list.slice(0, PAGE_SIZE);
  const more = list.length > PAGE_SIZE;
  const pageLink = (o: number) => href("alerts", { ...filters, offset: o > 0 ? String(o) : undefined });

  return (
    <section aria-labelledby="alerts-title">
      <div class="title-row">
        <h1 id="alerts-title">Alerts</h1>
        <button type="button" class="secondary" onClick={alerts.reload}>
          Refresh
        </button>
      </div>
      <FilterForm key={key} filters={filters} ruleIds={(rules.data?.rules ?? []).map((r) => r.id)} />
      {alerts.error && <ErrorBox>{alerts.error}</ErrorBox>}
      {!alerts.data && !alerts.error && <Loading />}
      {alerts.data && page.length === 0 && <p class="muted">No alerts match.</p>}
      {page.length > 0 && (
        <table class="stack">
          <caption class="sr-only">Alerts, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Created</th>
              <th scope="col">State</th>
              <th scope="col">Rule</th>
              <th scope="col">Code</th>
              <th scope="col">Group</th>
              <th scope="col" class="num">
                Count
              </th>
            </tr>
          </thead>
          <tbody>
            {page.map((a) => (
              <tr key={a.id} data-alert={a.id}>
                <td data-label="Created">
                  <a href={`#/alerts/${encodeURIComponent(a.id)}`} title={a.created_at}>
                    {when(a.created_at)}
                  </a>
                </td>
                <td data-label="State">
                  <StateBadge state={a.state} />{" "}
                  {a.type === "alert.resolved" && <span class="muted">(resolved notice)</span>}
                </td>
                <td data-label="Rule">
                  <SeverityBadge severity={a.rule.severity} /> {a.rule.id}
                </td>
                <td data-label="Code">
                  {a.code ?? "—"} <span class="muted">{a.title}</span>
                </td>
                <td data-label="Group" class="mono">
                  {groupText(a.group)}
                </td>
                <td data-label="Count" class="num">
                  {a.count}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <nav class="pager" aria-label="Pages of alerts">
        {offset > 0 && <a href={pageLink(Math.max(0, offset - PAGE_SIZE))}>← Newer</a>}
        {more && <a href={pageLink(offset + PAGE_SIZE)}>Older →</a>}
      </nav>
    </section>
  );
}
