// Links taken from events (Meta's `href`) or config: only absolute http(s) addresses ever become links.

/**
 * httpLink returns `text` normalized as an absolute http: or https: URL without credentials, or undefined
 * for anything else (javascript:, data:, relative or protocol-relative paths, user:password@…), so a
 * webhook sender cannot put a script or another scheme behind "Meta's documentation".
 */
export function httpLink(text: unknown): string | undefined {
  if (typeof text !== "string" || !/^https?:\/\//i.test(text.trim())) return undefined;
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return undefined;
  }
  if ((url.protocol !== "http:" && url.protocol !== "https:") || url.username || url.password)
    return undefined;
  return url.href;
}

/** linkField is `{ [name]: link }` when `text` is an http(s) link (httpLink), else `{}`: for spreading into views. */
export function linkField<K extends string>(name: K, text: unknown): Partial<Record<K, string>> {
  const href = httpLink(text);
  return href === undefined ? {} : ({ [name]: href } as Partial<Record<K, string>>);
}
