// The channel types waba-alerts can deliver to, and the one function that builds a notifier per channel.
import type { ChannelConfig, Config } from "../config/schema.js";
import type { Settings } from "../config/settings.js";
import type { Logger } from "../shared/logger.js";
import { createNotifierContext, type NotifierContext } from "./context.js";
import { createEmailNotifier } from "./email/notifier.js";
import type { Notifier } from "./types.js";
import { createWebhookNotifier } from "./webhook/notifier.js";
import { isResolvedNotification } from "../model/notification.js";

/** ChannelType is a value of a channel's `type` key. */
export type ChannelType = ChannelConfig["type"];

/** NotifierFactory builds the notifier of one channel of type T from its config. */
export type NotifierFactory<T extends ChannelType> = (
  name: string,
  channel: Extract<ChannelConfig, { type: T }>,
  ctx: NotifierContext,
) => Notifier;

/** NOTIFIER_FACTORIES maps each channel type to its factory; a new type is one folder and one line here. */
export const NOTIFIER_FACTORIES: { readonly [T in ChannelType]: NotifierFactory<T> } = {
  email: createEmailNotifier,
  webhook: createWebhookNotifier,
};

/**
 * buildNotifiers builds one notifier per configured channel, keyed by channel name. Email channels
 * share one mail transport; channels with `send_resolved: false` acknowledge resolved alerts unsent.
 * `settings` are the config's final units from the loader (a Config built in code, as tests do, may leave
 * them to be worked out against the working directory).
 */
export function buildNotifiers(config: Config, log: Logger, settings?: Settings): Map<string, Notifier> {
  const ctx = createNotifierContext(config, log, settings);
  const notifiers = new Map<string, Notifier>();
  for (const [name, channel] of Object.entries(config.channels)) {
    const notifier = create(name, channel, ctx);
    notifiers.set(name, channel.send_resolved ? notifier : skipResolved(notifier));
  }
  return notifiers;
}

function create(name: string, channel: ChannelConfig, ctx: NotifierContext): Notifier {
  // TypeScript cannot correlate channel.type with the factory's parameter type across a union, hence the cast.
  const factory = NOTIFIER_FACTORIES[channel.type] as NotifierFactory<ChannelType>;
  return factory(name, channel as Extract<ChannelConfig, { type: ChannelType }>, ctx);
}

/** skipResolved wraps a notifier so resolved alerts count as delivered without being sent. */
export function skipResolved(inner: Notifier): Notifier {
  return {
    type: inner.type,
    send: (n) =>
      isResolvedNotification(n)
        ? Promise.resolve({ kind: "ok", detail: "skipped: send_resolved is off for this channel" })
        : inner.send(n),
    close: () => inner.close(),
  };
}
