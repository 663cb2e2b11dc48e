// The waba-alerts command line: start | serve | worker | validate | test | routes test | catalog | notify-test.
import { Command, CommanderError } from "commander";
// Each command imports what it runs when it runs: a `worker` never loads Fastify or the CLI tools, and
// `validate` never loads BullMQ (less start-up time and memory).
import type { AppMode } from "./app.js";
import { checkRedis } from "./queue/redis-check.js";
import { persistenceNote } from "./queue/redis-persistence.js";
import { loadCliConfig } from "./config/cli.js";
import { createLogger } from "./shared/logger.js";
import { ProblemsError, formatProblem } from "./shared/problems.js";
import { packageInfo } from "./shared/version.js";

const SHUTDOWN_GRACE_MS = 10_000;

/** EXIT names the process exit codes SPEC.md fixes (and 3 for "a service is unreachable"). */
export const EXIT = { ok: 0, invalid: 1, usage: 2, unavailable: 3 } as const;

async function run(mode: AppMode, configFlag: string | undefined): Promise<void> {
  const loaded = loadCliConfig(configFlag);
  const log = createLogger(loaded.config.log.level, { format: loaded.config.log.format });
  if (
    loaded.config.whatsapp.app_secret === "change-me" ||
    loaded.config.whatsapp.verify_token === "change-me"
  ) {
    log.warn(
      "!!! whatsapp.app_secret or whatsapp.verify_token is still the default 'change-me': anyone can forge webhooks. " +
        "Set WHATSAPP_APP_SECRET and WHATSAPP_VERIFY_TOKEN (or edit the config) before exposing this server. !!!",
    );
  }
  try {
    const note = persistenceNote(await checkRedis(loaded.config.redis));
    if (note) log[note.level](note.message);
  } catch (err) {
    process.stderr.write(`waba-alerts: ${(err as Error).message}\n`);
    process.exit(EXIT.unavailable);
  }
  const { buildApp } = await import("./app.js");
  let app: Awaited<ReturnType<typeof buildApp>>;
  let address: string | undefined;
  try {
    app = await buildApp({ loaded, mode, log });
    address = await app.listen();
  } catch (err) {
    // Connections and workers opened before the failure would keep the process alive: exit, never hang.
    if (err instanceof ProblemsError) {
      for (const p of err.problems) process.stderr.write(`${formatProblem(p)}\n`);
    } else {
      process.stderr.write(`waba-alerts: cannot start: ${(err as Error).message}\n`);
    }
    process.exit(EXIT.invalid);
  }
  log.info({ mode, address, config: loaded.file }, "waba-alerts started");

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down: no new requests, finishing in-flight work");
    const timer = setTimeout(() => {
      log.error("shutdown took too long; exiting");
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    timer.unref();
    app.close().then(
      () => process.exit(EXIT.ok),
      (err: Error) => {
        log.error({ err: err.message }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

function program(): Command {
  const cmd = new Command("waba-alerts")
    .description("Rules-based alerting for WhatsApp Business Platform webhook errors")
    .version(packageInfo().version, "-v, --version", "print the version")
    .exitOverride()
    .showHelpAfterError();
  const config = [
    "-c, --config <file>",
    "config file (default: $WABA_ALERTS_CONFIG, ./config.yaml, ./config.example.yaml)",
  ] as const;

  for (const [mode, what] of [
    ["start", "HTTP server and workers in one process"],
    ["serve", "HTTP server only (ingest, admin API, metrics)"],
    ["worker", "workers only; run as many as you like"],
  ] as const) {
    cmd
      .command(mode)
      .description(what)
      .option(...config)
      .action((o: { config?: string }) => run(mode, o.config));
  }
  cmd
    .command("validate")
    .description(
      "check the config, rules and rule tests (*.test.yaml) offline; prints every problem as file:line:col: message",
    )
    .option(...config)
    .argument(
      "[paths...]",
      "rule files, rule test files or directories (default: rules.paths from the config)",
    )
    .action(async (paths: string[], o: { config?: string }) => {
      const { runValidate } = await import("./cli/validate.js");
      process.exitCode = await runValidate(o.config, paths);
    });
  cmd
    .command("test")
    .description(
      "dry run events through the rules (--events FILE), or run rule unit tests (PATH…: *.test.yaml or directories)",
    )
    .argument("[paths...]", "rule unit-test files (*.test.yaml) or directories holding them, e.g. rules/")
    .option("--events <file>", "a Meta webhook body, a JSON array of bodies or events, or JSON lines")
    .option(...config)
    .option("--rules <paths...>", "rule files or directories (default: rules.paths from the config)")
    .option("--json", 'print {"alerts":[…]} as JSON')
    .option("--explain", "print, per event, what each candidate rule did and why")
    .action(
      async (
        paths: string[],
        o: { events?: string; config?: string; rules?: string[]; json?: boolean; explain?: boolean },
      ) => {
        if (o.events && paths.length) {
          process.stderr.write(
            "waba-alerts test: give either --events FILE (dry run) or PATH… (rule tests), not both\n",
          );
          process.exitCode = EXIT.usage;
        } else if (o.events) {
          const { runTest } = await import("./cli/test.js");
          process.exitCode = await runTest({ ...o, events: o.events });
        } else if (paths.length) {
          const { runRuleTestCommand } = await import("./cli/rule-tests.js");
          process.exitCode = await runRuleTestCommand(paths, { config: o.config, json: o.json });
        } else {
          process.stderr.write(
            "waba-alerts test: give --events FILE (dry run) or PATH… (rule tests, e.g. rules/)\n",
          );
          process.exitCode = EXIT.usage;
        }
      },
    );
  cmd
    .command("routes")
    .description("check the config's routes")
    .command("test")
    .description("print the channels an alert with these facts would reach (rule's notify + routes), and why")
    .requiredOption("--facts <json>", `the alert's facts as JSON, e.g. '{"waba_id":"102290129340398"}'`)
    .option("--rule <id>", "the alert's rule (its notify and severity count); same as a rule fact")
    .option(...config)
    .option("--json", "print the result as JSON")
    .action(async (o: { facts: string; rule?: string; config?: string; json?: boolean }) => {
      const { runRoutesTest } = await import("./cli/routes-test.js");
      process.exitCode = await runRoutesTest(o);
    });
  cmd
    .command("catalog")
    .description("print the built-in knowledge for one error code, or the list")
    .option(...config)
    .argument("[code]", "an error code such as 131048")
    .action(async (code: string | undefined, o: { config?: string }) => {
      const { runCatalog } = await import("./cli/catalog.js");
      process.exitCode = await runCatalog(code, o.config);
    });
  cmd
    .command("notify-test")
    .description("send a realistic sample alert through one channel and report the outcome")
    .option(...config)
    .argument("<channel>", "a channel name from the config")
    .option("--digest", "send a sample digest (a flood of one rule gathered over an interval) instead")
    .action(async (channel: string, o: { config?: string; digest?: boolean }) => {
      const { runNotifyTest } = await import("./cli/notify-test.js");
      process.exitCode = await runNotifyTest(channel, o.config, o.digest === true);
    });
  return cmd;
}

async function main(argv: string[]): Promise<void> {
  try {
    await program().parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode === 0 ? EXIT.ok : EXIT.usage;
      return;
    }
    if (err instanceof ProblemsError) {
      for (const p of err.problems) process.stderr.write(`${formatProblem(p)}\n`);
      process.exitCode = EXIT.invalid;
      return;
    }
    process.stderr.write(`waba-alerts: ${(err as Error).message}\n`);
    process.exitCode = EXIT.invalid;
  }
}

await main(process.argv);
