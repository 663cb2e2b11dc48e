// Queue partitions: N copies of the events and notifications queues, each under a hash tag of its own.
import { queuePrefix } from "./names.js";
import { crc16, SLOTS } from "./slot.js";

/** MAX_PARTITIONS bounds `redis.partitions` (each partition costs every worker process two blocking connections). */
export const MAX_PARTITIONS = 64;

/** Partition is one slice of both queues: its index and the hash tag its keys live under. */
export interface Partition {
  readonly index: number;
  /** The hash tag without braces, e.g. `waba-alerts` or `waba-alerts~p3.41`. */
  readonly tag: string;
  /** The BullMQ `prefix` of this partition's queues: the tag in braces. */
  readonly prefix: string;
}

/**
 * partitionTag is the hash tag (without braces) of partition `index` of `count`: `<prefix>~p<index>.<salt>`
 * with the first salt whose slot lies in the middle half of the index-th 1/count of the slot space.
 * `redis-cli --cluster create` gives each master one equal, contiguous range of slots, so partitions spread
 * over the masters as evenly as their number allows (evenly when it is a multiple of the masters); keeping
 * to the middle of each range leaves room for ranges that are a few slots off (uneven splits, resharding).
 * `~` is not allowed in `redis.prefix`, so no other key of the engine shares these tags.
 */
export function partitionTag(prefix: string, index: number, count: number): string {
  const width = SLOTS / count;
  const from = Math.ceil(index * width + width / 4);
  const to = Math.floor((index + 1) * width - width / 4);
  for (let salt = 0; ; salt++) {
    const tag = `${prefix}~p${index}.${salt}`;
    const slot = crc16(tag) % SLOTS;
    if (slot >= from && slot <= to) return tag;
  }
}

const layouts = new Map<string, readonly Partition[]>();

/**
 * queuePartitions lists the partitions of `count` under `prefix`. One partition keeps the `{prefix}` tag of
 * earlier versions, so an upgrade with the default finds the jobs already queued.
 */
export function queuePartitions(prefix: string, count = 1): readonly Partition[] {
  const n = Math.max(1, Math.min(MAX_PARTITIONS, Math.trunc(count)));
  const id = `${n} ${prefix}`;
  const known = layouts.get(id);
  if (known) return known;
  const list = Object.freeze(
    Array.from({ length: n }, (_, index) => {
      const tag = n === 1 ? prefix : partitionTag(prefix, index, n);
      return Object.freeze({ index, tag, prefix: queuePrefix(tag) });
    }),
  );
  layouts.set(id, list);
  return list;
}

/**
 * partitionIndex is a stable hash (32-bit FNV-1a) of `key` into `count` partitions: the same key lands in the
 * same partition in every process and after every restart. No key (undefined or "") lands in partition 0.
 */
export function partitionIndex(key: string | undefined, count: number): number {
  if (count <= 1 || !key) return 0;
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % count;
}

/** spreadByPartition splits `items` by the partition of each one's key, keeping their order within each. */
export function spreadByPartition<T>(
  items: readonly T[],
  count: number,
  keyOf: (item: T) => string | undefined,
): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const item of items) {
    const p = partitionIndex(keyOf(item), count);
    const list = out.get(p);
    if (list) list.push(item);
    else out.set(p, [item]);
  }
  return out;
}
