/**
 * Charts of the data-problems lesson (survey §5): the imbalance scoreboard with the majority-class
 * baseline, metric curves of one run, runs compared on one metric, the noisy-label curves with the
 * early-stopping point, a grid of augmented copies of one image, and the few-labels sweep.
 * Every series has a colour AND a dash or symbol (src/viz/palette.ts); charts take plain records.
 */
import * as Plot from "@observablehq/plot";
import { augmentImage, type AugmentOptions } from "../data/augment";
import { mulberry32 } from "../data/random";
import { summarizeSweep, type SweepSummary } from "../train/sweep";
import type { EpochRecord, History } from "../train/types";
import { describe, latestValues, num, sweepSummary } from "./describe";
import { seriesStyle } from "./palette";
import { imageCanvas } from "./raster";

/** The four numbers of the imbalance experiment, in the order the page explains them. */
export const IMBALANCE_METRICS = ["accuracy", "auc", "balancedAccuracy", "sensitivity"] as const;
export const IMBALANCE_METRIC_NAMES: Record<string, string> = {
  accuracy: "accuracy",
  auc: "AUC",
  balancedAccuracy: "balanced accuracy",
  sensitivity: "sensitivity",
  specificity: "specificity",
};

/** Colour, dash and symbol scales for a list of series names, in palette order. */
function styles(names: string[]) {
  const s = names.map((_, i) => seriesStyle(i));
  return {
    color: { domain: names, range: s.map((x) => x.colour), legend: true },
    dash: new Map(names.map((n, i) => [n, s[i].dash])),
    symbol: { domain: names, range: s.map((x) => x.symbol) },
  };
}

/** A named run's validation records: what the comparison charts draw. */
export interface NamedRun {
  name: string;
  history: History;
}

export interface ScoreRow {
  run: string;
  metric: string;
  value: number;
}

/** The latest validation of each run as scoreboard rows (metric keys as in IMBALANCE_METRICS). */
export function latestScores(runs: NamedRun[], metrics: readonly string[] = IMBALANCE_METRICS): ScoreRow[] {
  return runs
    .flatMap((r) => {
      const last = r.history.epochs.at(-1);
      return last
        ? metrics.map((m) => ({ run: r.name, metric: IMBALANCE_METRIC_NAMES[m] ?? m, value: last.metrics[m] }))
        : [];
    })
    .filter((d) => Number.isFinite(d.value));
}

/**
 * The imbalance scoreboard: one panel per metric, one bar per run, and in the accuracy panel the
 * accuracy of always answering the majority class, as a dashed line a useful model must beat.
 */
export function imbalanceScoreboard(
  rows: ScoreRow[],
  { baseline, runs, width = 680, height = 200 }: { baseline: number; runs: string[]; width?: number; height?: number },
): SVGSVGElement | HTMLElement {
  const { color } = styles(runs);
  const metricNames = IMBALANCE_METRICS.map((m) => IMBALANCE_METRIC_NAMES[m]);
  const base = [{ metric: IMBALANCE_METRIC_NAMES.accuracy, value: baseline }];
  const figure = Plot.plot({
    width,
    height,
    marginLeft: 150,
    marginRight: 10,
    fx: { domain: metricNames, label: null },
    x: { domain: [0, 1], label: null, ticks: [0, 0.5, 1] },
    y: { domain: runs, label: null },
    color,
    marks: [
      Plot.frame({ stroke: "#ddd" }),
      Plot.barX(rows, {
        fx: "metric",
        y: "run",
        x: "value",
        fill: "run",
        title: (d: ScoreRow) => `${d.run}: ${d.metric} ${d.value.toFixed(3)}`,
      }),
      Plot.text(rows, {
        fx: "metric",
        y: "run",
        x: "value",
        text: (d: ScoreRow) => d.value.toFixed(2),
        textAnchor: "start",
        dx: 3,
        fontSize: 10,
      }),
      Plot.ruleX(base, {
        fx: "metric",
        x: "value",
        stroke: "currentColor",
        strokeDasharray: "4,3",
        strokeWidth: 1.5,
        title: () => `always the majority class: accuracy ${baseline.toFixed(3)}`,
      }),
    ],
  });
  return describe(figure, scoreboardSummary(rows, runs, baseline));
}

/** "Scores after training (majority-class accuracy 0.900): no remedy accuracy 0.91, AUC 0.74, …; class-weighted …". */
export function scoreboardSummary(rows: ScoreRow[], runs: string[], baseline: number): string {
  const parts = runs
    .map((run) => {
      const mine = rows.filter((r) => r.run === run);
      return mine.length ? `${run} ${mine.map((r) => `${r.metric} ${num(r.value, 2)}`).join(", ")}` : "";
    })
    .filter(Boolean);
  return (
    `Scores of each run (always answering the majority class gives accuracy ${num(baseline, 2)}): ` +
    (parts.length ? parts.join("; ") : "no validation yet")
  );
}

/** Validation metrics of one run after every epoch, with the majority-class baseline as a dashed line. */
export function metricCurves(
  history: History,
  {
    metrics = IMBALANCE_METRICS as readonly string[],
    baseline,
    width = 420,
    height = 240,
    title,
  }: { metrics?: readonly string[]; baseline?: number; width?: number; height?: number; title?: string } = {},
): SVGSVGElement | HTMLElement {
  const names = metrics.map((m) => IMBALANCE_METRIC_NAMES[m] ?? m);
  const { color, dash, symbol } = styles(names);
  const rows = history.epochs
    .flatMap((e) => metrics.map((m, i) => ({ step: e.step, value: e.metrics[m], series: names[i] })))
    .filter((d) => Number.isFinite(d.value));
  const figure = Plot.plot({
    width,
    height,
    marginLeft: 44,
    title,
    x: { label: "Training step →", domain: [0, Math.max(10, ...rows.map((d) => d.step))] },
    y: { label: "Validation ↑", domain: [0, 1], grid: true },
    color,
    symbol,
    marks: [
      ...(baseline !== undefined
        ? [
            Plot.ruleY([baseline], { stroke: "currentColor", strokeDasharray: "4,3" }),
            Plot.text([baseline], {
              y: (d: number) => d,
              frameAnchor: "left",
              text: (d: number) => `majority-class accuracy ${d.toFixed(2)}`,
              dy: baseline > 0.9 ? 10 : -7,
              dx: 4,
              fontSize: 10,
            }),
          ]
        : []),
      ...seriesMarks(rows, names, dash, {
        title: (d: { series: string; step: number; value: number }) =>
          `${d.series}, step ${d.step}: ${d.value.toFixed(3)}`,
      }),
    ],
  });
  const sentence = latestValues(`Validation metrics${title ? ` of ${title}` : ""}`, inWords(rows, names));
  return describe(
    figure,
    baseline === undefined ? sentence : `${sentence}; majority-class accuracy ${num(baseline, 2)}`,
  );
}

/** Rows of several series as the sentence helpers want them. */
function inWords(rows: { step: number; value: number; series: string }[], names: string[]) {
  return names.map((name) => ({
    name,
    points: rows.filter((d) => d.series === name).map((d) => ({ x: d.step, y: d.value })),
  }));
}

/**
 * One line per series, each with its own dash, and a dot per point with the series' symbol: the
 * series are told apart by dash and symbol as well as by colour. Rows carry `step`, `value`, `series`.
 */
function seriesMarks<R extends { step: number; value: number; series: string }>(
  rows: R[],
  names: string[],
  dash: Map<string, string>,
  { r = 3, title }: { r?: number; title?: (d: R) => string } = {},
): Plot.Markish[] {
  return [
    ...names.map((n) =>
      Plot.line(
        rows.filter((d) => d.series === n),
        { x: "step", y: "value", stroke: "series", strokeWidth: 2, strokeDasharray: dash.get(n) },
      ),
    ),
    Plot.dot(rows, {
      x: "step",
      y: "value",
      stroke: "series",
      symbol: "series",
      r,
      tip: true,
      ...(title ? { title } : {}),
    }),
  ];
}

/** Several runs compared on one validation metric over training steps. */
export function compareRuns(
  runs: NamedRun[],
  {
    metric = "auc",
    label = "Validation AUC ↑",
    domain = [0.4, 1] as [number, number],
    width = 420,
    height = 240,
    title,
  }: {
    metric?: string;
    label?: string;
    domain?: [number, number];
    width?: number;
    height?: number;
    title?: string;
  } = {},
): SVGSVGElement | HTMLElement {
  const names = runs.map((r) => r.name);
  const { color, dash, symbol } = styles(names);
  const rows = runs
    .flatMap((r) => r.history.epochs.map((e) => ({ step: e.step, value: e.metrics[metric], series: r.name })))
    .filter((d) => Number.isFinite(d.value));
  const figure = Plot.plot({
    width,
    height,
    marginLeft: 44,
    title,
    x: { label: "Training step →", domain: [0, Math.max(10, ...rows.map((d) => d.step))] },
    y: { label, domain, grid: true },
    color,
    symbol,
    marks: [...seriesMarks(rows, names, dash)],
  });
  const what = `${label.replace(/\s*[↑↓]\s*/g, "")}${title ? ` (${title})` : ""}`;
  return describe(figure, latestValues(what, inWords(rows, names)));
}

/** The noise chart's series: what each line measures, in the page's words. */
export const NOISE_SERIES = {
  train: "noisy run: training accuracy (on its noisy labels)",
  val: "noisy run: validation accuracy (clean labels)",
  memorised: "noisy run: flipped labels reproduced",
  cleanVal: "clean run: validation accuracy",
};

/**
 * Learn, then memorise: training accuracy on the noisy labels and validation accuracy on clean
 * ones after every epoch, the fraction of flipped labels the network reproduces, the clean run's
 * validation for reference, and a vertical line where early stopping on clean validation stops.
 */
export function noiseCurves(
  noisy: History,
  clean: History | null,
  { stop, width = 680, height = 300 }: { stop?: EpochRecord | null; width?: number; height?: number } = {},
): SVGSVGElement | HTMLElement {
  const names = [NOISE_SERIES.train, NOISE_SERIES.val, NOISE_SERIES.memorised, NOISE_SERIES.cleanVal];
  const { color, dash, symbol } = styles(names);
  const from = (h: History, key: string, series: string) =>
    h.epochs.map((e) => ({ step: e.step, epoch: e.epoch, value: e.metrics[key], series }));
  const rows = [
    ...from(noisy, "trainAccuracy", NOISE_SERIES.train),
    ...from(noisy, "accuracy", NOISE_SERIES.val),
    ...from(noisy, "memorised", NOISE_SERIES.memorised),
    ...(clean ? from(clean, "accuracy", NOISE_SERIES.cleanVal) : []),
  ].filter((d) => Number.isFinite(d.value));
  const figure = Plot.plot({
    width,
    height,
    marginLeft: 44,
    marginTop: 24,
    x: { label: "Training step →", domain: [0, Math.max(10, ...rows.map((d) => d.step))] },
    y: { label: "Accuracy ↑", domain: [0, 1], grid: true },
    color,
    symbol,
    marks: [
      ...(stop
        ? [
            Plot.ruleX([stop.step], { stroke: "currentColor", strokeDasharray: "8,4", strokeWidth: 1.5 }),
            Plot.text([stop.step], {
              x: (d: number) => d,
              frameAnchor: "top",
              text: () => `early stopping: epoch ${stop.epoch}`,
              dy: -14,
              fontSize: 10,
            }),
          ]
        : []),
      ...seriesMarks(rows, names, dash, {
        r: 2.5,
        title: (d: { series: string; epoch: number; value: number }) =>
          `${d.series}, epoch ${d.epoch}: ${d.value.toFixed(3)}`,
      }),
    ],
  });
  const sentence = latestValues("Accuracy under noisy labels", inWords(rows, names));
  return describe(figure, stop ? `${sentence}; early stopping at epoch ${stop.epoch}, step ${stop.step}` : sentence);
}

/** The original image and `count` augmented copies of it (seeds 1…count), so a learner sees what the network sees. */
export function augmentationGrid(
  image: Float32Array,
  shape: [number, number, number],
  options: AugmentOptions | false,
  { count = 11, scale = 3 } = {},
): HTMLElement {
  const [h, w, c] = shape;
  const root = document.createElement("div");
  root.className = "meddl-grid meddl-augment-grid";
  const tile = (values: Float32Array, caption: string) => {
    const figure = document.createElement("figure");
    const label = document.createElement("figcaption");
    label.textContent = caption;
    const canvas = imageCanvas(values, h, w, c === 3 ? 3 : 1, { scale, min: 0, max: 1 });
    figure.append(describe(canvas, caption === "original" ? "the original image" : caption), label);
    root.append(figure);
  };
  tile(image, "original");
  for (let i = 1; i <= count; i++)
    tile(
      options ? augmentImage(image, h, w, c, mulberry32(i), options) : image,
      options ? `augmented #${i}` : "no augmentation",
    );
  return describe(
    root,
    options
      ? `Image grid: one image and ${count} augmented copies of it (${augmentationWords(options)})`
      : `Image grid: one image, shown ${count + 1} times: augmentation is off`,
    "group",
  );
}

/** Which augmentations are on, in words: "flips, rotations, elastic deformation". */
function augmentationWords(o: AugmentOptions): string {
  const on = [
    o.flip ? "flips" : "",
    o.maxRotation ? `rotations up to ±${o.maxRotation}°` : "",
    o.elastic ? `elastic deformation of ${o.elastic} pixels` : "",
    o.brightness ? `brightness ±${o.brightness}` : "",
    o.contrast ? `contrast ±${Math.round(100 * o.contrast)}%` : "",
  ].filter(Boolean);
  return on.length ? on.join(", ") : "none switched on";
}

/**
 * Validation AUC against the number of training images (log scale), without and with augmentation:
 * the mean over seeds as a line, ± one standard deviation as a band, every run as a dot.
 */
export function augmentSweepChart<S extends string>(
  points: { strategy: S; n: number; auc: number }[],
  {
    names,
    summary = summarizeSweep(points),
    width = 680,
    height = 300,
  }: { names: Record<S, string>; summary?: SweepSummary<S>[]; width?: number; height?: number },
): SVGSVGElement | HTMLElement {
  const arms = [...new Set(summary.map((s) => s.strategy))];
  const labels = arms.map((a) => names[a]);
  const { color, dash, symbol } = styles(labels);
  const sizes = [...new Set(summary.map((s) => s.n))].sort((a, b) => a - b);
  const mean = summary.map((s) => ({ ...s, name: names[s.strategy], lo: s.mean - s.sd, hi: s.mean + s.sd }));
  const dots = points.map((p) => ({ ...p, name: names[p.strategy] }));
  const figure = Plot.plot({
    width,
    height,
    marginLeft: 48,
    marginRight: 36,
    marginBottom: 40,
    x: {
      type: "log",
      label: "Training images (N) →",
      ticks: sizes,
      tickFormat: (n: number) => (n === sizes.at(-1) && sizes.length > 1 ? `${n} (all)` : String(n)),
    },
    y: { label: "Validation AUC ↑", domain: [0.4, 1], grid: true },
    color,
    symbol,
    marks: [
      Plot.ruleY([0.5], { stroke: "#999", strokeDasharray: "4,3" }),
      Plot.areaY(mean, { x: "n", y1: "lo", y2: "hi", fill: "name", z: "name", fillOpacity: 0.15 }),
      Plot.dot(dots, {
        x: (d: { n: number; strategy: S }) => d.n * 1.04 ** (arms.indexOf(d.strategy) - 0.5),
        y: "auc",
        stroke: "name",
        symbol: "name",
        r: 2.5,
        strokeOpacity: 0.6,
      }),
      ...labels.map((l) =>
        Plot.line(
          mean.filter((d) => d.name === l),
          { x: "n", y: "mean", stroke: "name", strokeWidth: 2.5, strokeDasharray: dash.get(l) },
        ),
      ),
      Plot.tip(
        mean,
        Plot.pointer({
          x: "n",
          y: "mean",
          title: (d: (typeof mean)[number]) =>
            `${d.name}, N = ${d.n}\nAUC ${d.mean.toFixed(3)} ± ${d.sd.toFixed(3)} (${d.runs} seeds)`,
        }),
      ),
    ],
  });
  return describe(
    figure,
    sweepSummary(summary, (s) => names[s]),
  );
}
