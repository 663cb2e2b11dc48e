// The dry-run box: pasted events through the rules in force, in memory, with the explain trace.
import { useId, useState } from "preact/hooks";
import { ApiError, request } from "../api.js";
import { ErrorBox, SeverityBadge } from "../components/ui.js";
import { groupText, when } from "../format.js";
import type { Alert } from "../types.js";

interface DryRunReply {
  events: number;
  rules: number;
  alerts: Array<Alert & { at: string }>;
  explain: string;
}

/** DryRun posts the pasted text to POST /api/rules/dry-run and shows what would fire and why. */
export function DryRun() {
  const id = useId();
  const [text, setText] = useState("");
  const [result, setResult] = useState<DryRunReply | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  async function run(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    setResult(undefined);
    try {
      setResult(await request<DryRunReply>("POST", "/rules/dry-run", { events: text }));
    } catch (err) {
      setError(err instanceof ApiError ? err.message : `Could not run: ${(err as Error).message}`);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby={`${id}-title`} class="panel">
      <h2 id={`${id}-title`}>Dry run</h2>
      <form onSubmit={run}>
        <label for={`${id}-events`}>Events to try</label>
        <p class="hint" id={`${id}-hint`}>
          Paste a Meta webhook body, a JSON array of bodies or events, or JSON lines. They run through the
          rules in force as <code>waba-alerts test --events --explain</code> does: on their own timestamps, in
          memory, nothing stored or sent.
        </p>
        <textarea
          id={`${id}-events`}
          aria-describedby={`${id}-hint`}
          rows={8}
          spellcheck={false}
          value={text}
          onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
        />
        <div class="actions">
          <button type="submit" disabled={busy || text.trim() === ""}>
            {busy ? "Running…" : "Run"}
          </button>
        </div>
      </form>
      {error && (
        <ErrorBox>
          <pre class="plain">{error}</pre>
        </ErrorBox>
      )}
      {result && (
        <div class="dry-run-result" aria-live="polite">
          <p>
            <strong>
              {result.events} event(s), {result.rules} rule(s): {result.alerts.length} alert(s) would fire
            </strong>
          </p>
          {result.alerts.length > 0 && (
            <table class="stack">
              <thead>
                <tr>
                  <th scope="col">At (event time)</th>
                  <th scope="col">Rule</th>
                  <th scope="col">Group</th>
                  <th scope="col" class="num">
                    Count
                  </th>
                </tr>
              </thead>
              <tbody>
                {result.alerts.map((a) => (
                  <tr key={a.id}>
                    <td data-label="At">{when(a.at)}</td>
                    <td data-label="Rule">
                      <SeverityBadge severity={a.rule.severity} /> {a.rule.id}
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
          <h3>Explain</h3>
          <pre class="explain">{result.explain || "(no events)"}</pre>
        </div>
      )}
    </section>
  );
}
