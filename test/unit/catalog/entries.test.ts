// The built-in catalog data: complete against Meta's error list, faithful to its facts, written in our words.

import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BUILTIN_ENTRIES, createCatalog } from "../../../src/catalog/index.js";

/** ReferenceCode is one row of the research catalog (a subset of /work/shared/whatsapp/error-codes.json). */
interface ReferenceCode {
  code: number;
  code_range?: [number, number];
  http_status: number | null;
  retryable: boolean;
  meaning: string;
  causes: string[];
  actions: string[];
}

// The research file lives outside the repo; this copy of its relevant fields keeps the test runnable in CI.
const FIXTURE = new URL("./meta-error-codes.json", import.meta.url);
const SHARED = "/work/shared/whatsapp/error-codes.json";
const reference = JSON.parse(readFileSync(FIXTURE, "utf8")) as ReferenceCode[];

const KEY_CODES = [131026, 131042, 130472, 131049, 131048, 131031, 132000, 100, 131053];

function normalize(text: string): string {
  return text
    .toLowerCase()
    .replace(/\s+/g, " ")
    .replace(/[.\s]+$/, "")
    .trim();
}

describe("built-in catalog data", () => {
  const catalog = createCatalog();

  it("has exactly the codes of Meta's reference list, each resolvable", () => {
    const builtinCodes = BUILTIN_ENTRIES.map((e) => e.code).sort((a, b) => a - b);
    const referenceCodes = reference.map((r) => r.code).sort((a, b) => a - b);
    expect(builtinCodes).toEqual(referenceCodes);
    for (const { code } of reference) expect(catalog.get(code)?.code, `code ${code}`).toBe(code);
  });

  it("keeps Meta's facts: ranges, HTTP status and retryability", () => {
    for (const ref of reference) {
      const entry = catalog.get(ref.code)!;
      expect(entry.codeRange ?? null, `code ${ref.code}`).toEqual(ref.code_range ?? null);
      expect(entry.httpStatus, `code ${ref.code}`).toBe(ref.http_status);
      expect(entry.retryable, `code ${ref.code}`).toBe(ref.retryable);
    }
  });

  it("gives every entry a title, meaning, cause, action, retry note and Meta docs link", () => {
    for (const entry of BUILTIN_ENTRIES) {
      expect(entry.title.length, `code ${entry.code}`).toBeGreaterThan(0);
      expect(entry.title.length, `code ${entry.code} title is short`).toBeLessThanOrEqual(50);
      expect(entry.meaning.length, `code ${entry.code}`).toBeGreaterThan(20);
      expect(entry.causes.length, `code ${entry.code}`).toBeGreaterThan(0);
      expect(entry.actions.length, `code ${entry.code}`).toBeGreaterThan(0);
      expect(entry.retryNote, `code ${entry.code}`).toBeTruthy();
      expect(entry.docsUrl, `code ${entry.code}`).toMatch(/^https:\/\/developers\.facebook\.com\//);
    }
  });

  it("explains the nine codes on-call sees most with at least 3 causes and 3 actions", () => {
    for (const code of KEY_CODES) {
      const entry = catalog.get(code)!;
      expect(entry.causes.length, `code ${code}`).toBeGreaterThanOrEqual(3);
      expect(entry.actions.length, `code ${code}`).toBeGreaterThanOrEqual(3);
    }
  });

  it("carries the key operational facts on-call needs", () => {
    expect(catalog.get(131048)!.actions.join(" ")).toMatch(/quality rating/);
    expect(catalog.get(131048)!.actions.join(" ")).toMatch(/opt-in/i);
    expect(catalog.get(131049)!.actions.join(" ")).toMatch(/24 hours/);
    expect(catalog.get(131049)!.causes.join(" ")).toMatch(/US \(\+1\).*April 2025/);
    expect(catalog.get(131056)!.causes.join(" ")).toMatch(/6 seconds/);
    expect(catalog.get(131048)!.title).toBe("Spam rate limit hit");
  });

  it("words meanings, causes and actions itself instead of copying the reference text", () => {
    for (const ref of reference) {
      const entry = catalog.get(ref.code)!;
      const theirs = new Set([ref.meaning, ...ref.causes, ...ref.actions].map(normalize));
      for (const ours of [entry.meaning, ...entry.causes, ...entry.actions]) {
        expect(theirs.has(normalize(ours)), `code ${ref.code}: "${ours}" is copied`).toBe(false);
      }
    }
  });

  it.skipIf(!existsSync(SHARED))("uses a fixture that still matches the shared research file", () => {
    const shared = JSON.parse(readFileSync(SHARED, "utf8")) as ReferenceCode[];
    const pick = (r: ReferenceCode) => ({
      code: r.code,
      code_range: r.code_range,
      http_status: r.http_status,
      retryable: r.retryable,
      meaning: r.meaning,
      causes: r.causes,
      actions: r.actions,
    });
    expect(reference.map(pick)).toEqual(shared.map(pick));
  });
});
