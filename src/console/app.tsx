// The console's frame: sign-in gate, navigation, and which page the hash shows.
import { useEffect, useState } from "preact/hooks";
import { onTokenRefused } from "./api.js";
import { ActivityPage } from "./pages/activity.js";
import { AlertDetailPage } from "./pages/alert-detail.js";
import { AlertsPage } from "./pages/alerts.js";
import { DeadLettersPage } from "./pages/dead-letters.js";
import { RulesPage } from "./pages/rules.js";
import { SignIn } from "./pages/sign-in.js";
import { SilencesPage } from "./pages/silences.js";
import { type Route, useRoute } from "./route.js";
import { clearToken, getToken } from "./session.js";

const PAGES = [
  ["alerts", "Alerts"],
  ["silences", "Silences"],
  ["rules", "Rules"],
  ["activity", "Activity"],
  ["dead-letters", "Dead letters"],
] as const;

function Page({ route }: { route: Route }) {
  const [page = "alerts", id] = route.path;
  switch (page) {
    case "alerts":
      return id ? <AlertDetailPage id={id} /> : <AlertsPage params={route.params} />;
    case "silences":
      return <SilencesPage />;
    case "rules":
      return <RulesPage />;
    case "activity":
      return <ActivityPage params={route.params} />;
    case "dead-letters":
      return <DeadLettersPage />;
    default:
      return (
        <section>
          <h1>Not found</h1>
          <p>
            There is no page “{page}”. <a href="#/alerts">Go to the alerts</a>.
          </p>
        </section>
      );
  }
}

/** App shows the sign-in form until a token is accepted, then the page the hash names. */
export function App() {
  const [signedIn, setSignedIn] = useState(() => getToken() !== undefined);
  const [refused, setRefused] = useState(false);
  const route = useRoute();
  useEffect(
    () =>
      onTokenRefused(() => {
        setRefused(true);
        setSignedIn(false);
      }),
    [],
  );
  const [page = "alerts"] = route.path;
  useEffect(() => {
    const title = PAGES.find(([p]) => p === page)?.[1] ?? "Console";
    document.title = `${title} · waba-alerts`;
  }, [page]);

  if (!signedIn) {
    return (
      <SignIn
        expired={refused}
        onSignedIn={() => {
          setRefused(false);
          setSignedIn(true);
        }}
      />
    );
  }
  return (
    <>
      <button type="button" class="skip" onClick={() => document.getElementById("main")?.focus()}>
        Skip to content
      </button>
      <header class="top">
        <span class="brand">waba-alerts</span>
        <nav aria-label="Console pages">
          <ul>
            {PAGES.map(([p, label]) => (
              <li key={p}>
                <a href={`#/${p}`} aria-current={p === page ? "page" : undefined}>
                  {label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <button
          type="button"
          class="link"
          onClick={() => {
            clearToken();
            setSignedIn(false);
          }}
        >
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        <Page route={route} />
      </main>
    </>
  );
}
