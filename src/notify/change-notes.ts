// What on-call should know about an account-level change that its webhook does not say: pause lengths,
// what a ban state means, what a Flows error type is. Wording ours, facts from Meta's documentation.
import { flowErrorType } from "../catalog/index.js";
import type { Alert } from "../model/alert.js";
import { changeFacts } from "./change-summary.js";

type Facts = NonNullable<Alert["facts"]>;

const PAUSE_LADDER =
  "Meta pauses a template whose quality stays low: for 3 hours the first time, 6 hours the second, and the " +
  "third time it disables it. While it is paused every send that uses it fails with 132015.";

const PAUSE_NOTES: Readonly<Record<string, string>> = {
  FIRST_PAUSE: "This is the first pause: the template is usable again after 3 hours.",
  SECOND_PAUSE:
    "This is the second pause: the template is usable again after 6 hours; a third one disables it.",
};

function templateNotes(f: Facts): string[] {
  const event = f.event;
  const pause = typeof f["template.pause"] === "string" ? f["template.pause"] : undefined;
  if (event === "PAUSED") return [...(pause && PAUSE_NOTES[pause] ? [PAUSE_NOTES[pause]] : []), PAUSE_LADDER];
  if (event === "DISABLED") {
    return [
      "A disabled template cannot be sent at all (132016): create a new one or appeal the decision in WhatsApp Manager.",
    ];
  }
  return [];
}

const BAN_NOTES: Readonly<Record<string, string>> = {
  DISABLE:
    "The account is disabled: none of its numbers can send until Meta reinstates it. Read the notice and appeal in WhatsApp Manager → Account quality.",
  SCHEDULE_FOR_DISABLE:
    "Meta has scheduled the account to be disabled on the date shown. Fix the violation or appeal before then.",
  REINSTATE: "The account was reinstated: its numbers can send again. Nothing needs doing.",
};

type NotesOf = (f: Facts) => string[];

const NOTES: Readonly<Record<string, NotesOf>> = {
  message_template_status_update: templateNotes,
  message_template_quality_update: (f) =>
    f["quality.new"] === "RED" ? [`A template that stays RED gets paused. ${PAUSE_LADDER}`] : [],
  template_category_update: (f) =>
    [f["template.category"], f["template.correct_category"]].includes("MARKETING")
      ? [
          "Marketing templates are billed at marketing rates and count toward Meta's per-user marketing limits (131049).",
        ]
      : [],
  account_update: (f) => {
    const state = f["ban.state"];
    return typeof state === "string" && BAN_NOTES[state] ? [BAN_NOTES[state]] : [];
  },
  phone_number_quality_update: (f) =>
    f["limit.change"] === "downgrade" || f.event === "DOWNGRADE"
      ? [
          "The messaging limit went down: fewer different users can be reached each day outside a customer-service window, and sends above it fail.",
        ]
      : [],
  flows: (f) => {
    const types = typeof f["flow.error_types"] === "string" ? f["flow.error_types"].split(", ") : [];
    return types.flatMap((type) => {
      const known = flowErrorType(type);
      return known ? [`${type}: ${known.meaning}; ${known.action}.`] : [];
    });
  },
};

/** changeNotes is background knowledge for an account-level alert (none for per-message alerts). */
export function changeNotes(alert: Alert): string[] {
  const facts = changeFacts(alert);
  if (!facts) return [];
  const kind = String(facts.kind);
  return Object.hasOwn(NOTES, kind) ? (NOTES[kind]?.(facts) ?? []) : [];
}
