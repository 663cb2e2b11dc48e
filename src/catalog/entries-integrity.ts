// Built-in catalog entries for policy enforcement: restricted, locked or country-limited accounts (category "integrity").

import { type BuiltinEntry, META_ERROR_CODES_URL } from "./types.js";

const DOCS = META_ERROR_CODES_URL;

/** INTEGRITY_ENTRIES holds the built-in entries of category "integrity", sorted by code. */
export const INTEGRITY_ENTRIES: readonly BuiltinEntry[] = [
  {
    code: 368,
    title: "Blocked for policy violations",
    category: "integrity",
    meaning:
      "Meta has restricted or disabled the WhatsApp Business Account behind the app because it broke a platform policy.",
    causes: ["Meta took an enforcement action against the WABA."],
    actions: [
      "Open Business Support Home to see the violation and how long the restriction lasts.",
      "Read Meta's policy enforcement guidance and request a review if the decision looks wrong.",
      "Follow the account's status through its account_update webhooks, in particular ACCOUNT_RESTRICTION and DISABLED_UPDATE events.",
    ],
    retryable: false,
    retryNote: "Sending stays blocked until Meta lifts the restriction.",
    docsUrl: DOCS,
    httpStatus: 403,
  },
  {
    code: 130497,
    title: "Messaging to this country restricted",
    category: "integrity",
    meaning: "The business account is not allowed to message users in the recipient's country.",
    causes: [
      "Meta's policy or the business's category bars sending to that country.",
      "Seen in practice with unverified businesses or US test numbers writing to users in Brazil or Indonesia.",
    ],
    actions: [
      "Check the WhatsApp Business Messaging Policy for the countries your business may reach.",
      "Complete business verification, or send from a number registered in the destination country.",
    ],
    retryable: false,
    retryNote: "Messages to that country fail until the restriction is changed.",
    docsUrl: DOCS,
    httpStatus: 403,
  },
  {
    code: 131031,
    title: "Account locked",
    category: "integrity",
    meaning:
      "The WhatsApp Business Account is locked: Meta either restricted or disabled it for a policy violation, or " +
      "could not match data in the request (such as the two-step verification PIN) to the account. Sending stays " +
      "blocked until the cause is dealt with.",
    causes: [
      "Meta restricted or disabled the WABA after policy violations.",
      "The two-step verification PIN in the request differs from the one set on the number.",
      "Other data in the request does not match what Meta holds for the account.",
    ],
    actions: [
      "Open Business Support Home to see whether a violation is listed, and request a review if it looks wrong.",
      "Read the health_status field through the Health Status API to learn which asset is blocked and why.",
      "If a PIN was involved, find the correct two-step verification PIN, or reset it by turning two-step verification off and setting a new one.",
      "Tell the account owner, pause campaigns on this WABA and watch account_update webhooks for the outcome.",
    ],
    retryable: false,
    retryNote: "Sending stays blocked while the account is locked, and retries only add failures.",
    docsUrl: DOCS,
    httpStatus: 403,
  },
];
