/**
 * The detection lesson's assembly: its defaults, the two runs side by side (random negatives only,
 * and with hard-negative mining, from the same seed), the record its "what to expect" box quotes,
 * and the panels of the page.
 */
import type { DetectionDataset } from "../data/chestSlices";
import { CPM_FP_RATES, sensitivityAt, type FrocPoint } from "../metrics/detection";
import { buildPatchClassifier } from "../models/fullyConvolutional";
import { DetectionComparison, DetectionTrainer, type DetectionTrainingOptions } from "../train/detection";

/** The page's defaults: what the record measures and the "what to expect" box quotes. */
export const DETECTION_LESSON_DEFAULTS = {
  filters: 8, kernelSize: 3, depth: 2, dropout: 0.25,
  negativeRatio: 3, positivesPerRound: 128, rounds: 10, batchSize: 32, learningRate: 0.003,
  minedPerRound: 96, minedFraction: 0.5, seed: 1,
};

export type DetectionLessonSettings = typeof DETECTION_LESSON_DEFAULTS;

/** FP rates read as "low": at most one false alarm per slice. */
export const LOW_FP_RATES = CPM_FP_RATES.filter((r) => r <= 1);

/** Mean sensitivity at 1/8, 1/4, 1/2 and 1 false positives per slice. */
export function lowFpSensitivity(froc: FrocPoint[]): number {
  return LOW_FP_RATES.reduce((s, r) => s + sensitivityAt(froc, r), 0) / LOW_FP_RATES.length;
}

/** One detector: the CNN lesson's network (unpadded) and its trainer. */
export function buildDetector(data: DetectionDataset, settings: DetectionLessonSettings, mining: boolean): DetectionTrainer {
  const { filters, kernelSize, depth, dropout, seed } = settings;
  const model = buildPatchClassifier({ inputShape: [data.patchSize, data.patchSize, 1], filters, kernelSize, depth, dropout, seed });
  const options: DetectionTrainingOptions = {
    negativeRatio: settings.negativeRatio, positivesPerRound: settings.positivesPerRound, rounds: settings.rounds,
    batchSize: settings.batchSize, learningRate: settings.learningRate, minedPerRound: settings.minedPerRound,
    minedFraction: settings.minedFraction, seed, mining,
  };
  try {
    return new DetectionTrainer(model, data, options);
  } catch (error) {
    model.dispose();
    throw error;
  }
}

export const RUN_NAMES = { plain: "random negatives", mining: "with hard-negative mining" } as const;

/** The page's runs: random negatives only, and (if `compare`) with hard-negative mining, in lockstep from the same seed. */
export function buildDetectionComparison(data: DetectionDataset, settings: DetectionLessonSettings, { mining = true, compare = true } = {}): DetectionComparison {
  if (!compare) return new DetectionComparison([buildDetector(data, settings, mining)], [mining ? RUN_NAMES.mining : RUN_NAMES.plain]);
  const plain = buildDetector(data, settings, false);
  try {
    return new DetectionComparison([plain, buildDetector(data, settings, true)], [RUN_NAMES.plain, RUN_NAMES.mining]);
  } catch (error) {
    void plain.dispose();
    throw error;
  }
}

export interface RunResult {
  cpm: number;
  lowFpSensitivity: number;
  /** Sensitivity at each of LUNA16's FP rates. */
  sensitivities: number[];
  pixelAccuracy: number;
  /** CPM after each round. */
  cpmByRound: number[];
  trainMs: number;
}

function resultOf(run: DetectionTrainer): RunResult {
  const v = run.validation!;
  return {
    cpm: v.cpm, lowFpSensitivity: lowFpSensitivity(v.froc), sensitivities: CPM_FP_RATES.map((r) => sensitivityAt(v.froc, r)),
    pixelAccuracy: v.pixelAccuracy, cpmByRound: run.history.epochs.map((e) => e.metrics.cpm), trainMs: run.trainingMs,
  };
}

/** Trains both runs to the end (for the record script and tests) and returns what each reached. */
export async function runDetectionComparison(data: DetectionDataset, settings: DetectionLessonSettings): Promise<{ seed: number; plain: RunResult; mining: RunResult }> {
  const pair = buildDetectionComparison(data, settings);
  try {
    await pair.start();
    if (pair.state !== "done") throw new Error(`training ended early: ${pair.message}`);
    return { seed: settings.seed, plain: resultOf(pair.runs[0]), mining: resultOf(pair.runs[1]) };
  } finally {
    await pair.dispose();
  }
}

export interface DetectionRecord {
  summary: {
    seeds: number;
    /** Seeds on which mining gave the higher low-FP sensitivity. */
    miningBetterSeeds: number;
    plainLowFp: number;
    miningLowFp: number;
    /** Mean over seeds of (mining − plain) low-FP sensitivity, with the smallest and largest. */
    meanGain: number;
    minGain: number;
    maxGain: number;
    plainCpm: number;
    miningCpm: number;
    /** Mean sensitivity at each of LUNA16's FP rates. */
    plainSensitivities: number[];
    miningSensitivities: number[];
    plainPixelAccuracy: number;
  };
  runs: { seed: number; plain: RunResult; mining: RunResult }[];
  backend: string;
  settings: Record<string, unknown>;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

/** The record the page quotes: means over seeds and how many seeds agree. */
export function summarizeDetectionRecord(runs: { seed: number; plain: RunResult; mining: RunResult }[], meta: { backend: string; settings: Record<string, unknown> }): DetectionRecord {
  const gains = runs.map((r) => r.mining.lowFpSensitivity - r.plain.lowFpSensitivity);
  const atRates = (pick: (r: (typeof runs)[number]) => RunResult) => CPM_FP_RATES.map((_, k) => round4(mean(runs.map((r) => pick(r).sensitivities[k]))));
  const tidy = (r: RunResult): RunResult => ({
    cpm: round4(r.cpm), lowFpSensitivity: round4(r.lowFpSensitivity), sensitivities: r.sensitivities.map(round4),
    pixelAccuracy: round4(r.pixelAccuracy), cpmByRound: r.cpmByRound.map(round4), trainMs: Math.round(r.trainMs),
  });
  return {
    summary: {
      seeds: runs.length,
      miningBetterSeeds: gains.filter((g) => g > 0).length,
      plainLowFp: round4(mean(runs.map((r) => r.plain.lowFpSensitivity))),
      miningLowFp: round4(mean(runs.map((r) => r.mining.lowFpSensitivity))),
      meanGain: round4(mean(gains)), minGain: round4(Math.min(...gains)), maxGain: round4(Math.max(...gains)),
      plainCpm: round4(mean(runs.map((r) => r.plain.cpm))), miningCpm: round4(mean(runs.map((r) => r.mining.cpm))),
      plainSensitivities: atRates((r) => r.plain), miningSensitivities: atRates((r) => r.mining),
      plainPixelAccuracy: round4(mean(runs.map((r) => r.plain.pixelAccuracy))),
    },
    runs: runs.map((r) => ({ seed: r.seed, plain: tidy(r.plain), mining: tidy(r.mining) })),
    ...meta,
  };
}
