/**
 * Pictures of segmentation: input, true mask, predicted probability, and an overlay that colours
 * the mistakes; the Dice curves of side-by-side runs with the classical baselines; and a measure
 * of the checkerboard pattern transposed convolutions leave early in training.
 */
import * as Plot from "@observablehq/plot";
import type { SegmentationSplit } from "../data/nuclei";
import type { Baselines } from "../metrics/segmentation";
import type { History } from "../train/types";
import { el } from "../core/dom";
import { describe, latestValues, num, plural } from "./describe";
import { seriesStyle } from "./palette";
import { imageCanvas } from "./raster";

/**
 * Overlay tints from the kit's colour-blind-safe outcome colours (palette.ts), each with its own
 * pattern so colour is never the only cue: hits solid, false positives dotted, misses striped.
 */
export const OVERLAY_COLOURS = {
  hit: [86, 180, 233], // sky blue: nucleus found (solid)
  falsePositive: [213, 94, 0], // vermillion: predicted nucleus, but background (dotted)
  falseNegative: [240, 228, 66], // yellow: missed nucleus (striped)
} as const;

/** Which pixels of an outcome's region carry its tint: all, every other one (dots), every other row (stripes). */
export const OVERLAY_PATTERNS = {
  hit: () => true,
  falsePositive: (x: number, y: number) => (x + y) % 2 === 0,
  falseNegative: (_x: number, y: number) => y % 2 === 0,
} as const;

/** The input in grey, tinted where the thresholded prediction and the truth agree or not. */
export function overlayRGBA(
  image: ArrayLike<number>,
  truth: ArrayLike<number>,
  probs: ArrayLike<number>,
  threshold: number,
  width = image.length,
): Uint8ClampedArray<ArrayBuffer> {
  const out = new Uint8ClampedArray(image.length * 4);
  for (let i = 0; i < image.length; i++) {
    const grey = 255 * Math.min(1, Math.max(0, image[i]));
    const predicted = probs[i] >= threshold,
      actual = truth[i] >= 0.5;
    const outcome = predicted && actual ? "hit" : predicted ? "falsePositive" : actual ? "falseNegative" : null;
    const tinted = outcome !== null && OVERLAY_PATTERNS[outcome](i % width, Math.floor(i / width));
    const colour = tinted ? OVERLAY_COLOURS[outcome] : null;
    for (let c = 0; c < 3; c++) out[i * 4 + c] = colour ? 0.45 * grey + 0.55 * colour[c] : grey;
    out[i * 4 + 3] = 255;
  }
  return out;
}

function rgbaCanvas(
  rgba: Uint8ClampedArray<ArrayBuffer>,
  h: number,
  w: number,
  scale: number,
  title: string,
): HTMLCanvasElement {
  const canvas = imageCanvas(new Float32Array(h * w), h, w, 1, { scale, title });
  canvas.getContext("2d")?.putImageData(new ImageData(rgba, w, h), 0, 0);
  return canvas;
}

export interface SegmentationGridOptions {
  /** [height, width, channels] of one image. */
  imageShape: readonly [number, number, number];
  /** The models whose predictions get columns (none: just images and true masks). */
  runs?: SegmentationRun[];
  indices?: number[];
  threshold?: number;
  scale?: number;
}

/** One model's predictions for the whole split ([N, H, W, 1] probabilities), or null before the first check. */
export interface SegmentationRun {
  name: string;
  probs: Float32Array | null;
}

/**
 * One row per image: input | true mask | then, for each run, its probability map and the overlay
 * at the threshold. Several runs side by side show where they differ, pixel by pixel.
 */
export function segmentationGrid(
  split: SegmentationSplit,
  { imageShape, runs = [], indices = [0, 1, 2, 3], threshold = 0.5, scale = 2 }: SegmentationGridOptions,
): HTMLElement {
  const [h, w] = imageShape;
  const size = h * w;
  const headers = [
    "input",
    "true mask",
    ...runs.flatMap((r) => [`${r.name}: probability`, `${r.name}: overlay at ${threshold.toFixed(2)}`]),
  ];
  const table = el(
    "table",
    { class: "meddl-seg-grid" },
    el("thead", {}, el("tr", {}, ...headers.map((t) => el("th", {}, t)))),
  );
  const body = el("tbody");
  const shown = indices.filter((j) => j < split.count);
  const dices = runs.map(() => [] as number[]);
  for (const i of shown) {
    const image = split.images.subarray(i * size, (i + 1) * size);
    const mask = split.masks.subarray(i * size, (i + 1) * size);
    const cells = runs.flatMap((run, r) => {
      const p = run.probs ? run.probs.subarray(i * size, (i + 1) * size) : null;
      const counts = p ? outcomeCounts(mask, p, threshold) : null;
      if (counts) dices[r].push(counts.dice);
      return [
        el(
          "td",
          {},
          p
            ? describe(
                imageCanvas(p, h, w, 1, { scale, min: 0, max: 1, title: `${run.name}: predicted probability` }),
                `${run.name}: predicted probability for image ${i}`,
              )
            : "–",
        ),
        el(
          "td",
          {},
          p && counts
            ? describe(
                rgbaCanvas(overlayRGBA(image, mask, p, threshold, w), h, w, scale, `${run.name}: overlay`),
                `${run.name}: overlay of image ${i} at threshold ${threshold.toFixed(2)}, Dice ${num(counts.dice)}: ` +
                  `${counts.hit} pixels found, ${counts.falsePositive} false positive, ${counts.falseNegative} missed`,
              )
            : "–",
        ),
      ];
    });
    let nucleus = 0;
    for (const v of mask) if (v >= 0.5) nucleus++;
    body.append(
      el(
        "tr",
        { "data-index": i },
        el(
          "td",
          {},
          describe(imageCanvas(image, h, w, 1, { scale, min: 0, max: 1, title: `image ${i}` }), `input image ${i}`),
        ),
        el(
          "td",
          {},
          describe(
            imageCanvas(mask, h, w, 1, { scale, min: 0, max: 1, title: "true mask" }),
            `true mask of image ${i}: ${((100 * nucleus) / size).toFixed(0)}% of the pixels marked`,
          ),
        ),
        ...cells,
      ),
    );
  }
  table.append(body);
  // The table keeps its rows and columns for a screen reader; its name says what it shows overall.
  table.setAttribute(
    "aria-label",
    `Segmentations of ${plural(shown.length, "image")}` +
      (runs.length
        ? ": " +
          runs
            .map((run, r) =>
              dices[r].length
                ? `${run.name} mean Dice ${num(dices[r].reduce((a, b) => a + b, 0) / dices[r].length)}`
                : `${run.name} not checked yet`,
            )
            .join("; ")
        : ", with their true masks"),
  );
  const legend = el(
    "div",
    { class: "meddl-legend" },
    ...Object.entries({
      "found (true positive): solid": OVERLAY_COLOURS.hit,
      "false positive: dotted": OVERLAY_COLOURS.falsePositive,
      "missed (false negative): striped": OVERLAY_COLOURS.falseNegative,
    }).map(([name, [r, g, b]]) =>
      el("span", {}, el("span", { class: "meddl-dot", style: `background: rgb(${r},${g},${b})` }), ` ${name} `),
    ),
  );
  return el("div", {}, table, legend);
}

/** Pixels found, false positives and misses of one prediction at the threshold, and its Dice. */
export function outcomeCounts(
  truth: ArrayLike<number>,
  probs: ArrayLike<number>,
  threshold: number,
): { hit: number; falsePositive: number; falseNegative: number; dice: number } {
  let hit = 0,
    falsePositive = 0,
    falseNegative = 0;
  for (let i = 0; i < truth.length; i++) {
    const predicted = probs[i] >= threshold,
      actual = truth[i] >= 0.5;
    if (predicted && actual) hit++;
    else if (predicted) falsePositive++;
    else if (actual) falseNegative++;
  }
  const denominator = 2 * hit + falsePositive + falseNegative;
  return { hit, falsePositive, falseNegative, dice: denominator ? (2 * hit) / denominator : 1 };
}

/**
 * Strength of a 2-pixel-periodic pattern (the checkerboard a stride-2 transposed convolution
 * prints): the map's energy at the three highest 2D frequencies, relative to its spread.
 * About 0 for smooth maps; near 1 for a pure checkerboard.
 */
export function checkerboardStrength(map: ArrayLike<number>, h: number, w: number): number {
  let mean = 0;
  for (let i = 0; i < h * w; i++) mean += map[i];
  mean /= h * w;
  let fxy = 0,
    fx = 0,
    fy = 0,
    variance = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = map[y * w + x] - mean;
      variance += v * v;
      fxy += (x + y) % 2 ? -v : v;
      fx += x % 2 ? -v : v;
      fy += y % 2 ? -v : v;
    }
  }
  const n = h * w;
  return variance === 0 ? 0 : Math.sqrt((fxy * fxy + fx * fx + fy * fy) / n / variance);
}

export interface RunCurve {
  name: string;
  history: History;
}

/** Validation Dice of several runs on one chart (raw and smoothed), with the classical baselines as reference lines. */
export function diceComparison(
  runs: RunCurve[],
  {
    baselines = null,
    width = 640,
    height = 280,
    metric = "dice",
  }: { baselines?: Baselines | null; width?: number; height?: number; metric?: string } = {},
): SVGSVGElement | HTMLElement {
  const rows = runs.flatMap((r) =>
    r.history.epochs.map((e) => ({ run: r.name, step: e.step, value: e.metrics[metric] ?? NaN })),
  );
  const references = baselines
    ? [
        {
          name: `global threshold (${baselines.globalThreshold.threshold.toFixed(2)})`,
          value: metric === "dice" ? baselines.globalThreshold.dice : baselines.globalThreshold.boundaryDice,
        },
        { name: "Otsu, per image", value: metric === "dice" ? baselines.otsu.dice : baselines.otsu.boundaryDice },
      ]
    : [];
  const figure = Plot.plot({
    width,
    height,
    marginLeft: 48,
    x: { label: "Training step (each run) →", domain: [0, Math.max(10, ...rows.map((r) => r.step))] },
    y: { label: `Validation ${metric === "dice" ? "Dice" : "boundary Dice"} ↑`, domain: [0, 1], grid: true },
    color: { domain: runs.map((r) => r.name), range: runs.map((_, i) => seriesStyle(i).colour) },
    // A symbol per run on its checks, in the legend too: the runs are told apart without colour.
    symbol: { legend: true, domain: runs.map((r) => r.name), range: runs.map((_, i) => seriesStyle(i).symbol) },
    marks: [
      ...references.flatMap((r) => [
        Plot.ruleY([r.value], { stroke: "#777", strokeDasharray: "5,4" }),
        Plot.text([r], {
          x: 0,
          y: "value",
          text: (d: { name: string; value: number }) => `${d.name}: ${d.value.toFixed(3)}`,
          textAnchor: "start",
          dy: -6,
          fill: "currentColor",
        }),
      ]),
      Plot.dot(rows, { x: "step", y: "value", stroke: "run", symbol: "run", r: 3 }),
      // The checks themselves, faint, then a trailing mean of the last three: each check is noisy
      // (±0.015 between checks), the trend is what matters, and the trailing mean starts at the first check.
      Plot.line(rows, { x: "step", y: "value", stroke: "run", strokeOpacity: 0.35, z: "run" }),
      Plot.line(
        rows,
        Plot.windowY({ k: 3, anchor: "end" }, { x: "step", y: "value", stroke: "run", strokeWidth: 2.5, z: "run" }),
      ),
    ],
  });
  const series = runs.map((r) => ({
    name: r.name,
    points: rows.filter((d) => d.run === r.name).map((d) => ({ x: d.step, y: d.value })),
  }));
  const sentence = latestValues(`Validation ${metric === "dice" ? "Dice" : "boundary Dice"}`, series);
  const baselinesInWords = references.map((r) => `${r.name} ${num(r.value)}`).join(", ");
  return describe(figure, baselinesInWords ? `${sentence}; baselines: ${baselinesInWords}` : sentence);
}
