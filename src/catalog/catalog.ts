// The error-code catalog: built-in entries merged with the config's `catalog:` overrides, with O(1) lookup.

import type { CatalogOverrideConfig } from "../config/schema.js";
import { BUILTIN_ENTRIES, META_ERROR_CODES_URL } from "./entries.js";

/** CatalogCategory is one of the families the built-in entries are sorted into. */
export type CatalogCategory =
  | "auth"
  | "throttling"
  | "integrity"
  | "template"
  | "media"
  | "payment"
  | "recipient"
  | "system"
  | "request"
  | "registration";

/** CatalogEntry is everything the engine knows about one WhatsApp error code (or range of codes). */
export interface CatalogEntry {
  readonly code: number;
  /** Inclusive bounds when the entry stands for a whole range, e.g. 200–299. */
  readonly codeRange?: readonly [number, number];
  readonly title: string;
  /** A CatalogCategory for built-in entries; any string (default "custom") for codes added in config. */
  readonly category: string;
  readonly meaning: string;
  readonly causes: readonly string[];
  /** Imperative steps for the person on call, most useful first. */
  readonly actions: readonly string[];
  readonly retryable: boolean;
  readonly retryNote?: string;
  readonly docsUrl: string;
  /** The HTTP status Meta documents for the code; null when Meta's table gives none. */
  readonly httpStatus?: number | null;
  /** True when the entry was added or changed by the config's `catalog:` section. */
  readonly custom?: boolean;
}

/** Catalog answers "what does this error code mean and what do I do about it". */
export interface Catalog {
  /** get returns the entry for an exact code, else the range containing it, else undefined. */
  get(code: number): CatalogEntry | undefined;
  /** list returns every entry once, sorted by code. */
  list(): readonly CatalogEntry[];
}

/** CUSTOM_CATEGORY is the category given to a code added in config without one. */
export const CUSTOM_CATEGORY = "custom";

/** CatalogOverrideProblem is one `catalog:` entry that cannot be applied, keyed as in the config. */
export interface CatalogOverrideProblem {
  readonly key: string;
  readonly message: string;
}

/** CatalogOverrideError is thrown by createCatalog when some overrides cannot be applied; it lists them all. */
export class CatalogOverrideError extends Error {
  readonly problems: readonly CatalogOverrideProblem[];
  constructor(problems: readonly CatalogOverrideProblem[]) {
    super(`invalid catalog overrides:\n${problems.map((p) => `catalog.${p.key}: ${p.message}`).join("\n")}`);
    this.name = "CatalogOverrideError";
    this.problems = problems;
  }
}

type Overrides = Readonly<Record<string, CatalogOverrideConfig>>;

/**
 * findOverrideProblems lists the `catalog:` entries createCatalog would reject: keys that are not
 * non-negative integers, and new codes (not resolvable in the built-in catalog) without a title.
 */
export function findOverrideProblems(overrides: Overrides): CatalogOverrideProblem[] {
  const problems: CatalogOverrideProblem[] = [];
  for (const [key, override] of Object.entries(overrides)) {
    const code = parseCode(key);
    if (code === undefined) {
      problems.push({ key, message: "an error code must be a non-negative whole number" });
    } else if (resolve(BUILTIN, code) === undefined && !override.title?.trim()) {
      problems.push({ key, message: `${code} is not a built-in code, so it needs at least a title` });
    }
  }
  return problems;
}

/**
 * createCatalog builds the catalog: the built-in entries, with `overrides` (the config's `catalog:`
 * section, keyed by code) replacing fields of known codes or adding new ones. An override of a code
 * that only a range covers (e.g. 250) becomes its own entry, starting from the range's fields;
 * an override keyed by a range's own code (200) changes the whole range.
 * Throws CatalogOverrideError when an override cannot be applied. Everything returned is frozen.
 */
export function createCatalog(overrides: Overrides = {}): Catalog {
  const problems = findOverrideProblems(overrides);
  if (problems.length > 0) throw new CatalogOverrideError(problems);

  const entries = new Map(BUILTIN.exact);
  const apply = (code: number, override: CatalogOverrideConfig, from: Index) =>
    entries.set(code, freezeEntry(applyOverride(code, resolve(from, code), override)));
  // Known codes first, so a code carved out of a range starts from the range as configured.
  const pending: [number, CatalogOverrideConfig][] = [];
  for (const [key, override] of Object.entries(overrides)) {
    const code = Number(key);
    if (BUILTIN.exact.has(code)) apply(code, override, BUILTIN);
    else pending.push([code, override]);
  }
  const merged = createIndex([...entries.values()]);
  for (const [code, override] of pending) apply(code, override, merged);
  const index = createIndex([...entries.values()]);
  const all = Object.freeze([...entries.values()].sort((a, b) => a.code - b.code));
  return Object.freeze({
    get: (code: number) => resolve(index, code),
    list: () => all,
  });
}

interface Index {
  readonly exact: ReadonlyMap<number, CatalogEntry>;
  /** Range entries are few (one today), so a scan after the Map miss costs nothing. */
  readonly ranges: readonly CatalogEntry[];
}

/** createIndex expects frozen entries; the built-in ones are frozen once, in BUILTIN. */
function createIndex(entries: readonly CatalogEntry[]): Index {
  return {
    exact: new Map(entries.map((e) => [e.code, e])),
    ranges: entries.filter((e) => e.codeRange !== undefined),
  };
}

const BUILTIN = createIndex(BUILTIN_ENTRIES.map(freezeEntry));

function resolve(index: Index, code: number): CatalogEntry | undefined {
  const hit = index.exact.get(code);
  if (hit) return hit;
  for (const entry of index.ranges) {
    const [from, to] = entry.codeRange!;
    if (code >= from && code <= to) return entry;
  }
  return undefined;
}

function parseCode(key: string): number | undefined {
  if (!/^\d+$/.test(key)) return undefined;
  const code = Number(key);
  return Number.isSafeInteger(code) ? code : undefined;
}

function applyOverride(code: number, base: CatalogEntry | undefined, o: CatalogOverrideConfig): CatalogEntry {
  // A code carved out of a range is a single code from now on, so it drops the range.
  const start: CatalogEntry =
    base && base.code === code
      ? base
      : {
          code,
          title: base?.title ?? "",
          category: base?.category ?? CUSTOM_CATEGORY,
          meaning: base?.meaning ?? "",
          causes: base?.causes ?? [],
          actions: base?.actions ?? [],
          retryable: base?.retryable ?? false,
          ...(base?.retryNote === undefined ? {} : { retryNote: base.retryNote }),
          docsUrl: base?.docsUrl ?? META_ERROR_CODES_URL,
          httpStatus: base?.httpStatus ?? null,
        };
  return {
    ...start,
    ...(o.title === undefined ? {} : { title: o.title }),
    ...(o.category === undefined ? {} : { category: o.category }),
    ...(o.meaning === undefined ? {} : { meaning: o.meaning }),
    ...(o.causes === undefined ? {} : { causes: [...o.causes] }),
    ...(o.actions === undefined ? {} : { actions: [...o.actions] }),
    ...(o.retryable === undefined ? {} : { retryable: o.retryable }),
    ...(o.docs_url === undefined ? {} : { docsUrl: o.docs_url }),
    custom: true,
  };
}

/** freezeEntry copies as well, so the caller's arrays (config, built-in data) are never frozen or shared. */
function freezeEntry(entry: CatalogEntry): CatalogEntry {
  return Object.freeze({
    ...entry,
    ...(entry.codeRange
      ? { codeRange: Object.freeze([...entry.codeRange]) as readonly [number, number] }
      : {}),
    causes: Object.freeze([...entry.causes]),
    actions: Object.freeze([...entry.actions]),
  });
}
