// Built-in catalog entries for template management: limits and rules checked when a template is created (category "template").

import { type BuiltinEntry, META_ERROR_CODES_URL } from "./types.js";

const DOCS = META_ERROR_CODES_URL;

/** TEMPLATE_MANAGEMENT_ENTRIES holds the built-in "template" entries raised while creating or managing templates, sorted by code. */
export const TEMPLATE_MANAGEMENT_ENTRIES: readonly BuiltinEntry[] = [
  {
    code: 2388019,
    title: "Template limit reached",
    category: "template",
    meaning:
      "The WABA already holds the maximum number of message templates (250 according to Meta's table).",
    causes: ["Too many templates on the account."],
    actions: ["Delete templates that are no longer used."],
    retryable: false,
    retryNote: "The call succeeds only after templates have been deleted.",
    docsUrl: DOCS,
    httpStatus: null,
  },
  {
    code: 2388040,
    title: "Template field too long",
    category: "template",
    meaning: "Creating the template failed because one of its fields has too many characters.",
    causes: ["One of the template's fields is too long."],
    actions: ["Shorten the field named in the error message and resubmit."],
    retryable: false,
    retryNote: "Shorten the field and submit the template again.",
    docsUrl: DOCS,
    httpStatus: null,
  },
  {
    code: 2388047,
    title: "Template header badly formatted",
    category: "template",
    meaning:
      "Meta turned down a new template because its header is not formatted the way template rules require.",
    causes: ["The header's formatting breaks the template rules."],
    actions: ["Correct the header formatting and resubmit."],
    retryable: false,
    retryNote: "Fix the header and submit the template again.",
    docsUrl: DOCS,
    httpStatus: null,
  },
  {
    code: 2388072,
    title: "Template body badly formatted",
    category: "template",
    meaning:
      "Meta turned down a new template because its body is not formatted the way template rules require.",
    causes: ["The body's formatting breaks the template rules."],
    actions: ["Correct the body formatting and resubmit."],
    retryable: false,
    retryNote: "Fix the body and submit the template again.",
    docsUrl: DOCS,
    httpStatus: null,
  },
  {
    code: 2388073,
    title: "Template footer badly formatted",
    category: "template",
    meaning:
      "Meta turned down a new template because its footer is not formatted the way template rules require.",
    causes: ["The footer's formatting breaks the template rules."],
    actions: ["Correct the footer formatting and resubmit."],
    retryable: false,
    retryNote: "Fix the footer and submit the template again.",
    docsUrl: DOCS,
    httpStatus: null,
  },
  {
    code: 2388293,
    title: "Too many variables for the text",
    category: "template",
    meaning: "Meta turned down a new template because its variables outweigh the fixed wording around them.",
    causes: ["Variables are packed too densely into the text."],
    actions: ["Use fewer variables or write more text around them."],
    retryable: false,
    retryNote: "Rebalance variables and text, then submit the template again.",
    docsUrl: DOCS,
    httpStatus: null,
  },
  {
    code: 2388299,
    title: "Variable at start or end of text",
    category: "template",
    meaning:
      "Meta turned down a new template because its text opens or closes with a variable instead of fixed words.",
    causes: ["A parameter sits at the very start or the very end of the text."],
    actions: ["Rewrite the text so each variable has words before and after it."],
    retryable: false,
    retryNote: "Move the variable away from the edge of the text, then submit again.",
    docsUrl: DOCS,
    httpStatus: null,
  },
];
