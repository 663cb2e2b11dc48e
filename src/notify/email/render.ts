// Renders an alert email (subject, HTML, plain text) from the Handlebars templates beside this file.
import Handlebars from "handlebars";
import type { Alert } from "../../model/alert.js";
import { DIGEST_HTML_TEMPLATE, DIGEST_TEXT_TEMPLATE } from "./digest-templates.js";
import { buildDigestEmailView } from "./digest-view.js";
import { HTML_TEMPLATE } from "./html-template.js";
import { TEXT_TEMPLATE } from "./text-template.js";
import { buildEmailView } from "./view.js";
import type { Digest } from "../../model/notification.js";

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
const digestHtml = hbs.compile(DIGEST_HTML_TEMPLATE, { strict: false });
const digestText = hbs.compile(DIGEST_TEXT_TEMPLATE, { noEscape: true });

/** renderEmail renders `alert` for `channel`; it throws only when a template is broken (a permanent failure). */
export function renderEmail(
  alert: Alert,
  channel: string,
  mask: boolean,
  now: Date = new Date(),
): RenderedEmail {
  return rendered(buildEmailView(alert, channel, mask, now), html, text);
}

/** renderDigestEmail renders a digest for `channel`; it throws only when a template is broken. */
export function renderDigestEmail(
  digest: Digest,
  channel: string,
  mask: boolean,
  now: Date = new Date(),
): RenderedEmail {
  return rendered(buildDigestEmailView(digest, channel, mask, now), digestHtml, digestText);
}

function rendered<V extends { subject: string }>(
  view: V,
  toHtml: (v: V) => string,
  toText: (v: V) => string,
): RenderedEmail {
  // Templates pad sections with blank lines freely; runs of them are squeezed to one.
  return { subject: view.subject, html: toHtml(view), text: toText(view).replace(/\n{3,}/g, "\n\n") };
}
