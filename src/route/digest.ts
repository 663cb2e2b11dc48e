// Digest helpers: how many alerts a digest lists, and how an alert looks inside one.
import type { Alert } from "../model/alert.js";

/** DIGEST_MAX_ALERTS is how many alerts one digest lists in full; beyond it they are only counted. */
export const DIGEST_MAX_ALERTS = 1000;

/** digestItem is the alert as a digest keeps it: one sample, no processing internals. */
export function digestItem(alert: Alert): Alert {
  const { received_at: _received, ...rest } = alert;
  return { ...rest, samples: alert.samples.slice(0, 1) };
}
