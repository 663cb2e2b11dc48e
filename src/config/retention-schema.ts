// The config's bounds on stored state by count (each store also has an age limit of its own).
import { Type as T } from "@sinclair/typebox";
import { opts } from "./schema-parts.js";

/** Retention is `retention`: how many finished notification jobs, silences and open digests are kept. */
export const Retention = T.Object(
  {
    notification_jobs: T.Integer({
      minimum: 1,
      default: 10_000,
      description:
        "finished notification jobs kept per outcome (completed ones also at most 7 days, failed ones 30); each holds its whole alert",
    }),
    silences: T.Integer({
      minimum: 1,
      default: 1000,
      description:
        "silences kept, active and expired (expired ones also at most 7 days); past it the oldest expired give way, then new ones are refused",
    }),
    digest_groups: T.Integer({
      minimum: 1,
      default: 10_000,
      description:
        "digests open at once across channels (each closes at most 24 h after its last alert); past it a new group's alerts are sent on their own",
    }),
  },
  { ...opts, default: {} },
);
