// Sign-in with the admin token: checked against the API before it is kept for this tab.
import { useState } from "preact/hooks";
import { ApiError, request } from "../api.js";
import { ErrorBox } from "../components/ui.js";
import { setToken } from "../session.js";

/** SignIn asks for the admin token and keeps it (this tab only) once the API accepts it. */
export function SignIn({ expired, onSignedIn }: { expired: boolean; onSignedIn(): void }) {
  const [token, setValue] = useState("");
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await request("GET", "/rules", undefined, token.trim());
      setToken(token.trim());
      onSignedIn();
    } catch (err) {
      setError(
        err instanceof ApiError && err.status === 401
          ? "That token was refused. Use the admin.token of the server's config (ADMIN_TOKEN)."
          : `Could not reach the admin API: ${(err as Error).message}`,
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <main class="sign-in" id="main">
      <h1>waba-alerts console</h1>
      <form onSubmit={submit}>
        {expired && !error && <ErrorBox>The server refused this tab's token. Sign in again.</ErrorBox>}
        {error && <ErrorBox>{error}</ErrorBox>}
        <label for="token">Admin token</label>
        <input
          id="token"
          name="token"
          type="password"
          autoComplete="current-password"
          required
          value={token}
          onInput={(e) => setValue((e.target as HTMLInputElement).value)}
        />
        <p class="hint">The token is kept for this browser tab only and sent with each request.</p>
        <button type="submit" disabled={busy || token.trim() === ""}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </main>
  );
}
