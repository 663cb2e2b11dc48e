// All built-in error-code entries, gathered from the per-category data files.

import { AUTH_ENTRIES } from "./entries-auth.js";
import { CALLING_ENTRIES } from "./entries-calling.js";
import { INTEGRITY_ENTRIES } from "./entries-integrity.js";
import { MEDIA_ENTRIES } from "./entries-media.js";
import { PAYMENT_ENTRIES } from "./entries-payment.js";
import { RECIPIENT_ENTRIES } from "./entries-recipient.js";
import { REGISTRATION_ENTRIES } from "./entries-registration.js";
import { REQUEST_ENTRIES } from "./entries-request.js";
import { SYSTEM_ENTRIES } from "./entries-system.js";
import { TEMPLATE_ENTRIES } from "./entries-template.js";
import { TEMPLATE_MANAGEMENT_ENTRIES } from "./entries-template-management.js";
import { THROTTLING_ENTRIES } from "./entries-throttling.js";
import type { BuiltinEntry } from "./types.js";

/**
 * BUILTIN_ENTRIES holds one entry per documented WhatsApp error code, sorted by code. The facts (codes,
 * HTTP statuses, retryability, limits) follow Meta's documentation as collected in the project's research
 * notes, plus the codes real webhook traffic carries beyond that table (calling, history sync); the wording
 * is ours. Codes that Meta's main table does not list still link to that table or to the page that lists them.
 */
export const BUILTIN_ENTRIES: readonly BuiltinEntry[] = [
  ...AUTH_ENTRIES,
  ...THROTTLING_ENTRIES,
  ...INTEGRITY_ENTRIES,
  ...TEMPLATE_ENTRIES,
  ...TEMPLATE_MANAGEMENT_ENTRIES,
  ...MEDIA_ENTRIES,
  ...PAYMENT_ENTRIES,
  ...RECIPIENT_ENTRIES,
  ...SYSTEM_ENTRIES,
  ...REQUEST_ENTRIES,
  ...REGISTRATION_ENTRIES,
  ...CALLING_ENTRIES,
].sort((a, b) => a.code - b.code);
