// Payloads for chat tools' incoming webhooks (Slack, Microsoft Teams, Google Chat), built from one alert.
import type { Alert } from "../../model/alert.js";
import { httpLink } from "../../shared/links.js";
import { alertLocation, countText, headline, readableTime } from "../present.js";
import { chatHtml, chatPlain, slackLink, slackText, teamsText } from "./markup.js";

/** ChatFormat is a `format` other than the plain versioned JSON body. */
export type ChatFormat = "slack" | "teams" | "google-chat";

/** chatPayload builds the body `format` expects; every one carries the headline, the meaning and the actions. */
export function chatPayload(format: ChatFormat, alert: Alert): object {
  switch (format) {
    case "slack":
      return slackPayload(alert);
    case "teams":
      return teamsPayload(alert);
    case "google-chat":
      return googleChatPayload(alert);
  }
}

function facts(alert: Alert): { name: string; value: string }[] {
  const where = alertLocation(alert);
  return [
    { name: "Count", value: countText(alert) },
    ...(where ? [{ name: "Where", value: where }] : []),
    { name: "First seen", value: readableTime(alert.first_seen) },
    { name: "Last seen", value: readableTime(alert.last_seen) },
    { name: "Rule", value: `${alert.rule.id} (${alert.rule.severity})` },
  ];
}

const numbered = (items: string[], esc: (s: string) => string) =>
  items.map((a, i) => `${i + 1}. ${esc(a)}`).join("\n");

/** slackPayload is a Slack incoming-webhook message: `text` for notifications, `blocks` for the layout. */
export function slackPayload(alert: Alert): object {
  const title = headline(alert);
  const blocks: object[] = [
    { type: "header", text: { type: "plain_text", text: title.slice(0, 150), emoji: true } },
    { type: "section", text: { type: "mrkdwn", text: slackText(alert.rule.description || alert.title) } },
    {
      type: "section",
      fields: facts(alert).map((f) => ({ type: "mrkdwn", text: `*${f.name}*\n${slackText(f.value)}` })),
    },
  ];
  if (alert.meaning) {
    blocks.push({
      type: "section",
      text: { type: "mrkdwn", text: `*What it means*\n${slackText(alert.meaning)}` },
    });
  }
  if (alert.actions.length > 0) {
    const text = `*What to do*\n${numbered(alert.actions, slackText)}`;
    blocks.push({ type: "section", text: { type: "mrkdwn", text: text.slice(0, 3000) } });
  }
  const docs = slackLink(alert.docs_url, "Meta's documentation");
  const links = docs ? ` · ${docs}` : "";
  blocks.push({
    type: "context",
    elements: [
      { type: "mrkdwn", text: `rule \`${alert.rule.id}\` · alert \`${slackText(alert.id)}\`${links}` },
    ],
  });
  // The top-level text is mrkdwn too (notifications show it): a title from an event must not say <!channel>.
  return { text: slackText(title), blocks };
}

/** teamsPayload is an Adaptive Card message, what Teams' Workflows ("Post to a channel") webhooks accept. */
export function teamsPayload(alert: Alert): object {
  const body: object[] = [
    {
      type: "TextBlock",
      text: teamsText(headline(alert)),
      weight: "Bolder",
      size: "Medium",
      wrap: true,
      color:
        alert.type === "alert.resolved" ? "Good" : alert.rule.severity === "info" ? "Accent" : "Attention",
    },
    { type: "TextBlock", text: teamsText(alert.rule.description || alert.title), wrap: true, isSubtle: true },
    { type: "FactSet", facts: facts(alert).map((f) => ({ title: f.name, value: teamsText(f.value) })) },
  ];
  if (alert.meaning) {
    body.push({ type: "TextBlock", text: "What it means", weight: "Bolder", spacing: "Medium" });
    body.push({ type: "TextBlock", text: teamsText(alert.meaning), wrap: true });
  }
  if (alert.actions.length > 0) {
    body.push({ type: "TextBlock", text: "What to do", weight: "Bolder", spacing: "Medium" });
    // Our numbers, the action's text escaped: Markdown inside an action is never interpreted.
    alert.actions.forEach((a, i) => {
      body.push({ type: "TextBlock", text: `${i + 1}. ${teamsText(a)}`, wrap: true, spacing: "Small" });
    });
  }
  const docs = httpLink(alert.docs_url);
  const card = {
    $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
    type: "AdaptiveCard",
    version: "1.4",
    body,
    ...(docs ? { actions: [{ type: "Action.OpenUrl", title: "Meta's documentation", url: docs }] } : {}),
  };
  return {
    type: "message",
    attachments: [
      { contentType: "application/vnd.microsoft.card.adaptive", contentUrl: null, content: card },
    ],
  };
}

/** googleChatPayload is a Google Chat message: `text` for notifications and a cardsV2 card for the details. */
export function googleChatPayload(alert: Alert): object {
  const sections: object[] = [
    {
      widgets: facts(alert).map((f) => ({ decoratedText: { topLabel: f.name, text: chatHtml(f.value) } })),
    },
  ];
  if (alert.meaning) {
    sections.push({
      header: "What it means",
      widgets: [{ textParagraph: { text: chatHtml(alert.meaning) } }],
    });
  }
  if (alert.actions.length > 0) {
    const text = numbered(alert.actions, chatHtml).replace(/\n/g, "<br>");
    sections.push({ header: "What to do", widgets: [{ textParagraph: { text } }] });
  }
  const docs = httpLink(alert.docs_url);
  if (docs) {
    sections.push({
      widgets: [
        {
          buttonList: {
            buttons: [{ text: "Meta's documentation", onClick: { openLink: { url: docs } } }],
          },
        },
      ],
    });
  }
  return {
    text: chatPlain(headline(alert)),
    cardsV2: [
      {
        cardId: `waba-alerts-${alert.id}`.slice(0, 64),
        card: {
          header: { title: chatPlain(headline(alert)), subtitle: chatPlain(alert.rule.description || alert.title) },
          sections,
        },
      },
    ],
  };
}
