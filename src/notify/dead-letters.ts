// Notifications that finally failed, kept in a bounded Redis list so they stay visible and can be re-sent.
import { randomUUID } from "node:crypto";
import type { RedisClient } from "../queue/redis-client.js";
import type { Alert } from "../model/alert.js";
import { QUEUE_NOTIFICATIONS, queuePrefix } from "../queue/names.js";
import type { Digest, Notification } from "../model/notification.js";

/** DEAD_LETTERS_MAX bounds the list; the oldest entries fall off the end. */
export const DEAD_LETTERS_MAX = 10_000;

/** DeadLetter is one notification that will not be retried any more, with the error that ended it. */
export interface DeadLetter {
  /** Unique id of this entry, for retryDeadLetter. */
  id: string;
  job_id: string;
  /** The alert that failed, or (for a digest) the digest with every alert it lists. */
  alert?: Alert;
  digest?: Digest;
  channel: string;
  attempts: number;
  /** `permanent` when the channel refused it, `exhausted` when the attempts ran out. */
  reason: "permanent" | "exhausted";
  error: string;
  failed_at: string;
}

/** deadLettersKey is the Redis list, inside the queue's hash tag so a Cluster keeps it in the same slot. */
export function deadLettersKey(prefix: string): string {
  return `${queuePrefix(prefix)}:${QUEUE_NOTIFICATIONS}:dead-letters`;
}

/** recordDeadLetter stores an entry at the head of the list and trims the list to `max`. */
export async function recordDeadLetter(
  redis: RedisClient,
  prefix: string,
  entry: Omit<DeadLetter, "id">,
  max: number = DEAD_LETTERS_MAX,
): Promise<DeadLetter> {
  const letter: DeadLetter = { id: randomUUID(), ...entry };
  const key = deadLettersKey(prefix);
  await redis
    .multi()
    .lpush(key, JSON.stringify(letter))
    .ltrim(key, 0, max - 1)
    .exec();
  return letter;
}

/** listDeadLetters returns up to `limit` entries, newest first. */
export async function listDeadLetters(redis: RedisClient, prefix: string, limit = 100): Promise<DeadLetter[]> {
  if (limit <= 0) return [];
  const raw = await redis.lrange(deadLettersKey(prefix), 0, limit - 1);
  return raw.flatMap((text) => {
    try {
      return [JSON.parse(text) as DeadLetter];
    } catch {
      return []; // an entry someone edited by hand is skipped rather than failing the whole listing
    }
  });
}

/** Resender queues a notification under a fresh job id (NotificationsProducer.resend). */
export interface Resender {
  resend(n: Notification): Promise<string>;
}

/**
 * retryDeadLetter re-queues dead letter `id` under a fresh job id (the old id is still taken) and
 * removes it from the list; it returns the new job id, or undefined when no entry has that id.
 */
export async function retryDeadLetter(
  redis: RedisClient,
  prefix: string,
  id: string,
  producer: Resender,
): Promise<string | undefined> {
  const key = deadLettersKey(prefix);
  const raw = await redis.lrange(key, 0, -1);
  for (const text of raw) {
    let letter: DeadLetter;
    try {
      letter = JSON.parse(text) as DeadLetter;
    } catch {
      continue;
    }
    if (letter.id !== id) continue;
    const n: Notification | undefined = letter.digest
      ? { digest: letter.digest, channel: letter.channel }
      : letter.alert && { alert: letter.alert, channel: letter.channel };
    if (!n) continue;
    const jobId = await producer.resend(n);
    await redis.lrem(key, 1, text);
    return jobId;
  }
  return undefined;
}
