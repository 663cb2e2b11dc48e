// What a notifier factory gets besides its own channel: the config, a logger, and shared resources.
import type { Config } from "../config/schema.js";
import { type Settings, settingsOf } from "../config/settings.js";
import type { Logger } from "../shared/logger.js";
import { createMailTransport, type MailTransport } from "./email/transport.js";

/** NotifierContext is handed to every notifier factory by buildNotifiers. */
export interface NotifierContext {
  readonly config: Config;
  /** The config in final units (timeouts in ms, the outbox as an absolute path). */
  readonly settings: Settings;
  readonly log: Logger;
  /** mail lends out the one mail transport every email channel shares, creating it on first use. */
  mail(): MailTransport;
  /** releaseMail returns a loan from `mail()`; the transport closes when the last borrower is done. */
  releaseMail(): void;
}

/** createNotifierContext builds the context for one buildNotifiers call. */
export function createNotifierContext(
  config: Config,
  log: Logger,
  settings: Settings = settingsOf(config, process.cwd()),
): NotifierContext {
  let transport: MailTransport | undefined;
  let loans = 0;
  return {
    config,
    settings,
    log,
    mail() {
      transport ??= createMailTransport(config.email.smtp, settings.outbox);
      loans += 1;
      return transport;
    },
    releaseMail() {
      loans -= 1;
      if (loans === 0 && transport) {
        transport.close();
        transport = undefined;
      }
    },
  };
}
