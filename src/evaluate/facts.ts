// Facts the evaluate stage reads and adds: catalog facts, dotted fact values, group keys and alert ids.
import { createHash } from "node:crypto";
import type { Catalog } from "../catalog/index.js";
import type { Event } from "../model/event.js";
import { readFact } from "../model/facts.js";
import { maskFact } from "../shared/mask.js";

/** MISSING marks an absent group value in a group key; encodeURIComponent never produces a bare "%-". */
const MISSING = "%-";

/** MAX_READABLE_GROUP_KEY is how long a group key may be before it is hashed instead of kept readable. */
const MAX_READABLE_GROUP_KEY = 200;

/** CatalogLookup is the one catalog method the evaluate stage needs, so tests can pass a small stub. */
export type CatalogLookup = Pick<Catalog, "get">;

/**
 * withCatalogFacts is the event as rules see it: with `catalog.*` facts from the catalog entry for its
 * code, when there is one. The event itself is never changed (a copy carries the facts).
 */
export function withCatalogFacts(event: Event, catalog: CatalogLookup): Event {
  if (typeof event.code !== "number") return event;
  const entry = catalog.get(event.code);
  if (!entry) return event;
  return { ...event, catalog: { category: entry.category, retryable: entry.retryable } };
}

/** factValue reads a fact by its dotted name, exactly as rule conditions read it (readFact). */
export function factValue(event: Event, name: string): unknown {
  return readFact(event, name);
}

/** factText renders a fact value as the string an alert shows and a window counts, or undefined when absent. */
export function factText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint")
    return String(value);
  return JSON.stringify(value);
}

/**
 * groupOf is the alert's `group`: each `group_by` fact with its value; absent facts are left out. With
 * `mask`, a customer's number (recipient facts) is masked: the group is what every stored and shown copy
 * of the alert carries.
 */
export function groupOf(event: Event, groupBy: readonly string[], mask = false): Record<string, string> {
  const group: Record<string, string> = {};
  for (const fact of groupBy) {
    const text = factText(factValue(event, fact));
    if (text !== undefined) group[fact] = mask ? maskFact(fact, text) : text;
  }
  return group;
}

/**
 * groupText names one group by its values: escaped, injective, free of `{`, `}` and `|`; hashed when long.
 * It is never stored: alert ids and fingerprints derive from it (as they always have, so a stream keeps
 * its fingerprint), and Redis keys from its hash (groupKey).
 */
export function groupText(event: Event, groupBy: readonly string[]): string {
  if (groupBy.length === 0) return "";
  const key = groupBy
    .map((fact) => {
      const text = factText(factValue(event, fact));
      return text === undefined ? MISSING : encodeURIComponent(text);
    })
    .join(",");
  if (key.length <= MAX_READABLE_GROUP_KEY) return key;
  return `#${digest(key)}`;
}

/**
 * groupKey is the window key part for one group: a hash of its values (groupText), so no key name ever
 * carries a customer's number; hex holds no `{`, `}` or `|`, so it cannot break a Redis Cluster hash tag.
 */
export function groupKey(text: string): string {
  return text === "" ? "" : `g${digest(text)}`;
}

/** digest is 128 bits of SHA-256 in hex: collisions are out of reach for any number of groups or values. */
export function digest(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 32);
}

/** windowKey joins a rule's state key and a group key into the key of one rule+group window. */
export function windowKey(stateKey: string, group: string): string {
  return `${stateKey}|${group}`;
}

/** fingerprint names one rule+group alert stream: the same for its firing, re-firing and resolved alerts, across rule edits. */
export function fingerprint(ruleId: string, group: string): string {
  return createHash("sha256").update(`${ruleId}\0${group}`).digest("hex").slice(0, 24);
}

/** alertId is the stable id of one crossing: the same rule state, group and crossing event give the same id. */
export function alertId(stateKey: string, group: string, crossingEventId: string): string {
  return createHash("sha256").update(`${stateKey}\0${group}\0${crossingEventId}`).digest("hex").slice(0, 24);
}

/** eventTimeMs is the event's own time in unix ms (processing time when a source sent none). */
export function eventTimeMs(event: Event, nowMs: number): number {
  return Number.isFinite(event.timestamp) ? event.timestamp * 1000 : nowMs;
}
