// ${VAR} and ${VAR:-default} substitution in YAML scalars, done on the parsed tree so positions survive.
import { isScalar, visit } from "yaml";
import type { Problem } from "../shared/problems.js";
import type { YamlSource } from "../shared/yaml-source.js";

const REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * interpolateEnv replaces every `${VAR}` in string scalars from `env`. An unset variable without a
 * default is a problem naming it; an unset one with a default takes the default.
 */
export function interpolateEnv(source: YamlSource, env: NodeJS.ProcessEnv): Problem[] {
  const problems: Problem[] = [];
  visit(source.doc, {
    Scalar(_key, node) {
      if (!isScalar(node) || typeof node.value !== "string" || !node.value.includes("${")) return;
      node.value = node.value.replace(REF, (_all, name: string, fallback: string | undefined) => {
        const value = env[name];
        if (value !== undefined && value !== "") return value;
        if (fallback !== undefined) return fallback;
        if (value === "") return "";
        const pos = source.lines.linePos(node.range?.[0] ?? 0);
        problems.push({
          file: source.file,
          line: pos.line,
          col: pos.col,
          message: `environment variable ${name} is not set; set it, or give a default with \${${name}:-value}`,
        });
        return "";
      });
    },
  });
  return problems;
}
