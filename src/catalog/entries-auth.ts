// Built-in catalog entries for credential and permission errors: tokens, scopes, assets not shared with the app (category "auth").

import { type BuiltinEntry, META_ERROR_CODES_URL } from "./types.js";

const DOCS = META_ERROR_CODES_URL;

/** AUTH_ENTRIES holds the built-in entries of category "auth", sorted by code. */
export const AUTH_ENTRIES: readonly BuiltinEntry[] = [
  {
    code: 0,
    title: "Authentication failed",
    category: "auth",
    meaning:
      "Meta rejected the credentials the app called with, so nothing sent with this access token goes through.",
    causes: [
      "The token reached its expiry date, or something (a password change, a revoked session) killed it early.",
      "The user or business changed a setting that no longer lets the app act for it.",
    ],
    actions: [
      "Generate a new access token (preferably a system-user token that does not expire) and deploy it.",
      "Pause sending on this credential and tell the tenant or BSP team that owns it.",
      "Paste the old token into the Access Token Debugger to see why it stopped working.",
    ],
    retryable: false,
    retryNote: "Pointless with this token: every call fails until a new one is deployed.",
    docsUrl: DOCS,
    httpStatus: 401,
  },
  {
    code: 3,
    title: "Endpoint not allowed for this token",
    category: "auth",
    meaning: "The token used lacks the capability or permission that the called endpoint requires.",
    causes: ["The token was issued without the permission this endpoint needs."],
    actions: [
      "Paste the token into Meta's Access Token Debugger and see which permissions it carries.",
      "Add the missing scope (whatsapp_business_messaging for sending, whatsapp_business_management for account calls) and mint a fresh token.",
    ],
    retryable: false,
    retryNote: "The call fails every time until the token carries the right permission.",
    docsUrl: DOCS,
    httpStatus: 500,
  },
  {
    code: 10,
    title: "Permission denied",
    category: "auth",
    meaning: "The app is missing a permission it needs: it was never granted, or it has been taken away.",
    causes: [
      "Nobody granted the app this permission, or someone removed it later.",
      "The app or phone number does not meet the eligibility rules of the API being called.",
      "Flows: the business public key was set from a phone number that Meta has not allowlisted.",
    ],
    actions: [
      "Paste the token into the Access Token Debugger and compare its scopes with what the call needs.",
      "Confirm the app and number meet the eligibility requirements of the API in use.",
    ],
    retryable: false,
    retryNote: "Nothing changes until the permission or eligibility gap is closed.",
    docsUrl: DOCS,
    httpStatus: 403,
  },
  {
    code: 190,
    title: "Access token expired",
    category: "auth",
    meaning: "The access token the app sent is past its expiry, so every call made with it fails.",
    causes: [
      "A short-lived user token or temporary token reached its expiry time.",
      "The token was rotated or revoked.",
    ],
    actions: [
      "Generate a replacement token, ideally a non-expiring one belonging to a system user, and roll it out.",
      "Treat it as an outage: every send using this credential fails until the token is replaced.",
      "Track token expiry dates so the next one is renewed before it lapses.",
    ],
    retryable: false,
    retryNote: "Only with a freshly issued token; the expired one never works again.",
    docsUrl: DOCS,
    httpStatus: 401,
  },
  {
    code: 200,
    codeRange: [200, 299],
    title: "API permission missing",
    category: "auth",
    meaning:
      "Any code from 200 to 299 says the app lacks a permission for the call, never granted or since removed.",
    causes: [
      "The token was generated without the permission this call needs.",
      "An admin removed the permission from the app, or the system user lost its role on the WABA.",
      "The business changed which assets are shared with the app.",
    ],
    actions: [
      "Look the token up in Meta's Access Token Debugger, then add whichever permission it lacks.",
      "In Business Settings, confirm the system user still has full control of the WABA and the phone number.",
      "Generate a token with the needed permissions and roll it out to every sender that uses it.",
    ],
    retryable: false,
    retryNote: "Calls keep failing until the permission is granted back.",
    docsUrl: DOCS,
    httpStatus: 403,
  },
  {
    code: 131005,
    title: "Access denied",
    category: "auth",
    meaning:
      "Cloud API refused the call because the app has no permission, or no longer has it, for this asset.",
    causes: [
      "The token is missing a permission the call requires.",
      "The app lost access because the WABA or the phone number was unshared from it.",
    ],
    actions: [
      "Paste the token into the Access Token Debugger and compare its scopes with what the call needs.",
      "Share the WABA and phone number with the app again in Business Manager.",
    ],
    retryable: false,
    retryNote: "Calls fail until the app's access to the asset is restored.",
    docsUrl: DOCS,
    httpStatus: 403,
  },
];
