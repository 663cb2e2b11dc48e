// Checks a rule file's `inhibit:` entries: matcher maps and `equal` facts here, rule ids once every file is read.
import type { Position, Problem } from "../shared/problems.js";
import { didYouMean } from "../shared/suggest.js";
import { type PathSegment, positionOf, type YamlSource } from "../shared/yaml-source.js";
import { checkFactNames, checkMatchers } from "./matchers.js";
import type { Inhibition } from "./types.js";

/** RuleRefAt is a rule id a matcher names (`rule: template-paused`), and where it is written. */
export interface RuleRefAt extends Position {
  readonly rule: string;
}

/** InhibitCheck is what one file's `inhibit:` holds: its valid entries, their rule references and problems. */
export interface InhibitCheck {
  readonly inhibitions: readonly Inhibition[];
  readonly ruleRefs: readonly RuleRefAt[];
  readonly problems: readonly Problem[];
}

const EXAMPLES = {
  source: "{ rule: template-paused-or-disabled }",
  target: "{ code: [132015, 132016] }",
} as const;

/** checkInhibitList checks the `inhibit:` value of one rule file (already of the right shape for Ajv or not). */
export function checkInhibitList(source: YamlSource, value: unknown): InhibitCheck {
  const problems: Problem[] = [];
  const inhibitions: Inhibition[] = [];
  const ruleRefs: RuleRefAt[] = [];
  if (value === undefined) return { inhibitions, ruleRefs, problems };
  // Anything but a list is reported by the schema.
  if (!Array.isArray(value)) return { inhibitions, ruleRefs, problems };
  value.forEach((entry: unknown, i) => {
    const at: PathSegment[] = ["inhibit", i];
    // A non-map entry or a missing key is reported by the schema too.
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) return;
    const e = entry as Record<string, unknown>;
    const before = problems.length;
    const sides = (["source", "target"] as const).map((side) => {
      if (e[side] === undefined) return undefined;
      const checked = checkMatchers(source, e[side], [...at, side], EXAMPLES[side]);
      problems.push(...checked.problems);
      for (const rule of checked.matchers?.rule ?? []) {
        ruleRefs.push({ rule, file: source.file, ...positionOf(source, [...at, side, "rule"]) });
      }
      return checked.matchers;
    });
    const equal =
      e.equal === undefined ? { names: [], problems: [] } : checkFactNames(source, e.equal, [...at, "equal"]);
    problems.push(...equal.problems);
    const [src, target] = sides;
    if (problems.length > before || !src || !target || !equal.names) return;
    inhibitions.push(
      Object.freeze({
        source: src,
        target,
        equal: equal.names,
        at: Object.freeze({ file: source.file, ...positionOf(source, at) }),
      }),
    );
  });
  return { inhibitions, ruleRefs, problems };
}

/** ruleRefProblems reports every matcher `rule:` value that names no rule of any loaded file. */
export function ruleRefProblems(refs: readonly RuleRefAt[], ruleIds: readonly string[]): Problem[] {
  const known = new Set(ruleIds);
  return refs
    .filter((r) => !known.has(r.rule))
    .map((r) => ({
      file: r.file,
      line: r.line,
      col: r.col,
      message: `no rule "${r.rule}"${didYouMean(r.rule, known) || `; rules: ${[...known].slice(0, 8).join(", ") || "none"}${known.size > 8 ? ", …" : ""}`}; a matcher names rules by their id`,
    }));
}
