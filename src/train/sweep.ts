/**
 * The transfer-learning experiment: for each number of target training images N and each seed,
 * train the three strategies (scratch, frozen, fine-tune) on the SAME N images with the SAME
 * seed and budget, and record their validation AUC. Several seeds per point give the spread,
 * which at small N is as large as the effects themselves. How the best strategy changes with N is
 * the kit's own question (the survey, §3.1.1, reports two comparisons that disagree; see also
 * Raghu et al. 2019).
 */
import type * as tf from "@tensorflow/tfjs";
import { repeatTrain, subsetTrain } from "../data/lesions";
import type { ClassificationDataset } from "../data/types";
import { transferModel, type Strategy } from "../models/transfer";
import { TrainerGroup } from "./pair";
import { Trainer, type TrainerOptions } from "./trainer";
import { yieldToBrowser } from "./yield";

/**
 * A round is one pass over the N training images, repeated up to at least this many: with 10
 * images a round is still 8 batches of 32, and with 600 it is one epoch. Every strategy gets the
 * same rounds (a fair budget between strategies), and larger sets get as many passes as small
 * ones, hence more steps: 8 a round at N = 10 or 25, 9 at 50 or 100, 12 at 200, 18 at 600
 * (stepsPerRound in src/records/transfer.ts; tests/records/transfer.test.ts checks the sweep record).
 */
export const ROUND_IMAGES = 256;

export interface TransferRunOptions {
  /** Number of target training images (Infinity: all). */
  n: number;
  seed: number;
  strategies: Strategy[];
  /** Rounds of ROUND_IMAGES images; validation after each. */
  rounds: number;
  batchSize?: number;
  learningRate?: number;
  /** Fine-tuning learning rate as a fraction of learningRate (pretrained layers need smaller steps). */
  finetuneFactor?: number;
  /** Conv layers fine-tuning may change (default: all). */
  unfrozen?: string[];
}

export const TRANSFER_DEFAULTS = { batchSize: 32, learningRate: 0.003, finetuneFactor: 0.3, rounds: 25 };

/** The target split this run trains on: n images, sampled by seed, repeated to a full round. */
export function targetSubset(target: ClassificationDataset, n: number, seed: number): ClassificationDataset {
  return repeatTrain(subsetTrain(target, n, seed), ROUND_IMAGES);
}

/**
 * The trainer of one strategy on one subset: the target model built from the source, the lower
 * learning rate for fine-tuning, and `rounds` epochs of the subset. `validateEvery` as in Trainer.
 */
function strategyTrainer(
  source: tf.LayersModel,
  target: ClassificationDataset,
  data: ClassificationDataset,
  strategy: Strategy,
  seed: number,
  options: Omit<TransferRunOptions, "n" | "seed" | "strategies">,
  validateEvery = 1,
): Trainer {
  const run = strategyRun(source, target, strategy, seed, options, validateEvery);
  return new Trainer(run.model, data, run.options);
}

/** One strategy's model and trainer options (what strategyTrainer builds its Trainer from). */
function strategyRun(
  source: tf.LayersModel,
  target: ClassificationDataset,
  strategy: Strategy,
  seed: number,
  options: Omit<TransferRunOptions, "n" | "seed" | "strategies">,
  validateEvery = 1,
): { model: tf.LayersModel; options: TrainerOptions } {
  const { rounds, unfrozen } = options;
  const { batchSize, learningRate, finetuneFactor } = { ...TRANSFER_DEFAULTS, ...options };
  const model = transferModel(source, { strategy, outputs: target.classNames.length, seed, unfrozen });
  const lr = strategy === "finetune" ? learningRate * finetuneFactor : learningRate;
  return { model, options: { epochs: rounds, batchSize, learningRate: lr, seed, validateEvery } };
}

/**
 * transferGroup's runs before any trainer is made: each strategy's model, data and options, for a
 * group built elsewhere (the training worker).
 */
export function transferMembers(
  source: tf.LayersModel,
  target: ClassificationDataset,
  options: TransferRunOptions,
): { model: tf.LayersModel; data: ClassificationDataset; options: TrainerOptions }[] {
  const data = targetSubset(target, options.n, options.seed);
  return options.strategies.map((strategy) => ({
    data,
    ...strategyRun(source, target, strategy, options.seed, options),
  }));
}

/** One trainer per strategy, on the same images with the same seed, run in lockstep. */
export function transferGroup(
  source: tf.LayersModel,
  target: ClassificationDataset,
  options: TransferRunOptions,
): TrainerGroup<unknown> {
  const data = targetSubset(target, options.n, options.seed);
  const trainers = options.strategies.map((strategy) =>
    strategyTrainer(source, target, data, strategy, options.seed, options),
  );
  return new TrainerGroup(trainers as Trainer<unknown>[], options.strategies);
}

export interface SweepPoint {
  strategy: Strategy;
  n: number;
  seed: number;
  /** Validation AUC after the last round. */
  auc: number;
  /** Validation AUC at the end (the sweep validates once per run), and the wall time (ms) spent in training steps (validation excluded). */
  curve: { round: number; step: number; auc: number; ms: number }[];
}

export interface SweepOptions extends Omit<TransferRunOptions, "n" | "seed"> {
  sizes: number[];
  seeds: number[];
  /** Called after every finished run (one strategy at one N and seed), for a progress bar and a live chart. */
  onRun?: (point: SweepPoint, done: number, total: number) => void;
  /** Checked between runs and rounds: return true to stop early (the points so far are kept). */
  cancelled?: () => boolean;
}

/** Trains one strategy to the end of its budget and returns its validation AUC after every round. */
async function trainOne(trainer: Trainer, cancelled: () => boolean): Promise<SweepPoint["curve"]> {
  const curve: SweepPoint["curve"] = [];
  trainer.on("epoch", (e) => curve.push({ round: e.epoch, step: e.step, auc: e.metrics.auc, ms: e.trainMs ?? NaN }));
  while (trainer.state !== "done" && trainer.state !== "diverged" && !cancelled()) {
    await trainer.step();
    // A step can finish without the page getting a turn (its last await may resolve at once): give it
    // one, so the Stop button and the charts answer during a sweep.
    await yieldToBrowser();
  }
  return curve;
}

/**
 * The sweep: every strategy at every N and seed, each for the same number of steps as a side-by-side
 * run with `rounds` rounds. Runs one model at a time (so the timings are each strategy's own) and
 * frees every tensor it made before the next run.
 */
export async function runSweep(
  source: tf.LayersModel,
  target: ClassificationDataset,
  options: SweepOptions,
): Promise<SweepPoint[]> {
  const { sizes, seeds, strategies, rounds, onRun, cancelled = () => false } = options;
  const points: SweepPoint[] = [];
  const total = sizes.length * seeds.length * strategies.length;
  for (const n of sizes) {
    for (const seed of seeds) {
      const data = targetSubset(target, n, seed);
      for (const strategy of strategies) {
        if (cancelled()) return points;
        // The same steps as a side-by-side run, but one validation at the end instead of one per
        // round (validating every round would cost as much as the training).
        const trainer = strategyTrainer(source, target, data, strategy, seed, options, rounds);
        const curve = await trainOne(trainer, cancelled);
        await trainer.dispose();
        if (curve.length < 1) return points; // cancelled mid-run: an unfinished run is not a result
        const point: SweepPoint = { strategy, n, seed, auc: curve.at(-1)!.auc, curve };
        points.push(point);
        onRun?.(point, points.length, total);
      }
    }
  }
  return points;
}

export interface SweepSummary<S extends string = Strategy> {
  strategy: S;
  n: number;
  runs: number;
  mean: number;
  sd: number;
  min: number;
  max: number;
}

/** Mean, standard deviation (n − 1) and range of AUC over seeds, per strategy (or any arm of an experiment) and N. */
export function summarizeSweep<S extends string = Strategy>(
  points: { strategy: S; n: number; auc: number }[],
): SweepSummary<S>[] {
  const groups = new Map<string, { strategy: S; n: number; auc: number }[]>();
  for (const p of points) {
    const key = `${p.strategy}|${p.n}`;
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  return [...groups.values()].map((g) => {
    const values = g.map((p) => p.auc);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = values.length > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1)) : 0;
    return {
      strategy: g[0].strategy,
      n: g[0].n,
      runs: values.length,
      mean,
      sd,
      min: Math.min(...values),
      max: Math.max(...values),
    };
  });
}
