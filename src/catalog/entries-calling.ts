// Built-in catalog entries for the Calling API: call setup, permissions, limits and media (category "calling").

import type { BuiltinEntry } from "./types.js";

/** CALLING_DOCS_URL is Meta's calling troubleshooting page, which lists the calling error codes. */
export const CALLING_DOCS_URL =
  "https://developers.facebook.com/documentation/business-messaging/whatsapp/calling/troubleshooting";

const DOCS = CALLING_DOCS_URL;

type CallingFacts = Pick<BuiltinEntry, "code" | "title" | "meaning" | "causes" | "actions" | "retryable">;

const RETRY_LATER = "Try the call again later; nothing in the request needs to change.";
const NO_RETRY = "The same call fails again until the cause below is fixed.";

function calling(httpStatus: number, facts: CallingFacts): BuiltinEntry {
  return {
    ...facts,
    category: "calling",
    retryNote: facts.retryable ? RETRY_LATER : NO_RETRY,
    docsUrl: DOCS,
    httpStatus,
  };
}

/** CALLING_ENTRIES holds the built-in entries of category "calling", sorted by code. */
export const CALLING_ENTRIES: readonly BuiltinEntry[] = [
  calling(401, {
    code: 138000,
    title: "Calling not enabled",
    meaning: "The business number tried to place or handle a call, but calling is switched off for it.",
    causes: ["Calling was never turned on in the number's call settings, or was turned off again."],
    actions: ["Turn calling on in the phone number's call settings (Graph API or WhatsApp Manager)."],
    retryable: false,
  }),
  calling(400, {
    code: 138001,
    title: "Receiver cannot take calls",
    meaning: "The person being called cannot receive WhatsApp calls from a business right now.",
    causes: [
      "The number is not on WhatsApp.",
      "The user has not accepted WhatsApp's current terms.",
      "The user's app (desktop, web or an old version) does not support business calls.",
    ],
    actions: [
      "Check that the user agreed to be called and uses an up-to-date phone app.",
      "Reach the user with a message instead.",
    ],
    retryable: false,
  }),
  calling(429, {
    code: 138002,
    title: "Too many concurrent calls",
    meaning: "The number already has as many calls running at once as Meta allows (1,000).",
    causes: ["A burst of calls, or calls that were never ended and still count as open."],
    actions: ["Spread calls out over time and make sure finished calls are terminated."],
    retryable: true,
  }),
  calling(400, {
    code: 138003,
    title: "Call already in progress",
    meaning: "A call between this business number and this user is already going on.",
    causes: ["The application started a second call before the first one ended."],
    actions: ["Wait for the ongoing call to end before calling the user again."],
    retryable: true,
  }),
  calling(500, {
    code: 138004,
    title: "Call connection error",
    meaning: "Meta could not connect the call.",
    causes: ["A passing failure on Meta's side, or connection parameters it could not use."],
    actions: ["Retry later; if it keeps happening, review the connection (SDP) parameters sent."],
    retryable: true,
  }),
  calling(429, {
    code: 138005,
    title: "Call rate limit exceeded",
    meaning: "The number has started more calls than Meta allows in the current period.",
    causes: ["Calls are being started faster than the number's calling limit."],
    actions: ["Slow down call attempts and queue the rest."],
    retryable: true,
  }),
  calling(401, {
    code: 138006,
    title: "No call permission from the user",
    meaning: "The business tried to call a user who has not granted it permission to call.",
    causes: ["No permission was requested, the user declined it, or it expired."],
    actions: ["Send a call permission request and call only after the user accepts it."],
    retryable: false,
  }),
  calling(500, {
    code: 138007,
    title: "Call connect timeout",
    meaning: "The call could not be connected in time because the business side answered too slowly.",
    causes: ["The application did not apply Meta's SDP offer or answer, or call connect, quickly enough."],
    actions: ["Check the latency of the call-handling service and answer the connect webhook sooner."],
    retryable: true,
  }),
  calling(400, {
    code: 138009,
    title: "Call permission request limit hit",
    meaning: "Too many call permission requests went to the same user in the current period.",
    causes: ["Repeated permission requests to one user; a connected call resets the count."],
    actions: ["Stop asking this user for permission for now and message them instead."],
    retryable: false,
  }),
  calling(400, {
    code: 138012,
    title: "Daily business-initiated call limit hit",
    meaning: "The business reached the number of connected calls it may start to this user in 24 hours.",
    causes: [
      "Meta allows only a few connected business-initiated calls per user and day (5 at the time of writing).",
    ],
    actions: ["Wait for the time given in the error details before calling this user again."],
    retryable: false,
  }),
  calling(400, {
    code: 138013,
    title: "Business-initiated calling unavailable",
    meaning: "Calls started by the business are not available for this phone number.",
    causes: ["Business-initiated calling is not offered in the number's country or for its account."],
    actions: ["Check Meta's calling availability list; let users call the business instead."],
    retryable: false,
  }),
  calling(400, {
    code: 138014,
    title: "Calling temporarily disabled",
    meaning: "Meta switched calling off for the number for a while because its calls are of low quality.",
    causes: ["Users rejected, blocked or reported the business's calls."],
    actions: [
      "Review who is being called and why; call only users who expect it.",
      "Try again after the restriction is lifted.",
    ],
    retryable: false,
  }),
  calling(400, {
    code: 138015,
    title: "Calling cannot be enabled",
    meaning: "Calling cannot be switched on for this number yet.",
    causes: ["The messaging limit of the business is below 2,000 users a day."],
    actions: ["Raise the messaging limit (verification, quality) before turning calling on."],
    retryable: false,
  }),
  calling(400, {
    code: 138017,
    title: "Permanent call permission already exists",
    meaning:
      "A permission request was not sent because the user already gave the business permanent permission.",
    causes: ["The application asks for permission without checking what the user already granted."],
    actions: ["Skip the request and call the user; check permissions before asking."],
    retryable: false,
  }),
  calling(400, {
    code: 138018,
    title: "Calling prerequisites not met",
    meaning: "Calling cannot be enabled because a technical prerequisite is missing.",
    causes: ["No app subscribed to the WABA listens to the calls webhook field, and SIP is not configured."],
    actions: ["Subscribe an app to the calls webhook field, or configure SIP, then enable calling."],
    retryable: false,
  }),
  calling(400, {
    code: 138019,
    title: "Call setup failed",
    meaning:
      "The user's WhatsApp app could not set the call up; Meta reports it in the call terminate webhook.",
    causes: ["A problem on the user's device or network."],
    actions: ["Try calling again later; a message may reach the user sooner."],
    retryable: true,
  }),
  calling(400, {
    code: 138020,
    title: "Relay connection failed",
    meaning:
      "The user's app could not reach Meta's relay server, so the call ended (call terminate webhook).",
    causes: ["The user's network blocks or drops the relay connection."],
    actions: ["Try again later; if many users are affected, look for a Meta calling incident."],
    retryable: true,
  }),
  calling(400, {
    code: 138021,
    title: "Media receive timeout",
    meaning: "The user's app hung up because it received no audio for too long (call terminate webhook).",
    causes: ["The business side stopped sending media, or its media never reached the relay."],
    actions: ["Check that the calling service streams audio to the relay for the whole call."],
    retryable: true,
  }),
  calling(400, {
    code: 138022,
    title: "Media transmit timeout",
    meaning: "The user's app hung up because it could not send audio for too long (call terminate webhook).",
    causes: ["The user's device or network stopped transmitting media."],
    actions: ["Try again later; nothing on the business side needs to change if this is rare."],
    retryable: true,
  }),
  calling(400, {
    code: 138023,
    title: "Call accepted, no media",
    meaning:
      "The user accepted the call but no media signal ever flowed, so Meta cannot tell whether it connected.",
    causes: ["The media session between the business and the relay never came up."],
    actions: ["Check the calling service's media setup (ICE, DTLS, relay address) and try again."],
    retryable: true,
  }),
];
