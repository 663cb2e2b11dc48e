// The reload signal between processes, on the real Redis: heard by the others, not by the sender, and caught
// up from the version key when pub/sub lost the message (a subscriber that was reconnecting).
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { pino } from "pino";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { type Broadcast, startBroadcast } from "../../../src/queue/broadcast.js";
import type { Logger } from "../../../src/shared/logger.js";
import { waitFor } from "../../helpers/engine.js";

const URL = "redis://127.0.0.1:6379";
const log = pino({ level: "silent" }) as unknown as Logger;

describe("broadcast", () => {
  const redis = new Redis(URL);
  const key = `test-broadcast-${randomUUID()}`;
  const open: Broadcast[] = [];

  afterEach(async () => {
    for (const b of open.splice(0)) await b.close();
    await redis.del(key, `${key}:at`);
  });

  afterAll(() => redis.disconnect());

  function listener(since?: number): { heard: number; broadcast: Broadcast } {
    const self = { heard: 0, broadcast: undefined as unknown as Broadcast };
    self.broadcast = startBroadcast({
      redis,
      target: { url: URL },
      key,
      channel: key,
      heard: () => {
        self.heard++;
      },
      log,
      pollMs: 200,
      ...(since !== undefined ? { since } : {}),
    });
    open.push(self.broadcast);
    return self;
  }

  it("reaches every other process at once, and not the one that sent it", async () => {
    const a = listener();
    const b = listener();
    const c = listener();
    await new Promise((r) => setTimeout(r, 300));
    const sent = Date.now();
    await a.broadcast.send();
    await waitFor(async () => (b.heard === 1 && c.heard === 1 ? true : undefined), 2000, "b and c");
    expect(Date.now() - sent).toBeLessThan(1000);
    await new Promise((r) => setTimeout(r, 500));
    expect([a.heard, b.heard, c.heard]).toEqual([0, 1, 1]);
  });

  it("catches up from the version key when the message itself was lost", async () => {
    const b = listener();
    await new Promise((r) => setTimeout(r, 300));
    // What a process does when it sends, minus the message: as if b's subscription was down meanwhile.
    await redis.incr(key);
    await waitFor(async () => (b.heard === 1 ? true : undefined), 2000, "b to catch up");
    await new Promise((r) => setTimeout(r, 500));
    expect(b.heard).toBe(1);
  });

  it("hears a signal sent after its `since` even before it listened, and none sent before", async () => {
    const a = listener();
    await new Promise((r) => setTimeout(r, 300));
    await a.broadcast.send();
    await new Promise((r) => setTimeout(r, 20));
    // b took in its state (say, read its rule files) after that first signal, but before the second one,
    // and only starts listening once the second was sent: the process that started slowly.
    const since = Date.now();
    await new Promise((r) => setTimeout(r, 20));
    await a.broadcast.send();
    const b = listener(since);
    // c took in its state after both: nothing to hear.
    const c = listener();
    await waitFor(async () => (b.heard === 1 ? true : undefined), 2000, "b to hear the signal it missed");
    await new Promise((r) => setTimeout(r, 600));
    expect([a.heard, b.heard, c.heard]).toEqual([0, 1, 0]);
  });
});
