// Shares as people say them, for every place that words a ratio rule.

/** percentText shows a share as a percentage with at most two decimals: 0.05 → "5 %", 0.0612 → "6.12 %". */
export function percentText(share: number): string {
  return `${Number((share * 100).toFixed(2))} %`;
}
