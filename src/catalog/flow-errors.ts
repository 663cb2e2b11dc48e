// What the error types of a Flows health webhook (`flows` field, `errors[].error_type`) mean and what to do.

/** FlowErrorType explains one error type Meta reports in Flows error-rate webhooks. */
export interface FlowErrorType {
  readonly type: string;
  readonly meaning: string;
  readonly action: string;
}

// Keys are Meta's names upper-cased with `-` as `_`: the webhook writes TIMEOUT, the reference timeout_error.
const TYPES: readonly FlowErrorType[] = [
  {
    type: "TIMEOUT",
    meaning: "the Flow's endpoint took longer than 10 seconds to answer",
    action: "make the endpoint answer within a second or two",
  },
  {
    type: "NO_HTTP_RESPONSE_ERROR",
    meaning: "the endpoint closed the connection without an HTTP response",
    action: "check the endpoint's logs for crashes and always send a response",
  },
  {
    type: "UNEXPECTED_HTTP_STATUS_CODE",
    meaning: "the endpoint answered with a status code the client does not expect (a 500, say)",
    action: "fix the endpoint's errors; answer 200, or the documented 421/427/432",
  },
  {
    type: "MISSING_CAPABILITY",
    meaning: "the app linked to the Flow lacks the endpoint capability",
    action: "give the linked app the endpoint capability in the App Dashboard",
  },
  {
    type: "CAPABILITY_ERROR",
    meaning: "the endpoint could not be used because of a capability problem of the linked app",
    action: "check the app connected to the Flow and its permissions",
  },
  {
    type: "CANNOT_BE_SERVED",
    meaning: "recipients cannot open the Flow (not draft or published, or the WABA is blocked)",
    action: "check the Flow's status and the account's quality page",
  },
  {
    type: "PUBLIC_KEY_MISSING",
    meaning: "users' apps could not fetch the business's public key",
    action: "upload the Flows public key for the sending phone number again",
  },
  {
    type: "PUBLIC_KEY_SIGNATURE_VERIFICATION",
    meaning: "users' apps could not verify the signature of the business's public key",
    action: "re-upload the public key with a fresh signature",
  },
  {
    type: "RESPONSE_DECRYPTION_ERROR",
    meaning: "users' apps could not decrypt what the endpoint sent",
    action: "encrypt responses with the key that is uploaded for the number",
  },
  {
    type: "BUSINESS_DECRYPTION_ERROR",
    meaning: "the endpoint kept answering 421 (cannot decrypt) even after the key was refreshed",
    action: "re-upload the Flow's public key and check the endpoint's private key",
  },
  {
    type: "INVALID_SCREEN_TRANSITION",
    meaning: "the endpoint sent users to a screen the Flow's routing model does not allow",
    action: "return only next screens the routing model allows (clone and republish to change it)",
  },
  {
    type: "PAYLOAD_SCHEMA_ERROR",
    meaning: "the endpoint sent screen data that does not match the screen's data schema",
    action: "send data that matches the schema declared in the Flow JSON",
  },
];

// Spellings Meta uses that name one of the types above.
const ALIASES: Readonly<Record<string, string>> = {
  TIMEOUT_ERROR: "TIMEOUT",
  PUBLIC_KEY_SIGNITURE_VERIFICATION: "PUBLIC_KEY_SIGNATURE_VERIFICATION",
};

const BY_TYPE = new Map(TYPES.map((t) => [t.type, t]));

/** flowErrorType explains a Flows webhook error type in any of Meta's spellings, or undefined when unknown. */
export function flowErrorType(type: string): FlowErrorType | undefined {
  const key = type
    .trim()
    .toUpperCase()
    .replace(/[-\s]+/g, "_");
  return BY_TYPE.get(ALIASES[key] ?? key);
}
