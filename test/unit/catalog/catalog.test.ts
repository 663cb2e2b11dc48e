// Catalog lookup and the config's `catalog:` overrides.

import { describe, expect, it } from "vitest";
import { CatalogOverrideError, createCatalog } from "../../../src/catalog/index.js";

describe("createCatalog lookup", () => {
  const catalog = createCatalog();

  it("finds exact codes", () => {
    expect(catalog.get(131048)?.title).toBe("Spam rate limit hit");
    expect(catalog.get(0)?.category).toBe("auth");
  });

  it("resolves a code inside a documented range to the range's entry", () => {
    for (const code of [200, 250, 299]) expect(catalog.get(code)?.codeRange).toEqual([200, 299]);
    expect(catalog.get(199)).toBeUndefined();
    expect(catalog.get(300)).toBeUndefined();
  });

  it("returns undefined for unknown codes", () => {
    expect(catalog.get(999999)).toBeUndefined();
    expect(catalog.get(-1)).toBeUndefined();
  });

  it("lists every entry once, sorted by code", () => {
    const codes = catalog.list().map((e) => e.code);
    expect(codes).toEqual([...codes].sort((a, b) => a - b));
    expect(new Set(codes).size).toBe(codes.length);
  });

  it("hands out frozen entries, lists and arrays", () => {
    const entry = catalog.get(131048)!;
    expect(Object.isFrozen(entry)).toBe(true);
    expect(Object.isFrozen(entry.actions)).toBe(true);
    expect(Object.isFrozen(entry.causes)).toBe(true);
    expect(Object.isFrozen(catalog.get(250)!.codeRange)).toBe(true);
    expect(Object.isFrozen(catalog.list())).toBe(true);
    expect(() => (entry.actions as string[]).push("x")).toThrow(TypeError);
  });
});

describe("createCatalog overrides", () => {
  it("replaces only the overridden fields of a built-in code and marks it custom", () => {
    const builtin = createCatalog().get(131048)!;
    const catalog = createCatalog({
      "131048": {
        actions: ["Call the marketing lead on +1 555 0100"],
        retryable: true,
        docs_url: "https://wiki/x",
      },
    });
    const entry = catalog.get(131048)!;
    expect(entry.actions).toEqual(["Call the marketing lead on +1 555 0100"]);
    expect(entry.retryable).toBe(true);
    expect(entry.docsUrl).toBe("https://wiki/x");
    expect(entry.custom).toBe(true);
    expect(entry.title).toBe(builtin.title);
    expect(entry.causes).toEqual(builtin.causes);
    expect(Object.isFrozen(entry.actions)).toBe(true);
  });

  it("does not change the built-in catalog or other catalogs", () => {
    createCatalog({ "131048": { title: "Changed" }, "777": { title: "Ours" } });
    const fresh = createCatalog();
    expect(fresh.get(131048)!.title).toBe("Spam rate limit hit");
    expect(fresh.get(131048)!.custom).toBeUndefined();
    expect(fresh.get(777)).toBeUndefined();
  });

  it("does not freeze or keep the caller's arrays", () => {
    const actions = ["Page the on-call lead"];
    const catalog = createCatalog({ "131026": { actions } });
    actions.push("later edit");
    expect(Object.isFrozen(actions)).toBe(false);
    expect(catalog.get(131026)!.actions).toEqual(["Page the on-call lead"]);
  });

  it("adds a new code with defaults for the fields left out", () => {
    const catalog = createCatalog({ "63016": { title: "Twilio: outside the 24h window" } });
    const entry = catalog.get(63016)!;
    expect(entry).toMatchObject({
      code: 63016,
      title: "Twilio: outside the 24h window",
      category: "custom",
      meaning: "",
      causes: [],
      actions: [],
      retryable: false,
      httpStatus: null,
      custom: true,
    });
    expect(entry.docsUrl).toMatch(/^https:\/\/developers\.facebook\.com\//);
    expect(catalog.list().map((e) => e.code)).toContain(63016);
  });

  it('titles a new code "Error <code>" when the override gives no title', () => {
    const entry = createCatalog({ "555": { meaning: "Our gateway refused the message." } }).get(555)!;
    expect(entry.title).toBe("Error 555");
    expect(entry.meaning).toBe("Our gateway refused the message.");
  });

  it("turns an override of a code inside a range into its own entry, leaving the range alone", () => {
    const catalog = createCatalog({ "250": { meaning: "Our app lost the catalog permission." } });
    expect(catalog.get(250)).toMatchObject({ code: 250, meaning: "Our app lost the catalog permission." });
    expect(catalog.get(250)!.codeRange).toBeUndefined();
    expect(catalog.get(250)!.title).toBe(catalog.get(251)!.title);
    expect(catalog.get(251)!.codeRange).toEqual([200, 299]);
  });

  it("changes the whole range when the override is keyed by the range's own code", () => {
    const catalog = createCatalog({ "273": { title: "Catalog permission" }, "200": { category: "access" } });
    expect(catalog.get(250)!.category).toBe("access");
    expect(catalog.get(273)).toMatchObject({ title: "Catalog permission", category: "access" });
  });

  it("rejects keys that are not codes, naming each", () => {
    const overrides = { abc: { title: "x" }, "12a": { title: "y" }, "131048": { meaning: "fine" } };
    expect(() => createCatalog(overrides)).toThrow(CatalogOverrideError);
    expect(() => createCatalog(overrides)).toThrow(/catalog\.abc: .*catalog\.12a: /s);
  });
});
