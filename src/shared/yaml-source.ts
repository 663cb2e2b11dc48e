// YAML parsing that keeps node positions, so every later problem can point at file:line:col.
import {
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  type Document,
  visit,
} from "yaml";
import type { Problem } from "./problems.js";

/** YamlSource is one parsed YAML file with what is needed to find positions again. */
export interface YamlSource {
  readonly file: string;
  readonly doc: Document.Parsed;
  readonly lines: LineCounter;
}

/** PathSegment is one step into a YAML/JSON value: a map key or a sequence index. */
export type PathSegment = string | number;

/**
 * MAX_ALIAS_COUNT bounds how often aliases may expand (the yaml library's own guard, made explicit): a few
 * kilobytes of nested aliases ("billion laughs") would otherwise expand into gigabytes.
 */
export const MAX_ALIAS_COUNT = 100;

/**
 * aliasProblem reports a document whose aliases expand too much, at its first alias; the expansion is tried
 * only when the document has aliases at all (almost no config or rule file does).
 */
function aliasProblem(file: string, doc: Document.Parsed, lines: LineCounter): Problem | undefined {
  let first: Node | undefined;
  visit(doc, {
    Alias(_key, node) {
      first = node;
      return visit.BREAK;
    },
  });
  if (!first) return undefined;
  try {
    doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    return undefined;
  } catch (err) {
    const pos = lines.linePos(first.range?.[0] ?? 0);
    const why = (err as Error).message.split("\n")[0] ?? "";
    return {
      file,
      line: pos.line,
      col: pos.col,
      message: `YAML aliases expand too much (${why.replace(/\.$/, "")}); write the repeated values out instead of nesting aliases`,
    };
  }
}

/** parseYaml parses text and returns the source plus every syntax problem, positioned. */
export function parseYaml(file: string, text: string): { source: YamlSource; problems: Problem[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const problems: Problem[] = doc.errors.map((e) => {
    const pos = lines.linePos(e.pos[0]);
    const first = e.message.split("\n")[0] ?? e.message;
    return { file, line: pos.line, col: pos.col, message: `YAML syntax error: ${first}` };
  });
  if (problems.length === 0) {
    const aliases = aliasProblem(file, doc, lines);
    if (aliases) problems.push(aliases);
  }
  return { source: { file, doc, lines }, problems };
}

interface Located {
  node: Node | null;
  key: Node | null;
}

function step(node: unknown, seg: PathSegment): Located | undefined {
  if (isMap(node)) {
    for (const item of node.items) {
      if (!isPair(item)) continue;
      const k = isScalar(item.key) ? item.key.value : item.key;
      if (String(k) === String(seg))
        return { node: (item.value as Node | null) ?? null, key: item.key as Node };
    }
    return undefined;
  }
  if (isSeq(node) && typeof seg === "number") {
    const item = node.items[seg];
    return item === undefined ? undefined : { node: item as Node, key: null };
  }
  return undefined;
}

/**
 * positionOf finds the line and column of the value at `path`; with `atKey` it points at the key
 * instead (for "unknown key" problems). A path that runs out points at the deepest node found.
 */
export function positionOf(
  source: YamlSource,
  path: readonly PathSegment[],
  atKey = false,
): { line: number; col: number } {
  let current: unknown = source.doc.contents;
  let lastRange: [number, number, number] | undefined =
    (source.doc.contents as Node | null)?.range ?? undefined;
  for (let i = 0; i < path.length; i++) {
    const found = step(current, path[i] as PathSegment);
    if (!found) break;
    const isLast = i === path.length - 1;
    const target = isLast && atKey && found.key ? found.key : (found.node ?? found.key);
    if (target?.range) lastRange = target.range;
    current = found.node;
  }
  if (!lastRange) return { line: 1, col: 1 };
  const pos = source.lines.linePos(lastRange[0]);
  return { line: pos.line, col: pos.col };
}

/** problemAt builds a problem for the node at `path` in `source`. */
export function problemAt(
  source: YamlSource,
  path: readonly PathSegment[],
  message: string,
  atKey = false,
): Problem {
  const { line, col } = positionOf(source, path, atKey);
  return { file: source.file, line, col, message };
}
