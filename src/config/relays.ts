// Cross-checks of `ingest.relays` the schema cannot express: token or secret + header, never both.
import type { Problem } from "../shared/problems.js";
import { problemAt, type YamlSource } from "../shared/yaml-source.js";

const EXAMPLE = 'e.g. token: "${BSP_TOKEN}", or secret: "${BSP_SECRET}" with header: X-Signature-256';

/** checkRelays reports every relay that is not exactly one of `token` or `secret` + `header`. */
export function checkRelays(source: YamlSource, raw: Record<string, unknown>): Problem[] {
  const ingest = raw.ingest as { relays?: unknown } | undefined;
  const relays = ingest?.relays;
  if (typeof relays !== "object" || relays === null) return [];
  const problems: Problem[] = [];
  for (const [name, relay] of Object.entries(relays as Record<string, unknown>)) {
    if (typeof relay !== "object" || relay === null) continue;
    const r = relay as { token?: unknown; secret?: unknown; header?: unknown };
    const at = (key?: string) => ["ingest", "relays", name, ...(key ? [key] : [])];
    if (r.token !== undefined && r.secret !== undefined) {
      problems.push(
        problemAt(
          source,
          at("secret"),
          `relay "${name}" has both token and secret; keep the one the BSP uses`,
        ),
      );
    } else if (r.secret !== undefined && r.header === undefined) {
      problems.push(
        problemAt(
          source,
          at(),
          `relay "${name}" has a secret but no header; name the header that carries sha256=<hex>, e.g. header: X-Signature-256`,
        ),
      );
    } else if (r.header !== undefined && r.secret === undefined) {
      problems.push(
        problemAt(source, at("header"), `relay "${name}" has a header but no secret to check it with`),
      );
    } else if (r.token === undefined && r.secret === undefined) {
      problems.push(problemAt(source, at(), `relay "${name}" needs a way to authenticate: ${EXAMPLE}`));
    }
  }
  return problems;
}
