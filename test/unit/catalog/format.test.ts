// Terminal text for `waba-alerts catalog [CODE]`.

import { describe, expect, it } from "vitest";
import { createCatalog, formatEntry, formatList } from "../../../src/catalog/index.js";

describe("formatEntry", () => {
  const catalog = createCatalog();

  it("shows code, title, category, retry advice, meaning, causes, numbered actions and the docs link", () => {
    const entry = catalog.get(131048)!;
    const text = formatEntry(entry);
    const flat = text.replace(/\s+/g, " ");
    expect(text.split("\n")[0]).toBe("131048  Spam rate limit hit");
    expect(text).toMatch(/^Category: +throttling$/m);
    expect(text).toMatch(/^Retryable: +no: /m);
    expect(text).toContain("Likely causes:\n  - ");
    expect(text).toContain("Recommended actions:\n  1. ");
    for (const action of entry.actions) expect(flat).toContain(action);
    for (const cause of entry.causes) expect(flat).toContain(cause);
    expect(flat).toContain(entry.meaning);
    expect(text).toContain(`Docs: ${entry.docsUrl}`);
  });

  it("keeps prose lines within 80 columns", () => {
    const text = formatEntry(catalog.get(131042)!);
    for (const line of text.split("\n").filter((l) => !l.startsWith("Docs:"))) {
      expect(line.length, line).toBeLessThanOrEqual(80);
    }
  });

  it("labels ranges and config-made entries", () => {
    expect(formatEntry(catalog.get(250)!).split("\n")[0]).toBe("200-299  API permission missing");
    const custom = createCatalog({ "777": { title: "Our own code" } }).get(777)!;
    expect(formatEntry(custom).split("\n")[0]).toContain("customised in config");
  });
});

describe("formatList", () => {
  it("prints one aligned line per code, sorted by code", () => {
    const catalog = createCatalog({ "5": { title: "Early custom code" } });
    const text = formatList(catalog);
    expect(text.endsWith("\n")).toBe(true);
    const lines = text.trimEnd().split("\n");
    expect(lines).toHaveLength(catalog.list().length);
    expect(lines[0]).toMatch(/^0 +auth +Authentication failed$/);
    expect(lines[5]).toMatch(/^5 +custom +Early custom code$/);
    expect(lines.find((l) => l.startsWith("131048"))).toMatch(/^131048 +throttling +Spam rate limit hit$/);
    const columns = (l: string) => {
      const [, category, title] = l.split(/ {2,}/);
      return `${l.indexOf(` ${category} `) + 1}:${l.lastIndexOf(title!)}`;
    };
    expect(new Set(lines.map(columns)).size).toBe(1);
  });
});
