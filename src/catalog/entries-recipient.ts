// Built-in catalog entries for messages that could not reach one particular recipient (category "recipient").

import { type BuiltinEntry, META_ERROR_CODES_URL } from "./types.js";

const DOCS = META_ERROR_CODES_URL;

/** RECIPIENT_ENTRIES holds the built-in entries of category "recipient", sorted by code. */
export const RECIPIENT_ENTRIES: readonly BuiltinEntry[] = [
  {
    code: 130472,
    title: "Recipient is in a marketing experiment",
    category: "recipient",
    meaning:
      "Meta deliberately held this marketing message back because the recipient sits in the holdout group of a Meta " +
      "marketing-message experiment. It is expected behaviour, not a fault in your setup.",
    causes: [
      "Meta placed the recipient in the holdout group of its experiment.",
      "The message was a marketing template, the kind of message the experiment withholds.",
      "Large campaigns reach more users, so more of them fall into holdout groups.",
    ],
    actions: [
      "Do not resend to this user; the message would be withheld again.",
      "Leave 130472 out of delivery-failure rates and alarms, or track it as a metric of its own.",
      "Read Meta's Marketing Message Experiment documentation to understand how users are chosen.",
      "Escalate only if its share jumps sharply for one campaign compared with others.",
    ],
    retryable: false,
    retryNote: "The holdout is intentional and a resend is withheld again.",
    docsUrl: DOCS,
    httpStatus: 400,
  },
  {
    code: 131021,
    title: "Recipient is the sender",
    category: "recipient",
    meaning: "The message was addressed to the very number that is sending it.",
    causes: ["The `to` field holds the business's own phone number."],
    actions: ["Send to the customer's number instead, and check how the integration fills in the recipient."],
    retryable: false,
    retryNote: "Pick a recipient other than the sending number.",
    docsUrl: DOCS,
    httpStatus: 400,
  },
  {
    code: 131026,
    title: "Message undeliverable",
    category: "recipient",
    meaning:
      "WhatsApp could not get the message onto the recipient's device. Usually the number has no usable WhatsApp " +
      "account; Meta does not say which of the possible reasons applies.",
    causes: [
      "The number is not on WhatsApp, for example because it is mistyped or a landline.",
      "The recipient has not accepted WhatsApp's latest Terms of Service and Privacy Policy.",
      "The recipient's WhatsApp app is too old to receive this kind of message.",
      "Older Meta documentation and some BSPs also name authentication templates to Indian (+91) users and quality-related holds.",
    ],
    actions: [
      "Check that the number is stored in full international format with the right country code.",
      "Reach the user through another channel (SMS, email, phone) and ask them to update WhatsApp, accept the current terms and confirm they can message your business.",
      "Stop sending to this number until the user confirms, so failures do not pile up.",
      "If many different recipients fail at once, look for a formatting bug in the contact list or its import.",
    ],
    retryable: false,
    retryNote: "Resends to this user keep bouncing until they fix their WhatsApp on their own side.",
    docsUrl: DOCS,
    httpStatus: 400,
  },
  {
    code: 131030,
    title: "Recipient not on the test allow-list",
    category: "recipient",
    meaning: "Test numbers may only message a short list of approved recipients, and this one is not on it.",
    causes: ["The test number's recipient list in the App Dashboard does not include this user."],
    actions: [
      "Put the user on the test number's recipient list in the App Dashboard, or switch to a real production number.",
    ],
    retryable: false,
    retryNote: "Put the recipient on the test number's approved recipients first.",
    docsUrl: DOCS,
    httpStatus: null,
  },
  {
    code: 131047,
    title: "Customer service window closed",
    category: "recipient",
    meaning:
      "The user last wrote to the business more than 24 hours ago, so free-form messages are no longer allowed.",
    causes: [
      "The user's last message to the business is more than 24 hours old.",
      "A free-form reply (text, media) was queued and only sent after the window had closed.",
      "The integration sends follow-ups as free-form messages instead of templates.",
    ],
    actions: [
      "Reach the user with an approved template; templates are allowed outside the window.",
      "Or wait until the user writes again, which reopens the window.",
      "Make the sender check the time of the user's last inbound message before choosing free-form text.",
    ],
    retryable: false,
    retryNote: "A free-form message cannot go out until the user writes again. Use a template instead.",
    docsUrl: DOCS,
    httpStatus: 400,
  },
  {
    code: 131049,
    title: "Meta chose not to deliver",
    category: "recipient",
    meaning:
      "Meta held this marketing message back to protect the user's experience, typically because the user has had " +
      "their share of marketing messages or rarely engages with them. It cannot be fixed message by message.",
    causes: [
      "The recipient reached Meta's per-user limit on marketing templates.",
      "The recipient seldom reads or reacts to marketing messages from businesses.",
      "The recipient has a US (+1) phone number: since 1 April 2025 Meta withholds every marketing template sent to those.",
    ],
    actions: [
      "Do not resend to this user for at least 24 hours; sooner attempts fail the same way.",
      "Send marketing to each user less often and aim it at users who engage.",
      "Remove US (+1) numbers from marketing template campaigns.",
      "Consider the Marketing Messages API for marketing traffic.",
      "Break the failures down by campaign (biz_opaque_callback_data) to find campaigns with poor engagement.",
    ],
    retryable: false,
    retryNote: "Not to this user for at least 24 hours; a quick resend is withheld the same way.",
    docsUrl: DOCS,
    httpStatus: 400,
  },
  {
    code: 131050,
    title: "User stopped marketing messages",
    category: "recipient",
    meaning: "The user used WhatsApp's controls to stop receiving this business's marketing messages.",
    causes: [
      "The user chose to stop marketing messages from the business.",
      "Marketing is sent too often or is not relevant enough to that user.",
    ],
    actions: [
      "Remove the user from marketing audiences.",
      "Subscribe to the user_preferences webhook to learn about opt-outs and opt-ins as they happen.",
      "Keep sending utility and authentication messages the user still expects; only marketing is blocked.",
    ],
    retryable: false,
    retryNote: "Put the user on a marketing suppression list until they opt in again; do not retry.",
    docsUrl: DOCS,
    httpStatus: 400,
  },
  {
    code: 131062,
    title: "Business-scoped user ID not allowed",
    category: "recipient",
    meaning:
      "Authentication messages have to go to a phone number; a business-scoped user ID cannot receive them.",
    causes: ["An authentication template was addressed to a business-scoped user ID."],
    actions: ["Use the user's phone number as the recipient instead."],
    retryable: false,
    retryNote: "Resend with the user's phone number as the recipient.",
    docsUrl:
      "https://developers.facebook.com/documentation/business-messaging/whatsapp/business-scoped-user-ids",
    httpStatus: null,
  },
  {
    code: 137000,
    title: "Recipient identity changed",
    category: "recipient",
    meaning:
      "You asked Meta to check that the recipient is still the same person, and the check failed: their identity " +
      "key changed, typically because they reinstalled WhatsApp or moved to a new phone. Meta withheld the message.",
    causes: ["The recipient_identity_key_hash sent with the message no longer matches the user's identity."],
    actions: ["Confirm the user's identity again, then resend with the new hash or without one."],
    retryable: false,
    retryNote: "Confirm the user's identity again before resending.",
    docsUrl:
      "https://developers.facebook.com/documentation/business-messaging/whatsapp/business-phone-numbers/phone-numbers",
    httpStatus: null,
  },
];
