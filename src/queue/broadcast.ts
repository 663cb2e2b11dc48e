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
  /**
   * since (ms) is when this process last took in what the signal is about (e.g. read its rule files). A
   * signal sent after it but before this broadcast's first read is still heard; older ones are not.
   */
  readonly since?: number;
  readonly now?: () => number;
}

/** Broadcast sends the signal to every other process and listens for theirs until closed. */
export interface Broadcast {
  /** send tells every other process; this one's own `heard` is not called. */
  send(): Promise<void>;
  close(): Promise<void>;
}

/**
 * SEND bumps the version and stamps when, in one step (both keys share a hash tag): a reader never sees the
 * new version with the old time. KEYS: version, time; ARGV: now (ms).
 */
const SEND = `
local v = redis.call('INCR', KEYS[1])
redis.call('SET', KEYS[2], ARGV[1])
return v
`;

/**
 * startBroadcast subscribes at once. Signals sent before `since` (default: now) are not heard; one sent
 * after it is, even when it came before the subscription or the first read of the version key.
 */
export function startBroadcast(opts: BroadcastOptions): Broadcast {
  const me = randomUUID();
  const now = opts.now ?? Date.now;
  const since = opts.since ?? now();
  const atKey = `${opts.key}:at`;
  // The last version this process knows of; undefined until the first read or message.
  let seen: number | undefined;
  /** catchUp takes in `version`, sent by `from` at `at` (ms; 0 when unknown, as from an older sender). */
  const catchUp = (version: number, from: string | undefined, at: number) => {
    if (seen === undefined) {
      // The first version this process sees: heard only when it was sent after `since`.
      seen = version;
      if (version > 0 && at > since && from !== me) opts.heard();
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
      const [version, at] = await Promise.race([opts.redis.mget(opts.key, atKey), late]);
      catchUp(Number(version ?? 0), undefined, Number(at ?? 0));
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
    const [version, from, at] = text.split(" ");
    // A message needs a live subscription, which began after `since`: an older sender's (no time) counts as new.
    catchUp(Number(version), from, at === undefined ? Number.POSITIVE_INFINITY : Number(at));
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
      const at = now();
      const version = Number(await opts.redis.eval(SEND, 2, opts.key, atKey, at));
      seen = Math.max(seen ?? 0, version);
      await opts.redis.publish(opts.channel, `${version} ${me} ${at}`);
    },
    async close() {
      await poll.close();
      await closeClient(subscriber);
    },
  };
}
