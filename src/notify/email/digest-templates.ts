// The HTML and plain-text bodies of a digest email: a table of the alerts, then each error's guidance once.
import { emailFooter } from "./html-template.js";

/**
 * DIGEST_HTML_TEMPLATE renders a DigestEmailView. As in HTML_TEMPLATE, every value is escaped (`{{ }}`)
 * and styles are inline, for mail clients that strip <style>.
 */
export const DIGEST_HTML_TEMPLATE = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{subject}}</title>
</head>
<body style="margin:0;padding:0;background-color:#eef0f3;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#eef0f3;">
<tr><td align="center" style="padding:24px 12px;">
<table role="presentation" width="760" cellpadding="0" cellspacing="0" border="0" style="width:100%;max-width:760px;background-color:#ffffff;border-radius:8px;border:1px solid #dde1e6;font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;color:#1f2328;">
<tr><td style="height:6px;line-height:6px;font-size:0;background-color:{{accent}};border-radius:8px 8px 0 0;">&nbsp;</td></tr>
<tr><td style="padding:24px 28px 8px 28px;">
  <span style="background-color:{{accent}};color:#ffffff;font-size:12px;font-weight:700;letter-spacing:0.06em;padding:4px 10px;border-radius:4px;">{{label}} DIGEST</span>
  <h1 style="margin:14px 0 6px 0;font-size:22px;line-height:1.3;font-weight:700;">{{title}}</h1>
  <p style="margin:0;font-size:14px;line-height:1.5;color:#57606a;">{{summary}}</p>
</td></tr>
<tr><td style="padding:16px 28px 0 28px;">
  <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;font-size:13px;line-height:1.4;border:1px solid #dde1e6;">
    <tr style="background-color:#f6f8fa;">
      <th align="left" style="padding:8px 10px;border-bottom:1px solid #dde1e6;color:#57606a;">Where</th>
      <th align="left" style="padding:8px 10px;border-bottom:1px solid #dde1e6;color:#57606a;">What</th>
      <th align="left" style="padding:8px 10px;border-bottom:1px solid #dde1e6;color:#57606a;">Group</th>
      <th align="left" style="padding:8px 10px;border-bottom:1px solid #dde1e6;color:#57606a;">Count</th>
      <th align="left" style="padding:8px 10px;border-bottom:1px solid #dde1e6;color:#57606a;">First seen</th>
      <th align="left" style="padding:8px 10px;border-bottom:1px solid #dde1e6;color:#57606a;">Last seen</th>
    </tr>
    {{#each rows}}
    <tr>
      <td style="padding:6px 10px;border-bottom:1px solid #eef0f3;white-space:nowrap;">{{where}}{{#if note}}<div style="font-size:11px;color:#8c959f;">{{note}}</div>{{/if}}</td>
      <td style="padding:6px 10px;border-bottom:1px solid #eef0f3;">{{what}}</td>
      <td style="padding:6px 10px;border-bottom:1px solid #eef0f3;font-family:Menlo,Consolas,monospace;font-size:12px;word-break:break-all;">{{group}}</td>
      <td style="padding:6px 10px;border-bottom:1px solid #eef0f3;white-space:nowrap;">{{count}}</td>
      <td style="padding:6px 10px;border-bottom:1px solid #eef0f3;white-space:nowrap;">{{first_seen}}</td>
      <td style="padding:6px 10px;border-bottom:1px solid #eef0f3;white-space:nowrap;">{{last_seen}}</td>
    </tr>
    {{/each}}
  </table>
  {{#if unlisted}}<p style="margin:8px 0 0 0;font-size:13px;color:#57606a;">… and {{unlisted}} more alerts, counted but not listed.</p>{{/if}}
</td></tr>
{{#each guides}}
<tr><td style="padding:20px 28px 0 28px;">
  <h2 style="margin:0 0 8px 0;font-size:15px;font-weight:700;">{{heading}}</h2>
  {{#if meaning}}<p style="margin:0 0 8px 0;font-size:14px;line-height:1.6;">{{meaning}}</p>{{/if}}
  {{#if actions.length}}
  <ol style="margin:0;padding:0 0 0 20px;font-size:14px;line-height:1.6;">
    {{#each actions}}<li style="margin:0 0 4px 0;">{{text}}</li>{{/each}}
  </ol>
  {{/if}}
  {{#if docs_url}}<p style="margin:8px 0 0 0;font-size:13px;"><a href="{{docs_url}}" style="color:#0969da;">Meta's documentation</a></p>{{/if}}
</td></tr>
{{/each}}
${emailFooter('Digest <span style="font-family:Menlo,Consolas,monospace;">{{digest_id}}</span> &middot; grouped by {{grouped_by}}')}`;

/** DIGEST_TEXT_TEMPLATE renders a DigestEmailView as plain text (compiled without HTML escaping). */
export const DIGEST_TEXT_TEMPLATE = `{{label}} DIGEST: {{title}}
{{summary}}

{{#each rows}}
- {{where}} | {{what}} | {{group}} | {{count}} | {{first_seen}} → {{last_seen}}{{#if note}} ({{note}}){{/if}}
{{/each}}
{{#if unlisted}}
… and {{unlisted}} more alerts, counted but not listed.
{{/if}}

{{#each guides}}

{{heading}}
{{#if meaning}}{{meaning}}
{{/if}}
{{#each actions}}
{{number}}. {{text}}
{{/each}}
{{#if docs_url}}Meta's documentation: {{docs_url}}
{{/if}}
{{/each}}

--
Digest {{digest_id}} · grouped by {{grouped_by}}
Sent by waba-alerts at {{sent_at}} to the {{channel}} channel.
`;
