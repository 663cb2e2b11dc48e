// Routing for BSPs and teams: config `routes` tried in order on an alert's facts, each match adding channels.
import { type AlertFacts, matchesAll } from "../alerts/match.js";
import type { Config, RouteConfig } from "../config/schema.js";
import type { Matchers } from "../rules/types.js";

/** Route is one compiled `routes:` entry; `index` is its 0-based place in the config. */
export interface Route {
  readonly index: number;
  readonly match: Matchers;
  readonly notify: readonly string[];
  readonly continue: boolean;
}

/**
 * compileRoutes turns the config's routes (checked by the config loader) into matchers on text values
 * (`waba_id: 123` matches "123").
 */
export function compileRoutes(routes: Config["routes"]): readonly Route[] {
  return Object.freeze(
    (routes as readonly RouteConfig[]).map((r, index) =>
      Object.freeze({
        index,
        match: Object.freeze(
          Object.fromEntries(
            Object.entries(r.match).map(([k, v]) => [
              k,
              Object.freeze((Array.isArray(v) ? v : [v]).map(String)),
            ]),
          ),
        ),
        notify: Object.freeze([...r.notify]),
        continue: r.continue,
      }),
    ),
  );
}

/** Routing is where an alert goes: every channel once, in order, and the routes that matched. */
export interface Routing {
  readonly channels: readonly string[];
  readonly matched: readonly Route[];
}

/**
 * routeAlert starts from the rule's own channels and tries each route in order: a match adds its
 * channels; a match with `continue: false` (the default) ends the search there.
 */
export function routeAlert(
  facts: AlertFacts,
  ruleChannels: readonly string[],
  routes: readonly Route[],
): Routing {
  const channels = new Set(ruleChannels);
  const matched: Route[] = [];
  for (const route of routes) {
    if (!matchesAll(route.match, facts)) continue;
    matched.push(route);
    for (const c of route.notify) channels.add(c);
    if (!route.continue) break;
  }
  return { channels: [...channels], matched };
}
