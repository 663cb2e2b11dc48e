// What every normalizer of one `entry[].changes[]` item knows about where that change sits in the body.

/** ChangeContext is the position and envelope facts of one change, shared by the field normalizers. */
export interface ChangeContext {
  /** The field this change is routed as (after correcting Meta's mislabelled examples). */
  readonly field: string;
  /** The `source` fact of every event of this body: `whatsapp`, or the relay's name. */
  readonly source: string;
  /** entry.id: the WABA id. */
  readonly wabaId: string | undefined;
  /** entry.time in unix seconds (already converted from Gupshup's milliseconds), when present. */
  readonly entryTime: number | undefined;
  /** Seconds at which the request was accepted: the last-resort event time. */
  readonly receivedAt: number;
  /**
   * SHA-256 of the raw body, for ids of things that have no identity of their own; a function so that
   * the (rare) bodies that need it pay for hashing, not every request.
   */
  readonly bodyHash: () => string;
  readonly entryIndex: number;
  readonly changeIndex: number;
}

/** SOURCE_WHATSAPP is the `source` fact of every event taken from a Meta webhook body. */
export const SOURCE_WHATSAPP = "whatsapp";
