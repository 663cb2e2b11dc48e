// Escaping per chat format, so text and links from events are shown as they are and never act as markup.
import { httpLink } from "../../shared/links.js";

/**
 * slackText escapes what Slack's mrkdwn (and a message's top-level `text`) reads as control characters:
 * `&`, `<` and `>`, which would otherwise open mentions (`<!channel>`) and links.
 */
export function slackText(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * slackLink is `<url|label>` for an http(s) `url`, or nothing: `|` in the address is percent-encoded and `&`
 * escaped, so the address can neither end the link early nor add a label of its own.
 */
export function slackLink(url: string | undefined, label: string): string | undefined {
  const href = httpLink(url);
  return href ? `<${slackText(href.replace(/\|/g, "%7C"))}|${slackText(label)}>` : undefined;
}

/**
 * teamsText escapes the Markdown an Adaptive Card TextBlock or FactSet renders (links, emphasis, code,
 * headings) with backslashes, CommonMark's way of writing those characters literally.
 */
export function teamsText(s: string): string {
  return s.replace(/[\\`*_[\]()~<>#|!]/g, "\\$&");
}

/** chatHtml escapes the HTML subset Google Chat's card widgets (textParagraph, decoratedText) render. */
export function chatHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * chatPlain neutralizes Google Chat's message-text syntax, which has no escape: `<users/all>` mentions and
 * `<url|text>` links need angle brackets, so those become look-alike guillemets (‹ ›).
 */
export function chatPlain(s: string): string {
  return s.replace(/</g, "‹").replace(/>/g, "›");
}
