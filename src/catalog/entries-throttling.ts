// Built-in catalog entries for rate limits: API call budgets, throughput, spam and pair limits (category "throttling").

import { type BuiltinEntry, META_ERROR_CODES_URL } from "./types.js";

const DOCS = META_ERROR_CODES_URL;

/** THROTTLING_ENTRIES holds the built-in entries of category "throttling", sorted by code. */
export const THROTTLING_ENTRIES: readonly BuiltinEntry[] = [
  {
    code: 4,
    title: "Too many API calls",
    category: "throttling",
    meaning: "The app made more Graph API calls than its rate limit allows and is being throttled.",
    causes: ["A burst of calls from the app, such as a tight polling loop or an unpaced batch job."],
    actions: [
      "Open Application Rate Limit in the App Dashboard to see how close to the limit the app runs.",
      "Back off, spread calls out over time and cache answers you fetch repeatedly.",
    ],
    retryable: true,
    retryNote: "Once the app's call rate has dropped; back off exponentially meanwhile.",
    docsUrl: DOCS,
    httpStatus: 400,
  },
  {
    code: 80007,
    title: "WABA rate limit reached",
    category: "throttling",
    meaning: "The WhatsApp Business Account has used up its budget of management API calls for now.",
    causes: [
      "Too many calls to the WABA's endpoints; the budget is 200 requests an hour per app and WABA, 5,000 once the WABA has a registered number.",
    ],
    actions: [
      "Back off and poll WABA endpoints less often.",
      "Subscribe to webhooks instead of polling for changes.",
    ],
    retryable: true,
    retryNote: "After backing off until the WABA's call budget refills.",
    docsUrl: DOCS,
    httpStatus: 400,
  },
  {
    code: 130429,
    title: "Throughput limit hit",
    category: "throttling",
    meaning:
      "The business number is sending faster than its messages-per-second allowance, so Cloud API refused the excess.",
    causes: [
      "Sending above the number's throughput: 80 messages per second by default, 1,000 after an upgrade, 20 for numbers shared with the WhatsApp Business app.",
      "A large campaign was released all at once instead of being paced.",
      "Several workers or services send from the same number without a shared rate limiter.",
    ],
    actions: [
      "Queue outbound messages and pace them per phone_number_id below the number's limit.",
      "Retry the refused messages later with backoff.",
      "Remember that incoming and outgoing messages both count toward the limit.",
    ],
    retryable: true,
    retryNote: "Once the number's send rate is back under its throughput allowance.",
    docsUrl: DOCS,
    httpStatus: 400,
  },
  {
    code: 131048,
    title: "Spam rate limit hit",
    category: "throttling",
    meaning:
      "WhatsApp is capping how much this phone number may send because too many recent recipients blocked it or " +
      "reported it as spam. It is a quality signal about the number, and it gets worse if sending goes on at the same pace.",
    causes: [
      "A high share of recipients blocked the number or reported its messages as spam.",
      "Low-quality or irrelevant templates, often marketing content sent to a broad audience.",
      "Messages to people who never opted in, or whose opt-in is old or unclear.",
      "Writing to the same audience too often.",
    ],
    actions: [
      "Check the number's quality rating and the affected templates' quality in WhatsApp Manager.",
      "Slow down or pause campaigns from this number, starting with the audience that triggered the blocks.",
      "Review opt-in: send only to users who clearly agreed to hear from you, and make opting out easy.",
      "Review template content for relevance; rework or retire templates with a poor quality rating.",
      "Resume gradually once the quality rating has recovered, and watch for new 131048 errors.",
    ],
    retryable: false,
    retryNote: "Pointless right now; let the number's quality rating recover before resuming.",
    docsUrl: DOCS,
    httpStatus: 400,
  },
  {
    code: 131056,
    title: "Pair rate limit hit",
    category: "throttling",
    meaning:
      "This business number wrote to one particular user too often within a few seconds, so Meta throttles that single conversation; other recipients are unaffected.",
    causes: [
      "More than about one message every 6 seconds to the same user; bursts of up to 45 are tolerated but borrow from future quota.",
      "A bot or integration sends several messages in a row to answer one user.",
      "A sending loop or a retry bug keeps firing at the same recipient.",
    ],
    actions: [
      "Hold further messages to that user and back off exponentially (Meta proposes 4^X seconds, with X growing per attempt).",
      "Keep messages to other users flowing; they are not affected.",
      "Merge rapid-fire messages to one user into fewer, longer ones.",
    ],
    retryable: true,
    retryNote: "Only this user is throttled: wait, then try them again with growing delays.",
    docsUrl: DOCS,
    httpStatus: 400,
  },
  {
    code: 131064,
    title: "Limited for template category violations",
    category: "throttling",
    meaning:
      "The account's messaging has been capped because its templates were repeatedly filed under the wrong category; " +
      "template and free-form sends are both affected.",
    causes: ["Templates keep being miscategorised, for example promotional content submitted as utility."],
    actions: [
      "Correct the category of the offending templates.",
      "Lower sending volume until the cap is lifted.",
    ],
    retryable: false,
    retryNote:
      "Meta's main error table does not list it; treat it as permanent until someone has looked into it.",
    docsUrl: DOCS,
    httpStatus: null,
  },
  {
    code: 133016,
    title: "Register/deregister rate limit",
    category: "throttling",
    meaning:
      "The number was registered or deregistered too many times in a short period and is blocked for a while.",
    causes: ["Repeated register or deregister calls for the same number."],
    actions: [
      "Stop automated registration attempts for this number.",
      "Wait until the block expires; the limitations section of Meta's registration docs explains the rules.",
    ],
    retryable: true,
    retryNote: "Wait out the block first; a retry before it lifts is refused.",
    docsUrl: DOCS,
    httpStatus: 400,
  },
];
