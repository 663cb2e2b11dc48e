// A signal every process of one deployment hears: Redis pub/sub for speed, and a version key, read every few
// seconds and whenever the subscription comes back, for what pub/sub dropped (it keeps nothing for the absent).
import { randomUUID } from "node:crypto";
import type { Logger } from "../shared/logger.js";
import { startLoop } from "../shared/loop.js";
import { errorLine } from "./outage.js";
import { closeClient, createRedisClient, type RedisClient, type RedisTarget } from "./redis-client.js";

/** BROADCAST_POLL_MS is how often the version key is read: the longest a signal can take when pub/sub lost it. */
export const BROADCAST_POLL_MS = 2000;

const READ_TIMEOUT_MS = 1000;

/** BroadcastOptions name the signal's key and channel and say what to do when another process sends it. */
export interface BroadcastOptions {
  /** Commands (version key, PUBLISH) go over this connection; the subscription opens its own on `target`. */
  readonly redis: RedisClient;
  readonly target: RedisTarget;
  /** The counter every send increments. */
  readonly key: string;
  /** The pub/sub channel (in a cluster, a classic PUBLISH reaches every node's subscribers). */
  readonly channel: string;
  /** heard runs once per signal sent by another process (several signals in a row may arrive as one). */
  heard(): void;
  readonly log: Logger;
  readonly pollMs?: number;
}

/** Broadcast sends the signal to every other process and listens for theirs until closed. */
export interface Broadcast {
  /** send tells every other process; this one's own `heard` is not called. */
  send(): Promise<void>;
  close(): Promise<void>;
}

/** startBroadcast subscribes at once; signals sent before it started are not heard. */
export function startBroadcast(opts: BroadcastOptions): Broadcast {
  const me = randomUUID();
  // The last version this process knows of; undefined until the first read, so start-up hears nothing old.
  let seen: number | undefined;
  const catchUp = (version: number, from?: string) => {
    if (seen === undefined) {
      seen = version;
      return;
    }
    if (version <= seen) return;
    seen = version;
    if (from !== me) opts.heard();
  };
  // Bounded: the state connection waits for Redis for ever, and closing waits for the read in progress.
  const read = async () => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("version read timed out")), READ_TIMEOUT_MS);
    });
    try {
      catchUp(Number((await Promise.race([opts.redis.get(opts.key), late])) ?? 0));
    } finally {
      clearTimeout(timer);
    }
  };

  const subscriber = createRedisClient(opts.target, "worker");
  let lost = false;
  subscriber.on("error", (err: Error) => {
    if (!lost) opts.log.warn({ err: errorLine(err), channel: opts.channel }, "broadcast: subscription lost");
    lost = true;
  });
  subscriber.on("message", (_channel: string, text: string) => {
    const [version, from] = text.split(" ");
    catchUp(Number(version), from);
  });
  // A standalone subscriber says `ready` again after reconnecting (and subscribes again by itself): whatever
  // was published meanwhile is only in the version key.
  subscriber.on("ready", () => {
    lost = false;
    read().catch(() => {});
  });
  subscriber.subscribe(opts.channel).catch(() => {});
  read().catch(() => {});
  const poll = startLoop(read, opts.pollMs ?? BROADCAST_POLL_MS, () => {
    // Redis away: the state connection reports the outage; the next read catches up.
  });

  return {
    async send() {
      const version = await opts.redis.incr(opts.key);
      seen = Math.max(seen ?? 0, version);
      await opts.redis.publish(opts.channel, `${version} ${me}`);
    },
    async close() {
      await poll.close();
      await closeClient(subscriber);
    },
  };
}
