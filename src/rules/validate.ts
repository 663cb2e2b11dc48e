// Validates one rule file: YAML syntax, the schema, and the checks Ajv cannot word well (when, durations, facts, channels).
import { Ajv, type ValidateFunction } from "ajv";
import { DURATION_HINT, parseDuration } from "../shared/duration.js";
import type { Problem } from "../shared/problems.js";
import { schemaProblems, withoutEchoes } from "../shared/schema-problems.js";
import { didYouMean } from "../shared/suggest.js";
import {
  type PathSegment,
  parseYaml,
  positionOf,
  problemAt,
  type YamlSource,
} from "../shared/yaml-source.js";
import { isKnownFact, unknownFactMessage } from "./facts.js";
import type { Absent, Inhibition, RuleContext, RuleSpec, } from "./types.js";
import { checkAbsent, checkThreshold } from "./validate-threshold.js";
import { type RuleDoc, RuleFileSchema } from "./schema.js";
import { checkInhibitList, type RuleRefAt } from "./validate-inhibit.js";
import { validateWhen } from "./validate-when.js";

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
  /** False when some rule's id could not be read (YAML syntax, not a list of maps, a missing id). */
  readonly allIds: boolean;
  /** The file's valid `inhibit:` entries and the rule ids they name (checked once every file is read). */
  readonly inhibitions: readonly Inhibition[];
  readonly ruleRefs: readonly RuleRefAt[];
  readonly problems: readonly Problem[];
}

/**
 * HAND_CHECKED are the spots whose Ajv errors are dropped: validate-when.ts and RuleChecker.duration
 * reject everything the schema rejects there, with did-you-means and a hint instead of anyOf noise.
 */
const HAND_CHECKED =
  /^\/(rules\/\d+\/(when(\/|$)|threshold\/(within|ratio\/more_than|spike\/baseline)$|threshold\/ratio\/of(\/|$)|absent\/(for|within)$|cooldown$|resolve_after$)|inhibit\/\d+\/(source|target|equal)(\/|$))/;

const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false, verbose: true });
let validator: ValidateFunction | undefined;

/** RuleChecker holds one file's source and collects problems while one rule is checked. */
class RuleChecker {
  readonly problems: Problem[] = [];
  constructor(
    readonly source: YamlSource,
    readonly ctx: RuleContext,
  ) {}

  report(path: readonly PathSegment[], message: string, atKey = false): undefined {
    this.problems.push(problemAt(this.source, path, message, atKey));
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

  /** absent checks an `absent:` block: never beside a threshold or resolve_after. */
  absent(doc: RuleDoc, at: PathSegment[]): Absent | undefined {
    if (doc.threshold !== undefined) {
      this.report(
        [...at, "absent"],
        "a rule fires either on a threshold or on absence, not both; drop threshold, or move absent to a rule of its own",
        true,
      );
    }
    if (doc.resolve_after !== undefined) {
      this.report(
        [...at, "resolve_after"],
        "an absent rule resolves as soon as matching events return; drop resolve_after",
        true,
      );
    }
    if (doc.cooldown !== undefined) {
      this.report(
        [...at, "cooldown"],
        "an absent rule fires once per silence, and a group that speaks again must have `after` events within `within` before it is watched again; drop cooldown",
        true,
      );
    }
    return doc.absent ? checkAbsent(this, doc.absent, [...at, "absent"]) : undefined;
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
    const threshold =
      t && typeof t === "object" ? checkThreshold(this, t, [...at, "threshold"], when) : undefined;
    const absent = doc.absent && typeof doc.absent === "object" ? this.absent(doc, at) : undefined;
    const cooldownMs =
      doc.cooldown === undefined
        ? this.duration(this.ctx.defaults.cooldown, at, 0)
        : this.duration(doc.cooldown, [...at, "cooldown"], 0);
    const resolveAfterMs =
      doc.resolve_after === undefined
        ? absent
          ? 0
          : (threshold?.withinMs ?? cooldownMs)
        : this.duration(doc.resolve_after, [...at, "resolve_after"], 1);
    this.channels(doc.notify, [...at, "notify"]);
    if (doc.notify === undefined && this.ctx.defaults.notify.length === 0 && doc.enabled !== false) {
      const known = this.ctx.channels;
      const fix = known.length
        ? `add notify: [${known.join(", ")}] (any of them) or set defaults.notify in the config`
        : "define a channel under channels: in the config and name it in notify";
      this.report(
        [...at, "id"],
        `rule "${doc.id}" would notify no channel: it has no notify and defaults.notify names no configured channel; ${fix} (notify: [] records the alert without sending it)`,
      );
    }
    if (!schemaOk || this.problems.length > before || !when) return undefined;
    if (cooldownMs === undefined || resolveAfterMs === undefined) return undefined;
    return {
      id: doc.id,
      description: doc.description,
      severity: doc.severity ?? this.ctx.defaults.severity,
      when,
      groupBy: doc.group_by,
      ...(threshold ? { threshold } : {}),
      ...(absent ? { absent } : {}),
      cooldownMs,
      resolveAfterMs,
      notify: doc.notify ?? this.ctx.defaults.notify,
      actions: doc.actions,
      enabled: doc.enabled,
      source: { file: this.source.file, ...positionOf(this.source, at) },
    };
  }
}

function pathOf(pointer: string): string {
  return pointer.split("/").slice(0, 3).join("/");
}

/** validateRuleFile checks one rule file's text and returns its valid rules plus every problem in it. */
export function validateRuleFile(file: string, text: string, ctx: RuleContext): FileCheck {
  const { source, problems: syntax } = parseYaml(file, text);
  const none = { specs: [], ids: [], allIds: false, inhibitions: [], ruleRefs: [] };
  if (syntax.length) return { ...none, problems: syntax };
  const raw: unknown = source.doc.toJS() ?? { rules: [] };
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    const message =
      "a rule file must be a map with a `rules:` list, for example: rules: [{ id: …, when: … }]";
    return { ...none, problems: [problemAt(source, [], message)] };
  }
  validator ??= ajv.compile(RuleFileSchema);
  validator(raw);
  // `when` and the durations are checked by hand (RuleChecker), which reports all that Ajv would there.
  const errors = (validator.errors ?? []).filter((e) => !HAND_CHECKED.test(e.instancePath));
  // Ajv's "must match pattern" does not say how to fix an id, so ids get a message of their own.
  const badIds = errors.filter((e) => e.keyword === "pattern" && /^\/rules\/\d+\/id$/.test(e.instancePath));
  const problems = schemaProblems(source, withoutEchoes(errors.filter((e) => !badIds.includes(e))));
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
  const badRules = new Set(errors.map((e) => pathOf(e.instancePath)));
  const rules = (raw as { rules?: unknown }).rules;
  const checker = new RuleChecker(source, ctx);
  const specs: RuleSpec[] = [];
  const ids: RuleIdAt[] = [];
  let allIds = Array.isArray(rules);
  if (Array.isArray(rules)) {
    rules.forEach((doc, i) => {
      const id = (doc as { id?: unknown } | null)?.id;
      if (typeof id === "string") ids.push({ id, file, ...positionOf(source, ["rules", i, "id"]) });
      else allIds = false;
      if (typeof doc !== "object" || doc === null || Array.isArray(doc)) return;
      const spec = checker.rule(doc as RuleDoc, i, !badRules.has(`/rules/${i}`));
      if (spec) specs.push(spec);
    });
  }
  const inhibit = checkInhibitList(source, (raw as { inhibit?: unknown }).inhibit);
  return {
    specs,
    ids,
    allIds,
    inhibitions: inhibit.inhibitions,
    ruleRefs: inhibit.ruleRefs,
    problems: [...problems, ...checker.problems, ...inhibit.problems],
  };
}
