// The plain-text body of an alert email, for clients that show no HTML and for people who prefer it.

/**
 * TEXT_TEMPLATE renders an EmailView (see view.ts) as plain text; it is compiled without HTML escaping.
 * Sections are padded with blank lines freely: the renderer squeezes runs of them down to one.
 */
export const TEXT_TEMPLATE = `{{label}}: {{title}}
{{summary}}
{{#if description}}
{{description}}
{{/if}}
{{#if resolved}}

The rate has dropped back below the rule's threshold. Nothing needs doing unless it fires again.
{{/if}}


{{#each facts}}
{{name}}: {{value}}
{{/each}}

{{#if change.length}}

WHAT CHANGED
{{#each change}}
{{name}}: {{value}}
{{/each}}

{{/if}}
{{#if notes.length}}

GOOD TO KNOW
{{#each notes}}
- {{this}}
{{/each}}

{{/if}}

{{#if meaning}}

WHAT THIS ERROR MEANS
{{meaning}}

{{/if}}
{{#if actions.length}}

{{#if resolved}}IF IT COMES BACK{{else}}WHAT TO DO{{/if}}
{{#each actions}}
{{number}}. {{text}}
{{/each}}

{{/if}}
{{#if causes.length}}

LIKELY CAUSES
{{#each causes}}
- {{this}}
{{/each}}

{{/if}}
{{#if samples.length}}

RECENT EVENTS ({{samples.length}} of {{samples_of}})
{{#each samples}}
- {{time}}{{#if ../sample_columns.recipient}}  {{#if recipient}}{{recipient}}{{else}}—{{/if}}{{/if}}{{#if details}}  {{details}}{{/if}}{{#if message_id}}  [{{message_id}}]{{/if}}
{{/each}}

{{/if}}
{{#if docs_url}}

Meta's documentation: {{docs_url}}

{{/if}}

--
Rule {{rule_id}} · alert {{alert_id}}
Sent by waba-alerts at {{sent_at}} to the {{channel}} channel.
`;
