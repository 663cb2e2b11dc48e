// How the console writes times, durations and groups.

const pad = (n: number) => String(n).padStart(2, "0");

/** when renders an ISO time in the browser's zone as `2026-01-31 14:02:05`. */
export function when(iso: string | null | undefined): string {
  if (!iso) return "—";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** ago renders how long before `nowMs` an ISO time was: `5 min ago`. */
export function ago(iso: string | null | undefined, nowMs = Date.now()): string {
  if (!iso) return "never";
  const s = Math.round((nowMs - Date.parse(iso)) / 1000);
  if (!Number.isFinite(s)) return iso;
  if (s < 0) return "in the future";
  if (s < 90) return `${s} s ago`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min ago`;
  if (s < 36 * 3600) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} d ago`;
}

/** seconds renders a duration in seconds in the largest whole unit: 600 → 10m. */
export function seconds(total: number | null | undefined): string {
  if (total === null || total === undefined) return "—";
  for (const [unit, size] of [
    ["d", 86400],
    ["h", 3600],
    ["m", 60],
  ] as const) {
    if (total >= size && total % size === 0) return `${total / size}${unit}`;
  }
  return `${total}s`;
}

/** groupText renders a group as `phone_number_id=1065…`, or `(all)` for a rule without group_by. */
export function groupText(group: Record<string, string> | undefined): string {
  const entries = Object.entries(group ?? {});
  return entries.length ? entries.map(([k, v]) => `${k}=${v}`).join(" ") : "(all)";
}

/** toLocalInput turns an ISO time into a datetime-local value; fromLocalInput goes back. */
export function toLocalInput(iso: string | undefined): string {
  if (!iso) return "";
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** fromLocalInput turns a datetime-local value (browser zone) into ISO, or undefined when empty. */
export function fromLocalInput(value: string): string | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}
