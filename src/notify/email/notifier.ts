// The email notifier: renders an alert (or a digest) and hands it to the shared mail transport, once per call.
import type { EmailChannelConfig } from "../../config/schema.js";
import type { NotifierContext } from "../context.js";
import type { Notifier } from "../types.js";
import { errorText } from "../types.js";
import { classifyMailError } from "./classify.js";
import { type RenderedEmail, renderDigestEmail, renderEmail } from "./render.js";
import { type AlertNotification, deliveryName, type Notification, type SendResult, isDigest } from "../../model/notification.js";

/** createEmailNotifier builds the notifier of one `type: email` channel named `name`. */
export function createEmailNotifier(
  name: string,
  channel: EmailChannelConfig,
  ctx: NotifierContext,
): Notifier {
  const transport = ctx.mail();
  let closed = false;
  return {
    type: "email",
    async send(n: Notification): Promise<SendResult> {
      let rendered: RenderedEmail;
      try {
        const mask = ctx.config.alerts.mask_phone_numbers;
        rendered = isDigest(n)
          ? renderDigestEmail(n.digest, n.channel, mask)
          : renderEmail(n.alert, n.channel, mask);
      } catch (err) {
        return { kind: "permanent", error: `rendering the email failed: ${errorText(err)}` };
      }
      try {
        const detail = await transport.send(
          {
            from: ctx.config.email.from,
            to: [...channel.to],
            ...(channel.cc && channel.cc.length > 0 ? { cc: [...channel.cc] } : {}),
            subject: rendered.subject,
            text: rendered.text,
            html: rendered.html,
            messageId: messageId(n),
            ...threading(n),
            headers: {
              ...(isDigest(n)
                ? { "X-Waba-Alerts-Digest-Id": n.digest.id }
                : { "X-Waba-Alerts-Alert-Id": n.alert.id, "X-Waba-Alerts-Rule": n.alert.rule.id }),
              "X-Waba-Alerts-Channel": name,
            },
          },
          fileStem(n),
        );
        return { kind: "ok", detail };
      } catch (err) {
        return classifyMailError(err);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      ctx.releaseMail();
    },
  };
}

function idPart(id: string): string {
  return id.replace(/[^A-Za-z0-9._-]+/g, "-");
}

function messageId(n: Notification): string {
  return `<${deliveryName(n, ".", idPart)}@waba-alerts>`;
}

/** threading puts a resolved email under its firing email: the firing's Message-ID on the same channel. */
function threading(n: Notification): { inReplyTo?: string; references?: string } {
  if (isDigest(n)) return {};
  return alertThreading(n);
}

function alertThreading(n: AlertNotification): { inReplyTo?: string; references?: string } {
  if (n.alert.type !== "alert.resolved" || n.alert.firing_id === undefined) return {};
  const firing = `<${idPart(n.alert.firing_id)}.${idPart(n.channel)}@waba-alerts>`;
  return { inReplyTo: firing, references: firing };
}

// Timestamp first so `ls outbox` lists mail in the order it was sent; unsafe characters become dashes.
function fileStem(n: Notification): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const safe = (s: string) => s.replace(/[^A-Za-z0-9_-]+/g, "-");
  return `${stamp}_${deliveryName(n, "_", safe)}`;
}
