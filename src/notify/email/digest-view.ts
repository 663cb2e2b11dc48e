// The view model of a digest email: subject, summary, one row per alert, guidance once per error code.
import {
  digestGuides,
  digestHeadline,
  digestLabel,
  digestRows,
  type DigestRow,
  unlisted,
} from "../digest-present.js";
import { readableTime } from "../present.js";
import { ACCENTS } from "./view.js";
import type { Digest } from "../../model/notification.js";
import { moreCount } from "../../model/notification.js";

/** DigestEmailView is what DIGEST_HTML_TEMPLATE and DIGEST_TEXT_TEMPLATE see. */
export interface DigestEmailView {
  subject: string;
  label: string;
  accent: string;
  title: string;
  summary: string;
  rows: DigestRow[];
  unlisted: number;
  guides: {
    heading: string;
    meaning?: string;
    actions: { number: number; text: string }[];
    docs_url?: string;
  }[];
  grouped_by: string;
  digest_id: string;
  channel: string;
  sent_at: string;
}

/** buildDigestEmailView turns a digest for `channel` into the templates' view; `mask` follows `alerts.mask_phone_numbers`. */
export function buildDigestEmailView(
  digest: Digest,
  channel: string,
  mask: boolean,
  now: Date = new Date(),
): DigestEmailView {
  const label = digestLabel(digest);
  const more = moreCount(digest);
  const first = digest.sent_at_once
    ? "; the first alert of the interval was sent on its own and is listed too"
    : "";
  const accent =
    label === "RESOLVED"
      ? ACCENTS.resolved
      : (ACCENTS[label.toLowerCase() as keyof typeof ACCENTS] ?? ACCENTS.warning);
  return {
    subject: digestHeadline(digest),
    label,
    accent,
    title: `${more} more ${more === 1 ? "alert" : "alerts"}${digest.alert_type === "alert.resolved" ? " resolved" : ""}`,
    summary: `Between ${readableTime(digest.from)} and ${readableTime(digest.to)}${first}.`,
    rows: digestRows(digest, mask),
    unlisted: unlisted(digest),
    guides: digestGuides(digest).map((g) => ({
      heading: g.heading,
      ...(g.meaning ? { meaning: g.meaning } : {}),
      actions: g.actions.map((text, i) => ({ number: i + 1, text })),
      ...(g.docs_url ? { docs_url: g.docs_url } : {}),
    })),
    grouped_by:
      Object.entries(digest.group)
        .map(([k, v]) => `${k} = ${v}`)
        .join(", ") || "channel",
    digest_id: digest.id,
    channel,
    sent_at: readableTime(now.toISOString()),
  };
}
