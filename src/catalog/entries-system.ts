// Built-in catalog entries for Meta-side outages, maintenance and coexistence sync limits (category "system").

import { type BuiltinEntry, META_ERROR_CODES_URL } from "./types.js";

const DOCS = META_ERROR_CODES_URL;

/** ONBOARDING_DOCS is Meta's page on onboarding WhatsApp Business app users (coexistence), where 2593109 is explained. */
const ONBOARDING_DOCS =
  "https://developers.facebook.com/documentation/business-messaging/whatsapp/embedded-signup/onboarding-business-app-users";

/** SYSTEM_ENTRIES holds the built-in entries of category "system", sorted by code. */
export const SYSTEM_ENTRIES: readonly BuiltinEntry[] = [
  {
    code: 1,
    title: "Unknown API error",
    category: "system",
    meaning:
      "The API could not classify the failure: the request itself may be at fault, or Meta had a passing problem.",
    causes: ["An incident on Meta's platform.", "A request the endpoint cannot parse or accept."],
    actions: [
      "Look for an open incident on Meta's status page for the WhatsApp Business Platform.",
      "If the platform is healthy, compare the failing request with the endpoint reference and correct it.",
    ],
    retryable: true,
    retryNote:
      "Back off and retry only while a Meta incident looks likely; if the platform is healthy, correct the request instead.",
    docsUrl: DOCS,
    httpStatus: 400,
  },
  {
    code: 2,
    title: "API service unavailable",
    category: "system",
    meaning: "Meta's API is down or overloaded for the moment and turned the call away.",
    causes: ["An outage or heavy load on Meta's side."],
    actions: [
      "Check the WhatsApp Business Platform status page.",
      "Let senders retry with exponential backoff; nothing needs to change on your side.",
    ],
    retryable: true,
    retryNote: "With exponential backoff; the outage or overload passes on its own.",
    docsUrl: DOCS,
    httpStatus: 503,
  },
  {
    code: 131000,
    title: "Something went wrong",
    category: "system",
    meaning: "Meta ran into an unexpected error of its own and did not send the message.",
    causes: [
      "An unclassified failure on Meta's side.",
      "Flows: uploading the business public key failed inside Meta (a signing or GraphQL error).",
    ],
    actions: [
      "Retry with backoff.",
      "If it keeps happening, open a Direct Support ticket and include the fbtrace_id from the response.",
    ],
    retryable: true,
    retryNote: "Transient: back off and try again, and open a Meta support case if it keeps failing.",
    docsUrl: DOCS,
    httpStatus: 500,
  },
  {
    code: 131016,
    title: "Service unavailable",
    category: "system",
    meaning: "A Meta service the request depends on is down for the moment.",
    causes: ["An outage on Meta's side.", "A dependent service at Meta is being deployed or is overloaded."],
    actions: [
      "Check the WhatsApp Business Platform status page.",
      "Retry later with backoff.",
      "If failures continue while the status page shows no incident, open a Meta support ticket with the fbtrace_id.",
    ],
    retryable: true,
    retryNote: "With exponential backoff; the dependent service comes back on its own.",
    docsUrl: DOCS,
    httpStatus: 500,
  },
  {
    code: 131057,
    title: "Account in maintenance mode",
    category: "system",
    meaning:
      "The business number is briefly under maintenance, for example while Meta raises its throughput; it lasts about a minute.",
    causes: ["The number is being upgraded to 1,000 messages per second."],
    actions: [
      "Retry shortly; a phone_number_quality_update webhook (THROUGHPUT_UPGRADE) follows when an upgrade completes.",
      "If it lasts more than a few minutes, check the platform status page.",
    ],
    retryable: true,
    retryNote: "After about a minute; the maintenance ends by itself.",
    docsUrl: DOCS,
    httpStatus: 500,
  },
  {
    code: 133004,
    title: "Server temporarily unavailable",
    category: "system",
    meaning: "The server handling the request cannot serve it right now.",
    causes: ["An outage on Meta's side."],
    actions: [
      "Look for an incident on the platform status page and read the error's details field.",
      "Retry later with backoff.",
    ],
    retryable: true,
    retryNote: "With exponential backoff; the server recovers on its own.",
    docsUrl: DOCS,
    httpStatus: 503,
  },
  {
    code: 2494100,
    title: "Number in maintenance mode",
    category: "system",
    meaning: "Meta is doing maintenance on this business number, so it cannot send for a short while.",
    causes: ["Meta-side maintenance, or a migration of the number, is running."],
    actions: ["Try again after a few minutes; escalate to Meta support if the number stays unavailable."],
    retryable: true,
    retryNote: "After a few minutes; the maintenance is temporary.",
    docsUrl: DOCS,
    httpStatus: null,
  },
  {
    code: 2593107,
    title: "Sync request limit exceeded",
    category: "system",
    meaning:
      "Coexistence onboarding: the contacts sync and the history sync may each be requested only once.",
    causes: ["A sync endpoint was called a second time."],
    actions: ["Offboard the WhatsApp Business app user and onboard them again."],
    retryable: false,
    retryNote: "Each sync runs only once per onboarding.",
    docsUrl: DOCS,
    httpStatus: 400,
  },
  {
    code: 2593108,
    title: "Sync request too late",
    category: "system",
    meaning:
      "Coexistence onboarding: syncing has to start within 24 hours of onboarding, and this request came later.",
    causes: ["The sync request arrived after the 24-hour window."],
    actions: ["Take the user through offboarding and onboarding again, and request the sync straight after."],
    retryable: false,
    retryNote: "The 24-hour window has passed for this onboarding.",
    docsUrl: DOCS,
    httpStatus: 400,
  },
  {
    code: 2593109,
    title: "History sync turned off by the business",
    category: "system",
    meaning:
      "Coexistence onboarding: the business declined to share its WhatsApp Business app chat history, so " +
      "Meta sent this in a history webhook instead of the old chats.",
    causes: [
      "History sharing is switched off in the business's WhatsApp Business app, or was declined during onboarding.",
    ],
    actions: [
      "Nothing is broken: expect no past chats for this number.",
      "If the business wants its history, ask it to turn history sharing on in the app and onboard it again.",
    ],
    retryable: false,
    retryNote: "Asking again changes nothing until the business turns history sharing on.",
    docsUrl: ONBOARDING_DOCS,
    httpStatus: null,
  },
];
