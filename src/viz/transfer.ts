/**
 * Charts of the transfer-learning lesson: the three strategies' learning curves on one chart,
 * AUC against training time, the sweep (AUC against the number of training images, mean and
 * spread over seeds), and a 2D PCA picture of the features the classifier head sees.
 */
import * as Plot from "@observablehq/plot";
import { STRATEGY_NAMES, type Strategy } from "../models/transfer";
import { describe, latestValues, scatterSummary, sweepSummary } from "./describe";
import { OKABE_ITO, seriesStyle } from "./palette";
import { summarizeSweep, type SweepPoint, type SweepSummary } from "../train/sweep";
import type { History } from "../train/types";

/** One colour per strategy, the same on every chart of the page. */
export const STRATEGY_COLOURS: Record<Strategy, string> = {
  scratch: OKABE_ITO.vermillion,
  frozen: OKABE_ITO.blue,
  finetune: OKABE_ITO.bluishGreen,
};

/** …and one symbol per strategy, so the dots say which is which without their colour. */
export const STRATEGY_SYMBOLS: Record<Strategy, string> = { scratch: "triangle", frozen: "circle", finetune: "square" };

function colour(strategies: Strategy[]) {
  return {
    domain: strategies.map((s) => STRATEGY_NAMES[s]),
    range: strategies.map((s) => STRATEGY_COLOURS[s]),
  };
}

/** The legend: each strategy's symbol in its colour. */
function symbol(strategies: Strategy[]) {
  return {
    legend: true,
    domain: strategies.map((s) => STRATEGY_NAMES[s]),
    range: strategies.map((s) => STRATEGY_SYMBOLS[s]),
  };
}

export interface StrategyRun {
  strategy: Strategy;
  history: History;
  /** Wall time spent training this run so far, ms, after each validation (same order as history.epochs). */
  ms?: number[];
}

/** Validation AUC of each strategy after every round, on one chart. */
export function strategyCurves(
  runs: StrategyRun[],
  { width = 640, height = 260, x = "step" as "step" | "seconds" } = {},
): SVGSVGElement | HTMLElement {
  const rows = runs
    .flatMap((r) =>
      r.history.epochs.map((e, i) => ({
        name: STRATEGY_NAMES[r.strategy],
        step: e.step,
        seconds: (r.ms?.[i] ?? NaN) / 1000,
        auc: e.metrics.auc ?? NaN,
      })),
    )
    .filter((d) => Number.isFinite(d.auc) && Number.isFinite(d[x]));
  const figure = Plot.plot({
    width,
    height,
    marginLeft: 48,
    x: { label: x === "step" ? "Training step →" : "Training time (s) →", zero: true },
    y: { label: "Validation AUC ↑", domain: [0.4, 1], grid: true },
    color: colour(runs.map((r) => r.strategy)),
    symbol: symbol(runs.map((r) => r.strategy)),
    marks: [
      Plot.ruleY([0.5], { stroke: "#999", strokeDasharray: "4,3" }),
      Plot.text([{ y: 0.5 }], { y: "y", frameAnchor: "right", text: () => "chance", dy: -6, fill: "#777" }),
      // z named explicitly: after the first round each line has one point, which is fine, not a mistake.
      Plot.line(rows, { x, y: "auc", stroke: "name", z: "name", strokeWidth: 2 }),
      Plot.dot(rows, { x, y: "auc", fill: "name", symbol: "name", r: 3, tip: true }),
    ],
  });
  const series = runs.map((r) => ({
    name: STRATEGY_NAMES[r.strategy],
    points: rows.filter((d) => d.name === STRATEGY_NAMES[r.strategy]).map((d) => ({ x: d[x], y: d.auc })),
  }));
  return describe(figure, latestValues("Validation AUC", series, { at: x === "step" ? "step" : "second" }));
}

/** Time (ms, training only) each run first reaches `target` validation AUC, or null if it never does. */
export function timeToReach(run: StrategyRun, target: number): { step: number; ms: number } | null {
  for (const [i, e] of run.history.epochs.entries()) {
    if ((e.metrics.auc ?? 0) >= target) return { step: e.step, ms: run.ms?.[i] ?? NaN };
  }
  return null;
}

/**
 * The central chart: validation AUC against the number of training images (log scale), one line
 * per strategy through the mean over seeds, a band from the lowest to the highest seed, and every
 * single run as a faint dot, so the spread is never hidden behind the mean.
 */
export function sweepChart(
  points: SweepPoint[],
  {
    summary = summarizeSweep(points),
    width = 680,
    height = 320,
    allLabel = "all",
  }: { summary?: SweepSummary[]; width?: number; height?: number; allLabel?: string } = {},
): SVGSVGElement | HTMLElement {
  const strategies = [...new Set(summary.map((s) => s.strategy))];
  const name = (s: Strategy) => STRATEGY_NAMES[s];
  const sizes = [...new Set(summary.map((s) => s.n))].sort((a, b) => a - b);
  const mean = summary.map((s) => ({ ...s, name: name(s.strategy), lo: s.mean - s.sd, hi: s.mean + s.sd }));
  const dots = points.map((p) => ({ ...p, name: name(p.strategy) }));
  const figure = Plot.plot({
    width,
    height,
    marginLeft: 48,
    marginBottom: 40,
    x: {
      type: "log",
      label: "Target training images (N) →",
      ticks: sizes,
      tickFormat: (n: number) => (n === sizes.at(-1) && allLabel ? `${n} (${allLabel})` : String(n)),
    },
    y: { label: "Validation AUC ↑", domain: [0.4, 1], grid: true },
    color: colour(strategies),
    symbol: symbol(strategies),
    marks: [
      Plot.ruleY([0.5], { stroke: "#999", strokeDasharray: "4,3" }),
      Plot.areaY(mean, { x: "n", y1: "lo", y2: "hi", fill: "name", z: "name", fillOpacity: 0.14, curve: "linear" }),
      // Each strategy's dots nudged sideways a little (log axis: a factor), so they do not hide each other.
      Plot.dot(dots, {
        x: (d: SweepPoint) => d.n * 1.05 ** (strategies.indexOf(d.strategy) - 1),
        y: "auc",
        fill: "name",
        symbol: "name",
        r: 2.5,
        fillOpacity: 0.45,
      }),
      Plot.line(mean, { x: "n", y: "mean", stroke: "name", z: "name", strokeWidth: 2.5, marker: "circle" }),
      Plot.tip(
        mean,
        Plot.pointer({
          x: "n",
          y: "mean",
          title: (d: SweepSummary & { name: string }) =>
            `${d.name}, N = ${d.n}\nAUC ${d.mean.toFixed(3)} ± ${d.sd.toFixed(3)} (${d.runs} seeds, ${d.min.toFixed(3)}–${d.max.toFixed(3)})`,
        }),
      ),
    ],
  });
  return describe(
    figure,
    sweepSummary(summary, (s) => STRATEGY_NAMES[s]),
  );
}

/** 2D PCA of feature vectors, one dot per image, coloured by class. */
export function featureScatter(
  { coords, labels }: { coords: Float32Array; labels: ArrayLike<number> },
  {
    classNames,
    title = "",
    explained = [] as number[],
    width = 320,
    height = 280,
  }: { classNames: string[]; title?: string; explained?: number[]; width?: number; height?: number },
): SVGSVGElement | HTMLElement {
  const rows = Array.from({ length: labels.length }, (_, i) => ({
    x: coords[2 * i],
    y: coords[2 * i + 1],
    cls: classNames[labels[i]] ?? String(labels[i]),
  }));
  const pc = (i: number) =>
    `PC${i + 1}${explained[i] !== undefined ? ` (${(100 * explained[i]).toFixed(0)}% of variance)` : ""}`;
  const figure = Plot.plot({
    width,
    height,
    marginLeft: 40,
    title,
    x: { label: pc(0), ticks: [] },
    y: { label: pc(1), ticks: [] },
    color: {
      domain: classNames,
      range: classNames.map((_, i) => seriesStyle(i).colour),
    },
    // A symbol per class as well as a colour: the classes are told apart without colour.
    symbol: { legend: true, domain: classNames, range: classNames.map((_, i) => seriesStyle(i).symbol) },
    marks: [Plot.dot(rows, { x: "x", y: "y", fill: "cls", symbol: "cls", r: 2.5, fillOpacity: 0.7 })],
  });
  return describe(figure, scatterSummary(`PCA of features${title ? ` (${title})` : ""}`, rows));
}
