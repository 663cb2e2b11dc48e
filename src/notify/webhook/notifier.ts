// The webhook notifier: one signed POST per call (an alert or a digest), its answer classified; retrying is the worker's job.
import type { WebhookChannelConfig } from "../../config/schema.js";
import type { NotifierContext } from "../context.js";
import { digestHeadline } from "../digest-present.js";
import { headline } from "../present.js";
import type { Notifier } from "../types.js";
import { errorText } from "../types.js";
import { buildDigestBody, buildWebhookBody } from "./body.js";
import { signBody } from "../../shared/hmac.js";
import { classifyFetchError, classifyResponse, MAX_REASON_BODY } from "./classify.js";
import { chatPayload } from "./formats.js";
import { chatDigestPayload } from "./formats-digest.js";
import { compileWebhookTemplate } from "./template.js";
import { USER_AGENT } from "./user-agent.js";
import { deliveryName, type Notification, type SendResult, isDigest } from "../../model/notification.js";

/** SIGNATURE_HEADER carries `sha256=<hex HMAC-SHA256 of the body bytes>` keyed by the channel secret. */
export const SIGNATURE_HEADER = "X-Waba-Alerts-Signature";


/**
 * idempotencyKey is the same for every attempt at one alert (or one digest) on one channel, so receivers
 * can drop repeats.
 */
export function idempotencyKey(n: Notification): string {
  return deliveryName(n, "-");
}

/** createWebhookNotifier builds the notifier of one `type: webhook` channel named `name`. */
export function createWebhookNotifier(
  _name: string,
  channel: WebhookChannelConfig,
  ctx: NotifierContext,
): Notifier {
  const timeoutMs = ctx.settings.channels[_name]?.timeoutMs ?? 10_000;
  const template = channel.template === undefined ? undefined : compileLazily(channel.template);
  const mask = ctx.config.alerts.mask_phone_numbers;

  const render = (n: Notification): string => {
    if (isDigest(n)) {
      const body = buildDigestBody(n.digest, mask);
      if (template) return template()({ ...body, channel: n.channel, headline: digestHeadline(n.digest) });
      if (channel.format === "json") return JSON.stringify(body);
      return JSON.stringify(chatDigestPayload(channel.format, n.digest, mask));
    }
    const body = buildWebhookBody(n.alert, mask);
    if (template) return template()({ ...body, channel: n.channel, headline: headline(n.alert) });
    if (channel.format === "json") return JSON.stringify(body);
    return JSON.stringify(chatPayload(channel.format, n.alert));
  };

  return {
    type: "webhook",
    async send(n: Notification): Promise<SendResult> {
      let body: string;
      try {
        body = render(n);
      } catch (err) {
        return { kind: "permanent", error: `rendering the webhook body failed: ${errorText(err)}` };
      }
      const headers: Record<string, string> = {
        ...channel.headers,
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "Idempotency-Key": idempotencyKey(n),
      };
      if (channel.secret) headers[SIGNATURE_HEADER] = signBody(body, channel.secret);
      try {
        const res = await fetch(channel.url, {
          method: "POST",
          headers,
          body,
          // A redirect would re-send the body, its signature and the channel's headers to another address.
          redirect: "manual",
          signal: AbortSignal.timeout(timeoutMs),
        });
        const head = res.ok ? "" : await bodyHead(res, MAX_REASON_BODY);
        if (res.ok) await res.body?.cancel();
        return classifyResponse(res.status, res.headers.get("retry-after"), head);
      } catch (err) {
        return classifyFetchError(err, timeoutMs);
      }
    },
    close: async () => {},
  };
}

/**
 * bodyHead reads at most `max` bytes of an answer's body and lets go of the rest: a receiver cannot make us
 * buffer a huge error page. A body longer than `max` comes back empty (it is no short reason anyway).
 */
async function bodyHead(res: Response, max: number): Promise<string> {
  const reader = res.body?.getReader();
  if (!reader) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
      if (size > max) return "";
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return Buffer.concat(chunks).toString("utf8");
}

// A broken template must not stop start-up (other channels still work): it fails its sends, permanently.
function compileLazily(source: string): () => ReturnType<typeof compileWebhookTemplate> {
  let compiled: ReturnType<typeof compileWebhookTemplate> | undefined;
  return () => {
    compiled ??= compileWebhookTemplate(source);
    return compiled;
  };
}
