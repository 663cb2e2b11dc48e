// Loads the config file: YAML with positions → ${ENV} → schema with defaults → cross-checks → frozen Config.
import { readFileSync, existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import { deepFreeze } from "../shared/freeze.js";
import { ConfigError, type Problem } from "../shared/problems.js";
import { schemaProblems } from "../shared/schema-problems.js";
import { packageInfo } from "../shared/version.js";
import { didYouMean } from "../shared/suggest.js";
import { parseYaml, problemAt, type YamlSource } from "../shared/yaml-source.js";
import { checkGroupBy, checkRoutes } from "./check-routing.js";
import { interpolateEnv } from "./interpolate.js";
import { checkRelays } from "./relays.js";
import { checkRedisUrls } from "./redis-urls.js";
import { type Settings, settingsOf } from "./settings.js";
import { urlProblem } from "./url-problem.js";
import { ChannelSchemas, type Config, ConfigShapeSchema } from "./schema.js";

/** LoadedConfig is a valid config plus where it came from (relative paths resolve against `dir`). */
export interface LoadedConfig {
  readonly config: Config;
  /** The config in final units (ms, bytes, absolute paths): what downstream code reads. */
  readonly settings: Settings;
  readonly file: string;
  readonly dir: string;
}

/** loadedConfig pairs a validated config with its settings, relative paths resolving against `dir`. */
export function loadedConfig(config: Config, file: string, dir: string): LoadedConfig {
  return { config, settings: settingsOf(config, dir), file, dir };
}

const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false, verbose: true });
let shapeValidator: ValidateFunction | undefined;
const channelValidators = new Map<string, ValidateFunction>();

function validatorFor(type: keyof typeof ChannelSchemas): ValidateFunction {
  let v = channelValidators.get(type);
  if (!v) {
    v = ajv.compile(ChannelSchemas[type]);
    channelValidators.set(type, v);
  }
  return v;
}

/**
 * resolveConfigPath applies SPEC.md's order: -c FILE, $WABA_ALERTS_CONFIG, ./config.yaml, ./config.example.yaml;
 * last, the installed package's own config.example.yaml, so `npx waba-alerts start` runs in an empty directory.
 */
export function resolveConfigPath(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (flag) return resolve(flag);
  if (env.WABA_ALERTS_CONFIG) return resolve(env.WABA_ALERTS_CONFIG);
  if (existsSync("config.yaml")) return resolve("config.yaml");
  if (existsSync("config.example.yaml")) return resolve("config.example.yaml");
  return join(packageInfo().dir, "config.example.yaml");
}

function checkChannels(source: YamlSource, raw: Record<string, unknown>): Problem[] {
  const problems: Problem[] = [];
  const channels = (raw.channels ?? {}) as Record<string, Record<string, unknown>>;
  for (const [name, channel] of Object.entries(channels)) {
    const type = channel.type;
    if (type !== "email" && type !== "webhook") {
      problems.push(
        problemAt(
          source,
          ["channels", name, "type"],
          `channel "${name}" has unknown type ${JSON.stringify(type)}${didYouMean(String(type), Object.keys(ChannelSchemas))}; use email or webhook`,
        ),
      );
      continue;
    }
    const validate = validatorFor(type);
    if (!validate(channel)) {
      const errors = (validate.errors ?? []).map((e) => ({
        ...e,
        instancePath: `/channels/${name}${e.instancePath}`,
      }));
      problems.push(...schemaProblems(source, errors));
    }
  }
  const defaults = (raw.defaults ?? {}) as { notify?: unknown };
  if (!source.doc.hasIn(["defaults", "notify"]) && Array.isArray(defaults.notify)) {
    // The built-in default ([ops]) only applies when such a channel exists; an empty config stays valid.
    defaults.notify = defaults.notify.filter((n) => typeof n === "string" && n in channels);
  } else if (Array.isArray(defaults.notify)) {
    defaults.notify.forEach((n, i) => {
      if (typeof n === "string" && !(n in channels)) {
        problems.push(
          problemAt(
            source,
            ["defaults", "notify", i],
            `unknown channel "${n}"${didYouMean(n, Object.keys(channels))}; define it under "channels" or remove it`,
          ),
        );
      }
    });
  }
  return problems;
}

/** hasCredentials says whether a (valid) URL carries `user:password@`. */
function hasCredentials(text: string): boolean {
  const url = new URL(text);
  return url.username !== "" || url.password !== "";
}

/** checkUrls checks the SMTP URL and every webhook URL, so a typo fails at load instead of at send time. */
function checkUrls(source: YamlSource, raw: Record<string, unknown>): Problem[] {
  const problems: Problem[] = [];
  const smtp = (raw.email as { smtp?: unknown } | undefined)?.smtp;
  if (typeof smtp === "string" && smtp.trim() !== "") {
    const why = urlProblem(smtp.trim(), ["smtp:", "smtps:"]);
    // The value is not echoed: an SMTP URL usually carries a password.
    if (why)
      problems.push(
        problemAt(
          source,
          ["email", "smtp"],
          `email.smtp ${why}; write smtp://user:password@host:587 or smtps://user:password@host:465, or leave it empty to write .eml files to email.outbox`,
        ),
      );
  }
  const channels = (raw.channels ?? {}) as Record<string, Record<string, unknown>>;
  for (const [name, channel] of Object.entries(channels)) {
    // A url not starting with http(s):// is already reported by the schema.
    if (channel.type !== "webhook" || typeof channel.url !== "string" || !/^https?:\/\//.test(channel.url)) continue;
    const why = urlProblem(channel.url, ["http:", "https:"]);
    if (why)
      problems.push(
        problemAt(
          source,
          ["channels", name, "url"],
          `channel "${name}": url ${why}; write the receiver's full address, for example https://hooks.example.com/waba`,
        ),
      );
    else if (hasCredentials(channel.url))
      // Never echoed: the point is to keep the password out of output. fetch() refuses such URLs anyway.
      problems.push(
        problemAt(
          source,
          ["channels", name, "url"],
          `channel "${name}": url carries a user name or password, which would be refused at send time and shown in logs; remove them from the url and send them as a header instead, e.g. headers: { Authorization: "Basic <base64 of user:password>" }`,
        ),
      );
  }
  return problems;
}


/** parseConfig validates config text; throws ConfigError with every problem found. */
export function parseConfig(file: string, text: string, env: NodeJS.ProcessEnv = process.env): Config {
  const { source, problems } = parseYaml(file, text);
  if (problems.length) throw new ConfigError(problems);
  const envProblems = interpolateEnv(source, env);
  const raw = (source.doc.toJS() ?? {}) as Record<string, unknown>;
  if (typeof raw !== "object" || Array.isArray(raw)) {
    throw new ConfigError(
      [{ file, line: 1, col: 1, message: "the config must be a YAML mapping of keys" }],
    );
  }
  shapeValidator ??= ajv.compile(ConfigShapeSchema);
  const all = [...envProblems];
  if (!shapeValidator(raw)) all.push(...schemaProblems(source, shapeValidator.errors));
  all.push(...checkChannels(source, raw), ...checkRelays(source, raw));
  all.push(...checkUrls(source, raw), ...checkRedisUrls(source, raw));
  all.push(...checkRoutes(source, raw), ...checkGroupBy(source, raw));
  if (all.length) throw new ConfigError(all);
  return deepFreeze(raw as Config);
}

/** loadConfig reads and validates the config file at `path`. */
export function loadConfig(path: string, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const file = resolve(path);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    const reason =
      (err as NodeJS.ErrnoException).code === "ENOENT" ? "file not found" : (err as Error).message;
    throw new ConfigError(
      [{ file: path, line: 1, col: 1, message: `cannot read config: ${reason}` }],
    );
  }
  return loadedConfig(parseConfig(path, text, env), file, dirname(file));
}
