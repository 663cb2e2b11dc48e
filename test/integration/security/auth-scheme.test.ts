// One bearer parser everywhere: the scheme's case never matters (RFC 9110), the token is compared whole.
import { describe, expect, it } from "vitest";
import { ADMIN } from "../../helpers/engine.js";
import { auth, INGEST_TOKEN as INGEST, RELAY_TOKEN as RELAY, useIngestServer } from "./support.js";

const SCHEMES = ["Bearer", "bearer", "BEARER", "bEaReR"];

describe("authorization schemes are case-insensitive on every endpoint", () => {
  const engine = useIngestServer();

  const inject = (method: "GET" | "POST", url: string, headers: Record<string, string>, payload?: string) =>
    engine().app.server!.inject({
      method,
      url,
      headers: { ...headers, ...(payload ? { "content-type": "application/json" } : {}) },
      ...(payload ? { payload } : {}),
    });

  it.each(SCHEMES)("admin API, /events and relays accept %s <token> alike", async (scheme) => {
    expect((await inject("GET", "/api/rules", auth(scheme, ADMIN))).statusCode).toBe(200);
    const event = JSON.stringify({ code: 131048, phone_number_id: "1" });
    expect((await inject("POST", "/events", auth(scheme, INGEST), event)).statusCode).toBe(200);
    const envelope = JSON.stringify({ object: "whatsapp_business_account", entry: [] });
    expect((await inject("POST", "/webhooks/relay/acme", auth(scheme, RELAY), envelope)).statusCode).toBe(
      200,
    );
  });

  it("the Basic scheme of Bull Board's browser login is case-insensitive too", async () => {
    const credentials = Buffer.from(`ops:${ADMIN}`).toString("base64");
    for (const scheme of ["Basic", "basic", "BASIC"]) {
      expect((await inject("GET", "/admin/queues", auth(scheme, credentials))).statusCode, scheme).toBe(200);
    }
  });

  it("a wrong token, a token with a suffix, or a bare token is refused whatever the scheme's case", async () => {
    for (const scheme of SCHEMES) {
      expect((await inject("GET", "/api/rules", auth(scheme, `${ADMIN}x`))).statusCode).toBe(401);
      expect((await inject("GET", "/api/rules", auth(scheme, INGEST))).statusCode).toBe(401);
    }
    expect((await inject("GET", "/api/rules", { authorization: ADMIN })).statusCode).toBe(401);
    expect((await inject("GET", "/api/rules", auth("Bearer", `${ADMIN} ${ADMIN}`))).statusCode).toBe(401);
  });
});
