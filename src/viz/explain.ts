/**
 * Charts of the black-box lesson: heatmaps laid over the grey image, the referral curve, and the
 * reliability diagram. Heatmaps use "inferno" (perceptually even, and readable with the common
 * colour-vision deficiencies), fading to transparent where the map is low so the image shows
 * through. Curves use the kit's palette: each series has its own colour, dash and symbol.
 */
import * as Plot from "@observablehq/plot";
import { interpolateInferno, rgb } from "d3";
import type { ReliabilityBin } from "../metrics/calibration";
import type { ReferralPoint } from "../metrics/referral";
import { describe, num, percent } from "./describe";
import { seriesStyle } from "./palette";

export interface HeatmapOptions {
  /** Screen pixels per image pixel. */
  scale?: number;
  /** Map value drawn at full colour; default: the map's own maximum (each map scaled to itself). */
  max?: number;
  /** Opacity of the colour at the map's maximum. */
  opacity?: number;
  title?: string;
}

/** Grey value of pixel i of an [H, W, C] image (mean over channels), 0..1. */
function greyAt(image: ArrayLike<number>, channels: number, i: number): number {
  let sum = 0;
  for (let c = 0; c < channels; c++) sum += image[i * channels + c];
  return Math.min(1, Math.max(0, sum / channels));
}

/**
 * RGBA bytes of a heatmap over a grey image: colour = inferno(t), mixed over the image with
 * weight opacity·t, where t is the map value scaled to 0..1 (negative values count as 0).
 * Pure, so tests can check it without a canvas.
 */
export function heatmapRGBA(
  image: ArrayLike<number>,
  channels: number,
  map: ArrayLike<number>,
  { max, opacity = 0.75 }: HeatmapOptions = {},
): Uint8ClampedArray<ArrayBuffer> {
  let top = max ?? 0;
  if (max === undefined) for (let i = 0; i < map.length; i++) top = Math.max(top, map[i]);
  const out = new Uint8ClampedArray(map.length * 4);
  for (let i = 0; i < map.length; i++) {
    const t = top > 0 ? Math.min(1, Math.max(0, map[i] / top)) : 0;
    const g = 255 * greyAt(image, channels, i);
    const colour = inferno(t);
    const a = opacity * t;
    for (let c = 0; c < 3; c++) out[i * 4 + c] = (1 - a) * g + a * colour[c];
    out[i * 4 + 3] = 255;
  }
  return out;
}

/** inferno in 256 steps, as [r, g, b] bytes: computed once (d3 returns colour strings). */
const INFERNO = Array.from({ length: 256 }, (_, i) => {
  const c = rgb(interpolateInferno(i / 255));
  return [c.r, c.g, c.b] as [number, number, number];
});

function inferno(t: number): [number, number, number] {
  return INFERNO[Math.round(255 * t)];
}

/** A canvas: the image in grey with the heatmap over it. */
export function heatmapCanvas(
  image: ArrayLike<number>,
  shape: readonly [number, number, number],
  map: ArrayLike<number>,
  options: HeatmapOptions = {},
): HTMLCanvasElement {
  const [h, w, c] = shape;
  const { scale = 3, title } = options;
  const canvas = document.createElement("canvas");
  canvas.width = w;
  canvas.height = h;
  canvas.style.width = `${w * scale}px`;
  canvas.style.height = `${h * scale}px`;
  canvas.style.imageRendering = "pixelated";
  canvas.className = "meddl-raster meddl-heatmap";
  if (title) canvas.title = title;
  const context = canvas.getContext("2d");
  if (context) context.putImageData(new ImageData(heatmapRGBA(image, c, map, options), w, h), 0, 0);
  return describe(canvas, heatmapSummary(map, h, w, title));
}

/**
 * Where a heatmap points, in words: "Heatmap over the 28×28 image: strongest at column 12, row 20
 * (lower left); 8% of the pixels above half the peak". Rows and columns count from 1 at the top left.
 */
export function heatmapSummary(map: ArrayLike<number>, h: number, w: number, title?: string): string {
  let peak = 0,
    at = -1;
  for (let i = 0; i < map.length; i++) if (map[i] > peak) ((peak = map[i]), (at = i));
  const what = `${title ? `${title}: heatmap` : "Heatmap"} over the ${h}×${w} image`;
  if (at < 0) return `${what}: empty (no positive value)`;
  let above = 0;
  for (let i = 0; i < map.length; i++) if (map[i] >= peak / 2) above++;
  const row = Math.floor(at / w),
    col = at % w;
  const third = (v: number, n: number, names: string[]) => names[Math.min(2, Math.floor((3 * v) / n))];
  const region = `${third(row, h, ["upper", "middle", "lower"])} ${third(col, w, ["left", "centre", "right"])}`;
  return `${what}: strongest at column ${col + 1}, row ${row + 1} (${region}); ${percent(above / map.length)} of the pixels above half the peak`;
}

/** The colour key: low (image shows through) to high. */
export function heatmapLegend(low = "low", high = "high"): HTMLElement {
  const stops = Array.from({ length: 11 }, (_, i) => interpolateInferno(i / 10)).join(", ");
  const root = document.createElement("div");
  root.className = "meddl-legend";
  const swatch = document.createElement("span");
  swatch.className = "swatch";
  swatch.style.background = `linear-gradient(to right, ${stops})`;
  root.append(low, swatch, high);
  return root;
}

export interface ReferralSeries {
  label: string;
  points: ReferralPoint[];
}

/** Accuracy on the images the model keeps, against the fraction referred to a human; one line per uncertainty measure. */
export function referralChart(
  series: ReferralSeries[],
  { width = 420, height = 260 } = {},
): SVGSVGElement | HTMLElement {
  const rows = series.flatMap((s) => s.points.map((p) => ({ ...p, series: s.label })));
  const labels = series.map((s) => s.label);
  const styles = labels.map((_, i) => seriesStyle(i));
  const lo = Math.min(0.5, ...rows.map((r) => r.accuracy));
  const figure = Plot.plot({
    width,
    height,
    marginLeft: 48,
    x: {
      label: "Fraction referred to a human →",
      domain: [0, Math.max(0.1, ...rows.map((r) => r.referred))],
      tickFormat: "%",
    },
    y: { label: "↑ Accuracy on the kept images", domain: [Math.floor(lo * 20) / 20, 1], grid: true },
    color: { domain: labels, range: styles.map((s) => s.colour), legend: true },
    symbol: { domain: labels, range: styles.map((s) => s.symbol) },
    marks: [
      ...series.map((s, i) =>
        Plot.line(s.points, {
          x: "referred",
          y: "accuracy",
          stroke: () => s.label,
          strokeWidth: 2,
          strokeDasharray: styles[i].dash,
        }),
      ),
      // A symbol every tenth of the way, so the lines differ without colour too.
      Plot.dot(
        rows.filter(
          (r, i, all) =>
            i === 0 ||
            Math.floor(r.referred * 10) !== Math.floor(all[i - 1].referred * 10) ||
            r.series !== all[i - 1].series,
        ),
        {
          x: "referred",
          y: "accuracy",
          stroke: "series",
          symbol: "series",
          r: 3.5,
          tip: true,
          title: (d: ReferralPoint & { series: string }) =>
            `${d.series}\nreferred ${(100 * d.referred).toFixed(0)}% · accuracy on kept ${(100 * d.accuracy).toFixed(1)}% (${d.kept} images)`,
        },
      ),
    ],
  });
  return describe(figure, referralSummary(series));
}

/** "Referral curve: MC dropout accuracy 88.0% keeping all, 97.5% with 30% referred; …". */
export function referralSummary(series: ReferralSeries[]): string {
  const parts = series
    .filter((s) => s.points.length)
    .map((s) => {
      const first = s.points[0],
        last = s.points.at(-1)!;
      return `${s.label} accuracy ${percent(first.accuracy, 1)} with ${percent(first.referred)} referred, ${percent(last.accuracy, 1)} with ${percent(last.referred)} referred`;
    });
  return `Referral curve: ${parts.length ? parts.join("; ") : "no predictions yet"}`;
}

export interface ReliabilitySeries {
  label: string;
  bins: ReliabilityBin[];
}

/** Reliability diagram: accuracy against confidence per bin; the dashed diagonal is perfect calibration. */
export function reliabilityDiagram(series: ReliabilitySeries[], { width = 360 } = {}): SVGSVGElement | HTMLElement {
  const labels = series.map((s) => s.label);
  const styles = labels.map((_, i) => seriesStyle(i));
  const rows = series.flatMap((s) => s.bins.filter((b) => b.count > 0).map((b) => ({ ...b, series: s.label })));
  const lowest = Math.min(0.5, ...rows.map((r) => Math.min(r.lo, r.accuracy)));
  const floor = Math.floor(lowest * 10) / 10;
  const figure = Plot.plot({
    width,
    height: width,
    marginLeft: 48,
    x: { label: "Confidence (top probability) →", domain: [floor, 1] },
    y: { label: "↑ Accuracy", domain: [floor, 1], grid: true },
    color: { domain: labels, range: styles.map((s) => s.colour), legend: true },
    symbol: { domain: labels, range: styles.map((s) => s.symbol) },
    r: { range: [2.5, 9] },
    marks: [
      Plot.line(
        [
          [floor, floor],
          [1, 1],
        ],
        { stroke: "#888", strokeDasharray: "4,3" },
      ), // perfect calibration
      ...series.map((s, i) =>
        Plot.line(
          rows.filter((r) => r.series === s.label),
          { x: "confidence", y: "accuracy", stroke: () => s.label, strokeWidth: 1.5, strokeDasharray: styles[i].dash },
        ),
      ),
      Plot.dot(rows, {
        x: "confidence",
        y: "accuracy",
        stroke: "series",
        symbol: "series",
        r: "count",
        strokeWidth: 1.5,
        tip: true,
        title: (d: ReliabilityBin & { series: string }) =>
          `${d.series}\nconfidence ${d.lo.toFixed(1)}–${d.hi.toFixed(1)}: ${d.count} images, mean confidence ${(100 * d.confidence).toFixed(1)}%, right ${(100 * d.accuracy).toFixed(1)}%`,
      }),
    ],
  });
  return describe(figure, reliabilitySummary(series));
}

/**
 * "Reliability diagram: before scaling, 200 images, mean confidence 91.0%, right 84.5%, average gap
 * 0.072; …" (the gap is the count-weighted mean |accuracy − confidence| over bins: the ECE).
 */
export function reliabilitySummary(series: ReliabilitySeries[]): string {
  const parts = series.map((s) => {
    const bins = s.bins.filter((b) => b.count > 0);
    const n = bins.reduce((t, b) => t + b.count, 0);
    if (!n) return `${s.label}: no images`;
    const mean = (f: (b: ReliabilityBin) => number) => bins.reduce((t, b) => t + b.count * f(b), 0) / n;
    return (
      `${s.label}, ${n} images, mean confidence ${percent(
        mean((b) => b.confidence),
        1,
      )}, ` +
      `right ${percent(
        mean((b) => b.accuracy),
        1,
      )}, average gap ${num(mean((b) => Math.abs(b.accuracy - b.confidence)))}`
    );
  });
  return `Reliability diagram: ${parts.length ? parts.join("; ") : "no predictions yet"}`;
}
