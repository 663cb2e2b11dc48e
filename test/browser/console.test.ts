// The console in a real browser (Debian's chromium) against real `serve` + `worker` processes on Redis.
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, type EngineDir, makeEngineDir, PHONE, webhook } from "../helpers/engine.js";
import { type HttpReceiver, startHttpReceiver } from "../helpers/http-receiver.js";
import { type Browser, launchBrowser, waitCount, waitText, type WatchedPage } from "./support/browser.js";
import { buildWithConsole, type Processes, startProcesses } from "./support/engine.js";

// More than 2 spam errors in 10 min on one number fires; after a 1 s cooldown the next burst fires again.
const RULES = `rules:
  - id: spam-burst
    description: Spam rate limit hit repeatedly on one number
    severity: critical
    when: { code: 131048 }
    group_by: [phone_number_id]
    threshold: { more_than: 2, within: 10m }
    cooldown: 1s
    notify: [ops, refuser]
    actions:
      - Pause the marketing campaign on this number
inhibit:
  - source: { rule: spam-burst }
    target: { severity: [warning, info] }
    equal: [phone_number_id]
`;

const BROKEN = `rules:
  - id: broken-rule
    description: A rule with a typo
    severity: loud
    when: { code: 131026 }
`;

describe("the console in chromium", () => {
  let dir: EngineDir;
  let refuser: HttpReceiver;
  let engine: Processes;
  let browser: Browser;
  let origin = "";
  let tab: WatchedPage;
  let page: Page;

  async function post(count: number, code = 131048): Promise<void> {
    const hook = webhook({ count, code });
    const res = await fetch(`${origin}/webhooks/whatsapp`, {
      method: "POST",
      body: hook.body,
      headers: hook.headers,
    });
    expect(res.status).toBe(200);
  }

  async function signIn(p: Page, token = ADMIN): Promise<void> {
    await p.goto(`${origin}/console/`);
    await p.getByLabel("Admin token").fill(token);
    await p.getByRole("button", { name: "Sign in" }).click();
  }

  /** refreshUntil clicks Refresh until `locator` shows up (the list does not poll by itself). */
  async function refreshUntil(selector: string, ms = 15_000): Promise<void> {
    const end = Date.now() + ms;
    for (;;) {
      if ((await page.locator(selector).count()) > 0) return;
      if (Date.now() > end) throw new Error(`timed out waiting for ${selector}`);
      await page.waitForTimeout(300);
      await page.getByRole("button", { name: "Refresh" }).click();
    }
  }

  beforeAll(async () => {
    const dist = buildWithConsole();
    refuser = await startHttpReceiver([{ status: 400, body: "no such hook" }]);
    dir = await makeEngineDir({
      rules: RULES,
      channels: `  refuser: { type: webhook, url: "${refuser.url}", send_resolved: false }`,
      logLevel: "info",
    });
    origin = `http://127.0.0.1:${dir.port}`;
    engine = await startProcesses(dist, dir);
    browser = await launchBrowser(origin);
    tab = await browser.newPage();
    page = tab.page;
  });

  afterAll(async () => {
    await browser?.close();
    await engine?.stop();
    await refuser?.close();
    await dir?.remove();
  });

  it("serves the page with a strict CSP, no-cache, and immutable hashed assets", async () => {
    const res = await fetch(`${origin}/console/`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-security-policy")).toMatch(/default-src 'none'; script-src 'self'/);
    expect(res.headers.get("cache-control")).toBe("no-cache");
    const html = await res.text();
    const asset = /src="(\/console\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset).toBeDefined();
    const js = await fetch(`${origin}${asset}`);
    expect(js.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
  });

  it("refuses a wrong token and keeps nothing", async () => {
    await signIn(page, "not-the-token");
    await waitText(page.getByRole("alert"), "That token was refused");
    expect(await page.evaluate<number>("sessionStorage.length")).toBe(0);
    await tab.shot("sign-in-refused");
  });

  it("signs in with the admin token, for this tab only", async () => {
    await signIn(page);
    await page.getByRole("heading", { name: "Alerts", exact: true }).waitFor();
    expect(await page.evaluate<string | null>("sessionStorage.getItem('waba-alerts.admin-token')")).toBe(
      ADMIN,
    );
    expect(await page.evaluate<number>("sessionStorage.length")).toBe(1);
  });

  it("shows a signed webhook burst as a firing alert with its actions and deliveries", async () => {
    await post(3);
    await refreshUntil("tr[data-alert]");
    const row = page.locator("tr[data-alert]").first();
    await waitText(row, "firing");
    await waitText(row, "spam-burst");
    await waitText(row, `phone_number_id=${PHONE}`);
    await tab.shot("alerts", { docs: true });
    await row.getByRole("link").click();
    await page.getByRole("heading", { name: /131048/ }).waitFor();
    const todo = page.locator("section", { has: page.getByRole("heading", { name: "What to do" }) });
    await waitText(todo, "Pause the marketing campaign on this number");
    expect(await todo.locator("li").count()).toBeGreaterThan(1);
    await page.getByRole("heading", { name: "Likely causes" }).waitFor();
    // Deliveries arrive as the worker sends: reload the detail until both channels have an outcome.
    for (let i = 0; i < 50 && (await page.locator(".result-ok, .result-permanent").count()) < 2; i++) {
      await page.waitForTimeout(200);
      await page.reload();
    }
    await waitText(page.locator(".result-ok").first(), "ok");
    await waitText(page.locator(".result-permanent").first(), "permanent");
    await tab.shot("alert-detail", { docs: true, docsHeight: 900 });
  });

  it("silences the alert from its detail view; the next burst is recorded as silenced", async () => {
    await page.getByRole("button", { name: "Silence this…" }).click();
    expect(await page.getByLabel("Matcher 1 fact").inputValue()).toBe("rule");
    expect(await page.getByLabel("Matcher 1 value").inputValue()).toBe("spam-burst");
    expect(await page.getByLabel("Matcher 2 fact").inputValue()).toBe("phone_number_id");
    expect(await page.getByLabel("Matcher 2 value").inputValue()).toBe(PHONE);
    await page.getByLabel("Duration").selectOption("2h");
    await page.getByLabel("Comment").fill("campaign paused while we check");
    await tab.shot("silence-form");
    await page.getByRole("button", { name: "Create silence" }).click();
    await waitText(page.getByRole("status"), "Silence created");

    await page.waitForTimeout(1200); // past the rule's 1 s cooldown
    await post(3);
    await page.goto(`${origin}/console/#/alerts?state=silenced`);
    await refreshUntil("tr[data-alert]");
    await waitText(page.locator("tr[data-alert]").first(), "silenced");
    await waitText(page.locator("tr[data-alert]").first(), "spam-burst");
  });

  it("refuses a silence on a misspelt rule, with a suggestion", async () => {
    await page.goto(`${origin}/console/#/silences`);
    await page.getByRole("button", { name: "New silence" }).click();
    await page.getByLabel("Matcher 1 value").fill("spam-brust");
    await page.getByRole("button", { name: "Create silence" }).click();
    await waitText(page.getByRole("alert"), 'unknown rule "spam-brust"; did you mean "spam-burst"?');
    await page.getByRole("button", { name: "Cancel" }).click();
    await waitCount(page.locator("tr[data-silence]"), 1);
    await tab.shot("silences", { docs: true });
    await page.getByRole("button", { name: "Expire" }).click();
    await waitText(page.getByRole("status"), "expired");
    await page.getByRole("heading", { name: "Expired" }).waitFor();
    await waitText(page.locator("tr[data-silence]"), "campaign paused while we check");
  });

  it("charts the codes posted on the activity page", async () => {
    await post(2, 131026);
    await page.goto(`${origin}/console/#/activity?range=1h`);
    const chart = page.locator(".chart");
    // The worker counts each batch as it evaluates it; reload until both codes are in.
    for (let i = 0; i < 50; i++) {
      if ((await chart.count()) > 0 && /131026/.test((await chart.getAttribute("data-series")) ?? "")) break;
      await page.waitForTimeout(200);
      await page.reload();
    }
    expect((await chart.getAttribute("data-series"))?.split(" ").sort()).toEqual(["131026", "131048"]);
    expect(Number(await chart.getAttribute("data-nonzero-points"))).toBeGreaterThanOrEqual(2);
    await waitCount(chart.locator("canvas"), 1);
    await waitText(page.locator("table", { hasText: "Phone number id" }), PHONE);
    await tab.shot("activity", { docs: true });
  });

  it("shows a broken rule edit's file:line:col on the rules page and keeps the last good rules", async () => {
    writeFileSync(join(dir.dir, "rules", "broken.yaml"), BROKEN);
    try {
      await page.goto(`${origin}/console/#/rules`);
      await page.getByRole("button", { name: "Reload rules" }).click();
      const problems = page.locator(".problems");
      await waitText(problems, /broken\.yaml:4:15: .*severity/);
      await waitText(page.locator("tr[data-rule='spam-burst']"), "count");
      await waitText(page.locator("tr[data-rule='spam-burst']"), "10m");
      const inhibition = page.locator("tr[data-inhibition]");
      await waitText(inhibition, "rule: spam-burst");
      await waitText(inhibition, "severity: [warning, info]");
      await waitText(inhibition, /spam\.yaml:\d+:\d+/);
      await tab.shot("rules");
    } finally {
      rmSync(join(dir.dir, "rules", "broken.yaml"));
    }
  });

  it("explains a pasted webhook body in the dry-run box", async () => {
    await page.getByLabel("Events to try").fill(webhook({ count: 3, timeSec: 1767225600 }).body);
    await page.getByRole("button", { name: "Run", exact: true }).click();
    await waitText(page.locator(".dry-run-result"), "3 event(s), 1 rule(s): 1 alert(s) would fire");
    const explain = page.locator("pre.explain");
    await waitText(explain, "spam-burst");
    await waitText(explain, "counted: 1 of 3");
    await waitText(explain, "FIRED: 3 in 10m");
    await page.getByLabel("Events to try").fill("{ not json");
    await page.getByRole("button", { name: "Run", exact: true }).click();
    await waitText(page.locator(".panel [role=alert]"), /pasted:1:\d+: not valid JSON/);
    await page.getByLabel("Events to try").fill(webhook({ count: 3, timeSec: 1767225600 }).body);
    await page.getByRole("button", { name: "Run", exact: true }).click();
    await page.locator(".dry-run-result").waitFor();
    await tab.shot("rules-dry-run", { docs: true, docsHeight: 1000 });
  });

  it("lists dead letters with their last error and retries one", async () => {
    await page.goto(`${origin}/console/#/dead-letters`);
    await refreshUntil("tr[data-dead-letter]");
    const first = page.locator("tr[data-dead-letter]").first();
    await waitText(first, "refuser");
    await waitText(first, "refused");
    await waitText(first, "400");
    await tab.shot("dead-letters", { docs: true });
    await first.getByRole("button", { name: /Retry/ }).click();
    await waitText(page.getByRole("status"), "Queued again for refuser");
  });

  it("works in a 390 px wide viewport, keyboard first", async () => {
    const phone = await browser.newPage(390);
    // A new tab is a new session: it has to sign in itself.
    await phone.page.goto(`${origin}/console/#/alerts`);
    await phone.page.getByLabel("Admin token").waitFor();
    await phone.page.keyboard.press("Tab");
    await phone.page.keyboard.type(ADMIN);
    await phone.page.keyboard.press("Enter");
    await phone.page.getByRole("heading", { name: "Alerts", exact: true }).waitFor();
    for (const [hash, name] of [
      ["#/alerts", "mobile-alerts"],
      ["#/activity?range=1h", "mobile-activity"],
      ["#/rules", "mobile-rules"],
      ["#/silences", "mobile-silences"],
      ["#/dead-letters", "mobile-dead-letters"],
    ] as const) {
      await phone.page.goto(`${origin}/console/${hash}`);
      await phone.page.locator("main h1").waitFor();
      await phone.page.waitForTimeout(300);
      const width = await phone.page.evaluate<number>("document.documentElement.scrollWidth");
      expect(width, `${hash} is ${width}px wide`).toBeLessThanOrEqual(390);
      await phone.shot(name);
    }
    await phone.page.goto(`${origin}/console/#/alerts`);
    await phone.page.locator("tr[data-alert] a").first().click();
    await phone.page.getByRole("button", { name: "Silence this…" }).waitFor();
    expect(await phone.page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(
      390,
    );
    await phone.shot("mobile-alert-detail");
    expect(phone.problems).toEqual([]);
    await phone.page.close();
  });

  it("signs out, and nothing went wrong in the page on the way", async () => {
    await page.goto(`${origin}/console/#/alerts`);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByLabel("Admin token").waitFor();
    expect(await page.evaluate<number>("sessionStorage.length")).toBe(0);
    // The refusals this suite provokes (wrong token, misspelt silence, broken rules, bad paste) show up as
    // the browser's own lines for a 401, 400 or 422; anything else is a problem.
    expect(tab.problems.filter((p) => !/status of (400|401|422)/.test(p))).toEqual([]);
  });
});
