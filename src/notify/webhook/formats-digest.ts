// Compact digest cards for chat tools (Slack, Microsoft Teams, Google Chat): headline, a short list, guidance once.
import { type DigestRow, digestGuides, digestHeadline, digestRows, unlisted } from "../digest-present.js";
import { httpLink } from "../../shared/links.js";
import type { ChatFormat } from "./formats.js";
import { chatHtml, chatPlain, slackText, teamsText } from "./markup.js";
import type { Digest } from "../../model/notification.js";

/** CARD_ROWS is how many alerts a chat card lists; chat messages are read on phones. */
export const CARD_ROWS = 10;

/** DigestCard is what every chat format shows of a digest, as plain text pieces. */
interface DigestCard {
  headline: string;
  lines: string[];
  /** "… and 27 more" when the card does not list them all. */
  rest?: string;
  guides: { heading: string; text: string }[];
  docs?: string;
}

function line(r: DigestRow): string {
  return `${r.where}: ${r.what}, ${r.count} (last ${r.last_seen})${r.note ? ` (${r.note})` : ""}`;
}

function card(digest: Digest, mask: boolean): DigestCard {
  const rows = digestRows(digest, mask);
  const hidden = rows.length - CARD_ROWS + unlisted(digest);
  const guides = digestGuides(digest);
  const docs = httpLink(guides[0]?.docs_url);
  return {
    headline: digestHeadline(digest),
    lines: rows.slice(0, CARD_ROWS).map(line),
    ...(hidden > 0 ? { rest: `… and ${hidden} more` } : {}),
    guides: guides.map((g) => ({
      heading: g.heading,
      text: [g.meaning, ...g.actions.map((a, i) => `${i + 1}. ${a}`)].filter(Boolean).join("\n"),
    })),
    ...(docs ? { docs } : {}),
  };
}

/** chatDigestPayload builds the body `format` expects for a digest: a compact card with the same content everywhere. */
export function chatDigestPayload(format: ChatFormat, digest: Digest, mask: boolean): object {
  const c = card(digest, mask);
  const list = [...c.lines, ...(c.rest ? [c.rest] : [])];
  switch (format) {
    case "slack":
      return {
        text: slackText(c.headline),
        blocks: [
          { type: "header", text: { type: "plain_text", text: c.headline.slice(0, 150), emoji: true } },
          {
            type: "section",
            text: {
              type: "mrkdwn",
              text: list
                .map((l) => `• ${slackText(l)}`)
                .join("\n")
                .slice(0, 3000),
            },
          },
          ...c.guides.map((g) => ({
            type: "section",
            text: { type: "mrkdwn", text: `*${slackText(g.heading)}*\n${slackText(g.text)}`.slice(0, 3000) },
          })),
          { type: "context", elements: [{ type: "mrkdwn", text: `digest \`${slackText(digest.id)}\`` }] },
        ],
      };
    case "teams":
      return {
        type: "message",
        attachments: [
          {
            contentType: "application/vnd.microsoft.card.adaptive",
            contentUrl: null,
            content: {
              $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
              type: "AdaptiveCard",
              version: "1.4",
              body: [
                { type: "TextBlock", text: teamsText(c.headline), weight: "Bolder", size: "Medium", wrap: true },
                ...list.map((l) => ({ type: "TextBlock", text: teamsText(l), wrap: true, spacing: "None" })),
                ...c.guides.flatMap((g) => [
                  { type: "TextBlock", text: teamsText(g.heading), weight: "Bolder", spacing: "Medium", wrap: true },
                  { type: "TextBlock", text: teamsText(g.text), wrap: true },
                ]),
              ],
              ...(c.docs
                ? { actions: [{ type: "Action.OpenUrl", title: "Meta's documentation", url: c.docs }] }
                : {}),
            },
          },
        ],
      };
    case "google-chat":
      return {
        text: chatPlain(c.headline),
        cardsV2: [
          {
            cardId: `waba-alerts-digest-${digest.id}`.slice(0, 64),
            card: {
              header: { title: chatPlain(c.headline) },
              sections: [
                { widgets: [{ textParagraph: { text: list.map(chatHtml).join("<br>") } }] },
                ...c.guides.map((g) => ({
                  header: chatHtml(g.heading),
                  widgets: [{ textParagraph: { text: chatHtml(g.text).replace(/\n/g, "<br>") } }],
                })),
              ],
            },
          },
        ],
      };
  }
}
