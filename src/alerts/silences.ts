// Silences: matchers on rule id and group/where facts, with an end time; a silenced alert is recorded, not sent.
import { randomUUID } from "node:crypto";
import type { RedisClient } from "../queue/redis-client.js";
import type { Alert } from "../model/alert.js";
import { maskFact, sameFact } from "../shared/mask.js";
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

/**
 * silenceMatches says whether `s` is active at `nowMs` and every matcher equals the alert's fact; a
 * customer's number matches written in full or masked (sameFact), as alerts carry it masked.
 */
export function silenceMatches(s: Silence, alert: Alert, nowMs: number): boolean {
  if (Date.parse(s.starts_at) > nowMs || Date.parse(s.ends_at) <= nowMs) return false;
  const facts = alertFacts(alert);
  return Object.entries(s.matchers).every(([k, v]) => sameFact(k, facts[k], v));
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

/** DEFAULT_MAX_SILENCES is retention.silences when nothing else is said. */
export const DEFAULT_MAX_SILENCES = 1000;

/** SilenceLimitError refuses a new silence while `max` are kept and none of them has ended. */
export class SilenceLimitError extends Error {
  constructor(readonly max: number) {
    super(
      `${max} silences are kept already (retention.silences); expire one (DELETE /api/silences/:id) or raise retention.silences`,
    );
    this.name = "SilenceLimitError";
  }
}

/**
 * INSERT_UNDER_CAP stores a silence only while fewer than the cap are kept, in one step, so that silences
 * created at the same moment cannot all pass the count check. KEYS: the silences hash; ARGV: cap, id, JSON.
 */
const INSERT_UNDER_CAP = `
if redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
return 1
`;

/** SilenceStoreOptions: `mask` follows alerts.mask_phone_numbers, `max` is retention.silences. */
export interface SilenceStoreOptions {
  readonly mask?: boolean;
  readonly max?: number;
}

/**
 * createSilenceStore builds the store under the `{prefix}` hash tag. With `mask` (alerts.mask_phone_numbers),
 * a customer's number written in a matcher is stored and shown masked: it still matches (sameFact). At most
 * `max` silences are kept: a new one pushes out the oldest ended ones, and is refused when all are active.
 */
export function createSilenceStore(redis: RedisClient, prefix: string, opts: SilenceStoreOptions = {}): SilenceStore {
  const key = `{${prefix}}:silences`;
  const max = opts.max ?? DEFAULT_MAX_SILENCES;

  /** makeRoom drops the oldest ended silences until one more fits; false when only active ones are left. */
  async function makeRoom(nowMs: number): Promise<boolean> {
    if ((await redis.hlen(key)) < max) return true;
    const all = await store.list(nowMs, "all");
    const ended = all.filter((s) => Date.parse(s.ends_at) <= nowMs).sort((a, b) => a.ends_at.localeCompare(b.ends_at));
    const drop = ended.slice(0, Math.max(0, all.length - max + 1)).map((s) => s.id);
    if (drop.length > 0) await redis.hdel(key, ...drop);
    return all.length - drop.length < max;
  }

  const store: SilenceStore = {
    async create(input, nowMs) {
      if (!(await makeRoom(nowMs))) throw new SilenceLimitError(max);
      const value = (k: string, v: string | number | boolean) =>
        opts.mask ? maskFact(k, String(v)) : String(v);
      const silence: Silence = {
        id: randomUUID(),
        matchers: Object.fromEntries(Object.entries(input.matchers).map(([k, v]) => [k, value(k, v)])),
        starts_at: input.starts_at ?? new Date(nowMs).toISOString(),
        ends_at: input.ends_at,
        comment: input.comment ?? "",
        created_at: new Date(nowMs).toISOString(),
      };
      const stored = await redis.eval(INSERT_UNDER_CAP, 1, key, max, silence.id, JSON.stringify(silence));
      // Another silence took the last place between makeRoom and here.
      if (stored !== 1) throw new SilenceLimitError(max);
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
