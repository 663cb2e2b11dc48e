// The Redis bucketed-counter store (ratio and spike rules): one Lua call per window per batch, one round trip.
import type { RedisClient } from "../../queue/redis-client.js";
import { groupByWindow, splitFuture } from "./batch.js";
import { BUCKET_BATCH_LUA } from "./bucket-script.js";
import { LuaScript, scriptBatcher } from "./script-batch.js";
import {
  bucketOf,
  bucketTtlMs,
  type FineBucket,
  firingExtras,
  idDigest,
  lineExtras,
  viewAt,
} from "./buckets.js";
import { hashTag } from "./redis-store.js";
import { groupShardKey } from "./shards.js";
import type { BucketHit, BucketLine, BucketStore, WindowOutcome, WindowState } from "./types.js";

const SCRIPT = new LuaScript(BUCKET_BATCH_LUA);

type Reply = [string, ...unknown[]];

/** BucketKeys names the keys of one bucketed window; every window of a rule shares the rule's hash tag. */
export interface BucketKeys {
  /** State and buckets. */
  readonly hash: string;
  readonly samples: string;
  readonly firing: string;
  /** seen names the id set of window bucket `i`. */
  seen(i: number): string;
}

/** groupOf is the group part of a window key (`<state key>|<group>`). */
function groupOf(ruleKey: string, windowKey: string): string {
  return windowKey.startsWith(`${ruleKey}|`) ? windowKey.slice(ruleKey.length + 1) : windowKey;
}

/**
 * bucketKeys names the keys of one ratio or spike rule+group window under `prefix`; every window of one
 * shard of the rule (see shards.ts) shares a hash tag.
 */
export function bucketKeys(prefix: string, ruleKey: string, windowKey: string, shards = 1): BucketKeys {
  const group = groupOf(ruleKey, windowKey);
  const base = `${prefix}:window:${hashTag(groupShardKey(ruleKey, group, shards))}:${group}`;
  return {
    hash: `${base}:h`,
    samples: `${base}:samples`,
    firing: `${base}:firing`,
    seen: (i) => `${base}:seen:${i}`,
  };
}

/** RedisBucketStore is the bucket store plus a read-only view of a window, for the resolver. */
export interface RedisBucketStore extends BucketStore {
  view(key: string, line: BucketLine, windowMs: number, resolutionMs: number, nowMs: number): Promise<WindowState>;
}

/** ruleKeyOf is the rule part of a window key (`<state key>|<group>`; state keys hold no "|"). */
function ruleKeyOf(windowKey: string): string {
  const bar = windowKey.indexOf("|");
  return bar < 0 ? windowKey : windowKey.slice(0, bar);
}

/**
 * createRedisBucketStore counts ratio and spike hits in Redis under `prefix`, on the caller's connection,
 * each rule's windows split into `shards` (one script call per rule and shard per batch).
 */
export function createRedisBucketStore(redis: RedisClient, prefix: string, shards = 1): RedisBucketStore {
  const batcher = scriptBatcher(redis);
  return {
    async applyBuckets(hits, clock) {
      const { outcomes, counted } = splitFuture(hits, clock);
      if (counted.length === 0) return outcomes;
      const rules = groupByWindow(
        hits.map((h) => ({ key: shards <= 1 ? h.ruleKey : groupShardKey(h.ruleKey, groupOf(h.ruleKey, h.key), shards) })),
        counted,
      );
      const calls = rules.map((indexes) => scriptCall(prefix, hits, indexes, clock.nowMs, shards));
      // Failing the whole batch is safe: a retry is idempotent by event id and refires lost crossings.
      const results = await Promise.all(calls.map((c) => batcher.run(SCRIPT, c.keys, c.args)));
      calls.forEach(({ order }, w) => {
        const replies = results[w];
        order.forEach((hitIndex, j) => {
          outcomes[hitIndex] = toOutcome((replies as Reply[])[j] as Reply, hits[hitIndex] as BucketHit);
        });
      });
      return outcomes;
    },
    async view(key, line, windowMs, resolutionMs, nowMs) {
      const fields = await redis.hgetall(bucketKeys(prefix, ruleKeyOf(key), key, shards).hash);
      const fine = new Map<number, FineBucket>();
      const coarse = new Map<number, number>();
      for (const [field, value] of Object.entries(fields)) {
        if (/^-?\d+$/.test(field)) {
          const [n, d, f, l] = value.split(" ").map(Number) as [number, number, number, number];
          const i = Number(field);
          fine.set(i, { n, d, firstMs: i * resolutionMs + f, lastMs: i * resolutionMs + l });
        } else if (/^c-?\d+$/.test(field)) coarse.set(Number(field.slice(1)), Number(value));
      }
      const num = (name: string) => (fields[name] === undefined ? undefined : Number(fields[name]));
      const [lo, h, above] = [num("lo"), num("h"), num("above")];
      const snap = {
        fine,
        coarse,
        ...(lo !== undefined ? { lo } : {}),
        ...(h !== undefined ? { h } : {}),
        ...(above !== undefined ? { aboveMs: above } : {}),
      };
      return viewAt(snap, line, windowMs, resolutionMs, nowMs);
    },
  };
}

/**
 * scriptCall lays out KEYS and ARGV of one rule shard's script call (see the script's header): its windows
 * in first-seen order, each window's events in arrival order. `order` lists the hits in reply order.
 */
function scriptCall(
  prefix: string,
  hits: readonly BucketHit[],
  indexes: readonly number[],
  nowMs: number,
  shards: number,
): { keys: string[]; args: string[]; order: number[] } {
  const first = hits[indexes[0] as number] as BucketHit;
  const { line } = first;
  const keys: string[] = [];
  const args: string[] = [
    String(Math.trunc(nowMs)),
    String(first.windowMs),
    String(first.resolutionMs),
    line.kind,
    String(line.moreThan),
    String(line.kind === "ratio" ? line.minOf : line.min),
    String(line.kind === "spike" ? line.baselineMs : 0),
    String(line.kind === "spike" ? line.baselineResolutionMs : 1),
    String(first.cooldownMs),
    String(bucketTtlMs(first.windowMs, line, first.cooldownMs, first.resolveAfterMs)),
    String(first.maxSamples),
  ];
  const order: number[] = [];
  for (const window of groupByWindow(hits, indexes)) {
    const k = bucketKeys(prefix, first.ruleKey, (hits[window[0] as number] as BucketHit).key, shards);
    keys.push(k.hash, k.samples, k.firing);
    args.push(String(keys.length - 2), String(window.length));
    const seenIndex = new Map<number, number>();
    for (const i of window) {
      const hit = hits[i] as BucketHit;
      const t = Math.trunc(hit.eventTimeMs);
      const bucket = bucketOf(t, hit.resolutionMs);
      let keyIndex = seenIndex.get(bucket);
      if (keyIndex === undefined) {
        keys.push(k.seen(bucket));
        keyIndex = keys.length;
        seenIndex.set(bucket, keyIndex);
      }
      const flags = (hit.counts ? 1 : 0) + (hit.ofCounts ? 2 : 0);
      args.push(idDigest(hit.eventId), String(t), String(flags), String(keyIndex), hit.sample);
      order.push(i);
    }
  }
  return { keys, args, order };
}

function toOutcome(reply: Reply, hit: BucketHit): WindowOutcome {
  const [kind, ...rest] = reply;
  const num = (i: number) => Number(rest[i]);
  const extras = (d: number, b: number, span: number) => lineExtras(hit.line, hit.windowMs, d, b, span);
  switch (kind) {
    case "late":
    case "duplicate":
      return { kind };
    case "counted":
      return { kind, count: num(0), ...extras(num(1), num(2), num(3)) };
    case "cooldown":
      return { kind, count: num(0), untilMs: num(1), ...extras(num(2), num(3), num(4)) };
    case "fired":
    case "refired": {
      const samples = rest[3];
      const firing = {
        count: num(0),
        eventCount: num(0),
        firstSeenMs: num(1),
        lastSeenMs: num(2),
        // The script keeps the crossing event's digest; a refire is that very event, redelivered.
        crossingEventId: hit.eventId,
        samples: Array.isArray(samples) ? samples.map(String) : [],
        capped: false,
        ...firingExtras(extras(num(4), num(5), num(6))),
      };
      return { kind, firing };
    }
    default:
      throw new Error(`bucket script returned an unknown outcome: ${String(kind)}`);
  }
}
