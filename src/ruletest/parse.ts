// Parses a rule unit-test file (`rules/*.test.yaml`) into runnable test cases, with positioned problems.
//
// The format, in the spirit of `promtool test rules`:
//
//   # yaml-language-server: $schema=../schema/rule-tests.schema.json
//   rules: [delivery.yaml]        # optional, for every test below; default: every rule file in this directory
//   start: 2026-01-01T00:00:00Z   # optional; where "+30s" times count from (this is the default)
//   tests:
//     - name: six spam hits on one number fire once
//       rules: [delivery.yaml]    # optional, overrides the file's
//       events:                   # inline events, run in the order written …
//         - { at: "+0s",  code: 131048, phone_number_id: "111", id: e1 }
//         - { at: "+30s", code: 131048, phone_number_id: "111" }
//         - { repeat: 4, every: 10s, code: 131048, phone_number_id: "111" }
//       # … or `events_file: spam.jsonl` (relative to this file; a Meta body, a JSON array or JSON lines,
//       # run in time order exactly as `waba-alerts test --events` runs it)
//       expect:
//         alerts:                 # every alert the events fire, in firing order; [] expects silence
//           - { rule: spam-rate-limit, group: { phone_number_id: "111" }, count: 6, at_event: 6 }
//
// An event is any facts a rule can test (dotted names such as `template.name: hello` allowed), plus:
//   at        "+30s" / "+1m30s" after the start, an ISO-8601 time, or unix seconds (alias: timestamp).
//             Without it an event happens when the one before it did (the first: at the start).
//   repeat    N copies of the event; `every: 10s` spaces them. Without `at`, the first copy comes
//             `every` after the event before it, so a repeat continues a burst.
// A step `{ quiet: 20m }` (alone) means "then nothing for 20m": the clock moves on by that much, groups
// of absent rules silent for their `for` by then fire, and the next event without `at` comes after it.
// Defaults: an event with a `code` and no `kind` is `kind: status_error, status: failed`; without a
// code it is `kind: generic`; `source` is whatsapp; ids are `<test-name-slug>-<n>` (n counts events from 1).
//
// An expected alert compares only the fields it gives: `rule` (required), `group` (all group_by
// values), `count`, `of_count` (ratio rules), `baseline_count` (spike rules), `at_event` (1-based index of
// the event that fired it), `at` (that event's time), `inhibited` (true: an `inhibit:` entry holds it
// back, recorded but not sent) and `channels` (every channel it reaches: the rule's notify plus the
// config's routes, in any order; [] when inhibited). An absence fires between events: its `at` is the
// moment the silence reached `for`, its `at_event` the last event before it, its count 0.
// Each test runs alone: fresh windows, the real rules and evaluator, one event at a time at its own time.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, isAbsolute, relative, resolve } from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import { readEventsFile } from "../dryrun/events-file.js";
import type { Pause } from "../dryrun/run.js";
import type { Event } from "../model/event.js";
import type { Problem } from "../shared/problems.js";
import { schemaProblems, withoutEchoes } from "../shared/schema-problems.js";
import { parseYaml, positionOf, problemAt, type YamlSource } from "../shared/yaml-source.js";
import { buildEvents, slug } from "./events.js";
import { type RuleTestDoc, type RuleTestFileDoc, RuleTestFileSchema } from "./schema.js";
import { DEFAULT_START_MS, parseAt, parseTime, timeProblem } from "./times.js";
import type { ExpectedAlert, RuleReference, RuleTestCase } from "./types.js";

/** ParsedTestFile is one test file's runnable cases and every problem found in it. */
export interface ParsedTestFile {
  readonly cases: readonly RuleTestCase[];
  readonly problems: readonly Problem[];
  /** Every expected rule id, also of tests with other problems, so `validate` can check them all at once. */
  readonly references: readonly RuleReference[];
}

const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
let validator: ValidateFunction | undefined;

/** displayPath shows `abs` relative to `baseDir` when it is inside it, else absolute. */
export function displayPath(baseDir: string, abs: string): string {
  const rel = relative(baseDir, abs);
  return rel === "" || rel.startsWith("..") || isAbsolute(rel) ? abs : rel;
}

class TestFileParser {
  readonly problems: Problem[] = [];
  readonly references: RuleReference[] = [];
  readonly dir: string;

  constructor(
    readonly source: YamlSource,
    absPath: string,
    readonly baseDir: string,
  ) {
    this.dir = dirname(absPath);
  }

  report(path: (string | number)[], message: string): undefined {
    this.problems.push(problemAt(this.source, path, message));
    return undefined;
  }

  start(value: unknown, path: (string | number)[], fallback: number): number | undefined {
    if (value === undefined) return fallback;
    return parseTime(value) ?? this.report(path, `${timeProblem("start", value)} (start must be absolute)`);
  }

  rulePaths(files: readonly string[] | undefined, path: (string | number)[]): string[] | undefined {
    if (files === undefined) return [this.dir];
    const before = this.problems.length;
    const out = files.map((f, k) => {
      const abs = resolve(this.dir, f);
      if (!existsSync(abs))
        this.report(
          [...path, k],
          `rule file "${f}" not found (looked for ${displayPath(this.baseDir, abs)})`,
        );
      return abs;
    });
    return this.problems.length > before ? undefined : out;
  }

  eventsFile(file: string, at: (string | number)[]): Event[] | undefined {
    const abs = resolve(this.dir, file);
    if (!existsSync(abs))
      return this.report(
        at,
        `events_file "${file}" not found (looked for ${displayPath(this.baseDir, abs)})`,
      );
    const read = readEventsFile(abs);
    if (!read.ok) {
      this.problems.push(...read.problems.map((p) => ({ ...p, file: displayPath(this.baseDir, abs) })));
      return undefined;
    }
    // File order is arrival order, exactly as `waba-alerts test --events` reads the same file.
    return read.events;
  }

  expected(test: RuleTestDoc, i: number, startMs: number, events: number): ExpectedAlert[] {
    return test.expect.alerts.map((a, k) => {
      const at = ["tests", i, "expect", "alerts", k];
      const atMs = a.at === undefined ? undefined : parseAt(a.at, startMs);
      if (a.at !== undefined && atMs === undefined) this.report([...at, "at"], timeProblem("at", a.at));
      if (a.at_event !== undefined && a.at_event > events) {
        this.report(
          [...at, "at_event"],
          `"at_event" is ${a.at_event} but the test has only ${events} event(s)`,
        );
      }
      const group =
        a.group && Object.fromEntries(Object.entries(a.group).map(([key, v]) => [key, String(v)]));
      return {
        rule: a.rule,
        ...(group ? { group } : {}),
        ...(a.count !== undefined ? { count: a.count } : {}),
        ...(a.of_count !== undefined ? { ofCount: a.of_count } : {}),
        ...(a.baseline_count !== undefined ? { baselineCount: a.baseline_count } : {}),
        ...(a.at_event !== undefined ? { atEvent: a.at_event } : {}),
        ...(atMs !== undefined ? { atMs } : {}),
        ...(a.inhibited !== undefined ? { inhibited: a.inhibited } : {}),
        ...(a.channels !== undefined ? { channels: [...new Set(a.channels)].sort() } : {}),
        where: { file: this.source.file, ...positionOf(this.source, at) },
      };
    });
  }

  reference(test: RuleTestDoc, at: (string | number)[], rulePaths: readonly string[]): void {
    test.expect.alerts.forEach((a, k) => {
      const where = {
        file: this.source.file,
        ...positionOf(this.source, [...at, "expect", "alerts", k, "rule"]),
      };
      this.references.push({ rule: a.rule, where, rulePaths });
    });
  }

  test(
    test: RuleTestDoc,
    i: number,
    fileStart: number,
    fileRules: string[] | undefined,
  ): RuleTestCase | undefined {
    const at = ["tests", i];
    const before = this.problems.length;
    const startMs = this.start(test.start, [...at, "start"], fileStart);
    const rulePaths = test.rules !== undefined ? this.rulePaths(test.rules, [...at, "rules"]) : fileRules;
    if (rulePaths) this.reference(test, at, rulePaths);
    let events: readonly Event[] | undefined;
    let pauses: readonly Pause[] = [];
    if (test.events !== undefined && test.events_file !== undefined) {
      this.report([...at, "events_file"], 'give a test either "events" or "events_file", not both');
    } else if (test.events_file !== undefined) {
      events = this.eventsFile(test.events_file, [...at, "events_file"]);
    } else if (test.events !== undefined && startMs !== undefined) {
      const built = buildEvents(this.source, test.events, [...at, "events"], {
        startMs,
        idPrefix: slug(test.name),
      });
      this.problems.push(...built.problems);
      events = built.events;
      pauses = built.pauses;
    } else if (test.events === undefined) {
      this.report(at, `test "${test.name}" needs "events:" (a list) or "events_file:" (a path)`);
    }
    const expected = startMs === undefined ? [] : this.expected(test, i, startMs, events?.length ?? 0);
    if (this.problems.length > before || !rulePaths || !events || startMs === undefined) return undefined;
    return {
      name: test.name,
      where: { file: this.source.file, ...positionOf(this.source, at) },
      rulePaths,
      startMs,
      events,
      pauses,
      expected,
    };
  }
}

/**
 * readRuleTestFile reads and parses one test file; a file that cannot be read is one problem at 1:1
 * and no cases.
 */
export async function readRuleTestFile(
  file: { readonly path: string; readonly display: string },
  baseDir: string,
): Promise<ParsedTestFile> {
  let text: string;
  try {
    text = await readFile(file.path, "utf8");
  } catch (err) {
    const problem = {
      file: file.display,
      line: 1,
      col: 1,
      message: `cannot read: ${(err as Error).message}`,
    };
    return { cases: [], problems: [problem], references: [] };
  }
  return parseRuleTestFile(file.display, file.path, text, baseDir);
}

/** parseRuleTestFile checks one test file's text (`display` is its name in problems) and returns its cases. */
export function parseRuleTestFile(
  display: string,
  absPath: string,
  text: string,
  baseDir: string,
): ParsedTestFile {
  const { source, problems: syntax } = parseYaml(display, text);
  if (syntax.length) return { cases: [], problems: syntax, references: [] };
  const raw: unknown = source.doc.toJS();
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    const message =
      "a rule test file must be a map with a `tests:` list, for example: tests: [{ name: …, events: …, expect: … }]";
    return { cases: [], problems: [problemAt(source, [], message)], references: [] };
  }
  validator ??= ajv.compile(RuleTestFileSchema);
  if (!validator(raw))
    return {
      cases: [],
      problems: schemaProblems(source, withoutEchoes(validator.errors ?? [])),
      references: [],
    };
  const doc = raw as RuleTestFileDoc;
  const parser = new TestFileParser(source, absPath, baseDir);
  const fileStart = parser.start(doc.start, ["start"], DEFAULT_START_MS);
  const fileRules = parser.rulePaths(doc.rules, ["rules"]);
  const cases: RuleTestCase[] = [];
  if (fileStart !== undefined) {
    doc.tests.forEach((test, i) => {
      const c = parser.test(test, i, fileStart, fileRules);
      if (c) cases.push(c);
    });
  }
  return { cases, problems: parser.problems, references: parser.references };
}
