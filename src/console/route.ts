// Hash routing (#/alerts?state=firing): every view is a link that survives reloads and can be shared.
import { useEffect, useState } from "preact/hooks";

/** Route is the page path and its query parameters. */
export interface Route {
  path: string[];
  params: URLSearchParams;
}

/** parseHash turns `#/alerts/abc?x=1` into { path: ["alerts", "abc"], params: x=1 }. */
export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#\/?/, "");
  const [pathPart = "", queryPart = ""] = raw.split("?", 2);
  return {
    path: pathPart.split("/").filter(Boolean).map(decodeURIComponent),
    params: new URLSearchParams(queryPart),
  };
}

/** href builds a hash link for a path and optional parameters. */
export function href(path: string, params?: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params ?? {})) if (v) q.set(k, v);
  const s = q.toString();
  return `#/${path}${s ? `?${s}` : ""}`;
}

/** navigate moves to a hash link. */
export function navigate(link: string): void {
  window.location.hash = link.replace(/^#/, "");
}

/** useRoute re-renders on every hash change. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(window.location.hash));
  useEffect(() => {
    const on = () => setRoute(parseHash(window.location.hash));
    window.addEventListener("hashchange", on);
    return () => window.removeEventListener("hashchange", on);
  }, []);
  return route;
}
