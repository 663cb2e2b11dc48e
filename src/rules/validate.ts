// Validates one rule file: YAML syntax, the schema, and the checks Ajv cannot word well (when, durations, facts, channels).
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import type { Severity } from "../evaluate/alert.js";
import { DURATION_HINT, parseDuration } from "../shared/duration.js";
import type { Problem } from "../shared/problems.js";
import { schemaProblems } from "../shared/schema-problems.js";
import { closest, didYouMean } from "../shared/suggest.js";
import {
  type PathSegment,
  parseYaml,
  positionOf,
  problemAt,
  type YamlSource,
} from "../shared/yaml-source.js";
import { isKnownFact, unknownFactMessage } from "./facts.js";
import type { Threshold } from "./types.js";
import { type ConditionNode, type RuleDoc, RuleFileSchema } from "./schema.js";
import { validateWhen } from "./validate-when.js";

/** RuleDefaults are the config's `defaults` that fill a rule's missing severity, cooldown and notify. */
export interface RuleDefaults {
  readonly notify: readonly string[];
  readonly cooldown: string;
  readonly severity: Severity;
}

/** RuleContext is what validation needs from the config: channel names and defaults. */
export interface RuleContext {
  readonly channels: readonly string[];
  readonly defaults: RuleDefaults;
}

/** RuleSpec is one valid rule with every default applied, ready to compile. */
export interface RuleSpec {
  readonly id: string;
  readonly description: string;
  readonly severity: Severity;
  readonly when: ConditionNode;
  readonly groupBy: readonly string[];
  readonly threshold?: Threshold;
  readonly cooldownMs: number;
  readonly resolveAfterMs: number;
  readonly notify: readonly string[];
  readonly actions: readonly string[];
  readonly enabled: boolean;
  readonly source: { readonly file: string; readonly line: number; readonly col: number };
}

/** RuleIdAt is where one rule id is written, kept even for invalid rules so duplicates show at once. */
export interface RuleIdAt {
  readonly id: string;
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

/** FileCheck is the outcome of validating one file: its valid rules and every problem found. */
export interface FileCheck {
  readonly specs: readonly RuleSpec[];
  readonly ids: readonly RuleIdAt[];
  readonly problems: readonly Problem[];
}

const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false, verbose: true });
let validator: ValidateFunction | undefined;

/** RuleChecker holds one file's source and collects problems while one rule is checked. */
class RuleChecker {
  readonly problems: Problem[] = [];
  constructor(
    readonly source: YamlSource,
    readonly ctx: RuleContext,
  ) {}

  report(path: readonly PathSegment[], message: string): undefined {
    this.problems.push(problemAt(this.source, path, message));
    return undefined;
  }

  duration(value: unknown, path: PathSegment[], min: number): number | undefined {
    const ms = typeof value === "string" ? parseDuration(value) : undefined;
    if (ms !== undefined && ms >= min) return ms;
    const zero = ms === 0 ? " must be longer than 0;" : ` is not a duration (got ${JSON.stringify(value)});`;
    return this.report(path, `"${path.join(".")}"${zero} ${DURATION_HINT}`);
  }

  fact(name: unknown, path: PathSegment[]): void {
    if (typeof name === "string" && !isKnownFact(name)) this.report(path, unknownFactMessage(name));
  }

  channels(names: unknown, path: PathSegment[]): void {
    if (!Array.isArray(names)) return;
    const known = this.ctx.channels;
    names.forEach((n, i) => {
      if (typeof n !== "string" || known.includes(n)) return;
      const list = known.length
        ? `known channels: ${known.join(", ")}`
        : "no channels are defined in the config";
      this.report([...path, i], `unknown channel "${n}"${didYouMean(n, known)}; ${list}`);
    });
  }

  /** rule checks what the schema cannot and, when nothing is wrong, returns the spec. */
  rule(doc: RuleDoc, i: number, schemaOk: boolean): RuleSpec | undefined {
    const at: PathSegment[] = ["rules", i];
    const before = this.problems.length;
    // A missing `when` is already reported by the schema.
    const { when, problems } =
      doc.when === undefined
        ? { when: undefined, problems: [] }
        : validateWhen(this.source, doc.when, [...at, "when"]);
    this.problems.push(...problems);
    (Array.isArray(doc.group_by) ? doc.group_by : []).forEach((f, j) => {
      this.fact(f, [...at, "group_by", j]);
    });
    const t = doc.threshold;
    let threshold: Threshold | undefined;
    if (t && typeof t === "object") {
      this.fact(t.distinct, [...at, "threshold", "distinct"]);
      const withinMs = this.duration(t.within, [...at, "threshold", "within"], 1);
      if (withinMs !== undefined) {
        threshold = { moreThan: t.more_than, withinMs, ...(t.distinct ? { distinct: t.distinct } : {}) };
      }
    }
    const cooldownMs =
      doc.cooldown === undefined
        ? this.duration(this.ctx.defaults.cooldown, at, 0)
        : this.duration(doc.cooldown, [...at, "cooldown"], 0);
    const resolveAfterMs =
      doc.resolve_after === undefined
        ? (threshold?.withinMs ?? cooldownMs)
        : this.duration(doc.resolve_after, [...at, "resolve_after"], 1);
    this.channels(doc.notify, [...at, "notify"]);
    if (!schemaOk || this.problems.length > before || !when) return undefined;
    if (cooldownMs === undefined || resolveAfterMs === undefined) return undefined;
    return {
      id: doc.id,
      description: doc.description,
      severity: doc.severity ?? this.ctx.defaults.severity,
      when,
      groupBy: doc.group_by,
      ...(threshold ? { threshold } : {}),
      cooldownMs,
      resolveAfterMs,
      notify: doc.notify ?? this.ctx.defaults.notify,
      actions: doc.actions,
      enabled: doc.enabled,
      source: { file: this.source.file, ...positionOf(this.source, at) },
    };
  }
}

/**
 * withoutEchoes drops "missing key X" when the same map has an unknown key that is a misspelling of
 * X: one typo is one problem, and the did-you-mean already says what to write.
 */
function withoutEchoes(errors: readonly ErrorObject[]): ErrorObject[] {
  const typos = new Set<string>();
  for (const e of errors) {
    if (e.keyword !== "additionalProperties") continue;
    const known = Object.keys((e.parentSchema?.properties as Record<string, unknown> | undefined) ?? {});
    const meant = closest(String((e.params as { additionalProperty?: unknown }).additionalProperty), known);
    if (meant !== undefined) typos.add(`${e.instancePath}#${meant}`);
  }
  return errors.filter(
    (e) =>
      e.keyword !== "required" ||
      !typos.has(`${e.instancePath}#${String((e.params as { missingProperty?: unknown }).missingProperty)}`),
  );
}

function pathOf(pointer: string): string {
  return pointer.split("/").slice(0, 3).join("/");
}

/** validateRuleFile checks one rule file's text and returns its valid rules plus every problem in it. */
export function validateRuleFile(file: string, text: string, ctx: RuleContext): FileCheck {
  const { source, problems: syntax } = parseYaml(file, text);
  if (syntax.length) return { specs: [], ids: [], problems: syntax };
  const raw: unknown = source.doc.toJS() ?? { rules: [] };
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    const message =
      "a rule file must be a map with a `rules:` list, for example: rules: [{ id: …, when: … }]";
    return { specs: [], ids: [], problems: [problemAt(source, [], message)] };
  }
  validator ??= ajv.compile(RuleFileSchema);
  const ok = validator(raw);
  // Ajv's "must match pattern" does not say how to fix an id, so ids get a message of their own.
  const badIds = (validator.errors ?? []).filter(
    (e) => e.keyword === "pattern" && /^\/rules\/\d+\/id$/.test(e.instancePath),
  );
  const errors = withoutEchoes((validator.errors ?? []).filter((e) => !badIds.includes(e)));
  const problems = ok ? [] : schemaProblems(source, errors);
  for (const e of badIds) {
    const message = `rule id ${JSON.stringify(e.data)} may use only lowercase letters, digits and "-", for example spam-rate-limit`;
    problems.push(
      problemAt(
        source,
        e.instancePath
          .slice(1)
          .split("/")
          .map((s, i) => (i === 1 ? Number(s) : s)),
        message,
      ),
    );
  }
  // A rule's own schema errors must not hide the hand checks of that rule, so track them per rule.
  const badRules = new Set((ok ? [] : (validator.errors ?? [])).map((e) => pathOf(e.instancePath)));
  const rules = (raw as { rules?: unknown }).rules;
  const checker = new RuleChecker(source, ctx);
  const specs: RuleSpec[] = [];
  const ids: RuleIdAt[] = [];
  if (Array.isArray(rules)) {
    rules.forEach((doc, i) => {
      if (typeof doc !== "object" || doc === null || Array.isArray(doc)) return;
      const id = (doc as { id?: unknown }).id;
      if (typeof id === "string") ids.push({ id, file, ...positionOf(source, ["rules", i, "id"]) });
      const spec = checker.rule(doc as RuleDoc, i, !badRules.has(`/rules/${i}`));
      if (spec) specs.push(spec);
    });
  }
  return { specs, ids, problems: [...problems, ...checker.problems] };
}
