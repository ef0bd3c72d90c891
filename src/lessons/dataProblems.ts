/**
 * Page assembly for the data-problems lesson (lessons/data-problems.md): the live panels of the
 * three experiments and the few-labels sweep with its button, progress and chart. The experiments
 * themselves live in src/train/dataProblems.ts; the charts in src/viz/dataProblems.ts.
 */
import type { ClassificationDataset } from "../data/types";
import { majorityBaseline } from "../metrics/classification";
import {
  AUGMENT_ARM_NAMES, earlyStoppingEpoch, runAugmentSweep, type AugmentPoint, type AugmentSweepOptions,
  type ImbalanceExperiment, type NoiseExperiment,
} from "../train/dataProblems";
import type { TrainerGroup } from "../train/pair";
import {
  augmentSweepChart, compareRuns, imbalanceScoreboard, latestScores, metricCurves, noiseCurves, type NamedRun,
} from "../viz/dataProblems";
import { el } from "../core/dom";
import { sweepRunner } from "../ui/sweepRunner";
import { live } from "../ui/live";

/** The runs of a group with their names, as the comparison charts take them. */
export function namedRuns(group: TrainerGroup<unknown>): NamedRun[] {
  return group.trainers.map((t, i) => ({ name: group.names[i], history: t.history }));
}

const pct = (v: number) => (Number.isFinite(v) ? `${(100 * v).toFixed(1)}%` : "–");

/** One line under the scoreboard: the paradox in words, from the no-remedy run's latest numbers. */
function paradoxLine(ex: ImbalanceExperiment): HTMLElement {
  const last = ex.runs.trainers[0].history.epochs.at(-1);
  const baseline = majorityBaseline(ex.prevalence);
  if (!last) return el("p", { class: "meddl-help" }, "Press Train: the numbers appear after the first epoch.");
  const m = last.metrics;
  return el("p", { class: "meddl-caption meddl-paradox", "data-accuracy": String(m.accuracy), "data-sensitivity": String(m.sensitivity) },
    "Dashed line: the accuracy of always answering the majority class. ",
    el("b", {}, `${ex.runs.names[0]}: `), `accuracy ${pct(m.accuracy)} (always saying “no finding” scores ${pct(baseline)}), `,
    `sensitivity ${pct(m.sensitivity)}: it finds ${pct(m.sensitivity)} of the positives.`);
}

/**
 * The imbalance experiment's charts: the scoreboard of every remedy with the majority-class line,
 * and each remedy's metrics over training, small multiples of one chart.
 */
export function imbalancePanel(ex: ImbalanceExperiment, { width = 680 } = {}): HTMLElement {
  const baseline = majorityBaseline(ex.prevalence);
  const runs = () => namedRuns(ex.runs as TrainerGroup<unknown>);
  return el("div", { class: "meddl-imbalance" },
    live(ex.runs, (_, fit = width) => el("div", {},
      imbalanceScoreboard(latestScores(runs()), { baseline, runs: ex.runs.names, width: fit }),
      paradoxLine(ex)), { events: ["epoch", "state"], className: "meddl-chart-scoreboard" }),
    live(ex.runs, (_, fit = width) => el("div", { class: "grid grid-cols-2" },
      ...runs().map((r) => metricCurves(r.history, { baseline, title: r.name, width: fit < 640 ? fit : fit / 2 - 10, height: 210 }))),
    { events: ["epoch", "state"], className: "meddl-chart-imbalance-curves" }),
  );
}

/** What early stopping would have kept, against where training ended, in words. */
function stoppingLine(ex: NoiseExperiment): HTMLElement {
  const history = ex.runs.trainers[1].history;
  const best = earlyStoppingEpoch(history.epochs);
  const last = history.epochs.at(-1);
  if (!best || !last) return el("p", { class: "meddl-help" }, "Press Train: the curves appear after the first epoch.");
  return el("p", { class: "meddl-caption meddl-stopping", "data-best-epoch": String(best.epoch), "data-best": String(best.metrics.accuracy), "data-last": String(last.metrics.accuracy), "data-train": String(last.metrics.trainAccuracy) },
    el("b", {}, "Noisy run: "), `best clean validation accuracy ${pct(best.metrics.accuracy)} at epoch ${best.epoch}, where early stopping would keep the weights; `,
    `now (epoch ${last.epoch}) ${pct(last.metrics.accuracy)}, while it agrees with ${pct(last.metrics.trainAccuracy)} of its noisy training labels `,
    `and reproduces ${pct(last.metrics.memorised)} of the flipped ones.`);
}

/** The noisy-labels chart with the early-stopping line, and the clean run for reference. */
export function noisePanel(ex: NoiseExperiment, { width = 680 } = {}): HTMLElement {
  return live(ex.runs, (_, fit = width) => {
    const [clean, noisy] = ex.runs.trainers;
    return el("div", {}, noiseCurves(noisy.history, clean.history, { stop: earlyStoppingEpoch(noisy.history.epochs), width: fit }), stoppingLine(ex));
  }, { events: ["epoch", "state"], className: "meddl-chart-noise" });
}

/** Validation AUC of the plain and augmented runs side by side. */
export function fewLabelsPanel(pair: TrainerGroup<unknown>, { width = 680 } = {}): HTMLElement {
  return live(pair, (_, fit = width) => compareRuns(namedRuns(pair), { width: fit, height: 240 }), { events: ["epoch", "state"], className: "meddl-chart-fewlabels" });
}

export interface AugmentSweepPanelOptions extends Omit<AugmentSweepOptions, "onRun" | "cancelled"> {
  /** A recorded sweep (scripts/record-data-problems.ts) shown until the learner's own has points. */
  recorded?: AugmentPoint[] | null;
  /** What runs the sweep (default: here, on the main thread; the page passes the training worker's). */
  runner?: typeof runAugmentSweep;
}

/** The few-labels sweep: a button, progress with time left, a stop button, and the chart filling in. */
export function augmentSweepPanel(ds: ClassificationDataset, options: AugmentSweepPanelOptions): HTMLElement {
  const { recorded, runner = runAugmentSweep, ...sweep } = options;
  return sweepRunner<AugmentPoint>({
    total: sweep.sizes.length * sweep.seeds.length * 2,
    recorded,
    recordedBy: "npm run record:data-problems",
    run: (hooks) => runner(ds, { ...sweep, ...hooks }),
    chart: (points, width) => augmentSweepChart(points, { names: AUGMENT_ARM_NAMES, width }),
    className: "meddl-augment-sweep",
  });
}
