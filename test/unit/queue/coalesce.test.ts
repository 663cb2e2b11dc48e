// Group commit: a lone batch is written as it is; batches arriving during a write share the next job.
import { describe, expect, it } from "vitest";
import type { EventBatch } from "../../../src/model/event.js";
import { createCoalescer, mergeBatches } from "../../../src/queue/coalesce.js";

function batch(receivedAt: number, ...ids: string[]): EventBatch {
  return {
    received_at: receivedAt,
    events: ids.map((id) => ({ id, source: "whatsapp", kind: "status", timestamp: 1 })),
  };
}

function deferredWriter() {
  const writes: EventBatch[] = [];
  const pending: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  const write = (b: EventBatch) =>
    new Promise<void>((resolve, reject) => {
      writes.push(b);
      pending.push({ resolve, reject });
    });
  return { writes, pending, write };
}

/** settled lets the coalescer's bookkeeping after a write (its `finally`) run. */
const settled = () => new Promise((r) => setImmediate(r));

describe("coalescer", () => {
  it("writes a lone batch unchanged, then merges what waited behind it into one job", async () => {
    const w = deferredWriter();
    const c = createCoalescer(w.write);
    const lone = batch(10, "a");
    const first = c.submit(lone);
    const second = c.submit(batch(30, "b", "c"));
    const third = c.submit(batch(20, "c", "d"));
    expect(w.writes).toEqual([lone]);
    w.pending[0]?.resolve();
    await first;
    await new Promise((r) => setImmediate(r));
    expect(w.writes).toHaveLength(2);
    expect(w.writes[1]?.received_at).toBe(20);
    expect(w.writes[1]?.events.map((e) => e.id)).toEqual(["b", "c", "d"]);
    w.pending[1]?.resolve();
    await expect(Promise.all([second, third])).resolves.toBeDefined();
  });

  it("lingers for company only while traffic flows: a request after a quiet spell is written at once", async () => {
    const w = deferredWriter();
    let clock = 1000;
    const c = createCoalescer(w.write, 1, 2000, { ms: 30, busyMs: 20, now: () => clock });
    // Idle (no write yet): written at once, as before.
    const first = c.submit(batch(1, "a"));
    expect(w.writes).toHaveLength(1);
    w.pending[0]?.resolve();
    await first;
    await settled();
    // 5 ms after that write ended traffic is flowing: the next request waits up to 30 ms for company.
    clock += 5;
    const second = c.submit(batch(2, "b"));
    const third = c.submit(batch(3, "c"));
    expect(w.writes).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 60));
    expect(w.writes).toHaveLength(2);
    expect(w.writes[1]?.events.map((e) => e.id)).toEqual(["b", "c"]);
    w.pending[1]?.resolve();
    await Promise.all([second, third]);
    await settled();
    // After a quiet spell longer than busyMs a request goes alone, without waiting.
    clock += 500;
    const fourth = c.submit(batch(4, "d"));
    expect(w.writes).toHaveLength(3);
    w.pending[2]?.resolve();
    await fourth;
  });

  it("rejects every batch of a failed write, leaves cancelled ones out, and caps events per job", async () => {
    const w = deferredWriter();
    const c = createCoalescer(w.write, 1, 3);
    const first = c.submit(batch(1, "a"));
    const cancel = { cancelled: false };
    const gaveUp = c.submit(batch(2, "b"), cancel);
    const failing = c.submit(batch(3, "c", "d"));
    const nextJob = c.submit(batch(4, "e", "f"));
    cancel.cancelled = true;
    w.pending[0]?.resolve();
    await first;
    await new Promise((r) => setImmediate(r));
    expect(w.writes[1]?.events.map((e) => e.id)).toEqual(["c", "d"]);
    w.pending[1]?.reject(new Error("redis away"));
    await expect(failing).rejects.toThrow("redis away");
    await new Promise((r) => setImmediate(r));
    expect(w.writes[2]?.events.map((e) => e.id)).toEqual(["e", "f"]);
    w.pending[2]?.resolve();
    await nextJob;
    void gaveUp;
  });

  it("mergeBatches keeps the earliest receive time and each event once", () => {
    const merged = mergeBatches([batch(5, "x", "y"), batch(3, "y", "z")]);
    expect(merged.received_at).toBe(3);
    expect(merged.events.map((e) => e.id)).toEqual(["x", "y", "z"]);
  });
});
