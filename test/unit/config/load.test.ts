// Config loading: defaults, ${ENV} interpolation, and every problem reported at once with positions.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig, parseConfig, resolveConfigPath } from "../../../src/config/load.js";
import { configProblems } from "../../helpers/config.js";

const problemsOf = configProblems;
const REPO = resolve(import.meta.dirname, "../../..");

describe("config loader", () => {
  it("fills SPEC.md's defaults into an empty file", () => {
    const c = parseConfig("config.yaml", "", {});
    expect(c.server).toEqual({
      host: "0.0.0.0",
      port: 8080,
      body_limit: "3mb",
      metrics_port: 0,
      metrics_token: "",
    });
    expect(c.redis.prefix).toBe("waba-alerts");
    // defaults.notify is [ops] only when an ops channel exists, so an empty config stays valid.
    expect(c.defaults).toEqual({ notify: [], cooldown: "15m", severity: "warning" });
    expect(
      parseConfig("c.yaml", "channels: { ops: { type: email, to: [a@x.io] } }", {}).defaults.notify,
    ).toEqual(["ops"]);
    expect(c.notify).toEqual({ attempts: 40, backoff: "2s", max_backoff: "1h" });
    expect(c.admin).toEqual({ token: "", queue_board: "readonly" });
    expect(c.retention).toEqual({ notification_jobs: 10_000, silences: 1000, digest_groups: 10_000 });
    expect(c.rules).toMatchObject({ max_file_size: "1mb", max_files: 1000 });
    expect(c.alerts.history_max_age).toBe("30d");
  });

  it("accepts durations the way the duration parser reads them, spaces around included", () => {
    const c = parseConfig("config.yaml", 'notify: { backoff: " 5s ", max_backoff: 90m }', {});
    expect(c.notify.backoff).toBe(" 5s ");
    expect(problemsOf("notify: { backoff: 5 s }")).toEqual([
      expect.stringMatching(/^config\.yaml:1:20: .*duration such as 30s/),
    ]);
  });

  it("loads config.example.yaml, which documents every key", () => {
    const { config } = loadConfig("config.example.yaml", {});
    expect(config.whatsapp.app_secret).toBe("change-me");
    expect(config.channels.ops).toMatchObject({ type: "email", to: ["ops@example.com"] });
    expect(config.channels.forward).toMatchObject({ type: "webhook", timeout: "10s", format: "json" });
    const text = readFileSync("config.example.yaml", "utf8");
    for (const key of [
      "server",
      "redis",
      "whatsapp",
      "ingest",
      "rules",
      "email",
      "channels",
      "defaults",
      "notify",
      "admin",
      "retention",
    ]) {
      expect(text).toMatch(new RegExp(`^${key}:`, "m"));
    }
  });

  it("replaces ${VAR} and ${VAR:-default} from the environment", () => {
    const c = parseConfig(
      "config.yaml",
      'redis: { url: "${REDIS_URL:-redis://127.0.0.1:6379}" }\nwhatsapp: { app_secret: "${SECRET}" }\n',
      { SECRET: "s3cret" },
    );
    expect(c.redis.url).toBe("redis://127.0.0.1:6379");
    expect(c.whatsapp.app_secret).toBe("s3cret");
  });

  it("reports every problem at once as file:line:col, unknown keys and unset variables included", () => {
    const text = [
      "server:",
      "  prot: 80",
      "  port: eighty",
      "channels:",
      "  ops: { type: emial, to: [a@example.com] }",
      "  hook: { type: webhook }",
      "redis:",
      "  url: ${NOPE}",
      "defaults: { notify: [opz], cooldown: 10 minutes }",
      "surprise: true",
    ].join("\n");
    expect(problemsOf(text)).toEqual([
      'config.yaml:2:3: unknown key "prot" in "server"; did you mean "port"?',
      'config.yaml:3:9: "server.port" must be integer',
      'config.yaml:5:16: channel "ops" has unknown type "emial"; did you mean "email"?; use email or webhook',
      'config.yaml:6:9: "channels.hook" is missing the required key "url"',
      "config.yaml:8:8: environment variable NOPE is not set; set it, or give a default with ${NOPE:-value}",
      'config.yaml:9:22: unknown channel "opz"; did you mean "ops"?; define it under "channels" or remove it',
      'config.yaml:9:38: "defaults.cooldown" must be a duration such as 30s, 10m, 2h or 1d (got "10 minutes")',
      'config.yaml:10:1: unknown key "surprise" in the document; allowed keys: server, redis, whatsapp, ingest, rules, email, channels, routes, defaults, notify, admin, workers, alerts, retention, catalog, log',
    ]);
  });

  it("points YAML syntax errors at their line", () => {
    const [first] = problemsOf("server:\n  port: [8080\n");
    expect(first).toMatch(/^config\.yaml:\d+:\d+: YAML syntax error/);
  });

  it("returns a frozen config", () => {
    const c = parseConfig("config.yaml", "", {});
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.server)).toBe(true);
  });

  it("finds the config in SPEC.md's order", () => {
    expect(resolveConfigPath("x.yaml", {})).toMatch(/x\.yaml$/);
    expect(resolveConfigPath(undefined, { WABA_ALERTS_CONFIG: "/etc/w.yaml" })).toBe("/etc/w.yaml");
    expect(resolveConfigPath(undefined, {})).toMatch(/config(\.example)?\.yaml$/);
  });

  it("falls back to the installed package's own config.example.yaml in a directory without one", () => {
    const empty = mkdtempSync(join(tmpdir(), "waba-noconfig-"));
    const cwd = process.cwd();
    try {
      process.chdir(empty);
      const path = resolveConfigPath(undefined, {});
      expect(path).toBe(join(REPO, "config.example.yaml"));
      expect(loadConfig(path, {}).dir).toBe(REPO); // so ./rules means the shipped rules
    } finally {
      process.chdir(cwd);
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe("URLs the engine will dial", () => {
  it("are checked at load with positions, without echoing a password", () => {
    const problems = problemsOf(
      [
        'email: { smtp: "smtp//bad" }',
        "channels:",
        '  hook: { type: webhook, url: "http://" }',
        '  ok: { type: webhook, url: "https://hooks.example.com/x" }',
        "",
      ].join("\n"),
    );
    expect(problems).toEqual([
      expect.stringMatching(
        /^config\.yaml:1:16: email\.smtp is not a URL; write smtp:\/\/user:password@host:587/,
      ),
      expect.stringMatching(/^config\.yaml:3:31: channel "hook": url is not a URL/),
    ]);
    const secret = problemsOf('email: { smtp: "http://user:hunter2@mail.example.com" }');
    expect(secret).toEqual([expect.stringMatching(/email\.smtp must start with smtp:\/\/ or smtps:\/\//)]);
    expect(secret.join("")).not.toContain("hunter2");
    expect(parseConfig("c.yaml", 'email: { smtp: "smtps://u:p@mail.example.com:465" }', {}).email.smtp).toBe(
      "smtps://u:p@mail.example.com:465",
    );
  });
});

describe("routes and grouping", () => {
  const channels = [
    "channels:",
    "  ops: { type: email, to: [a@x.io] }",
    '  acme: { type: webhook, url: "https://acme.example.com/h" }',
  ];

  it("reads routes (continue defaults to false) and a channel's group setting", () => {
    const c = parseConfig(
      "c.yaml",
      [
        ...channels,
        "  team: { type: email, to: [t@x.io], group: { by: [rule, waba_id], interval: 10m } }",
        "  each: { type: email, to: [e@x.io], group: false }",
        "routes:",
        "  - { match: { waba_id: 102290129340398 }, notify: [acme] }",
        "  - { match: { rule: [a, b], severity: critical }, notify: [ops, team], continue: true }",
      ].join("\n"),
      {},
    );
    expect(c.routes).toEqual([
      { match: { waba_id: 102290129340398 }, notify: ["acme"], continue: false },
      { match: { rule: ["a", "b"], severity: "critical" }, notify: ["ops", "team"], continue: true },
    ]);
    expect(c.channels.team?.group).toEqual({ by: ["rule", "waba_id"], interval: "10m" });
    expect(c.channels.each?.group).toBe(false);
  });

  it("reports unknown channels, unknown facts and bad values with positions and did-you-means", () => {
    const problems = problemsOf(
      [
        ...channels,
        "  team: { type: email, to: [t@x.io], group: { by: [rul], interval: 0s } }",
        "routes:",
        '  - { match: { wabaid: "1" }, notify: [acne] }',
        "  - { match: { code: { a: 1 } }, notify: [ops] }",
        "  - { match: {}, notify: [ops] }",
        "  - { notify: [ops] }",
      ].join("\n"),
    );
    expect(problems).toEqual([
      'config.yaml:4:52: unknown fact "rul"; did you mean "rule"?',
      'config.yaml:4:68: "channels.team.group.interval" must be a duration longer than 0, such as 30s, 5m or 1h (got "0s")',
      'config.yaml:6:16: unknown fact "wabaid"; did you mean "waba_id"?',
      'config.yaml:6:40: unknown channel "acne"; did you mean "acme"?; known channels: ops, acme, team; define it under channels: or remove it here',
      'config.yaml:7:22: "routes.1.match.code" must be a value or a non-empty list of values (any of them matches)',
      'config.yaml:8:14: "routes.2.match" must be a map of facts to values, for example { waba_id: "102290129340398" }',
      'config.yaml:9:5: "routes.3" is missing the required key "match"',
    ]);
  });
});

describe("errors", () => {
  it("are ConfigError for the config and RuleError for rules, each carrying every positioned problem", async () => {
    const { ConfigError, ProblemsError, RuleError } = await import("../../../src/shared/problems.js");
    let thrown: unknown;
    try {
      parseConfig("config.yaml", "server: { port: nope }\nbogus: 1\n", {});
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect(thrown).toBeInstanceOf(ProblemsError);
    expect((thrown as InstanceType<typeof ConfigError>).problems.map((p) => [p.line, p.col])).toEqual([
      [1, 17],
      [2, 1],
    ]);
    expect(new RuleError([{ file: "r.yaml", line: 3, col: 5, message: "x" }]).message).toBe("invalid rules:\nr.yaml:3:5: x");
  });
});
