// The Event: one fact-bag per error, status or account change, the value that crosses ingest → evaluate.

/** EventKind names what an event is; account-level changes use the webhook field name itself. */
export type EventKind = "status" | "status_error" | "system_error" | "message_error" | (string & {});

/**
 * Event is one normalized happening with the facts of SPEC.md "Events". Absent facts are left out
 * (never null) so `fact: code` conditions behave the same for every source.
 */
export interface Event {
  /** Stable id: the same Meta delivery normalized twice yields the same id. */
  id: string;
  source: string;
  kind: EventKind;
  /** Event time, unix seconds. */
  timestamp: number;
  code?: number;
  title?: string;
  message?: string;
  details?: string;
  href?: string;
  status?: string;
  waba_id?: string;
  phone_number_id?: string;
  display_phone_number?: string;
  /** The user's phone number (a group id for group sends); absent when Meta sends an empty one. */
  recipient_id?: string;
  /** The user's business-scoped user id (BSUID) and its parent BSUID, when Meta sends them. */
  recipient_user_id?: string;
  recipient_parent_user_id?: string;
  /** The best stable identity of the user: recipient_id when Meta sends one, else recipient_user_id. */
  recipient?: string;
  /** Group sends: `group`, and the group member the status is about. */
  recipient_type?: string;
  recipient_participant_id?: string;
  recipient_participant_user_id?: string;
  recipient_participant_parent_user_id?: string;
  message_id?: string;
  pricing?: { category?: string; billable?: boolean; pricing_model?: string; type?: string };
  conversation?: { id?: string; expiration_timestamp?: number; origin?: { type?: string } };
  biz_opaque_callback_data?: string;
  /** Account-level change facts. */
  event?: string;
  decision?: string;
  reason?: string;
  requested_name?: string;
  template?: {
    id?: string;
    name?: string;
    language?: string;
    category?: string;
    previous_category?: string;
    correct_category?: string;
    reason?: string;
    pause?: string;
  };
  rejection?: { reason?: string; recommendation?: string };
  quality?: { previous?: string; new?: string };
  limit?: { previous?: string; current?: string; change?: string };
  ban?: { state?: string; date?: string };
  violation?: { type?: string };
  restriction?: { types?: string[]; expiration?: number };
  alert?: { severity?: string; type?: string; status?: string; description?: string };
  flow?: {
    id?: string;
    status?: string;
    previous_status?: string;
    alert_state?: string;
    error_rate?: number;
    threshold?: number;
    p90_latency?: number;
    availability?: number;
    error_types?: string[];
    message?: string;
  };
  call?: { id?: string; direction?: string; duration?: number };
  preference?: { category?: string; value?: string };
  history?: { phase?: number; chunk_order?: number; progress?: number };
  solution?: { id?: string; status?: string };
  /** The change's raw `value` for account-level fields, so rules can reach anything Meta sends. */
  value?: Record<string, unknown>;
  /** Filled by the evaluate stage from the catalog, never by ingest. */
  catalog?: { category?: string; retryable?: boolean };
  /** Any further facts a generic source sends. */
  [fact: string]: unknown;
}

/** EventBatch is one queue job: every event of one accepted request, enqueued together. */
export interface EventBatch {
  /** When the request was accepted, unix milliseconds (alert latency is measured from here). */
  received_at: number;
  events: Event[];
}

/**
 * STRING_FACTS are the facts that are strings for every source (Meta sends them so; ingest makes them so):
 * a number written for one of them (a generic event, a rule test) is turned into its string, or
 * `{ phone_number_id: "…" }` rules would miss it. `id` stays as given.
 */
export const STRING_FACTS: ReadonlySet<string> = new Set([
  "source",
  "kind",
  "status",
  "waba_id",
  "phone_number_id",
  "display_phone_number",
  "recipient_id",
  "recipient_user_id",
  "recipient_parent_user_id",
  "recipient",
  "message_id",
  "biz_opaque_callback_data",
  "event",
]);
