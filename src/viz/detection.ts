/**
 * Charts of the detection lesson: the FROC curve on LUNA16's log axis, loss and CPM per round for
 * each run, a slice with its heatmap and candidates marked hit / false alarm / missed, and a grid
 * of patches (the surest false alarms). Colours come from the palette, each with a second cue.
 */
import * as Plot from "@observablehq/plot";
import type { TrueObject } from "../data/chestSlices";
import { CPM_FP_RATES, sensitivityAt, type FrocPoint, type Heatmap, type ImageOutcomes } from "../metrics/detection";
import type { History } from "../train/types";
import { describe, latestValues, num, plural } from "./describe";
import { OKABE_ITO, OUTCOME_STYLES, seriesStyle } from "./palette";
import { imageCanvas } from "./raster";

export interface FrocSeries {
  name: string;
  froc: FrocPoint[];
  cpm: number;
}

const RATE_LABELS = ["1/8", "1/4", "1/2", "1", "2", "4", "8"];

/** The x axis is log2(FPs per image), -3…3, labelled "1/8" … "8". (d3's log scale drops some tick labels.) */
const rateLabel = (log2fp: number): string => RATE_LABELS[Math.round(log2fp) + 3] ?? "";

/** The curve read on a fine log grid from 1/8 to 8 FPs per image (a step: it only rises as FPs are allowed). */
export function frocLine(froc: FrocPoint[], samples = 97): { fp: number; sensitivity: number }[] {
  return Array.from({ length: samples }, (_, i) => {
    const fp = 2 ** (-3 + (6 * i) / (samples - 1));
    return { fp, sensitivity: sensitivityAt(froc, fp) };
  });
}

/** FROC: sensitivity against false positives per image on a log axis 1/8…8, one line per run, CPM in the legend. */
export function frocChart(
  series: FrocSeries[],
  { width = 440, height = 280, perImage = "slice" }: { width?: number; height?: number; perImage?: string } = {},
): SVGSVGElement | HTMLElement {
  const names = series.map((s) => `${s.name} · CPM ${s.cpm.toFixed(3)}`);
  const lines = series.flatMap((s, i) =>
    frocLine(s.froc).map((p) => ({ x: Math.log2(p.fp), sensitivity: p.sensitivity, run: names[i] })),
  );
  const dots = series.flatMap((s, i) =>
    CPM_FP_RATES.map((fp) => ({ x: Math.log2(fp), sensitivity: sensitivityAt(s.froc, fp), run: names[i] })),
  );
  const styles = series.map((_, i) => seriesStyle(i));
  const figure = Plot.plot({
    width,
    height,
    marginLeft: 48,
    marginBottom: 40,
    x: {
      domain: [-3.2, 3.2],
      ticks: [-3, -2, -1, 0, 1, 2, 3],
      tickFormat: rateLabel,
      label: `False positives per ${perImage} (log scale) →`,
    },
    y: { domain: [0, 1], grid: true, label: "↑ Sensitivity" },
    color: { domain: names, range: styles.map((s) => s.colour), legend: true },
    symbol: { domain: names, range: styles.map((s) => s.symbol) },
    marks: [
      ...names.map((name, i) =>
        Plot.line(
          lines.filter((p) => p.run === name),
          {
            x: "x",
            y: "sensitivity",
            stroke: "run",
            strokeWidth: 2,
            strokeDasharray: styles[i].dash,
            curve: "step-after",
          },
        ),
      ),
      // The seven points LUNA16 averages into CPM.
      Plot.dot(dots, {
        x: "x",
        y: "sensitivity",
        stroke: "run",
        symbol: "run",
        r: 4,
        fill: "var(--plot-background)",
        tip: true,
        title: (d: { x: number; sensitivity: number; run: string }) =>
          `${d.run}\n${rateLabel(d.x)} FP per ${perImage}: sensitivity ${d.sensitivity.toFixed(3)}`,
      }),
    ],
  });
  return describe(figure, frocSummary(series, perImage));
}

/** "FROC: mined CPM 0.712, sensitivity 0.500 at 1/8 and 0.900 at 8 false positives per slice; …". */
export function frocSummary(series: FrocSeries[], perImage = "slice"): string {
  const parts = series.map((s) => {
    const [lo, hi] = [CPM_FP_RATES[0], CPM_FP_RATES.at(-1)!];
    return (
      `${s.name} CPM ${num(s.cpm)}, sensitivity ${num(sensitivityAt(s.froc, lo))} at ${rateLabel(Math.log2(lo))} ` +
      `and ${num(sensitivityAt(s.froc, hi))} at ${rateLabel(Math.log2(hi))} false positives per ${perImage}`
    );
  });
  return `FROC curve: ${parts.length ? parts.join("; ") : "no detections yet"}`;
}

/** "loss" (training, per batch, smoothed) or "cpm" (validation, per round), one line per run. */
export function detectionCurves(
  runs: { name: string; history: History }[],
  {
    metric = "loss",
    width = 420,
    height = 220,
    smooth = 8,
  }: { metric?: "loss" | "cpm"; width?: number; height?: number; smooth?: number } = {},
): SVGSVGElement | HTMLElement {
  const names = runs.map((r) => r.name);
  const styles = runs.map((_, i) => seriesStyle(i));
  const points = runs.flatMap((r) =>
    metric === "loss"
      ? r.history.batches.map((b) => ({ step: b.step, value: b.loss, run: r.name }))
      : r.history.epochs.map((e) => ({ step: e.step, value: e.metrics.cpm, run: r.name })),
  );
  const maxStep = Math.max(10, ...points.map((p) => p.step));
  const figure = Plot.plot({
    width,
    height,
    marginLeft: 48,
    x: { label: "Training step →", domain: [0, maxStep] },
    y:
      metric === "loss"
        ? { label: "↑ Training loss (per batch, smoothed)", grid: true, zero: true }
        : { label: "↑ Validation CPM (per round)", domain: [0, 1], grid: true },
    color: { domain: names, range: styles.map((s) => s.colour), legend: true },
    symbol: { domain: names, range: styles.map((s) => s.symbol) },
    marks: names.flatMap((name, i) => {
      const mine = points.filter((p) => p.run === name);
      return metric === "loss"
        ? [
            Plot.line(
              mine,
              Plot.windowY(
                { k: smooth, anchor: "end" },
                { x: "step", y: "value", stroke: "run", strokeWidth: 2, strokeDasharray: styles[i].dash },
              ),
            ),
          ]
        : [
            Plot.line(mine, { x: "step", y: "value", stroke: "run", strokeWidth: 2, strokeDasharray: styles[i].dash }),
            Plot.dot(mine, {
              x: "step",
              y: "value",
              stroke: "run",
              symbol: "run",
              r: 4,
              fill: "var(--plot-background)",
              tip: true,
              title: (d: { step: number; value: number }) => `step ${d.step}: CPM ${d.value.toFixed(3)}`,
            }),
          ];
    }),
  });
  const series = names.map((name) => ({
    name,
    points: points.filter((p) => p.run === name).map((p) => ({ x: p.step, y: p.value })),
  }));
  return describe(figure, latestValues(metric === "loss" ? "Training loss" : "Validation CPM", series));
}

const SVG = "http://www.w3.org/2000/svg";
function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number>,
  text?: string,
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Grey image with the heatmap laid over it in one hue (reddish purple), opacity rising with the score. */
function blendHeatmap(image: Float32Array, height: number, width: number, heatmap: Heatmap | null): Float32Array {
  const rgb = new Float32Array(height * width * 3);
  let lo = Infinity,
    hi = -Infinity;
  for (const v of image) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const tint = [0xcc / 255, 0x79 / 255, 0xa7 / 255]; // Okabe–Ito reddish purple: apart from every outcome colour
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const grey = (image[y * width + x] - lo) / (hi - lo || 1);
      let a = 0;
      if (heatmap) {
        // Nearest cell of the heatmap grid.
        const i = Math.round((y - heatmap.offset) / heatmap.stride),
          j = Math.round((x - heatmap.offset) / heatmap.stride);
        if (i >= 0 && j >= 0 && i < heatmap.rows && j < heatmap.cols) a = 0.75 * heatmap.values[i * heatmap.cols + j];
      }
      for (let c = 0; c < 3; c++) rgb[(y * width + x) * 3 + c] = (1 - a) * grey + a * tint[c];
    }
  }
  return rgb;
}

export interface OverlayOptions {
  scale?: number;
  /** Draw the heatmap under the marks. */
  showHeatmap?: boolean;
  objectName?: string;
}

/**
 * One image with its candidates: a hit is a solid sky-blue ring with ✓, a false alarm a vermillion
 * cross with ✗, a missed object a dashed yellow ring with ?. Below, a legend with the counts.
 */
export function detectionOverlay(
  image: Float32Array,
  height: number,
  width: number,
  heatmap: Heatmap | null,
  outcomes: ImageOutcomes | null,
  objects: TrueObject[],
  options: OverlayOptions = {},
): HTMLElement {
  const { scale = 3, showHeatmap = true, objectName = "nodule" } = options;
  const root = document.createElement("figure");
  root.className = "meddl-detection-overlay";
  root.style.margin = "0";
  const frame = document.createElement("div");
  frame.style.position = "relative";
  frame.style.width = `${width * scale}px`;
  frame.style.height = `${height * scale}px`;
  const canvas = imageCanvas(blendHeatmap(image, height, width, showHeatmap ? heatmap : null), height, width, 3, {
    scale,
    min: 0,
    max: 1,
  });
  const marks = svg("svg", {
    width: width * scale,
    height: height * scale,
    viewBox: `0 0 ${width} ${height}`,
    class: "meddl-detection-marks",
  });
  marks.style.position = "absolute";
  marks.style.left = "0";
  marks.style.top = "0";
  const label = (x: number, y: number, text: string, colour: string) =>
    svg(
      "text",
      {
        x: x + 4,
        y: y - 4,
        fill: colour,
        "font-size": 7,
        "font-weight": "bold",
        stroke: "black",
        "stroke-width": 0.4,
        "paint-order": "stroke",
      },
      text,
    );
  const counts = { hit: 0, false: 0, missed: 0 };
  for (const c of outcomes?.candidates ?? []) {
    if (c.outcome === "hit") {
      const s = OUTCOME_STYLES.correct,
        r = Math.max(4, objects[c.object]?.r ?? 4) + 2;
      marks.append(
        svg("circle", {
          cx: c.x,
          cy: c.y,
          r,
          fill: "none",
          stroke: s.colour,
          "stroke-width": 1.2,
          "data-outcome": "hit",
        }),
        label(c.x + r - 3, c.y - r + 3, s.mark, s.colour),
      );
      counts.hit++;
    } else {
      const s = OUTCOME_STYLES.wrong,
        d = 3.5;
      marks.append(
        svg("path", {
          d: `M${c.x - d},${c.y - d}L${c.x + d},${c.y + d}M${c.x - d},${c.y + d}L${c.x + d},${c.y - d}`,
          stroke: s.colour,
          "stroke-width": 1.2,
          "data-outcome": "false alarm",
        }),
        label(c.x, c.y, s.mark, s.colour),
      );
      counts.false++;
    }
  }
  for (const i of outcomes?.missed ?? []) {
    const o = objects[i],
      s = OUTCOME_STYLES.missed,
      r = Math.max(4, o.r) + 2;
    marks.append(
      svg("circle", {
        cx: o.x,
        cy: o.y,
        r,
        fill: "none",
        stroke: s.colour,
        "stroke-width": 1.2,
        "stroke-dasharray": "2,1.5",
        "data-outcome": "missed",
      }),
      label(o.x + r - 3, o.y - r + 3, s.mark, s.colour),
    );
    counts.missed++;
  }
  frame.append(canvas, marks);
  // The picture in words: what was found, and (as the legend says) how it is marked.
  describe(
    frame,
    `${height}×${width} image with ${plural((outcomes?.candidates ?? []).length, "candidate")}: ` +
      `${plural(counts.hit, "hit")} (solid ring, ✓), ${plural(counts.false, "false alarm")} (cross, ✗), ` +
      `${counts.missed} missed ${counts.missed === 1 ? objectName : `${objectName}s`} (dashed ring, ?)` +
      (showHeatmap && heatmap ? "; the detector's heatmap tinted over it" : ""),
  );
  const legend = document.createElement("figcaption");
  legend.className = "meddl-help";
  const item = (colour: string, mark: string, text: string) => {
    const span = document.createElement("span");
    span.style.marginRight = "1em";
    const m = document.createElement("b");
    m.textContent = mark;
    m.style.color = colour;
    // On a dark chip: the yellow and sky-blue marks are unreadable on white (contrast below 3:1).
    m.style.background = "#222";
    m.style.borderRadius = "3px";
    m.style.padding = "0 2px";
    span.append(m, ` ${text}`);
    return span;
  };
  legend.append(
    item(OUTCOME_STYLES.correct.colour, `◯${OUTCOME_STYLES.correct.mark}`, `hit (${counts.hit})`),
    item(OUTCOME_STYLES.wrong.colour, `✕${OUTCOME_STYLES.wrong.mark}`, `false alarm (${counts.false})`),
    item(OUTCOME_STYLES.missed.colour, `◌${OUTCOME_STYLES.missed.mark}`, `missed ${objectName} (${counts.missed})`),
    showHeatmap && heatmap ? item(OKABE_ITO.reddishPurple, "■", "heatmap: the detector's score") : "",
  );
  root.dataset.hits = String(counts.hit);
  root.dataset.falseAlarms = String(counts.false);
  root.dataset.missed = String(counts.missed);
  root.append(frame, legend);
  return root;
}

/** A grid of square patches [N, P, P] with a caption under each (e.g. the score of a false alarm). */
export function patchGrid(
  patches: Float32Array,
  size: number,
  captions: string[],
  { scale = 2, columns = 8 }: { scale?: number; columns?: number } = {},
): HTMLElement {
  const root = document.createElement("div");
  root.className = "meddl-patch-grid";
  root.style.display = "grid";
  // Up to `columns` a row, fewer where the page is narrow (a phone): the grid wraps, never widens the page.
  const cell = size * scale + 8;
  root.style.gridTemplateColumns = `repeat(auto-fill, ${cell}px)`;
  root.style.maxWidth = `${columns * cell + (columns - 1) * 4}px`;
  root.style.gap = "4px";
  captions.forEach((caption, i) => {
    const cell = document.createElement("figure");
    cell.style.margin = "0";
    const text = document.createElement("figcaption");
    text.className = "meddl-help";
    text.textContent = caption;
    const canvas = imageCanvas(patches.subarray(i * size * size, (i + 1) * size * size), size, size, 1, { scale });
    cell.append(describe(canvas, `patch ${i + 1}: ${caption}`), text);
    root.append(cell);
  });
  return describe(root, `Grid of ${plural(captions.length, "patch", "patches")} of ${size}×${size} pixels`, "group");
}
