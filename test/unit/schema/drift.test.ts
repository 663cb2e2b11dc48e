// The published JSON Schemas (schema/*.schema.json) match the loaders' schemas and accept the shipped files.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { REGENERATE, renderSchemas, SCHEMA_DIR } from "../../../scripts/gen-schema.js";

const REPO = join(SCHEMA_DIR, "..");
const published = (name: string): unknown => JSON.parse(readFileSync(join(SCHEMA_DIR, name), "utf8"));

function validatorFor(name: string) {
  // No useDefaults: an editor applies none, so the files must be valid exactly as written.
  return new Ajv({ allErrors: true, strict: false }).compile(published(name) as object);
}

describe("published schemas", () => {
  it.each(Object.keys(renderSchemas()))("schema/%s is up to date with the loader's schema", (name) => {
    let committed: string;
    try {
      committed = readFileSync(join(SCHEMA_DIR, name), "utf8");
    } catch {
      committed = "";
    }
    const fresh = renderSchemas()[name];
    expect(
      committed === fresh,
      `schema/${name} differs from what the loader's schema generates; run ${REGENERATE}`,
    ).toBe(true);
  });

  it("declares a JSON Schema draft so editors know how to read it", () => {
    for (const name of Object.keys(renderSchemas())) {
      expect(published(name)).toMatchObject({ $schema: "http://json-schema.org/draft-07/schema#" });
    }
  });

  const ruleFiles = readdirSync(join(REPO, "rules")).filter(
    (f) => /\.ya?ml$/.test(f) && !/\.test\.ya?ml$/.test(f),
  );

  it.each(ruleFiles)(
    "rules/%s validates against schema/rules.schema.json and points editors at it",
    (file) => {
      const text = readFileSync(join(REPO, "rules", file), "utf8");
      expect(text.split("\n")[0]).toBe("# yaml-language-server: $schema=../schema/rules.schema.json");
      const validate = validatorFor("rules.schema.json");
      expect(validate(parse(text)), JSON.stringify(validate.errors)).toBe(true);
    },
  );

  it("the rules schema rejects what the loader rejects: an unknown key and a bad severity", () => {
    const validate = validatorFor("rules.schema.json");
    expect(validate({ rules: [{ id: "a", description: "d", when: { code: 1 }, treshold: {} }] })).toBe(false);
    expect(validate({ rules: [{ id: "a", description: "d", when: { code: 1 }, severity: "high" }] })).toBe(
      false,
    );
    expect(validate({ rules: [{ id: "Bad Id", description: "d", when: { code: 1 } }] })).toBe(false);
  });

  it("config.example.yaml validates against schema/config.schema.json", () => {
    const validate = validatorFor("config.schema.json");
    const config = parse(readFileSync(join(REPO, "config.example.yaml"), "utf8"));
    expect(validate(config), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...config, sever: {} })).toBe(false);
  });

  it.each(readdirSync(join(REPO, "rules")).filter((f) => /\.test\.ya?ml$/.test(f)))(
    "rules/%s validates against schema/rule-tests.schema.json",
    (file) => {
      const validate = validatorFor("rule-tests.schema.json");
      expect(
        validate(parse(readFileSync(join(REPO, "rules", file), "utf8"))),
        JSON.stringify(validate.errors),
      ).toBe(true);
    },
  );
});
