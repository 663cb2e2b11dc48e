// Built-in catalog entries for media files that could not be uploaded or downloaded (category "media").

import { type BuiltinEntry, META_ERROR_CODES_URL } from "./types.js";

const DOCS = META_ERROR_CODES_URL;

/** MEDIA_ENTRIES holds the built-in entries of category "media", sorted by code. */
export const MEDIA_ENTRIES: readonly BuiltinEntry[] = [
  {
    code: 131052,
    title: "Media download failed",
    category: "media",
    meaning: "Meta could not fetch a media file that a user sent to the business.",
    causes: ["The user's file is unsupported or corrupted."],
    actions: [
      "The inbound webhook's error_data.details explains why the download failed; start there.",
      "Have the user resend the file, or share it through a different channel.",
    ],
    retryable: false,
    retryNote: "Nothing to retry on the business side; the user has to send the file again.",
    docsUrl: DOCS,
    httpStatus: 400,
  },
  {
    code: 131053,
    title: "Media upload failed",
    category: "media",
    meaning:
      "Meta could not upload or process the media attached to an outbound message, so the message was not sent. " +
      "The file itself, or the way it is hosted, needs fixing.",
    causes: [
      "WhatsApp does not accept the file's MIME type or format for this message type.",
      "The file is larger than its media type allows.",
      "The media URL is unreachable, too slow, or does not return the file.",
    ],
    actions: [
      "Read error_data.details on the failure; it usually names the exact problem.",
      "Check the file's MIME type and size against WhatsApp's supported media list; convert or compress it if needed.",
      "Upload the media to Meta first and send it by media ID rather than by link.",
      "If you send by link, make sure the URL is public, fast, and served with the correct Content-Type and caching headers.",
    ],
    retryable: false,
    retryNote: "Only once the file or its hosting has been fixed.",
    docsUrl: DOCS,
    httpStatus: 400,
  },
];
