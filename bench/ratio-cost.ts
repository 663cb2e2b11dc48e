// Focused measurement of the shipped failed-share rule: its cost per batch (evaluator + real Redis stores, with
// and without it) and its Redis memory per status and per group. `npx tsx bench/ratio-cost.ts [--rounds=N]`.
// Not part of `npm run bench`: it needs no engine processes, only a Redis on 127.0.0.1 (its keys are removed).
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { Redis } from "ioredis";
import { createCatalog } from "../src/catalog/index.js";
import { createRedisAbsenceStore } from "../src/evaluate/absence/redis-store.js";
import { createEvaluator, type Evaluator } from "../src/evaluate/evaluator.js";
import { createRedisBucketStore } from "../src/evaluate/window/bucket-redis.js";
import { createRedisWindowStore } from "../src/evaluate/window/redis-store.js";
import type { Event, EventBatch } from "../src/model/event.js";
import { normalizeWhatsApp } from "../src/ingest/normalize.js";
import { loadRules } from "../src/rules/load.js";
import { deleteKeys } from "../test/helpers/redis.js";
import { generateBodies } from "./payloads.js";
import { withShipped, writeRules } from "./rules-gen.js";

const roundsArg = process.argv.find((a) => a.startsWith("--rounds="));
const ROUNDS = roundsArg ? Number(roundsArg.split("=")[1]) : 5;
const BATCHES = 200;
const tmp = mkdtempSync(join(tmpdir(), "waba-ratio-cost-"));
const prefix = `bench-ratio-${randomBytes(4).toString("hex")}`;
const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");

type Variant = "without" | "with" | "traffic";
const VARIANTS: readonly Variant[] = ["without", "with", "traffic"];

/**
 * ruleDirs writes the bench's 10 core rules ("without"), the same plus the shipped failed-share rule
 * ("with"), and the same plus all of rules/traffic.yaml ("traffic": also the spike and the silence rule).
 */
function ruleDirs(): Record<Variant, string> {
  const without = writeRules(tmp, 10);
  return {
    without,
    with: withShipped(tmp, without, "with-ratio", "traffic.yaml", ["failed-share"]),
    traffic: withShipped(tmp, without, "with-traffic", "traffic.yaml"),
  };
}

async function evaluatorFor(dir: string): Promise<Evaluator> {
  const loaded = await loadRules([dir], {
    baseDir: dir,
    channels: ["ops", "hook"],
    defaults: { notify: ["ops"], cooldown: "15m", severity: "warning" },
  });
  if (!loaded.ok) throw new Error(`rules in ${dir}: ${loaded.problems[0]?.message}`);
  const set = loaded.set;
  return createEvaluator({
    rules: () => set,
    catalog: createCatalog(),
    windows: createRedisWindowStore(redis, prefix),
    buckets: createRedisBucketStore(redis, prefix),
    absences: createRedisAbsenceStore(redis, prefix),
    maxSamples: 5,
    maskPhoneNumbers: true,
    trace: false,
  });
}

/** batches makes `n` batches of `size` mixed statuses (95 % delivered, 20 numbers), ids unique to `run`. */
function batches(run: string, n: number, size: number): EventBatch[] {
  const now = Date.now();
  const bodies = generateBodies({ run, bodies: n * size, statusesPerBody: 1, mix: "mixed", secret: "x" });
  const events: Event[] = bodies.flatMap((b) => {
    const r = normalizeWhatsApp(JSON.parse(b.body.toString("utf8")), {
      receivedAtMs: now,
      bodyHash: () => run,
    });
    if (!r.ok) throw new Error(r.reason);
    return r.events;
  });
  return Array.from({ length: n }, (_, i) => ({
    received_at: now,
    events: events.slice(i * size, (i + 1) * size),
  }));
}

async function redisCpuMs(): Promise<number> {
  const info = await redis.info("cpu");
  const read = (k: string) => Number(new RegExp(`${k}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  return (read("used_cpu_user") + read("used_cpu_sys")) * 1000;
}

interface Sample {
  wallUsPerEvent: number;
  nodeCpuUsPerEvent: number;
  redisCpuUsPerEvent: number;
}

async function timeRun(evaluator: Evaluator, input: readonly EventBatch[]): Promise<Sample> {
  const events = input.reduce((n, b) => n + b.events.length, 0);
  const cpu0 = process.cpuUsage();
  const redis0 = await redisCpuMs();
  const t0 = performance.now();
  for (const b of input) await evaluator.evaluate(b, Date.now());
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const redisMs = (await redisCpuMs()) - redis0;
  return {
    wallUsPerEvent: (wall * 1000) / events,
    nodeCpuUsPerEvent: (cpu.user + cpu.system) / events,
    redisCpuUsPerEvent: (redisMs * 1000) / events,
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function cost(size: number, dirs: Record<Variant, string>): Promise<void> {
  const evals = {} as Record<Variant, Evaluator>;
  const samples = {} as Record<Variant, Sample[]>;
  for (const v of VARIANTS) {
    evals[v] = await evaluatorFor(dirs[v]);
    samples[v] = [];
  }
  // Variants interleave round by round, so that a busy moment on the machine hits them all alike.
  for (let r = 0; r < ROUNDS; r++) {
    for (const v of VARIANTS)
      samples[v].push(await timeRun(evals[v], batches(`${v}${size}r${r}`, BATCHES, size)));
  }
  const row = (v: Variant) => {
    const m = (k: keyof Sample) => median(samples[v].map((s) => s[k]));
    return { wall: m("wallUsPerEvent"), node: m("nodeCpuUsPerEvent"), redis: m("redisCpuUsPerEvent") };
  };
  const base = row("without");
  const show = (x: number) => x.toFixed(1);
  console.log(`batches of ${size}, µs per status (wall / node CPU / redis CPU):`);
  console.log(`  without:          ${show(base.wall)} / ${show(base.node)} / ${show(base.redis)}`);
  for (const [v, label] of [
    ["with", "+ failed-share: "],
    ["traffic", "+ traffic.yaml:  "],
  ] as const) {
    const r = row(v);
    console.log(
      `  ${label} ${show(r.wall)} / ${show(r.node)} / ${show(r.redis)}  (added: node ${show(r.node - base.node)}, redis ${show(r.redis - base.redis)})`,
    );
  }
}

/** ratioKeyBytes weighs the failed-share keys: the id sets apart from the rest (state, buckets, samples). */
async function ratioKeyBytes(): Promise<{ seen: number; other: number; otherKeys: number }> {
  let cursor = "0";
  const out = { seen: 0, other: 0, otherKeys: 0 };
  do {
    const [next, found] = await redis.scan(
      cursor,
      "MATCH",
      `${prefix}:window:*failed-share@*`,
      "COUNT",
      1000,
    );
    cursor = next;
    for (const k of found) {
      const bytes = Number(await redis.call("MEMORY", "USAGE", k, "SAMPLES", "0"));
      if (k.includes(":seen:")) out.seen += bytes;
      else {
        out.other += bytes;
        out.otherKeys++;
      }
    }
  } while (cursor !== "0");
  return out;
}

/** memory pushes known statuses of one number through failed-share and weighs its keys. */
async function memory(dir: string): Promise<void> {
  const evaluator = await evaluatorFor(dir);
  const now = Date.now();
  const status = (i: number, timeMs: number): Event => ({
    id: randomBytes(16).toString("hex"),
    source: "whatsapp",
    kind: i % 20 === 0 ? "status_error" : "status",
    status: i % 20 === 0 ? "failed" : "delivered",
    ...(i % 20 === 0 ? { code: 131026 } : {}),
    phone_number_id: "106540352200001",
    recipient_id: `1646${String(i).padStart(7, "0")}`,
    timestamp: Math.floor(timeMs / 1000),
  });
  // One number at the bench's 1-status rate (~5,600 statuses/s over 20 numbers = 280/s): one minute bucket.
  const perBucket = 17_000;
  for (let i = 0; i < perBucket; i += 100) {
    const events = Array.from({ length: 100 }, (_, j) => status(i + j, now));
    await evaluator.evaluate({ received_at: now, events }, now);
  }
  const { seen } = await ratioKeyBytes();
  const perStatus = seen / perBucket;
  console.log(
    `id memory: ${perBucket} statuses in one bucket → ${seen} bytes (${perStatus.toFixed(1)} bytes/status); ` +
      `a 1h window at 5,000 statuses/s keeps ${((perStatus * 5000 * 3600) / 2 ** 20).toFixed(0)} MiB`,
  );
  // The counters of a group with all 60 buckets of the hour in use.
  for (let m = 1; m < 60; m++) {
    const events = Array.from({ length: 20 }, (_, j) => status(j, now - m * 60_000));
    await evaluator.evaluate({ received_at: now, events }, now);
  }
  const group = await ratioKeyBytes();
  console.log(
    `group memory: state + buckets + samples of one number with 60 buckets → ${group.other} bytes (${group.otherKeys} keys)`,
  );
}

try {
  const dirs = ruleDirs();
  console.log(
    `${ROUNDS} rounds of ${BATCHES} batches, medians (Redis CPU is the whole server's: use a Redis of your own)`,
  );
  await cost(12, dirs);
  await cost(100, dirs);
  await deleteKeys(redis, `${prefix}:*`);
  await memory(dirs.with);
} finally {
  await deleteKeys(redis, `${prefix}:*`);
  redis.disconnect();
  rmSync(tmp, { recursive: true, force: true });
}
