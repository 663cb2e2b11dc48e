// A digest's state lives in Redis: a worker killed while alerts are being gathered loses none of them.
import { describe, expect, it } from "vitest";
import { type RecordedRequest, startHttpReceiver } from "../helpers/http-receiver.js";
import { useFaultEnvironment } from "./support/environment.js";
import { freePort, sleep, startApp, waitUntil } from "./support/processes.js";
import { batchOf, metaBody, postBody, readHistory, writeScenario } from "./support/scenario.js";

interface Body {
  type: string;
  alert?: { id: string };
  alerts?: Array<{ id: string }>;
}

const bodyOf = (r: RecordedRequest) => JSON.parse(r.body.toString("utf8")) as Body;

describe("digests across a crash", () => {
  const env = useFaultEnvironment();

  it("a worker SIGKILLed while a digest gathers: another worker sends it, once, listing every gathered alert", async () => {
    const receiver = await startHttpReceiver();
    const s = env.track(
      writeScenario({
        redisUrl: env.redis.url,
        port: await freePort(),
        // Every 131026 is its own alert; the channel gathers them by rule into a digest every 4 s.
        channels: `  team: { type: webhook, url: "${receiver.url}", secret: "t", group: { by: [rule], interval: 4s } }`,
        notify: ["team"],
      }),
    );
    const serve = await startApp("serve", s.config);
    const first = await startApp("worker", s.config);
    try {
      const run = `d${Date.now()}`;
      expect(await postBody(s.port, metaBody(batchOf(run, 0, 10, 1)))).toBe(200);
      // The group's first alert goes at once; the other nine are recorded and wait for the digest.
      await waitUntil("the first alert delivered", () => receiver.requests.length >= 1, 15_000);
      await waitUntil(
        "ten alerts recorded",
        async () => (await readHistory(env.redis.url, s.prefix)).length >= 10,
        15_000,
      );
      await first.stop("SIGKILL");

      const second = await startApp("worker", s.config);
      await waitUntil(
        "the digest delivered",
        () => receiver.requests.some((r) => bodyOf(r).type === "alert.digest"),
        30_000,
      );
      await sleep(2500);
      await second.stop("SIGTERM");

      // At least once: a request the killed worker had in flight may come again, with the same key.
      const byKey = new Map<string, Body>();
      for (const r of receiver.requests) byKey.set(String(r.headers["idempotency-key"]), bodyOf(r));
      const digests = [...byKey].filter(([, b]) => b.type === "alert.digest");
      const singles = [...byKey].filter(([, b]) => b.type !== "alert.digest");
      expect(digests).toHaveLength(1);
      expect(singles).toHaveLength(1);
      expect(digests[0]![0]).toMatch(/^digest-/);
      // The digest lists every alert of its interval, the one sent on its own too (README, "Grouping").
      const listed = digests[0]![1].alerts!.map((a) => a.id).sort();
      expect(listed).toContain(singles[0]![1].alert!.id);
      const recorded = (await readHistory(env.redis.url, s.prefix))
        .filter((e) => e.alert.rule.id === "each-undeliverable")
        .map((e) => e.alert.id)
        .sort();
      expect(recorded).toHaveLength(10);
      expect(listed).toEqual(recorded);
    } finally {
      await serve.stop("SIGTERM");
      await receiver.close();
    }
  }, 90_000);
});
