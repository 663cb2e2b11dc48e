// Config checks for floods and routing: `routes` (matchers, channels) and each channel's `group.by` facts.
import { checkFactNames, checkMatchers } from "../rules/matchers.js";
import type { Problem } from "../shared/problems.js";
import { didYouMean } from "../shared/suggest.js";
import { positionOf, problemAt, type YamlSource } from "../shared/yaml-source.js";
import { type RuleRefAt, ruleRefProblems } from "../rules/validate-inhibit.js";

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** unknownChannel words a channel name that `channels` does not define. */
export function unknownChannel(name: string, channels: readonly string[]): string {
  const known = channels.length ? `known channels: ${channels.join(", ")}` : "no channels are defined";
  return `unknown channel "${name}"${didYouMean(name, channels)}; ${known}`;
}

/** checkRoutes checks every route's `match` (known facts, scalar values) and `notify` (known channels). */
export function checkRoutes(source: YamlSource, raw: Obj): Problem[] {
  const routes = raw.routes;
  // Anything but a list of maps is reported by the schema.
  if (!Array.isArray(routes)) return [];
  const channels = Object.keys(isObj(raw.channels) ? raw.channels : {});
  const problems: Problem[] = [];
  routes.forEach((route: unknown, i) => {
    if (!isObj(route)) return;
    if (route.match !== undefined) {
      const example = '{ waba_id: "102290129340398" }';
      problems.push(...checkMatchers(source, route.match, ["routes", i, "match"], example).problems);
    }
    if (Array.isArray(route.notify)) {
      route.notify.forEach((name: unknown, j) => {
        if (typeof name === "string" && !channels.includes(name))
          problems.push(
            problemAt(
              source,
              ["routes", i, "notify", j],
              `${unknownChannel(name, channels)}; define it under channels: or remove it here`,
            ),
          );
      });
    }
  });
  return problems;
}

/** checkGroupBy checks the facts of every channel's `group.by`. */
export function checkGroupBy(source: YamlSource, raw: Obj): Problem[] {
  const channels = isObj(raw.channels) ? raw.channels : {};
  const problems: Problem[] = [];
  for (const [name, channel] of Object.entries(channels)) {
    if (!isObj(channel) || !isObj(channel.group) || channel.group.by === undefined) continue;
    problems.push(...checkFactNames(source, channel.group.by, ["channels", name, "group", "by"]).problems);
  }
  return problems;
}

/** routeRuleProblems reports every route `match.rule` value that names no loaded rule (for `validate`). */
export function routeRuleProblems(source: YamlSource, raw: Obj, ruleIds: readonly string[]): Problem[] {
  const routes = Array.isArray(raw.routes) ? raw.routes : [];
  const refs: RuleRefAt[] = [];
  routes.forEach((route: unknown, i) => {
    const rule = isObj(route) && isObj(route.match) ? route.match.rule : undefined;
    const values = Array.isArray(rule) ? rule : rule === undefined ? [] : [rule];
    const at = positionOf(source, ["routes", i, "match", "rule"]);
    for (const v of values) refs.push({ rule: String(v), file: source.file, ...at });
  });
  return ruleRefProblems(refs, ruleIds);
}
