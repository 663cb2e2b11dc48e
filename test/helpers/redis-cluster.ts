// A real Redis Cluster on loopback for tests: Debian's redis-server in cluster mode, joined with redis-cli.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { Cluster, Redis } from "ioredis";

const run = promisify(execFile);

/** ClusterNode is one redis-server of the test cluster. */
export interface ClusterNode {
  readonly port: number;
  readonly url: string;
  /** The node's id in the cluster (CLUSTER MYID). */
  readonly id: string;
}

/** TestCluster is a running cluster; `stop` shuts every node down and removes its files. */
export interface TestCluster {
  readonly nodes: readonly ClusterNode[];
  /** The seed URLs to give `redis.cluster`. */
  readonly urls: readonly string[];
  /** masters lists the nodes that serve slots now (a failover changes it). */
  masters(): Promise<ClusterNode[]>;
  /** replicaOf finds a replica of the master on `port`. */
  replicaOf(port: number): Promise<ClusterNode | undefined>;
  /** client opens a Cluster connection for the test's own reads (close it yourself). */
  client(): Cluster;
  /** commandsPerNode sums INFO commandstats calls of every master (after `resetStats`). */
  commandsPerNode(): Promise<Map<number, number>>;
  /** resetStats zeroes every node's INFO commandstats (CONFIG RESETSTAT). */
  resetStats(): Promise<void>;
  /** flush empties every master, so the next test starts clean. */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

/** isFree says whether nothing listens on `port` of 127.0.0.1. */
function isFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const srv = createServer();
    srv.once("error", () => done(false));
    srv.listen(port, "127.0.0.1", () => srv.close(() => done(true)));
  });
}

/** freeClusterPorts finds `n` ports whose cluster bus ports (port + 10000) are free too. */
async function freeClusterPorts(n: number): Promise<number[]> {
  const out: number[] = [];
  while (out.length < n) {
    const port = 20000 + Math.floor(Math.random() * 30000);
    if (out.includes(port) || out.includes(port + 10000) || out.includes(port - 10000)) continue;
    if ((await isFree(port)) && (await isFree(port + 10000))) out.push(port);
  }
  return out;
}

async function waitUntil(what: string, check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > end) throw new Error(`test cluster: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function cli(port: number, ...args: string[]): Promise<string> {
  const { stdout } = await run("redis-cli", ["-h", "127.0.0.1", "-p", String(port), ...args]);
  return stdout;
}

/**
 * startRedisCluster starts `masters` × (1 + `replicas`) nodes and joins them: `redis-cli --cluster create`
 * gives each master an equal, contiguous range of the 16384 slots. Resolves once every node says the
 * cluster is ok and knows every other node.
 */
export async function startRedisCluster(opts: { masters?: number; replicas?: number } = {}): Promise<TestCluster> {
  const masters = opts.masters ?? 3;
  const replicas = opts.replicas ?? 0;
  const dir = mkdtempSync(join(tmpdir(), "waba-cluster-"));
  const ports = await freeClusterPorts(masters * (1 + replicas));
  const children: ChildProcess[] = ports.map((port) =>
    spawn(
      "redis-server",
      [
        "--port", String(port),
        "--bind", "127.0.0.1",
        "--cluster-enabled", "yes",
        "--cluster-config-file", join(dir, `nodes-${port}.conf`),
        "--cluster-node-timeout", "2000",
        "--dir", dir,
        "--save", "",
        "--appendonly", "no",
      ],
      { stdio: "ignore" },
    ),
  );
  // A test process that dies without its afterAll must not leave the nodes running.
  const killAll = () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  };
  process.once("exit", killAll);
  const stop = async () => {
    process.removeListener("exit", killAll);
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((done) => {
            if (c.exitCode !== null || c.signalCode !== null) return done();
            c.once("exit", () => done());
            c.kill("SIGTERM");
          }),
      ),
    );
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const port of ports) await waitUntil(`node ${port}`, async () => (await cli(port, "ping")).trim() === "PONG");
    await run("redis-cli", [
      "--cluster", "create",
      ...ports.map((p) => `127.0.0.1:${p}`),
      "--cluster-replicas", String(replicas),
      "--cluster-yes",
    ]);
    for (const port of ports) {
      await waitUntil(`cluster_state:ok on ${port}`, async () => {
        const info = await cli(port, "cluster", "info");
        return /cluster_state:ok/.test(info) && new RegExp(`cluster_known_nodes:${ports.length}\\b`).test(info);
      });
    }
    // Replicas take a moment to attach; a failover test needs them in sync.
    if (replicas > 0) {
      await waitUntil("replicas in sync", async () => {
        const roles = await Promise.all(ports.map((p) => cli(p, "info", "replication")));
        return roles.filter((r) => /role:slave/.test(r) && /master_link_status:up/.test(r)).length === masters * replicas;
      });
    }
  } catch (err) {
    await stop();
    throw err;
  }
  const nodes: ClusterNode[] = [];
  for (const port of ports) {
    nodes.push({ port, url: `redis://127.0.0.1:${port}`, id: (await cli(port, "cluster", "myid")).trim() });
  }
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const table = async () =>
    (await cli(ports[0] as number, "cluster", "nodes"))
      .trim()
      .split("\n")
      .map((line) => line.split(" "))
      .map(([id, , flags, master]) => ({ id: id ?? "", flags: flags ?? "", master: master ?? "-" }));
  const masterNodes = async () =>
    (await table())
      .filter((r) => r.flags.includes("master") && !r.flags.includes("fail"))
      .flatMap((r) => byId.get(r.id) ?? []);
  return {
    nodes,
    urls: nodes.map((n) => n.url),
    masters: masterNodes,
    async replicaOf(port) {
      const master = nodes.find((n) => n.port === port);
      const row = (await table()).find((r) => r.flags.includes("slave") && r.master === master?.id);
      return row ? byId.get(row.id) : undefined;
    },
    client: () => new Cluster(nodes.map((n) => ({ host: "127.0.0.1", port: n.port }))),
    async commandsPerNode() {
      const out = new Map<number, number>();
      for (const node of await masterNodes()) {
        const stats = await cli(node.port, "info", "commandstats");
        const calls = [...stats.matchAll(/^cmdstat_([a-z|]+):calls=(\d+)/gm)]
          .filter((m) => !["info", "config|resetstat", "cluster|nodes", "cluster|info", "ping"].includes(m[1] ?? ""))
          .reduce((sum, m) => sum + Number(m[2]), 0);
        out.set(node.port, calls);
      }
      return out;
    },
    async resetStats() {
      await Promise.all(ports.map((p) => cli(p, "config", "resetstat")));
    },
    async flush() {
      await Promise.all((await masterNodes()).map((n) => cli(n.port, "flushall")));
    },
    stop,
  };
}

/** directClient is a plain connection to one node (CLUSTER FAILOVER, DEBUG …). */
export function directClient(node: ClusterNode): Redis {
  return new Redis(node.port, "127.0.0.1");
}
