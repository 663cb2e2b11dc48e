// The admin token for this tab only (sessionStorage): gone when the tab closes, never in a cookie.

const KEY = "waba-alerts.admin-token";

/** getToken returns the token signed in with in this tab, if any. */
export function getToken(): string | undefined {
  return sessionStorage.getItem(KEY) ?? undefined;
}

/** setToken remembers the token for this tab. */
export function setToken(token: string): void {
  sessionStorage.setItem(KEY, token);
}

/** clearToken signs the tab out. */
export function clearToken(): void {
  sessionStorage.removeItem(KEY);
}
