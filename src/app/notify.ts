// The worker side of delivery: the notifications worker over one notifier per channel, outcomes into history.
import { buildNotifiers } from "../notify/registry.js";
import { startNotificationsWorker } from "../notify/worker.js";
import type { AppContext, Part } from "./context.js";
import type { StatePart } from "./state.js";

/** buildNotify starts the notifications worker; closing finishes the attempts in progress, then the notifiers. */
export function buildNotify(ctx: AppContext, state: StatePart): Part {
  const { config, settings, log, metrics } = ctx;
  const notifiers = buildNotifiers(config, log, settings);
  const notifications = startNotificationsWorker({
    ...config.redis,
    notifiers,
    ...settings.notify,
    log,
    onOutcome(o) {
      metrics.notifications.inc({ channel: o.channel, result: o.result.kind });
      if (o.final && o.result.kind !== "ok") metrics.deadLetters.inc({ channel: o.channel });
      const error = o.result.kind === "ok" ? undefined : o.result.error;
      state.history
        .addDelivery(o.alertIds, {
          channel: o.channel,
          attempt: o.attempt,
          result: o.result.kind,
          ...(error ? { error } : {}),
          final: o.final,
          at: o.at,
          ...(o.digestId ? { digest: o.digestId } : {}),
        })
        .catch((err: Error) => log.warn({ err: err.message }, "could not record a delivery outcome"));
    },
  });
  for (const worker of notifications.workers) {
    worker.on("completed", (job) => {
      if (job.finishedOn)
        metrics.jobLatency.observe({ queue: "notifications" }, (job.finishedOn - job.timestamp) / 1000);
    });
  }
  return {
    async close() {
      await notifications.close();
      await Promise.all([...notifiers.values()].map((n) => n.close()));
    },
  };
}
