// Renders an alert email (subject, HTML, plain text) from the Handlebars templates beside this file.
import Handlebars from "handlebars";
import type { Alert } from "../../evaluate/alert.js";
import { HTML_TEMPLATE } from "./html-template.js";
import { TEXT_TEMPLATE } from "./text-template.js";
import { buildEmailView } from "./view.js";

/** RenderedEmail is everything of a message that depends on the alert. */
export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

// A private environment, so helpers registered elsewhere (webhook templates) never leak in.
const hbs = Handlebars.create();
// HTML keeps Handlebars' escaping; plain text has no markup, and escaping would turn ' into &#x27;.
const html = hbs.compile(HTML_TEMPLATE, { strict: false });
const text = hbs.compile(TEXT_TEMPLATE, { noEscape: true });

/** renderEmail renders `alert` for `channel`; it throws only when a template is broken (a permanent failure). */
export function renderEmail(
  alert: Alert,
  channel: string,
  mask: boolean,
  now: Date = new Date(),
): RenderedEmail {
  const view = buildEmailView(alert, channel, mask, now);
  return {
    subject: view.subject,
    html: html(view),
    text: text(view).replace(/\n{3,}/g, "\n\n"),
  };
}
