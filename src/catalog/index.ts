// The catalog module's public surface: error-code knowledge, lookup with config overrides, text output.

export {
  CatalogOverrideError,
  CUSTOM_CATEGORY,
  createCatalog,
  findOverrideProblems,
} from "./catalog.js";
export type { Catalog, CatalogCategory, CatalogEntry, CatalogOverrideProblem } from "./catalog.js";
export { BUILTIN_ENTRIES, META_ERROR_CODES_URL } from "./entries.js";
export type { BuiltinEntry } from "./entries.js";
export { formatEntry, formatList } from "./format.js";
