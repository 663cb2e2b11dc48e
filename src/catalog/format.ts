// Plain-text rendering of catalog entries for the terminal (`waba-alerts catalog [CODE]`).

import type { Catalog, CatalogEntry } from "./types.js";

const WIDTH = 80;

/** formatEntry renders one entry as a multi-line block: heading, facts, meaning, causes, actions, docs link. */
export function formatEntry(entry: CatalogEntry): string {
  const lines = [`${codeLabel(entry)}  ${entry.title}${entry.custom ? "  (customised in config)" : ""}`, ""];
  lines.push(`Category:   ${entry.category}`);
  if (entry.httpStatus != null) lines.push(`HTTP:       ${entry.httpStatus}`);
  const retry = entry.retryable ? "yes" : "no";
  lines.push(
    ...wrap(entry.retryNote ? `${retry}: ${entry.retryNote}` : retry, "Retryable:  ", "            "),
  );
  if (entry.meaning) lines.push("", ...wrap(entry.meaning, "", ""));
  if (entry.causes.length > 0) {
    lines.push("", "Likely causes:");
    for (const cause of entry.causes) lines.push(...wrap(cause, "  - ", "    "));
  }
  if (entry.actions.length > 0) {
    lines.push("", "Recommended actions:");
    const pad = String(entry.actions.length).length;
    entry.actions.forEach((action, i) => {
      const marker = `  ${String(i + 1).padStart(pad)}. `;
      lines.push(...wrap(action, marker, " ".repeat(marker.length)));
    });
  }
  lines.push("", `Docs: ${entry.docsUrl}`);
  return `${lines.join("\n")}\n`;
}

/** formatList renders the whole catalog, one line per entry sorted by code: code, category, title. */
export function formatList(catalog: Catalog): string {
  const entries = [...catalog.list()].sort((a, b) => a.code - b.code);
  const codeWidth = Math.max(0, ...entries.map((e) => codeLabel(e).length));
  const categoryWidth = Math.max(0, ...entries.map((e) => e.category.length));
  return entries
    .map((e) => `${codeLabel(e).padEnd(codeWidth)}  ${e.category.padEnd(categoryWidth)}  ${e.title}\n`)
    .join("");
}

function codeLabel(entry: CatalogEntry): string {
  return entry.codeRange ? `${entry.codeRange[0]}-${entry.codeRange[1]}` : String(entry.code);
}

/** wrap breaks text at word boundaries to WIDTH; long words (URLs) stay whole on their own line. */
function wrap(text: string, first: string, rest: string): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (!empty && line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = rest + word;
    } else {
      line += empty ? word : ` ${word}`;
    }
    empty = false;
  }
  lines.push(line);
  return lines;
}
