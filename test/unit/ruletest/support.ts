// Shared helpers for the rule unit-test tests: the repo root and load options like the example config's.
import { fileURLToPath } from "node:url";
import type { RuleTestOptions } from "../../../src/ruletest/run.js";

/** REPO is the checkout's root directory. */
export const REPO = fileURLToPath(new URL("../../../", import.meta.url));

/** OPTS are rule test options like the example config's: channels ops and forward, default notify ops. */
export const OPTS: RuleTestOptions = {
  baseDir: REPO,
  channels: ["ops", "forward"],
  defaults: { notify: ["ops"], cooldown: "15m", severity: "warning" },
};
