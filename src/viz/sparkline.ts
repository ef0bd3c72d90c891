/**
 * A tiny line chart (a "sparkline") for a status bar: the shape of a series at a glance, no axes.
 * Drawn as one SVG path by hand, not with Plot: it redraws with every training batch and must
 * cost next to nothing.
 */
import { trend } from "./describe";
import { SERIES_COLOURS } from "./palette";

export interface SparklineOptions {
  width?: number;
  height?: number;
  /** At most this many points are drawn (evenly spaced picks from the series). */
  maxPoints?: number;
  colour?: string;
  /** What the series is, for screen readers. */
  label?: string;
}

/** Evenly spaced picks from a long series, always keeping its last value. */
export function thinSeries(values: readonly number[], maxPoints: number): number[] {
  if (values.length <= maxPoints) return [...values];
  const step = (values.length - 1) / (maxPoints - 1);
  return Array.from({ length: maxPoints }, (_, i) => values[Math.round(i * step)]);
}

/** The series' finite values as an SVG path, y scaled to their own range ("" when fewer than two). */
export function sparklinePath(values: readonly number[], width: number, height: number): string {
  const finite = values.filter(Number.isFinite);
  if (finite.length < 2) return "";
  const lo = Math.min(...finite),
    hi = Math.max(...finite);
  const span = hi - lo || 1;
  const x = (i: number) => (i / (values.length - 1)) * (width - 2) + 1;
  const y = (v: number) => height - 1 - ((v - lo) / span) * (height - 2);
  return values
    .map((v, i) => (Number.isFinite(v) ? `${i === 0 ? "M" : "L"}${x(i).toFixed(1)},${y(v).toFixed(1)}` : ""))
    .filter(Boolean)
    .join("");
}

export function sparkline(
  values: readonly number[],
  { width = 120, height = 26, maxPoints = 120, colour = SERIES_COLOURS[0], label = "series" }: SparklineOptions = {},
): SVGSVGElement {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("width", String(width));
  svg.setAttribute("height", String(height));
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("role", "img");
  const last = values.at(-1);
  svg.setAttribute(
    "aria-label",
    `${label}: ${values.length} values` +
      (last !== undefined && Number.isFinite(last) ? `, latest ${last.toPrecision(3)}, ${trend(values)}` : ""),
  );
  svg.classList.add("meddl-sparkline");
  const path = document.createElementNS(ns, "path");
  path.setAttribute("d", sparklinePath(thinSeries(values, maxPoints), width, height));
  path.setAttribute("fill", "none");
  path.setAttribute("stroke", colour);
  path.setAttribute("stroke-width", "1.5");
  svg.append(path);
  return svg;
}
