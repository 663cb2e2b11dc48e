// Where queue partitions live: each tag's slot in its own share of the slot space, each number in one partition.
import { describe, expect, it } from "vitest";
import { eventPartitionKey } from "../../../src/queue/events.js";
import { partitionIndex, partitionTag, queuePartitions, spreadByPartition } from "../../../src/queue/partitions.js";
import { crc16, keySlot, SLOTS } from "../../../src/queue/slot.js";
import type { Event } from "../../../src/model/event.js";

/** masterOf is the master that `redis-cli --cluster create` gives `slot` among `masters` equal ranges. */
function masterOf(slot: number, masters: number): number {
  return Math.min(masters - 1, Math.floor(slot / Math.ceil(SLOTS / masters)));
}

describe("hash slots", () => {
  it("match Redis's CLUSTER KEYSLOT, hash tags included", () => {
    // Values from the Redis Cluster specification's examples.
    expect(keySlot("somekey")).toBe(11058);
    expect(keySlot("foo{hash_tag}")).toBe(keySlot("hash_tag"));
    expect(keySlot("{user1000}.following")).toBe(keySlot("{user1000}.followers"));
    // An empty tag hashes the whole key; the tag ends at the first "}" after the first "{".
    expect(keySlot("foo{}{bar}")).toBe(crc16("foo{}{bar}") % SLOTS);
    expect(keySlot("foo{{bar}}zap")).toBe(crc16("{bar") % SLOTS);
  });
});

describe("queue partitions", () => {
  it("keep the one {prefix} tag of earlier versions when there is one partition", () => {
    expect(queuePartitions("waba-alerts")).toEqual([{ index: 0, tag: "waba-alerts", prefix: "{waba-alerts}" }]);
  });

  it.each([2, 3, 6, 12, 64])("put each of %i partitions in the middle half of its share of the slots", (n) => {
    const parts = queuePartitions("waba-alerts", n);
    expect(parts).toHaveLength(n);
    parts.forEach((p, i) => {
      const slot = keySlot(`${p.prefix}:events:wait`);
      expect(slot).toBeGreaterThanOrEqual((i + 0.25) * (SLOTS / n));
      expect(slot).toBeLessThanOrEqual((i + 0.75) * (SLOTS / n));
      expect(p.tag).toBe(partitionTag("waba-alerts", i, n));
    });
  });

  it("land 6 partitions on 3 equal masters two by two, and 4 of 2 masters each", () => {
    const count = (n: number, masters: number) => {
      const per = new Array<number>(masters).fill(0);
      for (const p of queuePartitions("acme", n)) per[masterOf(keySlot(p.prefix), masters)]! += 1;
      return per;
    };
    expect(count(6, 3)).toEqual([2, 2, 2]);
    expect(count(4, 2)).toEqual([2, 2]);
    expect(count(3, 3)).toEqual([1, 1, 1]);
  });

  it("send one number always to one partition, and many numbers to all of them", () => {
    const numbers = Array.from({ length: 600 }, (_, i) => `1065403522${String(i).padStart(5, "0")}`);
    const first = numbers.map((n) => partitionIndex(n, 6));
    expect(numbers.map((n) => partitionIndex(n, 6))).toEqual(first);
    const sizes = new Array<number>(6).fill(0);
    for (const p of first) sizes[p]! += 1;
    for (const size of sizes) expect(size).toBeGreaterThan(60);
    expect(partitionIndex(undefined, 6)).toBe(0);
    expect(partitionIndex("anything", 1)).toBe(0);
  });

  it("split a batch by number, keeping each number's events in order; no number goes by WABA", () => {
    const ev = (id: string, phone?: string, waba?: string) =>
      ({ id, source: "whatsapp", kind: "status", ...(phone ? { phone_number_id: phone } : {}), ...(waba ? { waba_id: waba } : {}) }) as Event;
    const events = [ev("a1", "A"), ev("b1", "B"), ev("a2", "A"), ev("w1", undefined, "W"), ev("a3", "A"), ev("x")];
    const parts = spreadByPartition(events, 6, eventPartitionKey);
    const of = (id: string) => [...parts].find(([, list]) => list.some((e) => e.id === id));
    expect(of("a1")?.[1].filter((e) => e.phone_number_id === "A").map((e) => e.id)).toEqual(["a1", "a2", "a3"]);
    expect(of("w1")?.[0]).toBe(partitionIndex("W", 6));
    expect(of("x")?.[0]).toBe(0);
    expect([...parts.values()].flat()).toHaveLength(events.length);
  });
});

describe("crc16", () => {
  it("hashes the UTF-8 bytes of a key that is not ASCII", () => {
    expect(crc16("número")).toBe(crc16Of(Buffer.from("número", "utf8")));
  });
});

/** crc16Of is CRC16/XMODEM bit by bit, as a reference. */
function crc16Of(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}
