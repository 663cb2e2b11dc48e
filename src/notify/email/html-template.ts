// The HTML body of an alert email: a Handlebars template with inline CSS and table layout for mail clients.

/**
 * emailFooter closes an HTML email: a line naming what it is about (`about`, template markup), who sent
 * it and why the reader gets it, then the closing tags of the layout both email templates share.
 */
export function emailFooter(about: string): string {
  return `<tr><td style="padding:24px 28px 24px 28px;">
  <p style="margin:0;padding-top:14px;border-top:1px solid #eef0f3;font-size:12px;line-height:1.6;color:#8c959f;">
    ${about}<br>
    Sent by waba-alerts at {{sent_at}}. You get this because you are on the <strong>{{channel}}</strong> channel.
  </p>
</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`;
}

/**
 * HTML_TEMPLATE renders an EmailView (see view.ts). Every value goes through `{{ }}`, never `{{{ }}}`,
 * so text from webhooks (error details, descriptions) is always escaped; mail clients strip <style>,
 * hence the inline styles and nested tables.
 */
export const HTML_TEMPLATE = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>{{subject}}</title>
</head>
<body style="margin:0;padding:0;background-color:#eef0f3;">
<div style="display:none;max-height:0;overflow:hidden;">{{preheader}}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#eef0f3;">
<tr><td align="center" style="padding:24px 12px;">
<table role="presentation" width="640" cellpadding="0" cellspacing="0" border="0" style="width:100%;max-width:640px;background-color:#ffffff;border-radius:8px;border:1px solid #dde1e6;font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;color:#1f2328;">
<tr><td style="height:6px;line-height:6px;font-size:0;background-color:{{accent}};border-radius:8px 8px 0 0;">&nbsp;</td></tr>
<tr><td style="padding:24px 28px 8px 28px;">
  <table role="presentation" cellpadding="0" cellspacing="0" border="0"><tr>
    <td style="background-color:{{accent}};color:#ffffff;font-size:12px;font-weight:700;letter-spacing:0.06em;padding:4px 10px;border-radius:4px;">{{label}}</td>
    {{#if code}}<td style="padding-left:10px;font-size:13px;color:#57606a;">error {{code}}</td>{{/if}}
  </tr></table>
  <h1 style="margin:14px 0 6px 0;font-size:22px;line-height:1.3;font-weight:700;color:#1f2328;">{{title}}</h1>
  <p style="margin:0 0 4px 0;font-size:16px;line-height:1.5;color:#1f2328;"><strong>{{summary}}</strong></p>
  {{#if description}}<p style="margin:0;font-size:14px;line-height:1.5;color:#57606a;">{{description}}</p>{{/if}}
  {{#if resolved}}<p style="margin:12px 0 0 0;padding:10px 12px;background-color:#e9f7ef;border-left:4px solid {{accent}};font-size:14px;line-height:1.5;color:#1f2328;">The rate has dropped back below the rule's threshold. Nothing needs doing unless it fires again.</p>{{/if}}
</td></tr>
<tr><td style="padding:16px 28px 4px 28px;">
  <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;font-size:14px;line-height:1.4;">
    {{#each facts}}
    <tr>
      <td width="150" style="padding:7px 12px 7px 0;border-bottom:1px solid #eef0f3;color:#57606a;vertical-align:top;white-space:nowrap;">{{name}}</td>
      <td style="padding:7px 0;border-bottom:1px solid #eef0f3;color:#1f2328;vertical-align:top;word-break:break-word;">{{value}}</td>
    </tr>
    {{/each}}
  </table>
</td></tr>
{{#if change.length}}
<tr><td style="padding:20px 28px 0 28px;">
  <h2 style="margin:0 0 8px 0;font-size:15px;font-weight:700;color:#1f2328;">What changed</h2>
  <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;font-size:14px;line-height:1.4;">
    {{#each change}}
    <tr>
      <td width="150" style="padding:7px 12px 7px 0;border-bottom:1px solid #eef0f3;color:#57606a;vertical-align:top;white-space:nowrap;">{{name}}</td>
      <td style="padding:7px 0;border-bottom:1px solid #eef0f3;color:#1f2328;vertical-align:top;word-break:break-word;font-weight:600;">{{value}}</td>
    </tr>
    {{/each}}
  </table>
</td></tr>
{{/if}}
{{#if notes.length}}
<tr><td style="padding:20px 28px 0 28px;">
  <h2 style="margin:0 0 8px 0;font-size:15px;font-weight:700;color:#1f2328;">Good to know</h2>
  <ul style="margin:0;padding:0 0 0 20px;font-size:14px;line-height:1.6;color:#1f2328;">
    {{#each notes}}<li style="margin:0 0 4px 0;">{{this}}</li>{{/each}}
  </ul>
</td></tr>
{{/if}}
{{#if meaning}}
<tr><td style="padding:20px 28px 0 28px;">
  <h2 style="margin:0 0 8px 0;font-size:15px;font-weight:700;color:#1f2328;">What this error means</h2>
  <p style="margin:0;font-size:14px;line-height:1.6;color:#1f2328;">{{meaning}}</p>
</td></tr>
{{/if}}
{{#if actions.length}}
<tr><td style="padding:20px 28px 0 28px;">
  <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#f6f8fa;border:1px solid #dde1e6;border-radius:6px;">
  <tr><td style="padding:14px 16px 6px 16px;">
    <h2 style="margin:0 0 6px 0;font-size:15px;font-weight:700;color:#1f2328;">{{actions_heading}}</h2>
    <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="font-size:14px;line-height:1.5;">
      {{#each actions}}
      <tr>
        <td width="26" style="padding:4px 0 8px 0;vertical-align:top;"><span style="display:inline-block;width:20px;height:20px;line-height:20px;border-radius:10px;background-color:{{../accent}};color:#ffffff;font-size:12px;font-weight:700;text-align:center;">{{number}}</span></td>
        <td style="padding:4px 0 8px 6px;vertical-align:top;color:#1f2328;">{{text}}</td>
      </tr>
      {{/each}}
    </table>
  </td></tr>
  </table>
</td></tr>
{{/if}}
{{#if causes.length}}
<tr><td style="padding:20px 28px 0 28px;">
  <h2 style="margin:0 0 8px 0;font-size:15px;font-weight:700;color:#1f2328;">Likely causes</h2>
  <ul style="margin:0;padding:0 0 0 20px;font-size:14px;line-height:1.6;color:#1f2328;">
    {{#each causes}}<li style="margin:0 0 4px 0;">{{this}}</li>{{/each}}
  </ul>
</td></tr>
{{/if}}
{{#if samples.length}}
<tr><td style="padding:20px 28px 0 28px;">
  <h2 style="margin:0 0 8px 0;font-size:15px;font-weight:700;color:#1f2328;">Recent events ({{samples.length}} of {{samples_of}})</h2>
  <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;font-size:13px;line-height:1.4;border:1px solid #dde1e6;">
    <tr style="background-color:#f6f8fa;">
      <th align="left" style="padding:8px 10px;border-bottom:1px solid #dde1e6;color:#57606a;font-weight:600;">Time (UTC)</th>
      {{#if sample_columns.recipient}}<th align="left" style="padding:8px 10px;border-bottom:1px solid #dde1e6;color:#57606a;font-weight:600;">Recipient</th>{{/if}}
      {{#if sample_columns.details}}<th align="left" style="padding:8px 10px;border-bottom:1px solid #dde1e6;color:#57606a;font-weight:600;">Details</th>{{/if}}
    </tr>
    {{#each samples}}
    <tr>
      <td style="padding:8px 10px;border-bottom:1px solid #eef0f3;vertical-align:top;white-space:nowrap;color:#1f2328;">{{time}}</td>
      {{#if ../sample_columns.recipient}}<td style="padding:8px 10px;border-bottom:1px solid #eef0f3;vertical-align:top;white-space:nowrap;font-family:Menlo,Consolas,monospace;color:#1f2328;">{{#if recipient}}{{recipient}}{{else}}—{{/if}}</td>{{/if}}
      {{#if ../sample_columns.details}}<td style="padding:8px 10px;border-bottom:1px solid #eef0f3;vertical-align:top;color:#1f2328;word-break:break-word;">{{details}}{{#if message_id}}<div style="margin-top:3px;font-family:Menlo,Consolas,monospace;font-size:11px;color:#8c959f;word-break:break-all;">{{message_id}}</div>{{/if}}</td>{{/if}}
    </tr>
    {{/each}}
  </table>
</td></tr>
{{/if}}
{{#if docs_url}}
<tr><td style="padding:22px 28px 0 28px;">
  <table role="presentation" cellpadding="0" cellspacing="0" border="0"><tr>
    <td style="background-color:#1f2328;border-radius:6px;"><a href="{{docs_url}}" style="display:inline-block;padding:10px 16px;font-size:14px;font-weight:600;color:#ffffff;text-decoration:none;">Read Meta's documentation{{#if code}} for {{code}}{{/if}} &rarr;</a></td>
  </tr></table>
</td></tr>
{{/if}}
${emailFooter(
  'Rule <span style="font-family:Menlo,Consolas,monospace;">{{rule_id}}</span> &middot; alert <span style="font-family:Menlo,Consolas,monospace;">{{alert_id}}</span>',
)}`;
