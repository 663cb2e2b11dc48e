// X-Hub-Signature-256: Meta's test vector passes; anything not signed over these exact bytes fails.
import { sharedPath } from "../../helpers/shared.js";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { signBody, verifySignature } from "../../../src/shared/hmac.js";

const RAW = readFileSync(sharedPath("whatsapp/payloads/01-status-failed-131049.json"));
const SECRET = "test_app_secret";
const VECTOR = "sha256=a8ae0f3801da9eb271f043b06420cc9378a63a1a204c534a8d366a15601e259e";

describe("verifySignature", () => {
  it("accepts the FACTS.md test vector over the exact file bytes", () => {
    expect(RAW.length).toBe(1398);
    expect(verifySignature(RAW, VECTOR, SECRET)).toBe(true);
    expect(signBody(RAW, SECRET)).toBe(VECTOR);
  });

  it("refuses the same body once re-serialized", () => {
    const reserialized = Buffer.from(JSON.stringify(JSON.parse(RAW.toString("utf8"))));
    expect(verifySignature(reserialized, VECTOR, SECRET)).toBe(false);
  });

  it.each([
    ["missing", undefined],
    ["empty", ""],
    ["signed with another secret", signBody(RAW, "other_secret")],
    ["sha1= prefix", VECTOR.replace("sha256=", "sha1=")],
    ["no prefix", VECTOR.slice("sha256=".length)],
    ["too short", VECTOR.slice(0, -2)],
    ["too long", `${VECTOR}00`],
    ["not hex", `sha256=${"z".repeat(64)}`],
    ["valid for another body", signBody(Buffer.from("{}"), SECRET)],
  ])("refuses a header that is %s", (_name, header) => {
    expect(verifySignature(RAW, header, SECRET)).toBe(false);
  });

  it("refuses everything when no secret is configured", () => {
    expect(verifySignature(RAW, signBody(RAW, ""), "")).toBe(false);
  });
});
