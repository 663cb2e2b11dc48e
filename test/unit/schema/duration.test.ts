// The published duration patterns accept exactly what the loader's parseDuration accepts.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SCHEMA_DIR } from "../../../scripts/gen-schema.js";
import { parseDuration } from "../../../src/shared/duration.js";

type Props = Record<string, { pattern?: string; properties?: Props }>;
const schema = JSON.parse(readFileSync(join(SCHEMA_DIR, "rules.schema.json"), "utf8"));
const rule = schema.properties.rules.items.properties as Props;

/** accepts compiles one published duration property the way an editor's validator reads it (Ajv, unicode). */
function accepts(prop: { pattern?: string } | undefined): (text: string) => boolean {
  expect(prop?.pattern, "the published schema gives this duration a pattern").toBeTypeOf("string");
  const validate = new Ajv({ strict: false }).compile({ type: "string", pattern: prop?.pattern });
  return (text) => validate(text) === true;
}

// cooldown may be 0; the window and resolve_after must be longer than 0, as the loader checks.
const cooldown = accepts(rule.cooldown);
const within = accepts(rule.threshold?.properties?.within);
const resolveAfter = accepts(rule.resolve_after);

const VALID = [
  "30s",
  "10m",
  "2h",
  "1d",
  "500ms",
  "0s",
  "00m",
  "007s",
  "1000000d",
  " 10m ",
  "10m\n",
  "\t1h",
  "10m\u00a0",
  "\u3000 2h",
];
const INVALID = [
  "",
  " ",
  "10",
  "m",
  "10 m",
  "10min",
  "10mins",
  "10 minutes",
  "1.5h",
  "-1m",
  "+1m",
  "10M",
  "1w",
  "10mss",
  "1h30m",
  "ten minutes",
  "１０m",
  "\u200b10m",
];

describe("duration patterns in schema/rules.schema.json", () => {
  it.each(VALID)("%j is a duration for the parser and the schema", (text) => {
    expect(parseDuration(text)).toBeTypeOf("number");
    expect(cooldown(text)).toBe(true);
    const positive = (parseDuration(text) ?? 0) > 0;
    expect(within(text)).toBe(positive);
    expect(resolveAfter(text)).toBe(positive);
  });

  it.each(INVALID)("%j is not a duration for the parser nor the schema", (text) => {
    expect(parseDuration(text)).toBeUndefined();
    expect(cooldown(text)).toBe(false);
    expect(within(text)).toBe(false);
    expect(resolveAfter(text)).toBe(false);
  });

  it("agree with parseDuration on any mix of digits, units, signs and spaces", () => {
    const piece = fc.constantFrom(
      "0",
      "1",
      "9",
      "00",
      "ms",
      "s",
      "m",
      "h",
      "d",
      "w",
      " ",
      "\n",
      "\u00a0",
      ".",
      "-",
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 6 }), (pieces) => {
        const text = pieces.join("");
        const ms = parseDuration(text);
        expect(cooldown(text)).toBe(ms !== undefined);
        expect(within(text)).toBe(ms !== undefined && ms > 0);
        expect(resolveAfter(text)).toBe(ms !== undefined && ms > 0);
      }),
      { numRuns: 2000 },
    );
  });
});
