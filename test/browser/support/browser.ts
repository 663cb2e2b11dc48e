// Starts Debian's chromium (never a downloaded browser) through playwright-core, with a fresh profile.
import { execSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium, type Locator, type Page } from "playwright-core";
import { REPO } from "../../helpers/engine.js";

/** ARTIFACTS is where screenshots go (gitignored), to be looked at after a run. */
export const ARTIFACTS = join(REPO, "test-artifacts", "console");

/**
 * DOCS_DIR receives README's screenshots when the suite runs with CONSOLE_DOCS=1 (1000 px wide, first
 * screen only, to keep the committed files small): `CONSOLE_DOCS=1 npm run test:browser`.
 */
export const DOCS_DIR = process.env.CONSOLE_DOCS === "1" ? join(REPO, "docs", "console") : undefined;

/** CHROMIUM_FLAGS keep the browser quiet and local: no sandbox (root in CI), no GPU, no calls home. */
export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** chromiumPath finds the system chromium (`command -v chromium`), or says how to install it. */
export function chromiumPath(): string {
  try {
    return execSync("command -v chromium", { encoding: "utf8", shell: "/bin/sh" }).trim();
  } catch {
    throw new Error(
      "chromium is not installed: apt-get install chromium (the browser tests use the system's)",
    );
  }
}

/** Browser is one running chromium with its own throw-away profile. */
export interface Browser {
  readonly context: BrowserContext;
  /** newPage opens a tab of the given viewport width (height 900) that records problems. */
  newPage(width?: number): Promise<WatchedPage>;
  close(): Promise<void>;
}

/** WatchedPage is a tab plus what went wrong in it: console errors, page errors, requests elsewhere. */
export interface WatchedPage {
  readonly page: Page;
  readonly problems: string[];
  /** shot saves a full-page screenshot as ARTIFACTS/NAME.png (and, for README, DOCS_DIR/NAME.png). */
  shot(name: string, opts?: { docs?: boolean; docsHeight?: number }): Promise<string>;
}

/** launchBrowser starts chromium headless on a fresh --user-data-dir; `origin` is the only host pages may reach. */
export async function launchBrowser(origin: string): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), "waba-chromium-"));
  mkdirSync(ARTIFACTS, { recursive: true });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1280, height: 900 },
  });
  return {
    context,
    async newPage(width = DOCS_DIR ? 1000 : 1280) {
      const page = await context.newPage();
      await page.setViewportSize({ width, height: 900 });
      const problems: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error") problems.push(`console: ${m.text()}`);
      });
      page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
      page.on("request", (r) => {
        const url = r.url();
        if (!url.startsWith(origin) && !url.startsWith("data:")) problems.push(`request elsewhere: ${url}`);
      });
      return {
        page,
        problems,
        async shot(name, opts = {}) {
          const path = join(ARTIFACTS, `${name}.png`);
          await page.screenshot({ path, fullPage: true });
          if (DOCS_DIR && opts.docs) {
            mkdirSync(DOCS_DIR, { recursive: true });
            const height = opts.docsHeight ?? 720;
            const clip = { x: 0, y: 0, width: 1000, height };
            await page.screenshot({ path: join(DOCS_DIR, `${name}.png`), fullPage: true, clip });
          }
          return path;
        },
      };
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** waitText polls until the element's text matches (playwright-core has no web-first assertions). */
export async function waitText(locator: Locator, pattern: string | RegExp, ms = 10_000): Promise<string> {
  const end = Date.now() + ms;
  let last = "";
  for (;;) {
    last = (await locator.count()) > 0 ? ((await locator.first().textContent()) ?? "") : "(no such element)";
    if (typeof pattern === "string" ? last.includes(pattern) : pattern.test(last)) return last;
    if (Date.now() > end) throw new Error(`expected text ${String(pattern)}, found: ${last}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** waitCount polls until the locator matches exactly `n` elements. */
export async function waitCount(locator: Locator, n: number, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while ((await locator.count()) !== n) {
    if (Date.now() > end) throw new Error(`expected ${n} elements, found ${await locator.count()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
