/**
 * Learning curves: the training loss (or accuracy) per batch, smoothed, and the
 * validation value per epoch. The gap between the two is what overfitting looks like.
 */
import * as Plot from "@observablehq/plot";
import { metricLabel } from "../train/task";
import type { History } from "../train/types";
import { describe } from "./describe";
import { SERIES_COLOURS, SERIES_DASHES } from "./palette";
import { pinCaption, pinnedRuns, type PinnedRun } from "./pinStore";

/** "loss", or the key of one of the task's metrics ("accuracy", "auc", "dice", …). */
export type CurveMetric = string;

export interface CurveOptions {
  metric?: CurveMetric;
  width?: number;
  height?: number;
  /** Batches averaged for the smoothed training curve. */
  smooth?: number;
  /** A published reference result drawn as a dashed line, e.g. ResNet-18 test AUC. */
  reference?: { value: number; label: string };
  /** Earlier runs drawn faintly for comparison, each labelled; default: the page's pinned runs (pinStore.ts). */
  pins?: readonly PinnedRun[];
}

interface Point {
  step: number;
  value: number;
  series: string;
}

const TRAIN = "training (per batch, smoothed)";
const VAL = "validation (per epoch)";

/** Axis label: higher is better for every metric but the loss. */
function axisLabel(metric: CurveMetric): string {
  const name = metricLabel(metric);
  return metric === "loss" ? "Loss ↓" : `${name[0].toUpperCase()}${name.slice(1)} ↑`;
}

/** Is there a per-batch training value for this metric? (Only the loss and the task's own score.) */
function hasTrainingCurve(history: History, metric: CurveMetric): boolean {
  return metric === "loss" || metric === history.scoreName;
}

/** Turns the trainer's history into long-format rows Plot can draw. */
export function curvePoints(history: History, metric: CurveMetric): Point[] {
  const train: Point[] = hasTrainingCurve(history, metric)
    ? history.batches.map((b) => ({ step: b.step, value: metric === "loss" ? b.loss : b.score, series: TRAIN }))
    : [];
  const val: Point[] = history.epochs.map((e) => ({
    step: e.step,
    value: metric === "loss" ? e.valLoss : (e.metrics[metric] ?? NaN),
    series: VAL,
  }));
  return [...train, ...val].filter((p) => Number.isFinite(p.value));
}

export function learningCurves(history: History, options: CurveOptions = {}): SVGSVGElement | HTMLElement {
  const { metric = "loss", width = 420, height = 220, smooth = 10, reference, pins = pinnedRuns() } = options;
  const points = curvePoints(history, metric);
  const pinned = pins
    .map((pin) => ({ pin, points: curvePoints(pin.history, metric) }))
    .filter((p) => p.points.length > 0);
  const train = points.filter((p) => p.series === TRAIN);
  const val = points.filter((p) => p.series === VAL);
  const bounded = metric !== "loss";
  const figure = Plot.plot({
    width,
    height,
    marginLeft: 48,
    x: {
      label: "Training step →",
      domain: [0, Math.max(10, ...points.map((p) => p.step), ...pinned.flatMap((p) => p.points.map((q) => q.step)))],
    },
    y: {
      label: axisLabel(metric),
      domain: bounded ? [metric === "auc" ? 0.4 : 0, 1] : undefined,
      grid: true,
      zero: !bounded,
    },
    // Metrics measured on validation only (AUC, IoU…) get no training entry in their legend.
    color: hasTrainingCurve(history, metric)
      ? { domain: [TRAIN, VAL], range: [SERIES_COLOURS[0], SERIES_COLOURS[1]], legend: true }
      : { domain: [VAL], range: [SERIES_COLOURS[1]], legend: true },
    marks: [
      ...pinned.flatMap(({ pin, points: p }, i) => pinnedMarks(pin, p, i, smooth)),
      // The raw per-batch values, faint: their spread is the noise of small batches.
      Plot.line(train, { x: "step", y: "value", stroke: "series", strokeOpacity: 0.25 }),
      Plot.line(
        train,
        Plot.windowY({ k: smooth, anchor: "end" }, { x: "step", y: "value", stroke: "series", strokeWidth: 2 }),
      ),
      // Validation: dashed, with a dot per check (training is solid): not told apart by colour alone.
      Plot.line(val, { x: "step", y: "value", stroke: "series", strokeWidth: 2, strokeDasharray: SERIES_DASHES[1] }),
      Plot.dot(val, {
        x: "step",
        y: "value",
        fill: "series",
        r: 3.5,
        tip: true,
        title: (d: Point) => `step ${d.step}: ${d.value.toFixed(3)}`,
      }),
      ...(reference
        ? [
            Plot.ruleY([reference.value], { stroke: "#666", strokeDasharray: "4,3" }),
            Plot.text([reference], {
              x: 0,
              y: "value",
              text: "label",
              textAnchor: "start",
              dy: -6,
              fill: "currentColor",
            }),
          ]
        : []),
    ],
  });
  // The chart in words, for a screen reader, redone with every redraw: "Loss 0.312 after 240 steps, falling; validation 0.298".
  return describe(figure, curveSummary(points, metric));
}

/** What a learning curve shows, in one sentence: the latest values and where the training curve is heading. */
export function curveSummary(points: Point[], metric: CurveMetric): string {
  const name = metric === "loss" ? "Loss" : metricLabel(metric);
  const train = points.filter((p) => p.series === TRAIN);
  const val = points.filter((p) => p.series === VAL);
  if (!train.length && !val.length) return `${name}: no training yet`;
  const parts: string[] = [];
  if (train.length) {
    const mean = (ps: Point[]) => ps.reduce((s, p) => s + p.value, 0) / ps.length;
    const recent = mean(train.slice(-10)),
      before = mean(train.slice(-20, -10).length ? train.slice(-20, -10) : train.slice(0, 1));
    const change = (recent - before) / (Math.abs(before) || 1);
    const trend = Math.abs(change) < 0.02 || train.length < 2 ? "flat" : change < 0 ? "falling" : "rising";
    parts.push(`${name} ${recent.toFixed(3)} after ${train.at(-1)!.step} steps, ${trend}`);
  }
  if (val.length) parts.push(`validation ${val.at(-1)!.value.toFixed(3)} at step ${val.at(-1)!.step}`);
  return parts.join("; ");
}

/**
 * A pinned run, behind the current one: grey, thin, its own dash, and its caption at its end
 * (so neither colour nor position alone says which line it is).
 */
function pinnedMarks(pin: PinnedRun, points: Point[], i: number, smooth: number): Plot.Markish[] {
  const train = points.filter((p) => p.series === TRAIN);
  const val = points.filter((p) => p.series === VAL);
  const style = {
    x: "step",
    y: "value",
    stroke: "currentColor",
    strokeOpacity: 0.55,
    strokeWidth: 1.5,
    strokeDasharray: SERIES_DASHES[(i + 1) % SERIES_DASHES.length],
    className: "meddl-pinned-run",
  };
  const end = (train.length ? train : val).at(-1)!;
  return [
    ...(train.length ? [Plot.line(train, Plot.windowY({ k: smooth, anchor: "end" }, style))] : []),
    ...(val.length ? [Plot.line(val, style)] : []),
    Plot.text([end], {
      x: "step",
      y: "value",
      text: () => pinCaption(pin),
      textAnchor: "end",
      dy: -7,
      fontSize: 10,
      fill: "currentColor",
      className: "meddl-pinned-label",
    }),
  ];
}
