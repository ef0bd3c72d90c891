/**
 * The three data problems of the survey's §5, each as an experiment against a clean baseline with
 * the same network and seed:
 *
 * 1. class imbalance: a training set with few positives, and three remedies beside no remedy;
 * 2. noisy labels: a fraction of the training labels flipped, beside the same set with clean labels;
 * 3. few labels: N training images, with and without augmentation, swept over N and seeds.
 *
 * The page and the record script (scripts/record-data-problems.ts) build their runs here, so the
 * numbers the page quotes come from the same code the learner runs.
 */
import type { AugmentOptions } from "../data/augment";
import { withLabelNoise, type NoiseKind, type NoisyDataset } from "../data/labelNoise";
import { repeatTrain, subsetTrain } from "../data/lesions";
import { oversample, positiveFraction, POSITIVE, withPositiveFraction } from "../data/sampling";
import type { ClassificationDataset } from "../data/types";
import {
  accuracy,
  accuracyAtPrevalence,
  argmaxRows,
  binaryRates,
  column,
  crossEntropy,
  meanAuc,
} from "../metrics/classification";
import { buildCnn, maxDepth } from "../models/cnn";
import { classificationTask, type ClassificationValidation } from "./classification";
import { balancedClassWeights, focalLoss, weightedCrossEntropy, type ClassificationLoss } from "./losses";
import { TrainerGroup } from "./pair";
import { ROUND_IMAGES } from "./sweep";
import type { TrainingTask } from "./task";
import { Trainer } from "./trainer";
import type { EpochRecord } from "./types";
import { yieldToBrowser } from "./yield";

/** The network of all three experiments: the CNN lesson's conv → ReLU → pool blocks. */
export interface NetworkOptions {
  filters?: number;
  depth?: number;
  dropout?: number;
}

export const NETWORK_DEFAULTS = { filters: 8, depth: 3, dropout: 0 };

/** The lesson's CNN for a dataset; the same seed gives the same initial weights in every arm. */
export function lessonCnn(ds: ClassificationDataset, network: NetworkOptions = {}, seed = 1) {
  const o = { ...NETWORK_DEFAULTS, ...network };
  return buildCnn({
    inputShape: ds.imageShape,
    outputs: ds.classNames.length,
    ...o,
    depth: Math.min(o.depth, maxDepth(ds.imageShape)),
    seed,
  });
}

/** Why this dataset cannot be used for an experiment that needs one class per image (and two, if `binary`), or null. */
export function datasetProblem(ds: ClassificationDataset, { binary = false } = {}): string | null {
  if (ds.task === "multilabel")
    return `${ds.title} has several labels per image; this experiment needs one class per image.`;
  if (binary && ds.classNames.length !== 2)
    return `${ds.title} has ${ds.classNames.length} classes; this experiment needs two (a finding, and its absence).`;
  if (ds.train.count < 2 * ds.classNames.length) return `${ds.title} has too few training images (${ds.train.count}).`;
  return null;
}

interface CommonOptions {
  seed?: number;
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  network?: NetworkOptions;
}

// ── 1 · Class imbalance ────────────────────────────────────────────────────────────────────────

export const REMEDIES = ["none", "weighted", "oversample", "focal"] as const;
export type Remedy = (typeof REMEDIES)[number];
export const FOCAL_GAMMA = 2;
export const REMEDY_NAMES: Record<Remedy, string> = {
  none: "no remedy",
  weighted: "class-weighted loss",
  oversample: "oversampling",
  focal: `focal loss (γ = ${FOCAL_GAMMA})`,
};

export interface ImbalanceOptions extends CommonOptions {
  /** Fraction of positives in the training set, or "natural": the dataset as it comes. */
  fraction: number | "natural";
  remedies?: Remedy[];
  /** Negatives kept at most (the positives follow from the fraction): keeps a run short. */
  maxNegatives?: number;
}

export const IMBALANCE_DEFAULTS = {
  fraction: 0.05,
  seed: 1,
  epochs: 8,
  batchSize: 32,
  learningRate: 0.005,
  maxNegatives: 600,
};

/**
 * Validation metrics for a population with `prevalence` positives, at the default threshold
 * (the larger probability wins). Sensitivity and specificity are measured on the whole validation
 * set; accuracy is what they give at that prevalence, as if the validation set had the same mix as
 * the clinic (without scoring sensitivity on a handful of positives).
 */
export function scoreAtPrevalence(
  probs: Float32Array,
  labels: ArrayLike<number>,
  prevalence: number,
): Record<string, number> {
  const scores = column(probs, 2, POSITIVE);
  const positive = Array.from(labels, (l) => (l === POSITIVE ? 1 : 0));
  const rates = binaryRates(scores, positive, 0.5);
  return {
    accuracy: accuracyAtPrevalence(rates.sensitivity, rates.specificity, prevalence),
    auc: meanAuc(probs, labels, 2),
    balancedAccuracy: rates.balancedAccuracy,
    sensitivity: rates.sensitivity,
    specificity: rates.specificity,
  };
}

/** Classification with the imbalance metrics above, and an optional remedy loss. */
export function imbalanceTask(
  data: ClassificationDataset,
  prevalence: number,
  loss?: ClassificationLoss,
): TrainingTask<ClassificationValidation> {
  const base = classificationTask(data, { loss });
  return {
    ...base,
    scoreValidation(probs) {
      const scored = base.scoreValidation(probs);
      return { ...scored, metrics: scoreAtPrevalence(probs, data.val.labels, prevalence) };
    },
  };
}

/** The training set of the imbalance experiment: `fraction` positives, or the dataset's own mix. */
export function imbalancedData(
  ds: ClassificationDataset,
  fraction: number | "natural",
  seed: number,
  maxNegatives = IMBALANCE_DEFAULTS.maxNegatives,
): ClassificationDataset {
  return fraction === "natural" ? ds : withPositiveFraction(ds, fraction, seed, { maxNegatives });
}

export interface ImbalanceExperiment {
  runs: TrainerGroup<ClassificationValidation>;
  remedies: Remedy[];
  /** The imbalanced training set (before any oversampling). */
  data: ClassificationDataset;
  /** Fraction of positives in it: also the prevalence at which accuracy is scored. */
  prevalence: number;
}

/**
 * One run per remedy on the same imbalanced set, from the same initial weights and seed, in
 * lockstep. Oversampling makes an epoch longer, so that run gets proportionally fewer epochs:
 * every run takes about the same number of steps.
 */
export function imbalanceExperiment(ds: ClassificationDataset, options: ImbalanceOptions): ImbalanceExperiment {
  const o = { ...IMBALANCE_DEFAULTS, remedies: [...REMEDIES], ...options };
  const data = imbalancedData(ds, o.fraction, o.seed, o.maxNegatives);
  const prevalence = positiveFraction(data.train);
  const k = ds.classNames.length;
  const trainers = o.remedies.map((remedy) => {
    let runData = data;
    let loss: ClassificationLoss | undefined;
    if (remedy === "weighted") loss = weightedCrossEntropy(balancedClassWeights(data.train.labels, k));
    if (remedy === "focal") loss = focalLoss(FOCAL_GAMMA);
    if (remedy === "oversample") runData = oversample(data, o.seed, { fraction: 0.5 });
    const epochs = Math.max(1, Math.round((o.epochs * data.train.count) / runData.train.count));
    return new Trainer(lessonCnn(ds, o.network, o.seed), imbalanceTask(runData, prevalence, loss), {
      epochs,
      batchSize: o.batchSize,
      learningRate: o.learningRate,
      seed: o.seed,
    });
  });
  return {
    runs: new TrainerGroup(
      trainers,
      o.remedies.map((r) => REMEDY_NAMES[r]),
    ),
    remedies: o.remedies,
    data,
    prevalence,
  };
}

// ── 2 · Noisy labels ───────────────────────────────────────────────────────────────────────────

export interface NoiseOptions extends CommonOptions {
  fraction: number;
  kind?: NoiseKind;
  /** Training images used (a smaller set is memorised sooner). */
  trainCount?: number;
}

export const NOISE_DEFAULTS = {
  fraction: 0.3,
  kind: "symmetric" as NoiseKind,
  seed: 1,
  epochs: 30,
  batchSize: 32,
  learningRate: 0.005,
  trainCount: 400,
};

/**
 * Classification on noisy training labels that also checks, after every epoch, how the network
 * fits the training images: its validation pass covers the training images (scored against the
 * noisy labels it was given, and against the truth) followed by the clean validation images.
 */
export function noiseTask(noisy: NoisyDataset): TrainingTask<ClassificationValidation> {
  const base = classificationTask(noisy);
  const k = noisy.classNames.length;
  const nTrain = noisy.train.count;
  const images = new Float32Array(noisy.train.images.length + noisy.val.images.length);
  images.set(noisy.train.images);
  images.set(noisy.val.images, noisy.train.images.length);
  return {
    ...base,
    val: { images, count: nTrain + noisy.val.count },
    scoreValidation(outputs) {
      const trainPredicted = argmaxRows(outputs.subarray(0, nTrain * k), k);
      const valProbs = outputs.subarray(nTrain * k);
      const valPredicted = argmaxRows(valProbs, k);
      let flips = 0,
        fitted = 0;
      for (let i = 0; i < nTrain; i++) {
        if (!noisy.flipped[i]) continue;
        flips++;
        if (trainPredicted[i] === noisy.train.labels[i]) fitted++;
      }
      return {
        loss: crossEntropy(valProbs, noisy.val.labels, k),
        metrics: {
          accuracy: accuracy(noisy.val.labels, valPredicted),
          auc: meanAuc(valProbs, noisy.val.labels, k),
          trainAccuracy: accuracy(noisy.train.labels, trainPredicted),
          trainCleanAccuracy: accuracy(noisy.cleanTrainLabels, trainPredicted),
          // Only with flipped labels is there anything to memorise.
          ...(flips ? { memorised: fitted / flips } : {}),
        },
        details: { probs: valProbs, predicted: valPredicted },
      };
    },
  };
}

export interface NoiseExperiment {
  /** [clean labels, noisy labels], in lockstep. */
  runs: TrainerGroup<ClassificationValidation>;
  noisy: NoisyDataset;
}

/** The same images with clean and with noisy labels, the same network, seed and steps. */
export function noiseExperiment(ds: ClassificationDataset, options: NoiseOptions): NoiseExperiment {
  const o = { ...NOISE_DEFAULTS, ...options };
  const small = subsetTrain(ds, Math.min(o.trainCount, ds.train.count), o.seed);
  const clean = withLabelNoise(small, 0, o.seed, o.kind);
  const noisy = withLabelNoise(small, o.fraction, o.seed, o.kind);
  const trainer = (data: NoisyDataset) =>
    new Trainer(lessonCnn(ds, o.network, o.seed), noiseTask(data), {
      epochs: o.epochs,
      batchSize: o.batchSize,
      learningRate: o.learningRate,
      seed: o.seed,
    });
  return { runs: new TrainerGroup([trainer(clean), trainer(noisy)], ["clean labels", "noisy labels"]), noisy };
}

/** Where early stopping on a clean validation set stops: the epoch of best validation `metric` (the first, on ties). */
export function earlyStoppingEpoch(epochs: EpochRecord[], metric = "accuracy"): EpochRecord | null {
  let best: EpochRecord | null = null;
  for (const e of epochs)
    if (Number.isFinite(e.metrics[metric]) && (!best || e.metrics[metric] > best.metrics[metric])) best = e;
  return best;
}

// ── 3 · Few labels and augmentation ────────────────────────────────────────────────────────────

export interface AugmentChoice {
  /** Random flips and rotations up to ±20°. */
  flipRotate: boolean;
  /** Elastic deformation on a 3×3 grid, as in the U-Net paper. */
  elastic: boolean;
  /** Brightness and contrast jitter. */
  intensity: boolean;
}

/** Strengths for 28–32 pixel patches: the U-Net paper's 10-pixel displacements were for 572-pixel tiles. */
export const AUGMENT_STRENGTHS = { maxRotation: 20, elastic: 1.5, elasticGrid: 3, brightness: 0.08, contrast: 0.2 };

/** The augmentation options for a choice of kinds, or false when none is chosen. */
export function augmentOptions(choice: AugmentChoice): AugmentOptions | false {
  if (!choice.flipRotate && !choice.elastic && !choice.intensity) return false;
  const s = AUGMENT_STRENGTHS;
  return {
    flip: choice.flipRotate,
    maxRotation: choice.flipRotate ? s.maxRotation : 0,
    elastic: choice.elastic ? s.elastic : 0,
    elasticGrid: s.elasticGrid,
    brightness: choice.intensity ? s.brightness : 0,
    contrast: choice.intensity ? s.contrast : 0,
  };
}

export const AUGMENT_ARMS = ["plain", "augmented"] as const;
export type AugmentArm = (typeof AUGMENT_ARMS)[number];
export const AUGMENT_ARM_NAMES: Record<AugmentArm, string> = {
  plain: "no augmentation",
  augmented: "with augmentation",
};

export interface FewLabelsOptions extends CommonOptions {
  /** Training images (Infinity: all). */
  n: number;
  augment: AugmentOptions | false;
  /** Rounds of at least ROUND_IMAGES images (small sets are repeated), as in the transfer sweep. */
  rounds?: number;
  /** Validate after every this many rounds (and the last). */
  validateEvery?: number;
}

export const FEW_LABELS_DEFAULTS = { seed: 1, rounds: 15, batchSize: 32, learningRate: 0.005 };

/** The N sizes of the sweep: 10, 25, 50, 100, 200 and all (those the dataset has). */
export function fewLabelSizes(ds: ClassificationDataset): number[] {
  const all = ds.train.count;
  return [...new Set([10, 25, 50, 100, 200, all].filter((n) => n <= all && n >= ds.classNames.length))];
}

/** One run on N images (sampled by seed, class mix kept), with or without augmentation. */
export function fewLabelsTrainer(ds: ClassificationDataset, options: FewLabelsOptions): Trainer {
  const o = { ...FEW_LABELS_DEFAULTS, ...options };
  const data = repeatTrain(subsetTrain(ds, Math.min(o.n, ds.train.count), o.seed), ROUND_IMAGES);
  return new Trainer(lessonCnn(ds, o.network, o.seed), data, {
    epochs: o.rounds,
    batchSize: o.batchSize,
    learningRate: o.learningRate,
    seed: o.seed,
    augment: o.augment,
    validateEvery: o.validateEvery ?? 1,
  });
}

/** The same N images, seed and network, without and with augmentation, in lockstep. */
export function fewLabelsPair(
  ds: ClassificationDataset,
  options: FewLabelsOptions,
): TrainerGroup<ClassificationValidation> {
  const plain = fewLabelsTrainer(ds, { ...options, augment: false });
  const augmented = fewLabelsTrainer(ds, options);
  return new TrainerGroup([plain, augmented], [AUGMENT_ARM_NAMES.plain, AUGMENT_ARM_NAMES.augmented]);
}

export interface AugmentPoint {
  strategy: AugmentArm;
  n: number;
  seed: number;
  /** Validation AUC at the end of the run. */
  auc: number;
}

export interface AugmentSweepOptions extends Omit<FewLabelsOptions, "n" | "seed" | "validateEvery"> {
  sizes: number[];
  seeds: number[];
  onRun?: (point: AugmentPoint, done: number, total: number) => void;
  cancelled?: () => boolean;
}

/** Every N and seed, without and with augmentation; one validation at the end of each run. Frees every tensor. */
export async function runAugmentSweep(
  ds: ClassificationDataset,
  options: AugmentSweepOptions,
): Promise<AugmentPoint[]> {
  const { sizes, seeds, onRun, cancelled = () => false, ...run } = options;
  const rounds = run.rounds ?? FEW_LABELS_DEFAULTS.rounds;
  const points: AugmentPoint[] = [];
  const total = sizes.length * seeds.length * AUGMENT_ARMS.length;
  for (const n of sizes) {
    for (const seed of seeds) {
      for (const arm of AUGMENT_ARMS) {
        if (cancelled()) return points;
        const trainer = fewLabelsTrainer(ds, {
          ...run,
          n,
          seed,
          augment: arm === "plain" ? false : run.augment,
          validateEvery: rounds,
        });
        while (trainer.state !== "done" && trainer.state !== "diverged" && !cancelled()) {
          await trainer.step();
          await yieldToBrowser(); // a step alone never yields: without this the page could not take the Stop click
        }
        const last = trainer.history.epochs.at(-1);
        await trainer.dispose();
        if (!last) return points; // cancelled mid-run: an unfinished run is not a result
        const point = { strategy: arm, n, seed, auc: last.metrics.auc };
        points.push(point);
        onRun?.(point, points.length, total);
      }
    }
  }
  return points;
}
