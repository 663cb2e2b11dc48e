// A deliberately naive window: keeps every accepted event and recomputes everything from scratch per hit.
// It states the window semantics the Redis script and the memory store must both have (no entry cap).
import type {
  Firing,
  WindowClock,
  WindowHit,
  WindowOutcome,
  WindowProbe,
  WindowState,
} from "../../src/evaluate/window/types.js";

const DAY_MS = 86_400_000;

interface Accepted {
  readonly id: string;
  readonly timeMs: number;
  readonly processedMs: number;
  readonly value?: string;
  readonly sample: string;
}

interface RefWindow {
  accepted: Accepted[];
  crossing?: string;
  firing?: Firing;
  untilMs: number;
  aboveMs?: number;
  expiresAtMs: number;
}

/** ReferenceWindows is the naive model: apply and inspect, with the stores' signatures. */
export class ReferenceWindows {
  private readonly windows = new Map<string, RefWindow>();

  private window(key: string, nowMs: number): RefWindow {
    const w = this.windows.get(key);
    if (w && nowMs < w.expiresAtMs) return w;
    const fresh: RefWindow = { accepted: [], untilMs: 0, expiresAtMs: Number.POSITIVE_INFINITY };
    this.windows.set(key, fresh);
    return fresh;
  }

  apply(hits: readonly WindowHit[], clock: WindowClock): WindowOutcome[] {
    const now = clock.nowMs;
    const wrote = new Map<string, WindowHit>();
    const outcomes = hits.map((hit) => {
      if (hit.eventTimeMs > clock.futureLimitMs) return { kind: "future" } as const;
      const w = this.window(hit.key, now);
      const outcome = this.one(w, hit, now);
      const accepted = outcome.kind === "counted" || outcome.kind === "cooldown" || outcome.kind === "fired";
      if (accepted && !wrote.has(hit.key)) wrote.set(hit.key, hit);
      return outcome;
    });
    // Like the script, a window's lifetime is renewed once per batch, with its first hit's rule settings.
    for (const [key] of wrote) {
      const first = hits.find((h) => h.key === key && h.eventTimeMs <= clock.futureLimitMs) as WindowHit;
      const ttl =
        first.windowMs === 0
          ? Math.max(DAY_MS, first.cooldownMs)
          : first.windowMs + first.cooldownMs + first.resolveAfterMs;
      (this.windows.get(key) as RefWindow).expiresAtMs = now + ttl;
    }
    return outcomes;
  }

  private one(w: RefWindow, hit: WindowHit, now: number): WindowOutcome {
    if (w.crossing === hit.eventId && w.firing) return { kind: "refired", firing: w.firing };
    const t = hit.eventTimeMs;
    if (hit.windowMs === 0) {
      const seen = w.accepted.some((e) => e.id === hit.eventId && e.processedMs > now - DAY_MS);
      if (seen) return { kind: "duplicate" };
      w.accepted.push({ id: hit.eventId, timeMs: t, processedMs: now, sample: hit.sample });
      if (now < w.untilMs) {
        w.aboveMs = now;
        return { kind: "cooldown", count: 1, untilMs: w.untilMs };
      }
      const samples = hit.maxSamples > 0 ? [hit.sample] : [];
      return this.fire(w, hit, now, { count: 1, eventCount: 1, firstSeenMs: t, lastSeenMs: t, samples });
    }
    const cutoff = now - hit.windowMs;
    if (t <= cutoff) return { kind: "late" };
    if (w.accepted.some((e) => e.id === hit.eventId && e.timeMs > cutoff)) return { kind: "duplicate" };
    w.accepted.push({
      id: hit.eventId,
      timeMs: t,
      processedMs: now,
      sample: hit.sample,
      ...(hit.distinctValue !== undefined ? { value: hit.distinctValue } : {}),
    });
    const inside = w.accepted.filter((e) => e.timeMs > cutoff);
    const count = hit.distinctValue !== undefined ? new Set(inside.map((e) => e.value)).size : inside.length;
    if (count <= hit.moreThan) return { kind: "counted", count };
    if (now < w.untilMs) {
      w.aboveMs = now;
      return { kind: "cooldown", count, untilMs: w.untilMs };
    }
    const times = inside.map((e) => e.timeMs);
    // The newest max-samples arrivals, of those the ones still inside the window, oldest arrival first.
    const recent = hit.maxSamples > 0 ? w.accepted.slice(-hit.maxSamples) : [];
    const samples = recent.filter((e) => e.timeMs > cutoff).map((e) => e.sample);
    return this.fire(w, hit, now, {
      count,
      eventCount: inside.length,
      firstSeenMs: Math.min(...times),
      lastSeenMs: Math.max(...times),
      samples,
    });
  }

  private fire(
    w: RefWindow,
    hit: WindowHit,
    now: number,
    f: Omit<Firing, "crossingEventId" | "capped">,
  ): WindowOutcome {
    const firing: Firing = { ...f, crossingEventId: hit.eventId, capped: false };
    w.untilMs = now + hit.cooldownMs;
    w.crossing = hit.eventId;
    w.firing = firing;
    w.aboveMs = now;
    return { kind: "fired", firing };
  }

  inspect(probe: Extract<WindowProbe, { kind: "count" }>, nowMs: number): WindowState {
    const w = this.windows.get(probe.key);
    if (!w || nowMs >= w.expiresAtMs) return { count: 0, over: false };
    const cutoff = nowMs - probe.windowMs;
    const inside = w.accepted.filter((e) => e.timeMs > cutoff);
    const count =
      probe.windowMs === 0 ? 0 : probe.distinct ? new Set(inside.map((e) => e.value)).size : inside.length;
    const over = probe.windowMs > 0 && count > probe.moreThan;
    return { count, over, ...(w.aboveMs !== undefined ? { aboveMs: w.aboveMs } : {}) };
  }
}
