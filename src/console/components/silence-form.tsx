// The form that creates a silence: matchers (rule, severity, code, group facts), a duration and a comment.
import { useId, useState } from "preact/hooks";
import { request } from "../api.js";
import type { Rule } from "../types.js";
import { ErrorBox } from "./ui.js";

/** DURATIONS offered by the picker, as the API writes them. */
export const DURATIONS = [
  ["30m", "30 minutes"],
  ["1h", "1 hour"],
  ["2h", "2 hours"],
  ["4h", "4 hours"],
  ["8h", "8 hours"],
  ["1d", "1 day"],
  ["7d", "7 days"],
] as const;

/** BASE_KEYS are what every alert can be matched on (the server checks the same list). */
const BASE_KEYS = ["rule", "severity", "code", "waba_id", "phone_number_id", "display_phone_number"];

/** silenceKeys lists what a silence can match: BASE_KEYS and every fact a rule groups by. */
export function silenceKeys(rules: readonly Rule[]): string[] {
  return [...new Set([...BASE_KEYS, ...rules.flatMap((r) => r.group_by)])];
}

interface Row {
  key: string;
  value: string;
}

/** SilenceForm posts a silence; the API's refusal (with its did-you-mean) is shown as it comes. */
export function SilenceForm(props: {
  initial: Record<string, string>;
  rules: readonly Rule[];
  onCreated(id: string): void;
  onCancel?: () => void;
}) {
  const uid = useId();
  const [rows, setRows] = useState<Row[]>(() => {
    const r = Object.entries(props.initial).map(([key, value]) => ({ key, value }));
    return r.length ? r : [{ key: "rule", value: "" }];
  });
  const [duration, setDuration] = useState("1h");
  const [comment, setComment] = useState("");
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const keys = silenceKeys(props.rules);

  const update = (i: number, patch: Partial<Row>) =>
    setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    const matchers = Object.fromEntries(
      rows.filter((r) => r.key.trim()).map((r) => [r.key.trim(), r.value.trim()]),
    );
    try {
      const res = await request<{ id: string }>("POST", "/silences", {
        matchers,
        duration,
        ...(comment.trim() ? { comment: comment.trim() } : {}),
      });
      props.onCreated(res.id);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="silence-form" onSubmit={submit} aria-label="New silence">
      {error && (
        <ErrorBox>
          <strong>The silence was not created.</strong>
          <pre class="plain">{error}</pre>
        </ErrorBox>
      )}
      <fieldset>
        <legend>Matchers (every one must equal the alert's value)</legend>
        <datalist id={`${uid}-keys`}>
          {keys.map((k) => (
            <option key={k} value={k} />
          ))}
        </datalist>
        <datalist id={`${uid}-rules`}>
          {props.rules.map((r) => (
            <option key={r.id} value={r.id} />
          ))}
        </datalist>
        {rows.map((row, i) => (
          <div class="matcher" key={i}>
            <div class="field">
              <label for={`${uid}-k${i}`}>Matcher {i + 1} fact</label>
              <input
                id={`${uid}-k${i}`}
                list={`${uid}-keys`}
                value={row.key}
                required
                onInput={(e) => update(i, { key: (e.target as HTMLInputElement).value })}
              />
            </div>
            <div class="field">
              <label for={`${uid}-v${i}`}>Matcher {i + 1} value</label>
              <input
                id={`${uid}-v${i}`}
                list={row.key === "rule" ? `${uid}-rules` : undefined}
                value={row.value}
                required
                onInput={(e) => update(i, { value: (e.target as HTMLInputElement).value })}
              />
            </div>
            <button
              type="button"
              class="secondary small"
              aria-label={`Remove matcher ${i + 1}`}
              disabled={rows.length === 1}
              onClick={() => setRows(rows.filter((_, j) => j !== i))}
            >
              Remove
            </button>
          </div>
        ))}
        <button
          type="button"
          class="secondary small"
          onClick={() => setRows([...rows, { key: "", value: "" }])}
        >
          Add matcher
        </button>
      </fieldset>
      <div class="field">
        <label for={`${uid}-duration`}>Duration</label>
        <select
          id={`${uid}-duration`}
          value={duration}
          onChange={(e) => setDuration((e.target as HTMLSelectElement).value)}
        >
          {DURATIONS.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for={`${uid}-comment`}>Comment</label>
        <input
          id={`${uid}-comment`}
          value={comment}
          placeholder="why, and who to ask"
          onInput={(e) => setComment((e.target as HTMLInputElement).value)}
        />
      </div>
      <div class="actions">
        <button type="submit" disabled={busy}>
          {busy ? "Creating…" : "Create silence"}
        </button>
        {props.onCancel && (
          <button type="button" class="secondary" onClick={props.onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
