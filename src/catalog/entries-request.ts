// Built-in catalog entries for malformed or invalid requests (category "request").

import { type BuiltinEntry, META_ERROR_CODES_URL } from "./types.js";

const DOCS = META_ERROR_CODES_URL;

/** REQUEST_ENTRIES holds the built-in entries of category "request", sorted by code. */
export const REQUEST_ENTRIES: readonly BuiltinEntry[] = [
  {
    code: 33,
    title: "Business phone number deleted",
    category: "request",
    meaning: "The request names a business phone number that no longer exists because it was deleted.",
    causes: ["The phone_number_id in the sender's configuration points at a deleted number."],
    actions: [
      "Check in WhatsApp Manager whether the configured phone_number_id still exists.",
      "Update the integration to use the ID of the number that replaced it.",
    ],
    retryable: false,
    retryNote: "Point the sender at a phone number that still exists.",
    docsUrl: DOCS,
    httpStatus: 400,
  },
  {
    code: 100,
    title: "Invalid parameter",
    category: "request",
    meaning:
      "Meta refused the request because a parameter is unknown, misspelled, of the wrong shape or longer than allowed. " +
      "It is nearly always a bug or a configuration change on the sending side, not a Meta problem.",
    causes: [
      "A field name is misspelled or not supported by the endpoint, often after a Graph API version change.",
      "A value is longer than the endpoint allows or has the wrong type.",
      "Flows: the business public key being set is not valid.",
      "Registration: the phone number ID does not match the number being registered.",
      "Marketing Messages API: something other than a template was sent through it.",
    ],
    actions: [
      "Read error_data.details in the failing response or webhook; it usually names the offending parameter.",
      "Compare the request body with the endpoint reference for the Graph API version in use and fix the payload.",
      "Check whether a recent deploy or template change introduced the field, and roll it back if so.",
      "Group the failures by app or integration to find which sender produces them.",
    ],
    retryable: false,
    retryNote: "Never retry the same payload: Meta rejects it every time.",
    docsUrl: DOCS,
    httpStatus: 400,
  },
  {
    code: 131008,
    title: "Required parameter missing",
    category: "request",
    meaning: "The request left out a parameter that the endpoint insists on.",
    causes: [
      "A mandatory field was not included in the request.",
      "A mapping or template variable in the integration came out empty, so the field was dropped.",
    ],
    actions: [
      "Find the mandatory fields for this endpoint in Meta's reference and supply the absent one.",
      "Check the error details for the field name and trace where your integration should have filled it in.",
    ],
    retryable: false,
    retryNote: "Add the missing field and send a corrected request.",
    docsUrl: DOCS,
    httpStatus: 400,
  },
  {
    code: 131009,
    title: "Invalid parameter value",
    category: "request",
    meaning: "At least one parameter carries a value the endpoint does not accept.",
    causes: [
      "A value outside the allowed set or format.",
      "The WABA does not list this phone number.",
      "Marketing Messages API: ad sync for the account has not finished.",
    ],
    actions: [
      "Check the value against the allowed values in the endpoint reference.",
      "Confirm the phone number belongs to the WABA you are calling.",
      "For the Marketing Messages API, wait about 10 minutes for ad sync, then try again.",
    ],
    retryable: false,
    retryNote:
      "Fix the request; only the Marketing Messages API ad-sync case clears by itself, after about 10 minutes.",
    docsUrl: DOCS,
    httpStatus: 400,
  },
  {
    code: 131051,
    title: "Unsupported message type",
    category: "request",
    meaning:
      "Two situations share this code. When you send, the message type you chose cannot go out through the API. " +
      "When it arrives on an inbound message (titled 'Message type unknown'), a customer sent content the API cannot forward to you.",
    causes: [
      "An outbound message of a type the API does not support.",
      "An inbound poll, edit or other content the API cannot represent.",
      "The destination number is itself registered on the API, which cannot receive this message.",
    ],
    actions: [
      "Outbound: switch to a supported message type.",
      "Inbound: log it, and if the content matters ask the user to send it another way.",
    ],
    retryable: false,
    retryNote: "Send a supported message type.",
    docsUrl: DOCS,
    httpStatus: 400,
  },
  {
    code: 135000,
    title: "Generic user error",
    category: "request",
    meaning: "Something about the request's parameters is wrong, but Meta does not say what.",
    causes: ["The request body or its parameters are badly formed."],
    actions: [
      "Validate the request, field by field, against the endpoint's reference page.",
      "Contact support if it keeps happening.",
    ],
    retryable: false,
    retryNote: "Find and fix the faulty parameter first.",
    docsUrl: DOCS,
    httpStatus: 400,
  },
  {
    code: 1752041,
    title: "Duplicate onboarding request",
    category: "request",
    meaning: "Marketing Messages API onboarding: a partner has already invited this client.",
    causes: ["A second onboarding request for the same client."],
    actions: ["No action: Meta onboards eligible WABAs on its own, so the repeat invitation can be ignored."],
    retryable: false,
    retryNote: "Nothing to retry; the onboarding is already under way.",
    docsUrl: DOCS,
    httpStatus: 400,
  },
];
