// Secret comparisons go through crypto.timingSafeEqual on equal-length digests; malformed input is refused
// on its shape alone, before anything derived from the secret is compared.
import { readFileSync } from "node:fs";
import { timingSafeEqual } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { bearerMatches, secretEquals } from "../../../src/shared/secrets.js";
import { signBody, verifySignature } from "../../../src/shared/hmac.js";
import { sharedPath } from "../../helpers/shared.js";
import { buildHarness, type Harness, SECRETS } from "./harness.js";

// Wrap the real timingSafeEqual in a spy: the code under test imports node:crypto, which this replaces.
vi.mock("node:crypto", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:crypto")>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

const spy = vi.mocked(timingSafeEqual);
const RAW = readFileSync(sharedPath("whatsapp/payloads/01-status-failed-131049.json"));
const SECRET = "test_app_secret";
const GOOD = signBody(RAW, SECRET);
const HEX = GOOD.slice("sha256=".length);

/** comparedLengths lists the byte lengths of both sides of every timingSafeEqual call so far. */
function comparedLengths(): Array<[number, number]> {
  return spy.mock.calls.map(([a, b]) => [a.byteLength, b.byteLength]);
}

beforeEach(() => {
  spy.mockClear();
});

describe("X-Hub-Signature-256 comparison", () => {
  it("compares the decoded 32-byte digest with timingSafeEqual, for a right and a wrong signature", () => {
    expect(verifySignature(RAW, GOOD, SECRET)).toBe(true);
    // Flip one hex digit in the middle: same shape, wrong value.
    const wrong = `sha256=${HEX.slice(0, 30)}${HEX[30] === "0" ? "1" : "0"}${HEX.slice(31)}`;
    expect(verifySignature(RAW, wrong, SECRET)).toBe(false);
    expect(verifySignature(RAW, GOOD.toUpperCase().replace("SHA256=", "sha256="), SECRET)).toBe(true);
    expect(comparedLengths()).toEqual([
      [32, 32],
      [32, 32],
      [32, 32],
    ]);
  });

  it.each([
    ["too short", GOOD.slice(0, -2)],
    ["one hex digit short", GOOD.slice(0, -1)],
    ["too long", `${GOOD}00`],
    ["not hex", `sha256=${"zz".repeat(32)}`],
    ["hex with a stray non-hex character", `sha256=${HEX.slice(0, 63)}g`],
    ["sha1 prefix, sha256 digest", `sha1=${HEX}`],
    ["upper-case prefix", `SHA256=${HEX}`],
    ["no prefix", HEX],
    ["two signatures", `${GOOD},${GOOD}`],
    ["the digest in base64", `sha256=${Buffer.from(HEX, "hex").toString("base64")}`],
  ])("refuses a header that is %s on its shape, before comparing anything", (_name, header) => {
    expect(verifySignature(RAW, header, SECRET)).toBe(false);
    expect(spy).not.toHaveBeenCalled();
  });
});

describe("token comparisons", () => {
  it("hash both sides to 32 bytes first, so tokens of any length compare in constant time", () => {
    expect(secretEquals("short", "a much longer configured verify token")).toBe(false);
    expect(secretEquals("same", "same")).toBe(true);
    expect(bearerMatches("Bearer x", "a much longer admin token")).toBe(false);
    expect(bearerMatches("Bearer same", "same")).toBe(true);
    expect(comparedLengths()).toEqual([
      [32, 32],
      [32, 32],
      [32, 32],
      [32, 32],
    ]);
  });
});

describe("POST /webhooks/whatsapp with a malformed signature", () => {
  let h: Harness;
  const body = RAW;
  beforeAll(async () => {
    h = await buildHarness();
  });
  afterAll(async () => {
    await h.app.close();
  });

  const post = (signature: string) =>
    h.app.inject({
      method: "POST",
      url: "/webhooks/whatsapp",
      payload: body,
      headers: { "content-type": "application/json", "x-hub-signature-256": signature },
    });

  it("answers 401 to a wrong-length or non-hex signature without comparing, and enqueues nothing", async () => {
    const good = signBody(body, SECRETS.appSecret);
    for (const signature of [good.slice(0, -2), `${good}0`, `sha256=${"g".repeat(64)}`]) {
      const res = await post(signature);
      expect(res.statusCode, signature).toBe(401);
    }
    expect(spy).not.toHaveBeenCalled();
    expect(h.batches).toHaveLength(0);
  });

  it("answers 401 to a well-formed wrong signature after one timingSafeEqual of the digests, 200 to the right one", async () => {
    expect((await post(`sha256=${"ab".repeat(32)}`)).statusCode).toBe(401);
    expect(comparedLengths()).toEqual([[32, 32]]);
    expect((await post(signBody(body, SECRETS.appSecret))).statusCode).toBe(200);
    expect(comparedLengths()).toEqual([
      [32, 32],
      [32, 32],
    ]);
    expect(h.batches).toHaveLength(1);
  });
});
