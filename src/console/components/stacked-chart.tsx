// A stacked step chart (uPlot) of counts per bucket, one band per series, resized with its container.
import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";

/** PALETTE colours the bands in order (style.css's .sw-N swatches match it); it repeats past its end. */
export const PALETTE = [
  "#2563eb",
  "#dc2626",
  "#d97706",
  "#059669",
  "#7c3aed",
  "#db2777",
  "#0891b2",
  "#65a30d",
  "#64748b",
];

/** ChartSeries is one band: a label and one count per time. */
export interface ChartSeries {
  key: string;
  values: number[];
}

/**
 * StackedChart draws `series` stacked (the first at the bottom) as steps: `times` are the starts (unix
 * seconds) of buckets `stepSec` long, so the last bucket is drawn to its end, not cut at its start.
 */
export function StackedChart(props: {
  times: number[];
  stepSec: number;
  series: ChartSeries[];
  label: string;
  height?: number;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const last = props.times.at(-1);
    const times = last === undefined ? [] : [...props.times, last + props.stepSec];
    const series = props.series.map((s) => ({ ...s, values: [...s.values, s.values.at(-1) ?? 0] }));
    // Cumulative sums, drawn top band first so each lower band paints over the one above it.
    const sums: number[][] = [];
    series.forEach((s, i) => {
      sums.push(s.values.map((v, j) => v + (i > 0 ? (sums[i - 1]?.[j] ?? 0) : 0)));
    });
    const order = series.map((_, i) => i).reverse();
    const opts: uPlot.Options = {
      width: Math.max(280, el.clientWidth),
      height: props.height ?? 260,
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
      axes: [
        {},
        { size: 48, values: (_u, ticks) => ticks.map((t) => (Number.isInteger(t) ? String(t) : "")) },
      ],
      legend: { live: true },
      series: [
        {},
        ...order.map((i) => {
          const color = PALETTE[i % PALETTE.length] as string;
          return {
            label: series[i]?.key ?? "",
            stroke: color,
            fill: `${color}cc`,
            width: 1,
            paths: uPlot.paths.stepped?.({ align: 1 }),
            points: { show: false },
            value: (_u: uPlot, _v: number | null, _s: number, idx: number | null) =>
              idx === null || idx >= props.times.length ? "—" : String(series[i]?.values[idx] ?? 0),
          };
        }),
      ],
    };
    const data = [times, ...order.map((i) => sums[i] ?? [])] as uPlot.AlignedData;
    const plot = new uPlot(opts, data, el);
    const resize = new ResizeObserver(() =>
      plot.setSize({ width: Math.max(280, el.clientWidth), height: opts.height }),
    );
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [props.times, props.series, props.height, props.stepSec]);
  const nonZero = props.series.reduce((n, s) => n + s.values.filter((v) => v > 0).length, 0);
  return (
    <div
      class="chart"
      ref={box}
      role="img"
      aria-label={props.label}
      data-series={props.series.map((s) => s.key).join(" ")}
      data-nonzero-points={nonZero}
    />
  );
}
