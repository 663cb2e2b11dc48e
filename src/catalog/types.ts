// The shapes shared by the catalog's data files and its lookup, plus the default docs link.

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
  | "registration"
  | "calling";

/** CatalogEntry is everything the engine knows about one WhatsApp error code (or range of codes). */
export interface CatalogEntry {
  readonly code: number;
  /** Inclusive bounds when the entry stands for a whole range, e.g. 200–299; `code` is then the range's start. */
  readonly codeRange?: readonly [number, number];
  readonly title: string;
  /** A CatalogCategory for built-in entries; any string (default "custom") for codes added in config. */
  readonly category: string;
  readonly meaning: string;
  readonly causes: readonly string[];
  /** Imperative steps for the person on call, most useful first. */
  readonly actions: readonly string[];
  readonly retryable: boolean;
  /** When and how a retry makes sense, in one sentence. */
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

/** BuiltinEntry is a CatalogEntry whose category is one of the fixed CatalogCategory values. */
export type BuiltinEntry = CatalogEntry & { readonly category: CatalogCategory };

/** META_ERROR_CODES_URL is Meta's Cloud API error-code reference page, the default docs link. */
export const META_ERROR_CODES_URL =
  "https://developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes";
