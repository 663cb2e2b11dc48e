// The routing stage: an alert's channels (rule + routes), then per channel: send now, or gather into a digest.
import { alertFacts } from "../alerts/match.js";
import type { Alert } from "../model/alert.js";
import type { DigestStore } from "./digest-store.js";
import { type GroupSpec, groupOf } from "./grouping.js";
import { type Route, routeAlert } from "./routes.js";
import type { Notification } from "../model/notification.js";

/** RouterDeps are what app.ts wires into the router. */
export interface RouterDeps {
  readonly routes: readonly Route[];
  /** grouping is a channel's group setting; undefined sends each alert on its own. */
  grouping(channel: string): GroupSpec | undefined;
  /** sendsResolved is false for a channel with `send_resolved: false` (its resolved alerts are not gathered). */
  sendsResolved(channel: string): boolean;
  digests: DigestStore;
  /** deliver hands notifications to delivery; it must be idempotent (an alert may be dispatched again). */
  deliver(notifications: Notification[]): Promise<void>;
  /** gathered is told of every alert gathered into a digest instead of sent, for metrics. */
  gathered?(channel: string, alert: Alert): void;
  now: () => number;
}

/** Router dispatches alerts to channels. */
export interface Router {
  /**
   * dispatch sends `alert` now to each of its channels (`alert.notify`, as channelsOf made it when the alert
   * was recorded) where it opens a group, or that does not group, and gathers it elsewhere.
   */
  dispatch(alert: Alert): Promise<void>;
  /** channelsOf is every channel `alert` goes to: its rule's, then those the matching routes add. */
  channelsOf(alert: Alert): readonly string[];
}

/** createRouter builds the routing stage. */
export function createRouter(deps: RouterDeps): Router {
  return {
    channelsOf(alert) {
      return routeAlert(alertFacts(alert), alert.notify, deps.routes).channels;
    },
    async dispatch(alert) {
      const facts = alertFacts(alert);
      const now: Notification[] = [];
      for (const channel of alert.notify) {
        const spec = deps.grouping(channel);
        // A channel that drops resolved alerts acknowledges each on its own: nothing to gather.
        if (!spec || (alert.type === "alert.resolved" && !deps.sendsResolved(channel))) {
          now.push({ alert, channel });
          continue;
        }
        const group = groupOf(alert, facts, channel, spec);
        const verdict = await deps.digests.admit({
          groupId: group.id,
          channel,
          values: group.values,
          alert,
          intervalMs: spec.intervalMs,
          nowMs: deps.now(),
        });
        if (verdict === "send") now.push({ alert, channel });
        else deps.gathered?.(channel, alert);
      }
      if (now.length > 0) await deps.deliver(now);
    },
  };
}
