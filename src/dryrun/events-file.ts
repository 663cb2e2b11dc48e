// Reads the events file of `waba-alerts test`: a Meta body, a JSON array of bodies or events, or JSON lines.
import { STRING_FACTS } from "../model/event.js";
import { nestDottedKeys } from "../model/facts.js";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Event } from "../model/event.js";
import { normalizeWhatsApp } from "../ingest/normalize.js";
import { withRecipient } from "../ingest/recipient.js";
import type { Problem } from "../shared/problems.js";

/** EventsFile is what an events file held, in file order, or the problems that stopped it being read. */
export type EventsFile = { ok: true; events: Event[] } | { ok: false; problems: Problem[] };

function lineCol(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return { line, col: offset - before.lastIndexOf("\n") };
}

function jsonProblem(file: string, text: string, err: Error, baseOffset = 0): Problem {
  const m = /position (\d+)/.exec(err.message);
  const { line, col } = lineCol(text, baseOffset + (m ? Number(m[1]) : 0));
  return {
    file,
    line,
    col,
    message: `not valid JSON: ${err.message.replace(/ in JSON at position \d+.*$/, "")}`,
  };
}

function isEnvelope(v: unknown): boolean {
  return typeof v === "object" && v !== null && "entry" in v;
}

/** VALUE_KEYS are members only the inside of a Meta body has: a change's value, a change, or an entry. */
const VALUE_KEYS = ["messaging_product", "metadata", "statuses", "messages", "changes"];

/** missingEnvelope says what is missing when `e` is part of a Meta body (a value, change or entry) given alone. */
function missingEnvelope(e: Record<string, unknown>): string | undefined {
  const part =
    "changes" in e ? "an entry" : "field" in e && "value" in e ? "a change" : "the value of a change";
  const key = VALUE_KEYS.find((k) => k in e) ?? ("field" in e && "value" in e ? "field" : undefined);
  if (key === undefined) return undefined;
  return (
    `missing envelope: this looks like ${part} of a Meta webhook body (it has "${key}"); wrap it as ` +
    `{"object":"whatsapp_business_account","entry":[{"id":"<WABA id>","changes":[{"field":"messages","value":{…}}]}]}`
  );
}

/** isBareStatus tells a `statuses[]` item given alone (Meta's shape, no code or kind of our own) from an event. */
function isBareStatus(e: Record<string, unknown>): boolean {
  if (typeof e.status !== "string" || typeof e.id !== "string") return false;
  if (e.code !== undefined || e.kind !== undefined) return false;
  return Array.isArray(e.errors) || e.recipient_id !== undefined || e.recipient_user_id !== undefined;
}

function fromBody(body: unknown, where: (msg: string) => Problem, index: number): Event[] | Problem {
  const hash = createHash("sha256").update(JSON.stringify(body)).update(String(index)).digest("hex");
  // No wall clock: an event without a time of its own stays untimed and the dry run places it at its clock.
  const r = normalizeWhatsApp(body, { receivedAtMs: Number.NaN, bodyHash: () => hash });
  return r.ok ? r.events : where(`not a WhatsApp webhook body: ${r.reason}`);
}

function toEvents(value: unknown, where: (msg: string) => Problem, index: number): Event[] | Problem {
  if (isEnvelope(value)) return fromBody(value, where, index);
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return where("each item must be a Meta webhook body or an event object");
  }
  const e = value as Record<string, unknown>;
  if (isBareStatus(e)) {
    const change = { field: "messages", value: { statuses: [e] } };
    return fromBody({ object: "whatsapp_business_account", entry: [{ changes: [change] }] }, where, index);
  }
  const envelope = missingEnvelope(e);
  if (envelope !== undefined) return where(envelope);
  const ts =
    e.timestamp === undefined
      ? Number.NaN
      : typeof e.timestamp === "number"
        ? e.timestamp
        : typeof e.timestamp === "string"
          ? Number(e.timestamp) || Date.parse(e.timestamp) / 1000
          : Number.NaN;
  if (e.timestamp !== undefined && !Number.isFinite(ts)) {
    return where(`"timestamp" ${JSON.stringify(e.timestamp)} is not a time (use unix seconds or ISO-8601)`);
  }
  const id =
    typeof e.id === "string"
      ? e.id
      : createHash("sha256").update(JSON.stringify(e)).digest("hex").slice(0, 32);
  const code = typeof e.code === "string" && /^\d+$/.test(e.code) ? Number(e.code) : e.code;
  // The same facts as POST /events gives: dotted keys nested, string facts as strings.
  const strings = Object.fromEntries(
    [...STRING_FACTS].filter((f) => typeof e[f] === "number").map((f) => [f, String(e[f])]),
  );
  return [
    withRecipient({
      ...nestDottedKeys(e),
      ...strings,
      id,
      source: (e.source as string) ?? "test",
      kind: (e.kind as string) ?? "generic",
      // Untimed (NaN) events take the dry-run clock.
      timestamp: Math.floor(ts),
      ...(code !== undefined ? { code } : {}),
    }) as Event,
  ];
}

/** readEventsFile parses `file` into events (each keeps its own timestamp). */
export function readEventsFile(file: string): EventsFile {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    return {
      ok: false,
      problems: [{ file, line: 1, col: 1, message: `cannot read events: ${(err as Error).message}` }],
    };
  }
  return parseEvents(text, file);
}

/** parseEvents reads events from text in any events-file format; problems name `file` as their place. */
export function parseEvents(text: string, file: string): EventsFile {
  const events: Event[] = [];
  const problems: Problem[] = [];
  const add = (value: unknown, line: number, col: number, index: number) => {
    const r = toEvents(value, (message) => ({ file, line, col, message }), index);
    if (Array.isArray(r)) events.push(...r);
    else problems.push(r);
  };
  const trimmed = text.trim();
  let whole: unknown;
  let wholeError: Error | undefined;
  try {
    whole = JSON.parse(trimmed);
  } catch (err) {
    wholeError = err as Error;
  }
  if (wholeError === undefined) {
    if (Array.isArray(whole)) {
      for (const [i, v] of whole.entries()) add(v, 1, 1, i);
    } else add(whole, 1, 1, 0);
  } else if (trimmed.startsWith("[") || !trimmed.includes("\n")) {
    problems.push(jsonProblem(file, text, wholeError, text.indexOf(trimmed)));
  } else {
    let offset = 0;
    text.split("\n").forEach((line, i) => {
      if (line.trim() !== "") {
        try {
          add(JSON.parse(line), i + 1, 1, i);
        } catch (err) {
          problems.push(jsonProblem(file, text, err as Error, offset));
        }
      }
      offset += line.length + 1;
    });
  }
  return problems.length ? { ok: false, problems } : { ok: true, events };
}
