// The User-Agent outbound webhooks send, so receivers can tell waba-alerts (and its version) in their logs.
import { readFileSync } from "node:fs";

function packageVersion(): string {
  try {
    // src/notify/webhook and dist/notify/webhook both sit three levels below package.json.
    const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as {
      version?: unknown;
    };
    return typeof pkg.version === "string" ? pkg.version : "0.0.0";
  } catch {
    return "0.0.0";
  }
}

/** USER_AGENT is `waba-alerts/<package version>`. */
export const USER_AGENT = `waba-alerts/${packageVersion()}`;
