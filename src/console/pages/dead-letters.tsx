// Dead letters: notifications that finally failed, with the last error, and a button to send each again.
import { useState } from "preact/hooks";
import { request } from "../api.js";
import { ErrorBox, Loading, Notice, useApi } from "../components/ui.js";
import { when } from "../format.js";
import type { DeadLetter } from "../types.js";

/** DeadLettersPage lists GET /api/dead-letters and retries one with POST /api/dead-letters/:id/retry. */
export function DeadLettersPage() {
  const letters = useApi(() => request<{ dead_letters: DeadLetter[] }>("GET", "/dead-letters?limit=200"), []);
  const [notice, setNotice] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();

  async function retry(l: DeadLetter) {
    setError(undefined);
    try {
      await request("POST", `/dead-letters/${encodeURIComponent(l.id)}/retry`);
      setNotice(`Queued again for ${l.channel}. If it fails for good again it comes back here.`);
      letters.reload();
    } catch (err) {
      setError((err as Error).message);
    }
  }

  const list = letters.data?.dead_letters ?? [];
  return (
    <section aria-labelledby="dl-title">
      <div class="title-row">
        <h1 id="dl-title">Dead letters</h1>
        <button type="button" class="secondary" onClick={letters.reload}>
          Refresh
        </button>
      </div>
      <p class="hint">
        Notifications a channel refused, or that ran out of attempts. Nothing here is retried unless you ask.
      </p>
      {notice && <Notice>{notice}</Notice>}
      {(error || letters.error) && <ErrorBox>{error ?? letters.error}</ErrorBox>}
      {!letters.data && !letters.error && <Loading />}
      {letters.data && list.length === 0 && (
        <p class="muted">No dead letters: every notification got through.</p>
      )}
      {list.length > 0 && (
        <table class="stack">
          <thead>
            <tr>
              <th scope="col">Failed</th>
              <th scope="col">Channel</th>
              <th scope="col">Alert</th>
              <th scope="col">Why</th>
              <th scope="col">Last error</th>
              <th scope="col">Action</th>
            </tr>
          </thead>
          <tbody>
            {list.map((l) => (
              <tr key={l.id} data-dead-letter={l.id}>
                <td data-label="Failed">{when(l.failed_at)}</td>
                <td data-label="Channel">{l.channel}</td>
                <td data-label="Alert">
                  <a href={`#/alerts/${encodeURIComponent(l.alert.id)}`}>{l.alert.rule.id}</a>{" "}
                  <span class="muted">{l.alert.code ?? ""}</span>
                </td>
                <td data-label="Why">
                  {l.reason === "permanent"
                    ? "refused"
                    : l.reason === "exhausted"
                      ? `${l.attempts} attempts failed`
                      : l.reason}
                </td>
                <td data-label="Last error" class="wrap">
                  {l.error}
                </td>
                <td data-label="Action">
                  <button
                    type="button"
                    class="small"
                    onClick={() => retry(l)}
                    aria-label={`Retry ${l.channel} for ${l.alert.rule.id}`}
                  >
                    Retry
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
