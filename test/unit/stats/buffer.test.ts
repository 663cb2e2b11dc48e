// The activity-counter buffer against a naive model: whatever batches arrive, in whatever minutes, and
// however many writes fail, what reaches the recorder per minute is exactly the sum of what was added.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Event } from "../../../src/model/event.js";
import { createLogger } from "../../../src/shared/logger.js";
import { startStatsBuffer } from "../../../src/stats/buffer.js";
import type { StatsRecorder, Tally } from "../../../src/stats/recorder.js";

const T0 = Date.parse("2026-03-01T10:00:00Z");
const log = createLogger("silent");
const never = 3_600_000; // the timer never fires inside a test: flushes are explicit

function event(phone: string, code?: number): Event {
  return {
    id: `${phone}-${code}`,
    source: "whatsapp",
    kind: code ? "status_error" : "status",
    timestamp: 0,
    code,
    phone_number_id: phone,
  };
}

/** A recorder that keeps what it is given per minute and fails whenever `failing()` says so. */
function capturingRecorder(failing: () => boolean) {
  const written = new Map<number, Map<string, number>>();
  const recorder: StatsRecorder = {
    record: () => Promise.reject(new Error("the buffer only writes")),
    async write(counts: Tally, nowMs: number) {
      if (failing()) throw new Error("redis away");
      const minute = written.get(nowMs) ?? new Map<string, number>();
      for (const [dim, values] of counts)
        for (const [field, n] of values)
          minute.set(`${dim}/${field}`, (minute.get(`${dim}/${field}`) ?? 0) + n);
      written.set(nowMs, minute);
    },
  };
  return { recorder, written };
}

const step = fc.oneof(
  fc.record({
    kind: fc.constant("add" as const),
    atMs: fc.integer({ min: 0, max: 5 * 60_000 }), // five minutes, with ties and out-of-order times
    phones: fc.array(fc.constantFrom("111", "222", "333"), { minLength: 0, maxLength: 4 }),
    code: fc.option(fc.constantFrom(131048, 131026), { nil: undefined }),
  }),
  fc.record({ kind: fc.constant("flush" as const), fails: fc.boolean() }),
);

describe("stats buffer", () => {
  it("writes per minute exactly what was added, across failed writes, in any order", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 40 }), async (steps) => {
        let fail = false;
        const { recorder, written } = capturingRecorder(() => fail);
        const buffer = startStatsBuffer(recorder, { log, flushMs: never });
        const model = new Map<number, Map<string, number>>();
        for (const s of steps) {
          if (s.kind === "flush") {
            fail = s.fails;
            await buffer.flush();
            continue;
          }
          const nowMs = T0 + s.atMs;
          buffer.add(
            s.phones.map((p) => event(p, s.code)),
            { ruleCounts: new Map() },
            nowMs,
          );
          const minuteMs = Math.floor(nowMs / 60_000) * 60_000;
          const minute = model.get(minuteMs) ?? new Map<string, number>();
          for (const p of s.phones) {
            const bump = (k: string) => minute.set(k, (minute.get(k) ?? 0) + 1);
            bump(`phone_number_id:events/${p}`);
            if (s.code !== undefined) {
              bump(`code:errors/${s.code}`);
              bump(`phone_number_id:errors/${p}`);
            }
          }
          if (minute.size > 0) model.set(minuteMs, minute);
        }
        fail = false;
        await buffer.close();
        expect(written).toEqual(model);
      }),
      { numRuns: 200 },
    );
  });

  it("drops the oldest minutes, not the newest, when Redis stays away past the bound", async () => {
    let fail = true;
    const { recorder, written } = capturingRecorder(() => fail);
    const buffer = startStatsBuffer(recorder, { log, flushMs: never });
    for (let m = 0; m < 20; m++) {
      buffer.add([event("111")], { ruleCounts: new Map() }, T0 + m * 60_000);
      await buffer.flush();
    }
    fail = false;
    await buffer.close();
    expect([...written.keys()]).toEqual(Array.from({ length: 15 }, (_, i) => T0 + (i + 5) * 60_000));
  });
});
