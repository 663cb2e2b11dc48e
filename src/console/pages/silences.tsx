// Silences: the active ones (expire them), those that ended lately, and a form for a new one.
import { useState } from "preact/hooks";
import { request } from "../api.js";
import { SilenceForm } from "../components/silence-form.js";
import { ErrorBox, Loading, Notice, useApi } from "../components/ui.js";
import { ago, groupText, when } from "../format.js";
import type { RulesReply, Silence } from "../types.js";

function SilenceTable(props: { silences: Silence[]; active: boolean; onExpire?: (s: Silence) => void }) {
  return (
    <table class="stack">
      <thead>
        <tr>
          <th scope="col">Matchers</th>
          <th scope="col">{props.active ? "Ends" : "Ended"}</th>
          <th scope="col">Comment</th>
          <th scope="col">Created</th>
          {props.active && <th scope="col">Action</th>}
        </tr>
      </thead>
      <tbody>
        {props.silences.map((s) => (
          <tr key={s.id} data-silence={s.id}>
            <td data-label="Matchers" class="mono">
              {groupText(s.matchers)}
            </td>
            <td data-label={props.active ? "Ends" : "Ended"} title={s.ends_at}>
              {when(s.ends_at)}
            </td>
            <td data-label="Comment">{s.comment || "—"}</td>
            <td data-label="Created">{ago(s.created_at)}</td>
            {props.active && (
              <td data-label="Action">
                <button type="button" class="secondary small" onClick={() => props.onExpire?.(s)}>
                  Expire
                </button>
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** SilencesPage lists silences from GET /api/silences?state=all and creates and expires them. */
export function SilencesPage() {
  const silences = useApi(() => request<{ silences: Silence[] }>("GET", "/silences?state=all"), []);
  const rules = useApi(() => request<RulesReply>("GET", "/rules"), []);
  const [creating, setCreating] = useState(false);
  const [notice, setNotice] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const now = Date.now();
  const all = silences.data?.silences ?? [];
  const active = all.filter((s) => Date.parse(s.ends_at) > now);
  const expired = all.filter((s) => Date.parse(s.ends_at) <= now);

  async function expire(s: Silence) {
    setError(undefined);
    try {
      await request("DELETE", `/silences/${encodeURIComponent(s.id)}`);
      setNotice(`Silence on ${groupText(s.matchers)} expired.`);
      silences.reload();
    } catch (err) {
      setError((err as Error).message);
    }
  }

  return (
    <section aria-labelledby="silences-title">
      <div class="title-row">
        <h1 id="silences-title">Silences</h1>
        {!creating && (
          <button type="button" onClick={() => setCreating(true)}>
            New silence
          </button>
        )}
      </div>
      {notice && <Notice>{notice}</Notice>}
      {error && <ErrorBox>{error}</ErrorBox>}
      {creating && (
        <section class="panel" aria-labelledby="new-silence">
          <h2 id="new-silence">New silence</h2>
          <SilenceForm
            initial={{}}
            rules={rules.data?.rules ?? []}
            onCancel={() => setCreating(false)}
            onCreated={() => {
              setCreating(false);
              setNotice("Silence created.");
              silences.reload();
            }}
          />
        </section>
      )}
      {silences.error && <ErrorBox>{silences.error}</ErrorBox>}
      {!silences.data && !silences.error && <Loading />}
      <h2>Active</h2>
      {silences.data && active.length === 0 && <p class="muted">No active silences: every alert is sent.</p>}
      {active.length > 0 && <SilenceTable silences={active} active onExpire={expire} />}
      <h2>Expired</h2>
      {silences.data && expired.length === 0 && <p class="muted">None ended in the last 7 days.</p>}
      {expired.length > 0 && <SilenceTable silences={expired} active={false} />}
    </section>
  );
}
