// Calls to the admin API with the tab's bearer token; a refused token signs the tab out.
import { clearToken, getToken } from "./session.js";

/** ApiError is a non-2xx answer, carrying the API's own error text. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: unknown,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

type Listener = () => void;
const refusedListeners = new Set<Listener>();

/** onTokenRefused calls `fn` whenever the API answers 401 (the tab is signed out first). */
export function onTokenRefused(fn: Listener): () => void {
  refusedListeners.add(fn);
  return () => refusedListeners.delete(fn);
}

/** request sends one call to /api with the given token (default: the tab's) and parses the JSON answer. */
export async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  token: string | undefined = getToken(),
): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(`/api${path}`, {
    method,
    headers,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    cache: "no-store",
    credentials: "omit",
  });
  const text = await res.text();
  const parsed: unknown = text ? safeJson(text) : undefined;
  if (!res.ok) {
    if (res.status === 401 && token === getToken()) {
      clearToken();
      for (const fn of refusedListeners) fn();
    }
    const message =
      typeof parsed === "object" && parsed !== null && "error" in parsed
        ? String((parsed as { error: unknown }).error)
        : `${res.status} ${res.statusText}`;
    throw new ApiError(res.status, message, parsed);
  }
  return parsed as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** query renders a query string from the defined, non-empty values. */
export function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== "") q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : "";
}
