// compose.yaml, the image's config and the systemd units agree with the Dockerfile and the CLI.
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/config/load.js";
import { dockerignore, execForm, parseDockerfile } from "../../helpers/dockerfile.js";
import { REPO } from "../../helpers/engine.js";

interface Service {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  healthcheck?: { test: string[] };
}

const compose = parse(readFileSync(join(REPO, "compose.yaml"), "utf8"), { merge: true }) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const { stages } = parseDockerfile(readFileSync(join(REPO, "Dockerfile"), "utf8"));
const final = stages.at(-1)!.steps;
const imageEnv = Object.fromEntries(
  final
    .filter((s) => s.op === "ENV")
    .flatMap((s) => s.args.split(/\s+/))
    .map((kv) => kv.split("=") as [string, string]),
);
const imageConfig = loadConfig(join(REPO, "examples/docker/config.yaml"), {}).config;

/** mount splits a compose volume `source:target[:mode]`, where the source may be `${VAR:-default}`. */
function mount(spec: string): { source: string; target: string } {
  const m = /^(\$\{[^}]+\}|[^:]+):([^:]+)(?::(?:ro|rw))?$/.exec(spec);
  if (!m) throw new Error(`cannot read the volume ${spec}`);
  return { source: m[1] ?? "", target: m[2] ?? "" };
}

describe("compose.yaml", () => {
  it("runs Redis with the append-only file on a volume, and the engine as serve + worker", () => {
    const { redis, serve, worker } = compose.services;
    expect(redis?.command?.join(" ")).toMatch(/--appendonly yes/);
    expect(redis?.command?.join(" ")).toMatch(/--appendfsync everysec/);
    expect(redis?.volumes).toContain("redis-data:/data");
    expect(compose.volumes).toHaveProperty("redis-data");
    expect(serve?.command).toEqual(["serve"]);
    expect(worker?.command).toEqual(["worker"]);
  });

  it("mounts config and rules where the image reads them, and probes each service on its own port", () => {
    const config = imageEnv.WABA_ALERTS_CONFIG;
    expect(config).toBe("/etc/waba-alerts/config.yaml");
    for (const s of [compose.services.serve, compose.services.worker]) {
      const mounts = (s?.volumes ?? []).map(mount);
      expect(mounts.map((m) => m.target)).toEqual(expect.arrayContaining([config, "/etc/waba-alerts/rules"]));
      // The default host paths exist in the checkout.
      for (const m of mounts) {
        const host = /^\$\{[A-Z_]+:-([^}]+)\}$/.exec(m.source)?.[1];
        if (host) expect(existsSync(join(REPO, host)), host).toBe(true);
      }
    }
    expect(compose.services.serve?.ports).toContain(`${imageConfig.server.port}:${imageConfig.server.port}`);
    expect(imageEnv.HEALTHCHECK_URL).toBe(`http://127.0.0.1:${imageConfig.server.port}/healthz`);
    expect(compose.services.worker?.environment?.HEALTHCHECK_URL).toBe(
      `http://127.0.0.1:${imageConfig.workers.metrics_port}/healthz`,
    );
    const rulesCopy = final.find((s) => s.op === "COPY" && s.args.endsWith("/etc/waba-alerts/rules"));
    expect(rulesCopy).toBeDefined();
    expect(imageConfig.rules.paths).toEqual(["./rules"]);
  });

  it("the image's config logs JSON and keeps the outbox on the image's volume", () => {
    expect(imageConfig.log.format).toBe("json");
    const volumes = final.filter((s) => s.op === "VOLUME").flatMap((s) => s.args.split(/\s+/));
    expect(volumes.some((v) => imageConfig.email.outbox.startsWith(`${v}/`))).toBe(true);
    const health = final.find((s) => s.op === "HEALTHCHECK");
    expect(execForm(health!.args.slice(health!.args.indexOf("CMD") + 3)).join(" ")).toContain(
      "HEALTHCHECK_URL",
    );
  });
});

describe(".dockerignore", () => {
  const ignored = dockerignore(readFileSync(join(REPO, ".dockerignore"), "utf8"));

  it("keeps secrets, the host's node_modules and build, and the test tree out of the build context", () => {
    for (const p of ["config.yaml", ".env", "node_modules", "dist", "test/unit", ".git", "examples/grafana/x.json"])
      expect(ignored(p), p).toBe(true);
  });

  it("lets in what the build and the image need, including the image's config under examples/", () => {
    for (const p of ["src/main.ts", "package.json", "scripts/build.mjs", "rules/delivery.yaml", "LICENSE"])
      expect(ignored(p), p).toBe(false);
    expect(ignored("examples", true)).toBe(false); // walked, for the exception below
    expect(ignored("examples/docker/config.yaml")).toBe(false);
  });
});

describe("systemd units", () => {
  const dir = join(REPO, "examples/systemd");
  const units = readdirSync(dir).filter((f) => f.endsWith(".service"));

  it("run serve and worker through the installed package's bin as an unprivileged user", () => {
    const exec = units.map((u) => /^ExecStart=(.+)$/m.exec(readFileSync(join(dir, u), "utf8"))?.[1] ?? "");
    expect(exec.map((e) => e.split(" ").at(-1)).sort()).toEqual(["serve", "worker"]);
    for (const e of exec)
      expect(e).toMatch(/node_modules\/waba-alerts\/bin\/waba-alerts\.js (serve|worker)$/);
    for (const u of units) expect(readFileSync(join(dir, u), "utf8")).toMatch(/^User=waba-alerts$/m);
  });

  const analyze = ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"].find(existsSync);
  it.skipIf(!analyze)("pass systemd-analyze verify", () => {
    const tmp = mkdtempSync(join(tmpdir(), "waba-units-"));
    try {
      for (const u of units) {
        // A template is verified as one of its instances.
        const name = u.replace("@.service", "@1.service");
        copyFileSync(join(dir, u), join(tmp, name));
        const out = execFileSync(analyze!, ["verify", join(tmp, name)], { encoding: "utf8", stdio: "pipe" });
        expect(out).toBe("");
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
