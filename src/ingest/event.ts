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
  recipient_id?: string;
  message_id?: string;
  pricing?: { category?: string; billable?: boolean; pricing_model?: string; type?: string };
  conversation?: { id?: string; expiration_timestamp?: number; origin?: { type?: string } };
  biz_opaque_callback_data?: string;
  /** Account-level change facts. */
  event?: string;
  template?: { id?: string; name?: string; language?: string; category?: string; reason?: string };
  quality?: { previous?: string; new?: string };
  alert?: { severity?: string; type?: string; status?: string; description?: string };
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
