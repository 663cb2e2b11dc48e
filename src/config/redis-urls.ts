// Checks where the config says Redis is (`redis.url`, `redis.cluster`), so a typo fails at load with a position.
import type { Problem } from "../shared/problems.js";
import { problemAt, type YamlSource } from "../shared/yaml-source.js";
import { urlProblem } from "./url-problem.js";

const REDIS = ["redis:", "rediss:"] as const;

/**
 * checkRedisUrls reports a `redis.url` or cluster seed that is not a redis:// URL, and a database number on a
 * cluster seed (a Redis Cluster only has database 0). Values are not echoed: they may carry a password.
 */
export function checkRedisUrls(source: YamlSource, raw: Record<string, unknown>): Problem[] {
  const redis = (raw.redis ?? {}) as { url?: unknown; cluster?: unknown };
  const problems: Problem[] = [];
  if (Array.isArray(redis.cluster)) {
    redis.cluster.forEach((seed, i) => {
      // A seed that does not start with redis:// is already reported by the schema.
      if (typeof seed !== "string" || !/^rediss?:\/\//.test(seed)) return;
      const why = urlProblem(seed, REDIS) ?? (new URL(seed).pathname.length > 1 ? "names a database" : undefined);
      if (why)
        problems.push(
          problemAt(
            source,
            ["redis", "cluster", i],
            `redis.cluster seed ${why}; write redis://host:port (or rediss://user:password@host:port), without a database: a Redis Cluster only has database 0`,
          ),
        );
    });
  } else if (typeof redis.url === "string" && redis.url !== "" && source.doc.hasIn(["redis", "url"])) {
    // An empty url is what an unset ${VAR} leaves, and that is reported already.
    const why = urlProblem(redis.url, REDIS);
    if (why)
      problems.push(
        problemAt(
          source,
          ["redis", "url"],
          `redis.url ${why}; write redis://host:6379, redis://user:password@host:6379/0 or rediss://… for TLS`,
        ),
      );
  }
  return problems;
}
