// Silences: matchers on rule id and group/where facts, with an end time; a silenced alert is recorded, not sent.
import { randomUUID } from "node:crypto";
import type { RedisClient } from "../queue/redis-client.js";
import type { Alert } from "../model/alert.js";
import { alertFacts } from "./match.js";

/** Silence is one muting of alerts whose rule and facts equal every matcher, until `ends_at`. */
export interface Silence {
  id: string;
  matchers: Record<string, string>;
  starts_at: string;
  ends_at: string;
  comment: string;
  created_at: string;
}

/** SilenceInput is what the admin API accepts to create a silence. */
export interface SilenceInput {
  matchers: Record<string, string | number | boolean>;
  starts_at?: string;
  ends_at: string;
  comment?: string;
}

/** silenceMatches says whether `s` is active at `nowMs` and every matcher equals the alert's fact. */
export function silenceMatches(s: Silence, alert: Alert, nowMs: number): boolean {
  if (Date.parse(s.starts_at) > nowMs || Date.parse(s.ends_at) <= nowMs) return false;
  const facts = alertFacts(alert);
  return Object.entries(s.matchers).every(([k, v]) => facts[k] === v);
}

/** SilenceStore keeps silences in Redis, shared by every process. */
export interface SilenceStore {
  create(input: SilenceInput, nowMs: number): Promise<Silence>;
  /**
   * list returns the silences that have not ended (or, with `which`, those that ended in the last
   * EXPIRED_KEPT_MS, or both), newest first, dropping older ended ones as it goes.
   */
  list(nowMs: number, which?: "active" | "expired" | "all"): Promise<Silence[]>;
  remove(id: string): Promise<boolean>;
  /** expire ends an active silence now (it stays listed as expired); false when none is active with that id. */
  expire(id: string, nowMs: number): Promise<boolean>;
  /** matching returns the first active silence covering the alert, if any. */
  matching(alert: Alert, nowMs: number): Promise<Silence | undefined>;
}

/** EXPIRED_KEPT_MS is how long an ended silence is still listed (as expired) before it is dropped. */
export const EXPIRED_KEPT_MS = 7 * 86_400_000;

/** createSilenceStore builds the store under the `{prefix}` hash tag. */
export function createSilenceStore(redis: RedisClient, prefix: string): SilenceStore {
  const key = `{${prefix}}:silences`;
  const store: SilenceStore = {
    async create(input, nowMs) {
      const silence: Silence = {
        id: randomUUID(),
        matchers: Object.fromEntries(Object.entries(input.matchers).map(([k, v]) => [k, String(v)])),
        starts_at: input.starts_at ?? new Date(nowMs).toISOString(),
        ends_at: input.ends_at,
        comment: input.comment ?? "",
        created_at: new Date(nowMs).toISOString(),
      };
      await redis.hset(key, silence.id, JSON.stringify(silence));
      return silence;
    },
    async list(nowMs, which = "active") {
      const all = Object.values(await redis.hgetall(key)).map((s) => JSON.parse(s) as Silence);
      const gone = all.filter((s) => Date.parse(s.ends_at) <= nowMs - EXPIRED_KEPT_MS).map((s) => s.id);
      if (gone.length) await redis.hdel(key, ...gone);
      const active = (s: Silence) => Date.parse(s.ends_at) > nowMs;
      return all
        .filter((s) => !gone.includes(s.id))
        .filter((s) => which === "all" || active(s) === (which === "active"))
        .sort((a, b) => b.created_at.localeCompare(a.created_at));
    },
    async remove(id) {
      return (await redis.hdel(key, id)) === 1;
    },
    async expire(id, nowMs) {
      const text = await redis.hget(key, id);
      if (!text) return false;
      const silence = JSON.parse(text) as Silence;
      if (Date.parse(silence.ends_at) <= nowMs) return false;
      const ended: Silence = { ...silence, ends_at: new Date(nowMs).toISOString() };
      await redis.hset(key, id, JSON.stringify(ended));
      return true;
    },
    async matching(alert, nowMs) {
      return (await store.list(nowMs)).find((s) => silenceMatches(s, alert, nowMs));
    },
  };
  return store;
}
