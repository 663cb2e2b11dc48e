// Reads a Dockerfile and replays its build and run steps outside a container, each stage in its own directory.
//
// No container engine runs on our machines, so this keeps the Dockerfile honest: the same COPY and RUN steps
// (same commands, a clean copy of the build context honouring .dockerignore) and the same ENTRYPOINT/CMD and
// HEALTHCHECK, with every absolute container path mapped under the stage's directory. What it cannot do is
// said, not hidden: a RUN marked `# replay: skip (why)` is listed in `skipped`, USER and --chown are recorded
// but not switched to, and an entrypoint wrapper missing on this machine (tini) is dropped with a note.
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, isAbsolute, join, posix, relative } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Instruction is one Dockerfile instruction with its arguments (continuations joined, comments dropped). */
export interface Instruction {
  readonly op: string;
  readonly args: string;
  readonly line: number;
  /** Why the replay does not run it, from a `# replay: skip (why)` line just above. */
  readonly skip?: string;
}

/** Stage is one FROM section. */
export interface Stage {
  readonly image: string;
  readonly name?: string;
  readonly steps: Instruction[];
}

const KNOWN = new Set([
  "ARG",
  "FROM",
  "WORKDIR",
  "COPY",
  "RUN",
  "ENV",
  "USER",
  "EXPOSE",
  "VOLUME",
  "HEALTHCHECK",
  "ENTRYPOINT",
  "CMD",
  "LABEL",
  "STOPSIGNAL",
]);

/** parseDockerfile splits a Dockerfile into stages; an instruction the replay does not know is an error. */
export function parseDockerfile(text: string): { args: Record<string, string>; stages: Stage[] } {
  const args: Record<string, string> = {};
  const stages: Array<{ image: string; name?: string; steps: Instruction[] }> = [];
  const lines = text.split("\n");
  let skip: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const start = i + 1;
    let line = (lines[i] ?? "").trim();
    if (line === "" || line.startsWith("#")) {
      const marker = /^#\s*replay:\s*skip\s*\((.+)\)\s*$/.exec(line);
      if (marker) skip = marker[1];
      continue;
    }
    while (line.endsWith("\\") && i + 1 < lines.length) {
      i++;
      const next = (lines[i] ?? "").trim();
      line = `${line.slice(0, -1).trimEnd()} ${next.startsWith("#") ? "" : next}`.trim();
    }
    const [, rawOp = "", rest = ""] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const op = rawOp.toUpperCase();
    if (!KNOWN.has(op)) throw new Error(`Dockerfile:${start}: the replay does not know ${op}`);
    const step: Instruction = { op, args: rest, line: start, ...(skip ? { skip } : {}) };
    skip = undefined;
    if (op === "ARG" && stages.length === 0) {
      const [k = "", v = ""] = rest.split("=");
      args[k.trim()] = v.trim();
    } else if (op === "FROM") {
      const [, image = "", name] = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(rest) ?? [];
      stages.push({
        image: image.replace(/\$\{?(\w+)\}?/g, (_m, n: string) => args[n] ?? ""),
        name,
        steps: [],
      });
    } else {
      const stage = stages.at(-1);
      if (!stage) throw new Error(`Dockerfile:${start}: ${op} before FROM`);
      stage.steps.push(step);
    }
  }
  return { args, stages };
}

/** words splits a shell-form argument list (double or single quotes group words). */
export function words(text: string): string[] {
  return [...text.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g)].map((m) =>
    m[1] !== undefined ? m[1].replace(/\\(.)/g, "$1") : (m[2] ?? m[3] ?? ""),
  );
}

/** execForm reads `["a", "b"]` (exec form) or a shell-form string as argv. */
export function execForm(text: string): string[] {
  const t = text.trim();
  return t.startsWith("[") ? (JSON.parse(t) as string[]) : ["/bin/sh", "-c", t];
}

/**
 * dockerignore builds the context filter from .dockerignore (names, `*` globs, `!` exceptions; last match wins).
 * An ignored directory that an exception reaches into is still walked, as Docker does.
 */
export function dockerignore(text: string): (path: string, isDir?: boolean) => boolean {
  const rules = text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"))
    .map((l) => {
      const keep = l.startsWith("!");
      const glob = posix.normalize((keep ? l.slice(1) : l).replace(/^\/+/, "")).replace(/\/+$/, "");
      // `**` crosses directories, `*` stays within one name; everything else is literal.
      const re = glob
        .split("**")
        .map((part) => part.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*"))
        .join(".*");
      return { keep, glob, re: new RegExp(`^${re}(/.*)?$`) };
    });
  return (path, isDir = false) => {
    let ignored = false;
    for (const r of rules) if (r.re.test(path)) ignored = !r.keep;
    if (ignored && isDir) return !rules.some((r) => r.keep && r.glob.startsWith(`${path}/`));
    return ignored;
  };
}

/** Replayed is the outcome: each stage's directory, and what the final image would run. */
export interface Replayed {
  readonly stages: ReadonlyArray<{ name?: string; image: string; root: string }>;
  /** The final stage's directory: the image's file system. */
  readonly root: string;
  /** map turns an absolute path of the final image into the path on this machine. */
  map(path: string): string;
  readonly workdir: string;
  /** The final image's ENV, container paths mapped. */
  readonly env: Record<string, string>;
  readonly user: string | undefined;
  readonly exposed: string[];
  readonly volumes: string[];
  readonly entrypoint: string[];
  readonly cmd: string[];
  readonly healthcheck: { options: string[]; cmd: string[] } | undefined;
  /** Instructions not run, each with its line and why. */
  readonly skipped: string[];
  /** Differences from a real container run, for the report. */
  readonly notes: string[];
}

/**
 * replayDockerfile builds `dockerfile` from `context` under `workdir`: COPY honours .dockerignore, RUN runs
 * `sh -c` in the mapped WORKDIR with the stage's ENV on top of a small base environment (PATH and HOME, so
 * npm finds its cache). `log` receives each step as it starts.
 */
export async function replayDockerfile(opts: {
  dockerfile: string;
  context: string;
  workdir: string;
  log?: (line: string) => void;
}): Promise<Replayed> {
  const { stages } = parseDockerfile(readFileSync(opts.dockerfile, "utf8"));
  const ignorePath = join(opts.context, ".dockerignore");
  const ignored = dockerignore(existsSync(ignorePath) ? readFileSync(ignorePath, "utf8") : "");
  const roots: Array<{ name?: string; image: string; root: string }> = [];
  const skipped: string[] = [];
  const notes: string[] = [];
  let final: Omit<Replayed, "stages" | "root" | "map" | "skipped" | "notes"> | undefined;

  for (const [index, stage] of stages.entries()) {
    const root = join(opts.workdir, `stage-${index}`);
    mkdirSync(root, { recursive: true });
    const map = (p: string) => join(root, p);
    roots.push({ ...(stage.name ? { name: stage.name } : {}), image: stage.image, root });
    let workdir = "/";
    const env: Record<string, string> = {};
    let user: string | undefined;
    const exposed: string[] = [];
    const volumes: string[] = [];
    let entrypoint: string[] = [];
    let cmd: string[] = [];
    let healthcheck: { options: string[]; cmd: string[] } | undefined;

    for (const step of stage.steps) {
      const where = `Dockerfile:${step.line} ${step.op}`;
      if (step.skip) {
        skipped.push(`${where} ${step.args} — ${step.skip}`);
        continue;
      }
      opts.log?.(`${where} ${step.args}`);
      switch (step.op) {
        case "WORKDIR":
          workdir = posix.resolve(workdir, step.args.trim());
          mkdirSync(map(workdir), { recursive: true });
          break;
        case "ENV":
          for (const w of words(step.args)) {
            const eq = w.indexOf("=");
            if (eq < 1) throw new Error(`${where}: use ENV key=value`);
            env[w.slice(0, eq)] = w.slice(eq + 1);
          }
          break;
        case "COPY": {
          const parts = words(step.args);
          const flags = parts.filter((p) => p.startsWith("--"));
          const paths = parts.filter((p) => !p.startsWith("--"));
          const from = flags.find((f) => f.startsWith("--from="))?.slice(7);
          for (const f of flags.filter((x) => !x.startsWith("--from=")))
            notes.push(`${where}: ${f} not applied (one user here)`);
          const dest = paths.pop() ?? "";
          const destPath = map(posix.resolve(workdir, dest));
          const intoDir = dest.endsWith("/") || dest === "." || paths.length > 1;
          const source = from ? roots.find((r, i) => r.name === from || String(i) === from)?.root : undefined;
          if (from && !source) throw new Error(`${where}: no stage ${from}`);
          for (const src of paths) {
            if (src.includes("*")) throw new Error(`${where}: the replay does not expand globs (${src})`);
            const abs = source ? join(source, src) : join(opts.context, src);
            if (!existsSync(abs)) throw new Error(`${where}: ${src} does not exist`);
            const filter = (p: string) =>
              source !== undefined ||
              p === abs ||
              !ignored(relative(opts.context, p), statSync(p).isDirectory());
            if (!source && abs !== opts.context && ignored(relative(opts.context, abs)))
              throw new Error(`${where}: ${src} is excluded by .dockerignore`);
            const target = statSync(abs).isDirectory()
              ? destPath
              : intoDir
                ? join(destPath, basename(abs))
                : destPath;
            mkdirSync(dirname(target), { recursive: true });
            cpSync(abs, target, { recursive: true, filter, verbatimSymlinks: true });
          }
          break;
        }
        case "RUN": {
          const argv = execForm(step.args);
          const baseEnv = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? root };
          try {
            await run(argv[0] ?? "sh", argv.slice(1), {
              cwd: map(workdir),
              env: { ...baseEnv, ...mapEnv(env, map) },
              maxBuffer: 64 * 1024 * 1024,
              timeout: 10 * 60_000,
            });
          } catch (err) {
            const e = err as { stdout?: string; stderr?: string; message: string };
            throw new Error(`${where} failed: ${e.message}\n${e.stdout ?? ""}\n${e.stderr ?? ""}`);
          }
          break;
        }
        case "USER":
          user = step.args.trim();
          break;
        case "EXPOSE":
          exposed.push(...words(step.args));
          break;
        case "VOLUME":
          volumes.push(...(step.args.trim().startsWith("[") ? execForm(step.args) : words(step.args)));
          break;
        case "HEALTHCHECK": {
          const m = /^((?:--\S+\s+)*)CMD\s+(.+)$/s.exec(step.args);
          if (!m) throw new Error(`${where}: expected HEALTHCHECK [options] CMD …`);
          healthcheck = { options: words(m[1] ?? ""), cmd: execForm(m[2] ?? "") };
          break;
        }
        case "ENTRYPOINT":
          entrypoint = execForm(step.args);
          cmd = [];
          break;
        case "CMD":
          cmd = execForm(step.args);
          break;
        default:
          break; // LABEL, STOPSIGNAL, ARG inside a stage: nothing to replay
      }
    }
    if (index === stages.length - 1) {
      final = {
        workdir: map(workdir),
        env: mapEnv(env, map),
        user,
        exposed,
        volumes,
        entrypoint,
        cmd,
        healthcheck,
      };
    }
  }
  const last = roots.at(-1);
  if (!final || !last) throw new Error("the Dockerfile has no stage");
  return { ...final, stages: roots, root: last.root, map: (p) => join(last.root, p), skipped, notes };
}

/** mapEnv maps ENV values that are absolute container paths under the stage's directory. */
function mapEnv(env: Record<string, string>, map: (p: string) => string): Record<string, string> {
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, isAbsolute(v) ? map(v) : v]));
}

/** onThisMachine drops a leading init wrapper (tini …, --) that this machine lacks, and maps container paths. */
export function onThisMachine(image: Replayed, argv: string[], notes: string[]): string[] {
  let out = argv;
  const wrapper = out[0];
  if (wrapper === "tini" || wrapper?.endsWith("/tini")) {
    const has = (process.env.PATH ?? "").split(":").some((d) => existsSync(join(d, "tini")));
    if (!has) {
      notes.push("tini is not installed here: the entrypoint runs without it (node handles SIGTERM itself)");
      out = out.slice(out[1] === "--" ? 2 : 1);
    }
  }
  return out.map((a) => (isAbsolute(a) && existsSync(image.map(a)) ? image.map(a) : a));
}
