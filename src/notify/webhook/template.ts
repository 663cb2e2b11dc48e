// Custom webhook bodies: a channel's Handlebars `template`, made safe for producing JSON.
import Handlebars from "handlebars";
import type { DigestBody, WebhookBody } from "./body.js";

/**
 * TemplateContext is what a webhook template sees: the JSON body's fields (an alert's, or a digest's
 * with `alerts`) plus a few conveniences.
 */
export type TemplateContext = (WebhookBody | DigestBody) & {
  channel: string;
  headline: string;
};

// A private environment so the `json` helper never leaks into the email templates.
const hbs = Handlebars.create();

// Strings in the context arrive JSON-escaped (see escapeStrings); `json` undoes that before serialising.
hbs.registerHelper(
  "json",
  (value: unknown) => new hbs.SafeString(JSON.stringify(unescapeStrings(value)) ?? "null"),
);

/**
 * compileWebhookTemplate compiles a channel template. Every string in the context is JSON-escaped, so
 * `"title": "{{alert.title}}"` stays valid JSON whatever the title holds; `{{json alert.actions}}`
 * writes any value (string, number, array, object) as complete JSON. The result is checked to parse.
 */
export function compileWebhookTemplate(source: string): (ctx: TemplateContext) => string {
  const render = hbs.compile(jsonFriendly(source), { noEscape: true });
  return (ctx) => {
    const body = render(escapeStrings(ctx));
    try {
      JSON.parse(body);
    } catch (err) {
      throw new Error(`the template did not produce valid JSON (${(err as Error).message})`);
    }
    return body;
  };
}

// In JSON a mustache often ends an object (`{"a": {{json x}}}`), which Handlebars would read as a
// triple-stash close. Escaping is off anyway, so triple-stashes become plain mustaches and any other
// `}}}` gets a space that JSON ignores.
function jsonFriendly(source: string): string {
  return source.replace(/\{\{\{([^{}]*)\}\}\}/g, "{{$1}}").replace(/\}\}\}/g, "}} }");
}

function escapeStrings(value: unknown): unknown {
  if (typeof value === "string") return JSON.stringify(value).slice(1, -1);
  if (Array.isArray(value)) return value.map(escapeStrings);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeStrings(v)]));
  }
  return value;
}

function unescapeStrings(value: unknown): unknown {
  if (typeof value === "string") {
    try {
      return JSON.parse(`"${value}"`);
    } catch {
      return value; // a literal written in the template itself, never escaped
    }
  }
  if (Array.isArray(value)) return value.map(unescapeStrings);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unescapeStrings(v)]));
  }
  return value;
}
