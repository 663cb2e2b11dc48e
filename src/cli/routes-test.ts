// `waba-alerts routes test --facts JSON`: which channels an alert with these facts would reach, and why.
import { readFileSync } from "node:fs";
import { loadRules } from "../rules/load.js";
import { groupSpecOf } from "../route/grouping.js";
import { compileRoutes, type Route, routeAlert } from "../route/routes.js";
import { formatDuration } from "../shared/duration.js";
import { RuleError } from "../shared/problems.js";
import { didYouMean } from "../shared/suggest.js";
import { parseYaml, positionOf } from "../shared/yaml-source.js";
import { loadCliConfig } from "../config/cli.js";

/** RoutesTestOptions are the flags of `waba-alerts routes test`. */
export interface RoutesTestOptions {
  facts: string;
  rule?: string;
  config?: string;
  json?: boolean;
}

/** parseFacts reads `--facts` as a JSON object of values (compared as text), or says what is wrong. */
export function parseFacts(text: string): Record<string, string> | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return `--facts is not JSON (${(err as Error).message}); write for example '{"waba_id":"102290129340398"}'`;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return `--facts must be a JSON object such as '{"waba_id":"102290129340398","rule":"spam-rate-limit"}'`;
  const facts: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== "string" && typeof v !== "number" && typeof v !== "boolean")
      return `--facts: "${k}" must be a string, number or true/false`;
    facts[k] = String(v);
  }
  return facts;
}

/** RouteTrace is one route that matched, for the report. */
interface RouteTrace {
  route: number;
  at: string;
  match: Record<string, readonly string[]>;
  notify: readonly string[];
  continue: boolean;
}

/** runRoutesTest prints the channels an alert with `--facts` reaches; resolves to the exit code. */
export async function runRoutesTest(opts: RoutesTestOptions): Promise<number> {
  const loaded = loadCliConfig(opts.config);
  const { config } = loaded;
  const facts = parseFacts(opts.facts);
  if (typeof facts === "string") {
    process.stderr.write(`waba-alerts routes test: ${facts}\n`);
    return 1;
  }
  if (opts.rule !== undefined) facts.rule = opts.rule;
  // The rule's own channels come first: the rule named in the facts, else what a rule without notify gets.
  let own: readonly string[] = config.defaults.notify;
  let ownWhy = "defaults.notify (no rule given)";
  if (facts.rule !== undefined) {
    const rules = await loadRules(config.rules.paths, {
      baseDir: loaded.dir,
      channels: Object.keys(config.channels),
      defaults: config.defaults,
    });
    if (!rules.ok) throw new RuleError(rules.problems);
    const rule = rules.set.rules.find((r) => r.id === facts.rule);
    if (!rule) {
      const ids = rules.set.rules.map((r) => r.id);
      const hint = didYouMean(facts.rule, ids) || `; rules: ${ids.join(", ") || "none"}`;
      process.stderr.write(`waba-alerts routes test: no rule "${facts.rule}"${hint}\n`);
      return 1;
    }
    facts.severity ??= rule.severity;
    own = rule.notify;
    ownWhy = `rule ${rule.id}'s notify`;
  }
  const routes = compileRoutes(config.routes);
  const routing = routeAlert(facts, own, routes);
  const traces = routing.matched.map((r) => trace(r, loaded.file));
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ channels: routing.channels, own, routes: traces }, null, 2)}\n`);
    return 0;
  }
  const out = [`channels: ${routing.channels.join(", ") || "(none)"}`];
  const groupingOf = (c: string) => grouping(config.channels[c], loaded.settings.channels[c]?.groupIntervalMs);
  for (const c of own) out.push(`  ${c}: ${ownWhy}${groupingOf(c)}`);
  for (const t of traces) {
    const stop = t.continue ? "continue: true" : "continue: false, so no later route is tried";
    const match = Object.entries(t.match)
      .map(([k, v]) => `${k}: ${v.length === 1 ? v[0] : `[${v.join(", ")}]`}`)
      .join(", ");
    const adds = t.notify.filter((c) => !own.includes(c));
    out.push(`  route ${t.route} (${t.at}) matches { ${match} } → ${t.notify.join(", ")}; ${stop}`);
    for (const c of adds) out.push(`  ${c}: route ${t.route}${groupingOf(c)}`);
  }
  if (routing.matched.length === 0 && routes.length > 0) out.push(`  no route of ${routes.length} matched`);
  process.stdout.write(`${out.join("\n")}\n`);
  return 0;
}

function trace(route: Route, file: string): RouteTrace {
  let at = file;
  try {
    const { source } = parseYaml(file, readFileSync(file, "utf8"));
    const pos = positionOf(source, ["routes", route.index]);
    at = `${file}:${pos.line}:${pos.col}`;
  } catch {
    // The position is a convenience: the config was read a moment ago.
  }
  return { route: route.index + 1, at, match: route.match, notify: route.notify, continue: route.continue };
}

function grouping(channel: Parameters<typeof groupSpecOf>[0] | undefined, intervalMs: number | undefined): string {
  if (!channel) return " (not a configured channel)";
  const spec = groupSpecOf(channel, intervalMs);
  if (!spec) return "; every alert sent on its own";
  return `; grouped by ${spec.by.join(", ") || "channel"}, digests every ${formatDuration(spec.intervalMs)}`;
}
