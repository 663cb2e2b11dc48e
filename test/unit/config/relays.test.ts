// `ingest.relays` in the config: either token or secret + header, every mistake at its file:line:col.
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../src/config/load.js";
import { configProblems } from "../../helpers/config.js";

const problemsOf = configProblems;

describe("ingest.relays", () => {
  it("defaults to none and accepts token relays and secret + header relays", () => {
    expect(parseConfig("c.yaml", "", {}).ingest.relays).toEqual({});
    const text = `
ingest:
  relays:
    acme: { token: "\${ACME_TOKEN}" }
    gupshup: { secret: s3cret, header: X-Signature-256 }
    later: { token: "\${LATER_TOKEN:-}" }
`;
    const config = parseConfig("c.yaml", text, { ACME_TOKEN: "t0ken" });
    expect(config.ingest.relays).toEqual({
      acme: { token: "t0ken" },
      gupshup: { secret: "s3cret", header: "X-Signature-256" },
      later: { token: "" },
    });
  });

  it("reports every wrong relay at once, where it is written, with how to fix it", () => {
    const text = `ingest:
  relays:
    both: { token: a, secret: b, header: X-Sig }
    no-header: { secret: b }
    lonely-header: { header: X-Sig }
    nothing: {}
    typo: { tokn: a }
    bad-header: { secret: b, header: "X Sig" }
`;
    expect(problemsOf(text)).toEqual([
      'config.yaml:3:31: relay "both" has both token and secret; keep the one the BSP uses',
      expect.stringMatching(
        /^config\.yaml:4:16: relay "no-header" has a secret but no header; name the header that carries sha256=<hex>/,
      ),
      'config.yaml:5:30: relay "lonely-header" has a header but no secret to check it with',
      expect.stringMatching(/^config\.yaml:6:14: relay "nothing" needs a way to authenticate: e\.g\. token:/),
      expect.stringMatching(/^config\.yaml:7:11: relay "typo" needs a way to authenticate/),
      'config.yaml:7:13: unknown key "tokn" in "ingest.relays.typo"; did you mean "token"?',
      expect.stringMatching(
        /^config\.yaml:8:38: "ingest\.relays\.bad-header\.header" must be the header .*\(got "X Sig"\)$/,
      ),
    ]);
  });
});
