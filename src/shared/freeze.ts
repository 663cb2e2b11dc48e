// Deep freezing, so parsed config and rules cannot change after loading (a reload swaps the whole set).

/** deepFreeze freezes `value` and everything reachable from it, and returns it. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
