// The catalog module's public surface: error-code knowledge, lookup with config overrides, text output.

export { CatalogOverrideError, CUSTOM_CATEGORY, createCatalog, META_ERROR_CODES_URL } from "./catalog.js";
export type { BuiltinEntry, Catalog, CatalogCategory, CatalogEntry } from "./catalog.js";
export { BUILTIN_ENTRIES } from "./entries.js";
export { formatEntry, formatList } from "./format.js";
export { type FlowErrorType, flowErrorType } from "./flow-errors.js";
