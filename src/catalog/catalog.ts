// The error-code catalog: built-in entries merged with the config's `catalog:` overrides, with O(1) lookup.

import type { CatalogOverrideConfig } from "../config/schema.js";
import { BUILTIN_ENTRIES } from "./entries.js";
import { type Catalog, type CatalogEntry, META_ERROR_CODES_URL } from "./types.js";

export type { BuiltinEntry, Catalog, CatalogCategory, CatalogEntry } from "./types.js";
export { META_ERROR_CODES_URL } from "./types.js";

/** CUSTOM_CATEGORY is the category given to a code added in config without one. */
export const CUSTOM_CATEGORY = "custom";

/** CatalogOverrideError is thrown by createCatalog for override keys that are not error codes; it names them all. */
export class CatalogOverrideError extends Error {
  /** keys are the offending keys, as written in the config. */
  readonly keys: readonly string[];
  constructor(keys: readonly string[]) {
    super(keys.map((key) => `catalog.${key}: an error code must be a non-negative whole number`).join("\n"));
    this.name = "CatalogOverrideError";
    this.keys = keys;
  }
}

type Overrides = Readonly<Record<string, CatalogOverrideConfig>>;

/**
 * createCatalog builds the catalog: the built-in entries, with `overrides` (the config's `catalog:`
 * section, keyed by code) replacing fields of known codes or adding new ones. A new code starts as
 * title "Error <code>", category "custom", empty meaning, causes and actions, not retryable, and
 * Meta's error-code page as docs link. An override of a code that only a range covers (e.g. 250)
 * becomes its own entry, starting from the range's fields; one keyed by a range's own code (200)
 * changes the whole range. Changed and added entries carry `custom: true`; everything is frozen.
 * Throws CatalogOverrideError when a key is not a whole number (the config schema already rejects those).
 */
export function createCatalog(overrides: Overrides = {}): Catalog {
  const keys = Object.keys(overrides);
  if (keys.length === 0) return BUILTIN_CATALOG;
  const badKeys = keys.filter((key) => parseCode(key) === undefined);
  if (badKeys.length > 0) throw new CatalogOverrideError(badKeys);

  const entries = new Map(BUILTIN.exact);
  // Codes with an entry of their own first, so a code carved out of a range starts from the range
  // as configured (an override keyed 200 also reaches a carved-out 250).
  const carved: [number, CatalogOverrideConfig][] = [];
  for (const [key, override] of Object.entries(overrides)) {
    const code = Number(key);
    const own = entries.get(code);
    if (own) entries.set(code, freezeEntry(applyOverride(own, override)));
    else carved.push([code, override]);
  }
  const merged = createIndex([...entries.values()]);
  for (const [code, override] of carved) {
    entries.set(code, freezeEntry(applyOverride(startEntry(code, resolve(merged, code)), override)));
  }
  return catalogOf([...entries.values()]);
}

interface Index {
  readonly exact: ReadonlyMap<number, CatalogEntry>;
  /** Range entries are few (one today), so scanning them after a Map miss costs nothing. */
  readonly ranges: readonly CatalogEntry[];
}

/** createIndex expects frozen entries. */
function createIndex(entries: readonly CatalogEntry[]): Index {
  return {
    exact: new Map(entries.map((e) => [e.code, e])),
    ranges: entries.filter((e) => e.codeRange !== undefined),
  };
}

function catalogOf(entries: readonly CatalogEntry[]): Catalog {
  const index = createIndex(entries);
  const all = Object.freeze([...entries].sort((a, b) => a.code - b.code));
  return Object.freeze({ get: (code: number) => resolve(index, code), list: () => all });
}

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

/** startEntry is the base for a code without an entry of its own: a copy of its range, or a blank. */
function startEntry(code: number, range: CatalogEntry | undefined): CatalogEntry {
  if (range) {
    // A code carved out of a range is a single code from now on, so it drops the range.
    const { codeRange: _range, ...fields } = range;
    return { ...fields, code };
  }
  return {
    code,
    title: `Error ${code}`,
    category: CUSTOM_CATEGORY,
    meaning: "",
    causes: [],
    actions: [],
    retryable: false,
    docsUrl: META_ERROR_CODES_URL,
    httpStatus: null,
  };
}

function applyOverride(base: CatalogEntry, o: CatalogOverrideConfig): CatalogEntry {
  return {
    ...base,
    ...(o.title === undefined ? {} : { title: o.title }),
    ...(o.category === undefined ? {} : { category: o.category }),
    ...(o.meaning === undefined ? {} : { meaning: o.meaning }),
    ...(o.causes === undefined ? {} : { causes: o.causes }),
    ...(o.actions === undefined ? {} : { actions: o.actions }),
    ...(o.retryable === undefined ? {} : { retryable: o.retryable }),
    ...(o.docs_url === undefined ? {} : { docsUrl: o.docs_url }),
    custom: true,
  };
}

/** freezeEntry copies as well, so the caller's arrays (config, built-in data) are never frozen or shared. */
function freezeEntry(entry: CatalogEntry): CatalogEntry {
  return Object.freeze({
    ...entry,
    ...(entry.codeRange ? { codeRange: Object.freeze([...entry.codeRange] as [number, number]) } : {}),
    causes: Object.freeze([...entry.causes]),
    actions: Object.freeze([...entry.actions]),
  });
}

const BUILTIN = createIndex(BUILTIN_ENTRIES.map(freezeEntry));

/** The built-in catalog is built once and shared: it is frozen, so no caller can change it. */
const BUILTIN_CATALOG = catalogOf([...BUILTIN.exact.values()]);
