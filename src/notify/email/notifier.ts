// The email notifier: renders an alert and hands it to the shared mail transport, exactly once per call.
import type { EmailChannelConfig } from "../../config/schema.js";
import type { NotifierContext } from "../context.js";
import type { Notification, Notifier, SendResult } from "../types.js";
import { errorText } from "../types.js";
import { classifyMailError } from "./classify.js";
import { type RenderedEmail, renderEmail } from "./render.js";

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
        rendered = renderEmail(n.alert, n.channel, ctx.config.alerts.mask_phone_numbers);
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
              "X-Waba-Alerts-Alert-Id": n.alert.id,
              "X-Waba-Alerts-Rule": n.alert.rule.id,
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
  const kind = n.alert.type === "alert.resolved" ? ".resolved" : "";
  return `<${idPart(n.alert.id)}${kind}.${idPart(n.channel)}@waba-alerts>`;
}

/** threading puts a resolved email under its firing email: the firing's Message-ID on the same channel. */
function threading(n: Notification): { inReplyTo?: string; references?: string } {
  if (n.alert.type !== "alert.resolved" || n.alert.firing_id === undefined) return {};
  const firing = `<${idPart(n.alert.firing_id)}.${idPart(n.channel)}@waba-alerts>`;
  return { inReplyTo: firing, references: firing };
}

// Timestamp first so `ls outbox` lists mail in the order it was sent; unsafe characters become dashes.
function fileStem(n: Notification): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const safe = (s: string) => s.replace(/[^A-Za-z0-9_-]+/g, "-");
  const kind = n.alert.type === "alert.resolved" ? "-resolved" : "";
  return `${stamp}_${safe(n.alert.id)}${kind}_${safe(n.channel)}`;
}
