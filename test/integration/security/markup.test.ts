// Text and links from events reach chat tools and emails inert: escaped per format, only http(s) links.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outboxMails } from "../../helpers/drive.js";
import { type EngineDir, makeEngineDir, waitFor } from "../../helpers/engine.js";
import { type HttpReceiver, startHttpReceiver } from "../../helpers/http-receiver.js";
import { type LoggedApp, postStatuses, startLogged } from "./support.js";

const RULES = `rules:
  - id: odd-error
    description: An error the catalog does not know
    severity: warning
    when: { code: 999123 }
    cooldown: 0s
    notify: [ops, slack, teams, gchat, json]
`;

/** TITLE tries every chat tool's markup: Slack and Google Chat mentions and links, Markdown links and emphasis. */
const TITLE =
  "<!channel> <users/all> *urgent* [log in here](https://evil.example/login) <https://evil.example|docs> & more";
const BAD_HREFS = [
  "javascript:alert(document.cookie)",
  "data:text/html;base64,PHNjcmlwdD4=",
  "//evil.example/x",
];
const ODD_HREF = "https://evil.example/a|b>c<d";

function status(id: string, href: string): object {
  return {
    id,
    status: "failed",
    timestamp: String(Math.floor(Date.now() / 1000)),
    recipient_id: "15551234000",
    errors: [{ code: 999123, title: TITLE, message: TITLE, error_data: { details: TITLE }, href }],
  };
}

type Json = Record<string, unknown>;

/** strings lists every string inside a JSON value; `skipPlain` leaves out Slack's plain_text objects (never parsed). */
function strings(value: unknown, skipPlain = false): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap((v) => strings(v, skipPlain));
  if (value && typeof value === "object") {
    if (skipPlain && (value as { type?: unknown }).type === "plain_text") return [];
    return Object.values(value).flatMap((v) => strings(v, skipPlain));
  }
  return [];
}

describe("event text and links in notifications", () => {
  let dir: EngineDir;
  let engine: LoggedApp;
  let receiver: HttpReceiver;
  const byChannel = new Map<string, Json[]>();

  beforeAll(async () => {
    receiver = await startHttpReceiver();
    const hook = (name: string, format: string) =>
      `  ${name}: { type: webhook, url: "${receiver.url.replace("/hook", `/${name}`)}", format: ${format}, group: false }`;
    dir = await makeEngineDir({
      rules: RULES,
      ops: "{ type: email, to: [ops@example.com], group: false }",
      channels: [
        hook("slack", "slack"),
        hook("teams", "teams"),
        hook("gchat", "google-chat"),
        hook("json", "json"),
      ].join("\n"),
    });
    engine = await startLogged(dir);
    const hrefs = [...BAD_HREFS, ODD_HREF];
    await postStatuses(
      engine.app,
      hrefs.map((href, i) => status(`wamid.markup${i}`, href)),
    );
    await receiver.waitForRequests(hrefs.length * 4, 15_000);
    for (const r of receiver.requests) {
      const list = byChannel.get(r.path.slice(1)) ?? [];
      list.push(JSON.parse(r.text) as Json);
      byChannel.set(r.path.slice(1), list);
    }
    await waitFor(
      async () => ((await outboxMails(dir.outbox)).length === hrefs.length ? true : undefined),
      15_000,
    );
  });
  afterAll(async () => {
    await engine.app.close();
    await receiver.close();
    await dir.remove();
  });

  it("Slack: no mention or link survives from event text, and a link's address cannot close its <…|…>", () => {
    const bodies = byChannel.get("slack") ?? [];
    expect(bodies).toHaveLength(4);
    for (const body of bodies) {
      // Slack reads mrkdwn and the top-level text; a plain_text header shows its text literally.
      const all = strings(body, true).join("\n");
      expect(all).not.toContain("<!channel>");
      expect(all).not.toContain("<https://evil.example|docs>");
      expect(body.text).toContain("&lt;!channel&gt;");
      // Every remaining <…> is ours: an http(s) link whose address holds no |, < or >.
      for (const [, url] of all.matchAll(/<([^|>]*)\|[^>]*>/g)) expect(url).toMatch(/^https?:\/\/[^|<>\s]+$/);
      expect(all).not.toMatch(/javascript:|data:text/);
    }
    const odd = bodies.find((b) => strings(b).some((s) => s.includes("evil.example/a")));
    expect(strings(odd).join("\n")).toContain("<https://evil.example/a%7Cb%3Ec%3Cd|Meta's documentation>");
  });

  it("Teams: Markdown from events is escaped in every TextBlock and FactSet; links only http(s)", () => {
    const bodies = byChannel.get("teams") ?? [];
    expect(bodies).toHaveLength(4);
    for (const body of bodies) {
      const texts = strings(body);
      for (const t of texts) {
        expect(t).not.toMatch(/(?<!\\)\[[^\]]*(?<!\\)\]\(/);
        expect(t).not.toMatch(/(?<!\\)\*urgent(?<!\\)\*/);
        expect(t).not.toMatch(/^javascript:|^data:/);
      }
      expect(texts.join("\n")).toContain("\\[log in here\\]\\(https://evil.example/login\\)");
    }
  });

  it("Google Chat: no mention or link in the message text, HTML escaped in the card, links only http(s)", () => {
    const bodies = byChannel.get("gchat") ?? [];
    expect(bodies).toHaveLength(4);
    for (const body of bodies) {
      expect(body.text).not.toMatch(/<users\/all>|<https?:|<!channel>/);
      const all = strings(body).join("\n");
      expect(all).not.toMatch(/<users\/all>|javascript:|data:text/);
    }
  });

  it("JSON bodies carry docs_url only when the event's href is an absolute http(s) URL", () => {
    const bodies = (byChannel.get("json") ?? []) as { alert: { docs_url?: string } }[];
    expect(bodies.map((b) => b.alert.docs_url ?? null).sort()).toEqual(
      [new URL(ODD_HREF).href, null, null, null].sort(),
    );
  });

  it("email: no javascript: or data: link, the title is escaped HTML", async () => {
    const mails = await outboxMails(dir.outbox);
    expect(mails).toHaveLength(4);
    for (const mail of mails) {
      const html = String(mail.html);
      expect(html).not.toMatch(/href="(?!https?:)/);
      expect(html).not.toContain("<!channel>");
      expect(html).toContain("&lt;!channel&gt;");
      expect(mail.text ?? "").not.toMatch(/javascript:|data:text/);
    }
  });
});
