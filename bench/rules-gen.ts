// Generated rule sets: 10 core rules every set shares, padded with rules on codes the traffic never sends.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { LATENCY_CODE } from "./payloads.js";

/** LATENCY_RULE is the id of the rule whose crossings alert latency is measured on. */
export const LATENCY_RULE = "bench-latency";

/** CORE_RULES is how many rules every generated set starts with. */
export const CORE_RULES = 10;

const core = `rules:
  - id: spam-rate-limit
    description: Spam rate limit hit repeatedly on one phone number
    severity: critical
    when: { code: 131048 }
    group_by: [phone_number_id]
    threshold: { more_than: 5, within: 10m }
    cooldown: 30m
  - id: message-undeliverable
    description: Many messages undeliverable from one phone number
    severity: warning
    when: { code: 131026 }
    group_by: [phone_number_id]
    threshold: { more_than: 20, within: 15m }
  - id: meta-chose-not-to-deliver
    description: Meta held back messages to keep the ecosystem healthy
    when: { code: 131049 }
    group_by: [phone_number_id]
    threshold: { more_than: 50, within: 1h }
  - id: reengagement-window
    description: Messages sent outside the 24 h customer service window
    when: { code: 131047 }
    group_by: [phone_number_id]
    threshold: { more_than: 30, within: 30m }
  - id: experiment-recipients
    description: Marketing messages held back by a Meta experiment
    severity: info
    when: { code: 130472 }
    group_by: [phone_number_id]
    threshold: { more_than: 10, within: 1h }
  - id: media-download
    description: Media could not be downloaded
    when: { code: [131052, 131053] }
    group_by: [phone_number_id]
    threshold: { more_than: 10, within: 10m }
  - id: distinct-recipients-failing
    description: Many distinct recipients failing on one number
    when: { code: [131026, 131049] }
    group_by: [phone_number_id]
    threshold: { more_than: 40, within: 10m, distinct: recipient_id }
  - id: quality-drop
    description: Phone number quality dropped
    severity: critical
    when: { kind: phone_number_quality_update }
  - id: failed-marketing
    description: Failed marketing statuses (unindexed, so every event meets it)
    when:
      all:
        - { fact: status, operator: equal, value: failed }
        - { fact: pricing.category, operator: equal, value: marketing }
    group_by: [phone_number_id]
    threshold: { more_than: 1000, within: 1m }
  - id: ${LATENCY_RULE}
    description: Bench alert-latency probe
    severity: critical
    when: { code: ${LATENCY_CODE} }
    group_by: [phone_number_id]
    threshold: { more_than: 2, within: 1m }
    cooldown: 1m
    notify: [ops, hook]
`;

function filler(i: number): string {
  const code = 900_000 + i;
  return `  - id: fleet-${i}
    description: Fleet rule ${i} on a code the bench traffic never sends
    when: { code: ${code} }
    group_by: [phone_number_id]
    threshold: { more_than: ${5 + (i % 20)}, within: ${1 + (i % 30)}m }
`;
}

/** writeRules writes a rules directory with `total` rules (at least CORE_RULES) and returns its path. */
export function writeRules(dir: string, total: number): string {
  const path = join(dir, `rules-${total}`);
  mkdirSync(path, { recursive: true });
  writeFileSync(join(path, "core.yaml"), core);
  const extra = Math.max(0, total - CORE_RULES);
  if (extra > 0) {
    const lines = ["rules:"];
    for (let i = 0; i < extra; i++) lines.push(filler(i));
    writeFileSync(join(path, "fleet.yaml"), `${lines.join("\n")}\n`);
  }
  return path;
}

/**
 * withShipped writes a rules directory holding `base`'s files plus the rules of the shipped file
 * `rules/<file>` whose ids are in `ids` (all of them when `ids` is omitted), and returns its path.
 */
export function withShipped(
  dir: string,
  base: string,
  name: string,
  file: string,
  ids?: readonly string[],
): string {
  const shipped = parse(readFileSync(join(import.meta.dirname, "..", "rules", file), "utf8")) as {
    rules: { id: string }[];
  };
  const path = join(dir, name);
  mkdirSync(path, { recursive: true });
  for (const f of readdirSync(base)) writeFileSync(join(path, f), readFileSync(join(base, f)));
  const rules = ids ? shipped.rules.filter((r) => ids.includes(r.id)) : shipped.rules;
  if (ids && rules.length !== ids.length) throw new Error(`rules/${file} lacks one of ${ids.join(", ")}`);
  writeFileSync(join(path, `shipped-${file}`), stringify({ rules }));
  return path;
}
