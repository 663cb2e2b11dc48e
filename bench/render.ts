// Re-renders RESULTS.md from results.json and notes.md (after editing the notes), without re-running: `tsx bench/render.ts`.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type Results, writeResults } from "./report.js";

const dir = import.meta.dirname;
const results = JSON.parse(readFileSync(join(dir, "results.json"), "utf8")) as Results;
const notesFile = join(dir, "notes.md");
writeResults(dir, results, existsSync(notesFile) ? readFileSync(notesFile, "utf8") : "");
console.log(`rendered ${join(dir, "RESULTS.md")}`);
