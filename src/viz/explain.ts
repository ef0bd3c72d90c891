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
  return canvas;
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
  return Plot.plot({
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
  return Plot.plot({
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
}
