// Turns a test's inline event specs (facts + at/repeat/every) into Events, with positioned problems.
import type { Pause } from "../dryrun/run.js";
import { type Event, STRING_FACTS } from "../model/event.js";
import { withRecipient } from "../ingest/recipient.js";
import { DURATION_HINT } from "../shared/duration.js";
import { isKnownFact, unknownFactMessage } from "../rules/facts.js";
import type { Problem } from "../shared/problems.js";
import { type PathSegment, problemAt, type YamlSource } from "../shared/yaml-source.js";
import { everyProblem, parseAt, parseEvery, timeProblem } from "./times.js";

/** EventDefaults says where relative times start and how default event ids begin. */
export interface EventDefaults {
  readonly startMs: number;
  /** Default ids are `<idPrefix>-<n>`, n counting every event of the test from 1. */
  readonly idPrefix: string;
}

// Facts that are strings everywhere else (ingest makes them so); a YAML number would make rules miss.
const SPEC_KEYS = new Set(["at", "timestamp", "repeat", "every", "quiet"]);

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/** leafFacts lists the dotted fact names a (possibly nested) value sets under `name`. */
function leafFacts(name: string, value: unknown): string[] {
  if (!isPlainObject(value) || name === "value" || name.startsWith("value.")) return [name];
  const keys = Object.keys(value);
  return keys.length === 0 ? [name] : keys.flatMap((k) => leafFacts(`${name}.${k}`, value[k]));
}

function setFact(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const parts = dotted.split(".");
  let node = target;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    node[part] = isPlainObject(next) ? { ...next } : {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1] as string] = value;
}

function coerce(name: string, value: unknown): unknown {
  if ((name === "id" || STRING_FACTS.has(name)) && typeof value === "number") return String(value);
  if (name === "code" && typeof value === "string" && /^\d+$/.test(value.trim())) return Number(value);
  return value;
}

class EventBuilder {
  readonly events: Event[] = [];
  readonly pauses: Pause[] = [];
  readonly problems: Problem[] = [];
  private previousMs: number | undefined;

  constructor(
    private readonly source: YamlSource,
    private readonly defaults: EventDefaults,
  ) {}

  private report(path: readonly PathSegment[], message: string, atKey = false): void {
    this.problems.push(problemAt(this.source, path, message, atKey));
  }

  /** facts checks and normalizes the facts of one spec; undefined when any is wrong. */
  private facts(spec: Record<string, unknown>, path: PathSegment[]): Record<string, unknown> | undefined {
    const facts: Record<string, unknown> = {};
    const before = this.problems.length;
    for (const [key, raw] of Object.entries(spec)) {
      if (SPEC_KEYS.has(key)) continue;
      const unknown = leafFacts(key, raw).find((f) => !isKnownFact(f));
      if (unknown !== undefined) {
        this.report([...path, key], `${unknownFactMessage(unknown)} (in this event)`, true);
        continue;
      }
      setFact(facts, key, coerce(key, raw));
    }
    if (facts.code !== undefined && (typeof facts.code !== "number" || !Number.isInteger(facts.code))) {
      this.report(
        [...path, "code"],
        `"code" must be a whole number such as 131048 (got ${JSON.stringify(facts.code)})`,
      );
    }
    return this.problems.length > before ? undefined : facts;
  }

  /** firstTime places the spec's first copy: its `at`, else after the event before it. */
  private firstTime(spec: Record<string, unknown>, path: PathSegment[], everyMs: number): number | undefined {
    if (spec.at !== undefined && spec.timestamp !== undefined) {
      this.report([...path, "timestamp"], 'give an event either "at" or "timestamp", not both', true);
      return undefined;
    }
    const key = spec.at !== undefined ? "at" : spec.timestamp !== undefined ? "timestamp" : undefined;
    if (key === undefined) {
      if (this.previousMs === undefined) return this.defaults.startMs;
      return this.previousMs + (spec.repeat !== undefined ? everyMs : 0);
    }
    const ms = parseAt(spec[key], this.defaults.startMs);
    if (ms === undefined) this.report([...path, key], timeProblem(key, spec[key]));
    return ms;
  }

  /** quiet adds a `{ quiet: 20m }` step: nothing arrives for that long after the events so far. */
  quiet(spec: Record<string, unknown>, path: PathSegment[]): void {
    const others = Object.keys(spec).filter((k) => k !== "quiet");
    if (others.length > 0) {
      this.report(
        [...path, others[0] as string],
        '"quiet" is a step of its own: write { quiet: 20m } between events, without facts beside it',
        true,
      );
      return;
    }
    const ms = parseEvery(spec.quiet);
    if (ms === undefined || ms === 0) {
      this.report(
        [...path, "quiet"],
        `"quiet" is not a duration above 0 (got ${JSON.stringify(spec.quiet)}); ${DURATION_HINT}`,
      );
      return;
    }
    if (this.previousMs === undefined) {
      this.report(
        [...path, "quiet"],
        '"quiet" needs an event before it: the quiet spell follows the last event',
        true,
      );
      return;
    }
    this.pauses.push({ afterEvents: this.events.length, quietMs: ms });
    this.previousMs += ms;
  }

  add(spec: Record<string, unknown>, path: PathSegment[]): void {
    if ("quiet" in spec) {
      this.quiet(spec, path);
      return;
    }
    let everyMs = 0;
    if (spec.every !== undefined) {
      const ms = parseEvery(spec.every);
      if (spec.repeat === undefined)
        this.report([...path, "every"], '"every" needs "repeat: N" beside it', true);
      else if (ms === undefined) this.report([...path, "every"], everyProblem(spec.every));
      everyMs = ms ?? 0;
    }
    const facts = this.facts(spec, path);
    const firstMs = this.firstTime(spec, path, everyMs);
    if (!facts || firstMs === undefined) return;
    const repeat = typeof spec.repeat === "number" ? spec.repeat : 1;
    for (let i = 0; i < repeat; i++) {
      const timeMs = firstMs + i * everyMs;
      this.events.push(this.event(facts, timeMs));
      this.previousMs = timeMs;
    }
  }

  private event(facts: Record<string, unknown>, timeMs: number): Event {
    const hasCode = facts.code !== undefined;
    return {
      ...withRecipient(facts),
      id: typeof facts.id === "string" ? facts.id : `${this.defaults.idPrefix}-${this.events.length + 1}`,
      source: typeof facts.source === "string" ? facts.source : "whatsapp",
      kind: typeof facts.kind === "string" ? facts.kind : hasCode ? "status_error" : "generic",
      ...(hasCode && facts.kind === undefined && facts.status === undefined ? { status: "failed" } : {}),
      timestamp: Math.floor(timeMs / 1000),
    } as Event;
  }
}

/**
 * buildEvents expands inline event specs (at `path` in the test file) into Events in the order
 * written, and `{ quiet: … }` steps into pauses; every problem is positioned, and any problem means no events.
 */
export function buildEvents(
  source: YamlSource,
  specs: readonly unknown[],
  path: readonly PathSegment[],
  defaults: EventDefaults,
): { events: Event[]; pauses: Pause[]; problems: Problem[] } {
  const builder = new EventBuilder(source, defaults);
  specs.forEach((spec, j) => {
    if (isPlainObject(spec)) builder.add(spec, [...path, j]);
  });
  const failed = builder.problems.length > 0;
  return {
    events: failed ? [] : builder.events,
    pauses: failed ? [] : builder.pauses,
    problems: builder.problems,
  };
}

/** slug turns a test name into the stem of its default event ids ("Six hits fire" → "six-hits-fire"). */
export function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 60) || "test"
  );
}
