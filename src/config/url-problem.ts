// Whether a config value is a usable URL of the expected kind, in words a config error can use.

/** urlProblem says what is wrong with `text` as a URL of one of `protocols`, or nothing when it is fine. */
export function urlProblem(text: string, protocols: readonly string[]): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return "is not a URL";
  }
  if (!protocols.includes(url.protocol)) return `must start with ${protocols.map((p) => `${p}//`).join(" or ")}`;
  if (!url.hostname) return "has no host name";
  return undefined;
}
