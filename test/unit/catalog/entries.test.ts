// The built-in catalog data: complete against Meta's error list, faithful to its facts, written in our words.

import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BUILTIN_ENTRIES, createCatalog, META_ERROR_CODES_URL } from "../../../src/catalog/index.js";

/** CodeFacts is the factual part of one research row: no prose, so the repo can keep a copy for CI. */
interface CodeFacts {
  code: number;
  code_range?: [number, number];
  http_status: number | null;
  retryable: boolean;
  source_url: string;
}

/** ResearchRow is one entry of the shared research file, prose included. */
interface ResearchRow extends CodeFacts {
  meaning: string;
  causes: string[];
  actions: string[];
  retry_note: string;
}

// The research file sits beside the checkout (/work/shared); error-code-facts.json keeps its facts for CI.
const SHARED_URL = new URL("../../../../shared/whatsapp/error-codes.json", import.meta.url);
const shared = existsSync(SHARED_URL)
  ? (JSON.parse(readFileSync(SHARED_URL, "utf8")) as ResearchRow[])
  : undefined;
const facts = JSON.parse(
  readFileSync(new URL("./error-code-facts.json", import.meta.url), "utf8"),
) as CodeFacts[];

/**
 * REAL_TRAFFIC_FACTS are the codes added beyond the research file because real webhooks carry them
 * (calling errors in call webhooks, 2593109 in history webhooks), with the facts of Meta's pages.
 */
const CALLING =
  "https://developers.facebook.com/documentation/business-messaging/whatsapp/calling/troubleshooting";
const REAL_TRAFFIC_FACTS: CodeFacts[] = [
  ...[
    [138000, 401, false],
    [138001, 400, false],
    [138002, 429, true],
    [138003, 400, true],
    [138004, 500, true],
    [138005, 429, true],
    [138006, 401, false],
    [138007, 500, true],
    [138009, 400, false],
    [138012, 400, false],
    [138013, 400, false],
    [138014, 400, false],
    [138015, 400, false],
    [138017, 400, false],
    [138018, 400, false],
    [138019, 400, true],
    [138020, 400, true],
    [138021, 400, true],
    [138022, 400, true],
    [138023, 400, true],
    [131044, 400, false],
  ].map(([code, http_status, retryable]) => ({
    code: code as number,
    http_status: http_status as number,
    retryable: retryable as boolean,
    source_url: CALLING,
  })),
  {
    code: 2593109,
    http_status: null,
    retryable: false,
    source_url:
      "https://developers.facebook.com/documentation/business-messaging/whatsapp/embedded-signup/onboarding-business-app-users",
  },
];

const KEY_CODES = [131026, 131042, 130472, 131049, 131048, 131031, 132000, 100, 131053];
const catalog = createCatalog();
const sortedCodes = (rows: readonly { code: number }[]) => rows.map((r) => r.code).sort((a, b) => a - b);

describe.skipIf(!shared)("built-in catalog against the shared research file", () => {
  const research = shared ?? [];

  it("has an entry for every code of the research file, and no others but those real traffic added", () => {
    expect(research).toHaveLength(81);
    expect(sortedCodes(BUILTIN_ENTRIES)).toEqual(sortedCodes([...research, ...REAL_TRAFFIC_FACTS]));
    for (const { code } of research) expect(catalog.get(code)?.code, `code ${code}`).toBe(code);
  });

  it("keeps the committed facts fixture in step with the research file", () => {
    const pick = ({ code, code_range, http_status, retryable, source_url }: CodeFacts) => ({
      code,
      ...(code_range ? { code_range } : {}),
      http_status,
      retryable,
      source_url,
    });
    expect(facts.map(pick)).toEqual(research.map(pick));
  });

  it("words meanings, causes, actions and retry notes itself instead of copying the research text", () => {
    for (const row of research) {
      const entry = catalog.get(row.code)!;
      const theirs = [row.meaning, ...row.causes, ...row.actions, row.retry_note].map(words);
      for (const ours of [entry.meaning, ...entry.causes, ...entry.actions, entry.retryNote ?? ""]) {
        const mine = words(ours);
        for (const sentence of theirs) {
          expect(mine.join(" "), `code ${row.code}: "${ours}" is copied`).not.toBe(sentence.join(" "));
          // Product and field names may recur (five words covers "WhatsApp Business Platform status page").
          expect(
            sharedRun(mine, sentence),
            `code ${row.code}: "${ours}" follows the research text`,
          ).toBeLessThan(6);
        }
      }
    }
  });
});

describe("built-in catalog data", () => {
  it("has exactly the codes of the facts fixture and of real traffic, each resolvable", () => {
    const all = [...facts, ...REAL_TRAFFIC_FACTS];
    expect(sortedCodes(BUILTIN_ENTRIES)).toEqual(sortedCodes(all));
    for (const { code } of all) expect(catalog.get(code)?.code, `code ${code}`).toBe(code);
  });

  it("keeps the facts of the codes real traffic added: HTTP status, retryability and Meta's page for them", () => {
    for (const fact of REAL_TRAFFIC_FACTS) {
      const entry = catalog.get(fact.code)!;
      expect(entry.httpStatus, `code ${fact.code}`).toBe(fact.http_status);
      expect(entry.retryable, `code ${fact.code}`).toBe(fact.retryable);
      expect(entry.docsUrl, `code ${fact.code}`).toBe(fact.source_url);
    }
    expect(catalog.get(2593109)?.meaning).toMatch(/history/);
    expect(catalog.get(138021)?.meaning).toMatch(/call terminate webhook/);
  });

  it("keeps Meta's facts: ranges, HTTP status, retryability and docs link", () => {
    for (const fact of facts) {
      const entry = catalog.get(fact.code)!;
      expect(entry.codeRange ?? null, `code ${fact.code}`).toEqual(fact.code_range ?? null);
      expect(entry.httpStatus, `code ${fact.code}`).toBe(fact.http_status);
      expect(entry.retryable, `code ${fact.code}`).toBe(fact.retryable);
      // Codes researched from SDK source still point on-call at Meta's own page, not at a GitHub file.
      const metaPage = fact.source_url.startsWith("https://developers.facebook.com/");
      expect(entry.docsUrl, `code ${fact.code}`).toBe(metaPage ? fact.source_url : META_ERROR_CODES_URL);
    }
  });

  it("gives every entry a short title, a meaning, causes, actions and a retry note", () => {
    const categories = new Set([
      ...["auth", "throttling", "integrity", "template", "media"],
      ...["payment", "recipient", "system", "request", "registration", "calling"],
    ]);
    for (const entry of BUILTIN_ENTRIES) {
      expect(entry.title.length, `code ${entry.code} title`).toBeGreaterThan(0);
      expect(entry.title.length, `code ${entry.code} title is short`).toBeLessThanOrEqual(50);
      expect(categories.has(entry.category), `code ${entry.code} category`).toBe(true);
      expect(entry.meaning.length, `code ${entry.code} meaning`).toBeGreaterThan(20);
      expect(entry.causes.length, `code ${entry.code} causes`).toBeGreaterThan(0);
      expect(entry.actions.length, `code ${entry.code} actions`).toBeGreaterThan(0);
      expect(entry.retryNote, `code ${entry.code} retry note`).toBeTruthy();
    }
  });

  it("explains the nine codes of the support article with at least 3 causes and 3 actions", () => {
    for (const code of KEY_CODES) {
      const entry = catalog.get(code)!;
      expect(entry.causes.length, `code ${code}`).toBeGreaterThanOrEqual(3);
      expect(entry.actions.length, `code ${code}`).toBeGreaterThanOrEqual(3);
      expect(entry.meaning.length, `code ${code}`).toBeGreaterThan(80);
    }
  });

  it("carries the operational facts on-call needs", () => {
    const actions = (code: number) => catalog.get(code)!.actions.join(" ");
    expect(actions(131048)).toMatch(/quality rating/);
    expect(actions(131048)).toMatch(/opt-in/i);
    expect(actions(131048)).toMatch(/pause campaigns/i);
    expect(actions(131049)).toMatch(/24 hours/);
    expect(catalog.get(131049)!.causes.join(" ")).toMatch(/US \(\+1\).*April 2025/);
    expect(catalog.get(131056)!.causes.join(" ")).toMatch(/6 seconds/);
    expect(catalog.get(131048)!.title).toBe("Spam rate limit hit");
  });
});

function words(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9_+/<>]+/g, " ")
    .split(" ")
    .filter(Boolean);
}

/** sharedRun is the length of the longest run of consecutive words that a and b have in common. */
function sharedRun(a: readonly string[], b: readonly string[]): number {
  let best = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < b.length; j++) {
      let k = 0;
      while (i + k < a.length && a[i + k] === b[j + k]) k++;
      best = Math.max(best, k);
    }
  }
  return best;
}
