// Keys with lifetimes, as the memory stores keep them: what Redis would have expired reads as fresh.

/** Expires is a value with a lifetime on the stores' clock, unix ms (Infinity until first written). */
export interface Expires {
  expiresAtMs: number;
}

/** ExpiringMap holds values by key the way Redis holds keys with a TTL, on the caller's clock. */
export class ExpiringMap<T extends Expires> {
  private readonly values = new Map<string, T>();

  constructor(private readonly fresh: () => T) {}

  /** live is the value at `key` if it has not expired by `nowMs`. */
  live(key: string, nowMs: number): T | undefined {
    const v = this.values.get(key);
    return v && nowMs < v.expiresAtMs ? v : undefined;
  }

  /** get is the live value at `key`, or a fresh one (kept) when there is none. */
  get(key: string, nowMs: number): T {
    const existing = this.live(key, nowMs);
    if (existing) return existing;
    const v = this.fresh();
    this.values.set(key, v);
    return v;
  }

  /** delete drops `key`, as DEL does. */
  delete(key: string): void {
    this.values.delete(key);
  }
}
