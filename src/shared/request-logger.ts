// Fastify's per-request logger, made lazy: a pino child (with our redaction) is only built for a request
// that actually logs. Accepted webhooks never do, so the hot path skips a child per request.
import type { FastifyBaseLogger } from "fastify";

type Bindings = Parameters<FastifyBaseLogger["child"]>[0];
type ChildOptions = Parameters<FastifyBaseLogger["child"]>[1];
type LogFn = FastifyBaseLogger["info"];

/**
 * lazyChildLogger returns a logger that behaves as `parent.child(bindings, options)` but builds that
 * child on its first use; Fastify calls it once per request (its `childLoggerFactory` option).
 */
export function lazyChildLogger(
  parent: FastifyBaseLogger,
  bindings: Bindings,
  options?: ChildOptions,
): FastifyBaseLogger {
  let real: FastifyBaseLogger | undefined;
  const get = (): FastifyBaseLogger => {
    real ??= parent.child(bindings, options);
    return real;
  };
  const levels = parent as { isLevelEnabled?: (level: string) => boolean };
  const enabled = (level: string): boolean => levels.isLevelEnabled?.(level) ?? true;
  const method =
    (name: "info" | "error" | "debug" | "fatal" | "warn" | "trace"): LogFn =>
    (...args: Parameters<LogFn>) => {
      // Below the level the parent would drop the line anyway: no child needed.
      if (!real && !enabled(name)) return;
      (get()[name] as (...a: unknown[]) => void)(...args);
    };
  return {
    get level() {
      return real ? real.level : parent.level;
    },
    set level(value: string) {
      get().level = value;
    },
    info: method("info"),
    error: method("error"),
    debug: method("debug"),
    fatal: method("fatal"),
    warn: method("warn"),
    trace: method("trace"),
    silent: (...args: Parameters<LogFn>) => get().silent(...args),
    child: (b: Bindings, o?: ChildOptions) => get().child(b, o),
  } as FastifyBaseLogger;
}
