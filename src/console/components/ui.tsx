// Small shared pieces: loading data from the API, error boxes, state and severity badges.
import type { ComponentChildren } from "preact";
import { useCallback, useEffect, useState } from "preact/hooks";

/** Loaded is the state of one API read: its data, or its error, and a way to read it again. */
export interface Loaded<T> {
  data?: T;
  error?: string;
  loading: boolean;
  reload(): void;
}

/** useApi runs `load` whenever `deps` change, keeping the last data while a reload runs. */
export function useApi<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: string; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => live && setState({ data, loading: false }),
      (err: Error) => live && setState((s) => ({ ...s, error: err.message, loading: false })),
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}

/** ErrorBox shows what went wrong, announced to screen readers. */
export function ErrorBox({ children }: { children: ComponentChildren }) {
  return (
    <div class="error" role="alert">
      {children}
    </div>
  );
}

/** Notice is a polite status line (saved, queued again, …). */
export function Notice({ children }: { children: ComponentChildren }) {
  return (
    <p class="notice" role="status">
      {children}
    </p>
  );
}

/** KNOWN_STATES get their own colours; any other state (a newer engine's) is still shown, in grey. */
const KNOWN_STATES = new Set(["firing", "resolved", "silenced", "inhibited", "superseded"]);

/** StateBadge shows an alert's state as text, coloured when it is a known one. */
export function StateBadge({ state }: { state: string }) {
  const known = KNOWN_STATES.has(state) ? state : "other";
  return <span class={`badge state-${known}`}>{state}</span>;
}

/** SeverityBadge shows a rule's severity. */
export function SeverityBadge({ severity }: { severity: string }) {
  const known = ["info", "warning", "critical"].includes(severity) ? severity : "other";
  return <span class={`badge sev-${known}`}>{severity}</span>;
}

/** Loading is the placeholder while nothing has arrived yet. */
export function Loading() {
  return (
    <p class="muted" aria-busy="true">
      Loading…
    </p>
  );
}
