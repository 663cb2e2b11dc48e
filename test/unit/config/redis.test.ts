// Where Redis is, as the config says it: a cluster's seed nodes or one URL, partitions, and their mistakes.
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../src/config/load.js";
import { configProblems } from "../../helpers/config.js";

describe("redis config", () => {
  it("takes cluster seed nodes and partitions, defaulting to one partition and no cluster", () => {
    const c = parseConfig("config.yaml", `redis: { cluster: ["redis://10.0.0.1:7000", "rediss://u:p@10.0.0.2:7000"], partitions: 6 }\n`, {});
    expect(c.redis).toMatchObject({ cluster: ["redis://10.0.0.1:7000", "rediss://u:p@10.0.0.2:7000"], partitions: 6 });
    expect(parseConfig("config.yaml", "redis: {}\n", {}).redis).toEqual({
      url: "redis://127.0.0.1:6379",
      partitions: 1,
      prefix: "waba-alerts",
    });
  });

  it("reports a bad seed, a seed with a database, a bad url and a partition count out of range, with positions", () => {
    const text = [
      "redis:",
      "  cluster:",
      "    - redis://10.0.0.1:7000",
      "    - http://10.0.0.2:7000",
      "    - redis://10.0.0.3:7000/2",
      "  partitions: 0",
    ].join("\n");
    expect(configProblems(text)).toEqual([
      'config.yaml:4:7: "redis.cluster.1" must be a redis:// or rediss:// URL (got "http://10.0.0.2:7000")',
      "config.yaml:5:7: redis.cluster seed names a database; write redis://host:port (or rediss://user:password@host:port), without a database: a Redis Cluster only has database 0",
      'config.yaml:6:15: "redis.partitions" must be >= 1',
    ]);
    expect(configProblems('redis: { url: "localhost:6379" }\n')).toEqual([
      "config.yaml:1:15: redis.url must start with redis:// or rediss://; write redis://host:6379, redis://user:password@host:6379/0 or rediss://… for TLS",
    ]);
  });
});
