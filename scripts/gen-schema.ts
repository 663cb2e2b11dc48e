// Writes the published JSON Schemas (schema/*.schema.json) from the TypeBox schemas the loaders use.
//
//   npx tsx scripts/gen-schema.ts           regenerate the files
//   npx tsx scripts/gen-schema.ts --check   exit 1 when a committed file is out of date (CI)
//
// Editors pick the schemas up from a first line such as
//   # yaml-language-server: $schema=../schema/rules.schema.json
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { ConfigSchema } from "../src/config/schema.js";
import { RuleFileSchema } from "../src/rules/schema.js";
import { RuleTestFileSchema } from "../src/ruletest/schema.js";

/** SCHEMA_DIALECT is the JSON Schema draft the published files declare (what VS Code's YAML extension reads best). */
export const SCHEMA_DIALECT = "http://json-schema.org/draft-07/schema#";

/** SCHEMA_DIR is the repository's schema/ directory. */
export const SCHEMA_DIR = fileURLToPath(new URL("../schema/", import.meta.url));

/** REGENERATE is the command that brings the published schemas up to date. */
export const REGENERATE = "npx tsx scripts/gen-schema.ts";

// Keywords first, in the order a reader wants them; anything else follows alphabetically.
const KEYWORD_ORDER = [
  "$schema",
  "$id",
  "title",
  "description",
  "type",
  "const",
  "enum",
  "pattern",
  "minimum",
  "maximum",
  "minLength",
  "minItems",
  "default",
  "required",
  "properties",
  "patternProperties",
  "additionalProperties",
  "items",
  "anyOf",
  "oneOf",
  "allOf",
];

// Under these keys the members are names the author ordered (property names), not keywords.
const NAMED_MAPS = new Set(["properties", "patternProperties", "definitions", "$defs"]);

function rank(key: string): number {
  const i = KEYWORD_ORDER.indexOf(key);
  return i === -1 ? KEYWORD_ORDER.length : i;
}

/**
 * optionalDefaults drops from `required` every property that has a `default`: the loader's Ajv fills
 * those in before it checks, so for someone writing the file they are optional, and an editor must
 * not ask for them.
 */
function optionalDefaults(schema: Record<string, unknown>): Record<string, unknown> {
  const props = schema.properties as Record<string, { default?: unknown }> | undefined;
  if (!Array.isArray(schema.required) || !props) return schema;
  const required = (schema.required as string[]).filter((name) => props[name]?.default === undefined);
  const { required: _, ...rest } = schema;
  return required.length ? { ...rest, required } : rest;
}

/** canonical returns a plain-JSON copy with keywords in a fixed order and named members in source order. */
function canonical(value: unknown, named = false): unknown {
  if (Array.isArray(value)) return value.map((v) => canonical(v));
  if (typeof value !== "object" || value === null) return value;
  const object = value as Record<string, unknown>;
  const entries = Object.entries(named ? object : optionalDefaults(object));
  if (!named) entries.sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(
    entries.map(([k, v]) => [k, named ? canonical(v) : canonical(v, NAMED_MAPS.has(k))]),
  );
}

/** renderSchema renders one TypeBox schema as the published file's text: draft header, stable keys, pretty JSON. */
export function renderSchema(schema: object): string {
  // JSON round trip drops TypeBox's symbol-keyed metadata ([Kind], [Optional]).
  const plain = JSON.parse(JSON.stringify(schema)) as Record<string, unknown>;
  return `${JSON.stringify(canonical({ $schema: SCHEMA_DIALECT, ...plain }), null, 2)}\n`;
}

/** renderSchemas returns every published schema file (name under schema/ → text), generated in memory. */
export function renderSchemas(): Record<string, string> {
  return {
    "rules.schema.json": renderSchema(RuleFileSchema),
    "rule-tests.schema.json": renderSchema(RuleTestFileSchema),
    "config.schema.json": renderSchema(ConfigSchema),
  };
}

/** staleSchemas lists the published files whose committed text differs from what the schemas generate. */
export function staleSchemas(dir = SCHEMA_DIR): string[] {
  return Object.entries(renderSchemas())
    .filter(([name, text]) => {
      try {
        return readFileSync(join(dir, name), "utf8") !== text;
      } catch {
        return true;
      }
    })
    .map(([name]) => name);
}

function main(argv: readonly string[]): number {
  if (argv.includes("--check")) {
    const stale = staleSchemas();
    for (const name of stale) process.stderr.write(`schema/${name} is out of date; run ${REGENERATE}\n`);
    return stale.length ? 1 : 0;
  }
  mkdirSync(SCHEMA_DIR, { recursive: true });
  for (const [name, text] of Object.entries(renderSchemas())) {
    writeFileSync(join(SCHEMA_DIR, name), text);
    process.stdout.write(`wrote schema/${name}\n`);
  }
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main(process.argv.slice(2));
}
