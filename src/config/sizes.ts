// Byte sizes as written in config (3mb, 512kb, 1048576).

const UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/** parseSize turns `3mb` or a plain number into bytes; undefined when it is not a size. */
export function parseSize(value: string | number): number | undefined {
  if (typeof value === "number") return Number.isInteger(value) && value > 0 ? value : undefined;
  const m = /^(\d+)(b|kb|mb|gb)?$/i.exec(value.trim());
  if (!m) return undefined;
  return Number(m[1]) * (UNITS[(m[2] ?? "b").toLowerCase()] as number);
}
