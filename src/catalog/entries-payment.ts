// Built-in catalog entries for billing and WhatsApp Payments problems (category "payment").

import { CALLING_DOCS_URL } from "./entries-calling.js";
import { type BuiltinEntry, META_ERROR_CODES_URL } from "./types.js";

const DOCS = META_ERROR_CODES_URL;

/** PAYMENT_ENTRIES holds the built-in entries of category "payment", sorted by code. */
export const PAYMENT_ENTRIES: readonly BuiltinEntry[] = [
  {
    code: 131042,
    title: "Business payment issue",
    category: "payment",
    meaning:
      "Meta will not send chargeable messages for this WABA because something is wrong with its billing setup. " +
      "Every paid message on the account is affected, so treat it as an outage.",
    causes: [
      "No payment method or payment account is attached to the WABA.",
      "The credit line is over its limit or no longer active.",
      "The WABA itself no longer exists or Meta has suspended it.",
      "The account's time zone or currency was never set.",
      "A Messaging For (on-behalf-of) request is still pending or was turned down.",
    ],
    actions: [
      "Open billing in Business Manager (or your BSP's billing console) and check the payment method and credit line of this WABA.",
      "Alert finance or the BSP account manager: a failed card or exhausted credit line needs someone with billing rights.",
      "Confirm the WABA's time zone and currency are set and that the account is not suspended.",
      "Once billing is fixed, send one test message before releasing queued campaigns.",
    ],
    retryable: false,
    retryNote: "Hold messages until billing is repaired rather than retrying them.",
    docsUrl: DOCS,
    httpStatus: 400,
  },
  {
    code: 134011,
    title: "Payments terms not accepted",
    category: "payment",
    meaning: "The WABA has not yet accepted the WhatsApp Payments terms of service, so the send was refused.",
    causes: [
      "Nobody with admin rights has accepted the WhatsApp Payments terms for this WABA yet.",
      "Payments were switched on for a new WABA or a new market without finishing its setup.",
    ],
    actions: [
      "Follow the link included in the error text, signed in as an admin, and agree to the Payments terms.",
      "Hold payment messages for this WABA until the terms are accepted, then send one test payment message.",
    ],
    retryable: false,
    retryNote: "The Payments terms have to be accepted first.",
    docsUrl: DOCS,
    httpStatus: 400,
  },
  {
    code: 131044,
    title: "No valid payment method for calls",
    category: "payment",
    meaning:
      "A user called the business, but the WABA has no valid payment method, so Meta reports the call as an error.",
    causes: ["The WABA has no payment method attached, or the one attached is no longer valid."],
    actions: ["Attach a valid payment method to the WABA in Business Manager → Billing."],
    retryable: false,
    retryNote: "Calls keep failing until billing is fixed.",
    docsUrl: CALLING_DOCS_URL,
    httpStatus: 400,
  },
];
