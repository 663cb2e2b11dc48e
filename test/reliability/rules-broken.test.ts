// Fault test: a syntax error written into a rule file while running keeps the last good rules firing.
import { writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { freePort, startApp, waitUntil } from "./support/processes.js";
import { useFaultEnvironment } from "./support/environment.js";
import { metaBody, postBody, readHistory, RULES, type Scenario, writeScenario } from "./support/scenario.js";

describe("rules broken while running", () => {
  const env = useFaultEnvironment();
  let s: Scenario | undefined;

  it("keeps the last good rules firing through a syntax error, and a fix takes effect", async () => {
    s = env.track(writeScenario({ redisUrl: env.redis.url, port: await freePort() }));
    const scenario = s;
    const app = await startApp("start", scenario.config);
    const run = `b${Date.now()}`;
    const fires = async (code: number, id: string) => {
      expect(
        await postBody(
          scenario.port,
          metaBody([{ code, messageId: `${run}.${id}`, phone: "900000000000001" }]),
        ),
      ).toBe(200);
      await waitUntil(
        `an alert for ${id}`,
        async () =>
          (await readHistory(env.redis.url, scenario.prefix)).some(
            (e) => e.alert.group.message_id === `${run}.${id}`,
          ),
        10_000,
      );
    };
    await fires(131026, "before");

    writeFileSync(scenario.rulesFile, `${RULES}  - id: [unclosed\n    when: { code: 1\n`);
    await app.waitForLog((l) => l.msg === "rule reload rejected; keeping the last good rules");
    await fires(131026, "while-broken");
    const ready = await fetch(`http://127.0.0.1:${scenario.port}/readyz`);
    expect(ready.status).toBe(200);

    // The fix also adds a rule, to prove the new file, not the old set, is in force.
    writeFileSync(
      scenario.rulesFile,
      `${RULES}  - id: each-not-delivered\n    description: every message not delivered\n    severity: info\n    when: { code: 131049 }\n    group_by: [message_id]\n`,
    );
    await app.waitForLog((l) => l.msg === "rules reloaded");
    await fires(131049, "after-fix");
    await fires(131026, "after-fix-2");
    await app.stop("SIGTERM");
  }, 60_000);
});
