// The digest loop: every second, seal the digests whose interval ended and hand each to delivery once.
import type { Logger } from "../shared/logger.js";
import { startLoop } from "../shared/loop.js";
import type { DigestStore, SealedDigest } from "./digest-store.js";
import type { Notification } from "../model/notification.js";

/** DIGEST_TICK_MS is how often, by default, a worker looks for digests to send: at most this late. */
export const DIGEST_TICK_MS = 1000;

/** DIGEST_LEASE_MS is how long a sealed digest belongs to the process that sealed it; a crash hands it on after. */
export const DIGEST_LEASE_MS = 60_000;

/** DIGEST_BATCH is the most digests one tick seals. */
const DIGEST_BATCH = 200;

/** FlusherOptions configure startDigestFlusher. */
export interface FlusherOptions {
  store: DigestStore;
  /** deliver hands a digest to delivery; it must be idempotent per digest id (it may run again after a crash). */
  deliver(notifications: Notification[]): Promise<void>;
  intervalMs?: number;
  leaseMs?: number;
  log: Logger;
  now?: () => number;
}

/** Flusher is a running digest loop. */
export interface Flusher {
  /** tick seals and delivers every due digest once now; resolves to how many it delivered (tests call it). */
  tick(): Promise<number>;
  /** close stops the loop after the tick in progress. */
  close(): Promise<void>;
}

/** startDigestFlusher runs the loop until closed. */
export function startDigestFlusher(opts: FlusherOptions): Flusher {
  const now = opts.now ?? Date.now;
  const leaseMs = opts.leaseMs ?? DIGEST_LEASE_MS;

  async function send(sealed: SealedDigest): Promise<boolean> {
    try {
      await opts.deliver([{ digest: sealed.digest, channel: sealed.channel }]);
      await opts.store.finish(sealed.digest.id);
      return true;
    } catch (err) {
      // The lease runs out and a later tick (here or in another process) delivers it: at least once.
      opts.log.warn({ digest: sealed.digest.id, err: (err as Error).message }, "could not hand a digest on");
      return false;
    }
  }

  async function tick(): Promise<number> {
    const nowMs = now();
    let sent = 0;
    for (const groupId of await opts.store.due(nowMs, DIGEST_BATCH)) {
      const sealed = await opts.store.seal(groupId, nowMs, leaseMs).catch((err: Error) => {
        opts.log.warn({ group: groupId, err: err.message }, "could not seal a digest");
        return undefined;
      });
      if (sealed && (await send(sealed))) sent++;
    }
    for (const sealed of await opts.store.reclaim(nowMs, leaseMs, DIGEST_BATCH)) {
      opts.log.info(
        { digest: sealed.digest.id, channel: sealed.channel },
        "delivering a digest another process sealed",
      );
      if (await send(sealed)) sent++;
    }
    return sent;
  }

  const loop = startLoop(tick, opts.intervalMs ?? DIGEST_TICK_MS, (err) =>
    opts.log.warn({ err: err.message }, "digest tick failed"),
  );
  return { tick, close: () => loop.close() };
}
