// Flows webhook error types: every spelling Meta uses finds its explanation; unknown types find none.
import { describe, expect, it } from "vitest";
import { flowErrorType } from "../../../src/catalog/index.js";

describe("flowErrorType", () => {
  it("reads the webhook's and the reference page's spellings alike", () => {
    expect(flowErrorType("TIMEOUT")?.meaning).toMatch(/10 seconds/);
    expect(flowErrorType("timeout_error")?.type).toBe("TIMEOUT");
    expect(flowErrorType("public-key-signiture-verification")?.type).toBe(
      "PUBLIC_KEY_SIGNATURE_VERIFICATION",
    );
    expect(flowErrorType("INVALID_SCREEN_TRANSITION")?.action).toMatch(/routing model/);
  });

  it("knows nothing of a type Meta has not documented", () => {
    expect(flowErrorType("SOMETHING_NEW")).toBeUndefined();
    expect(flowErrorType("__proto__")).toBeUndefined();
  });
});
