/**
 * Noisy labels (survey §5: experts disagree, so labels are noisy). Flips an exact fraction of the
 * training labels, chosen by a seed, and keeps the clean labels so a lesson can show what the
 * network fits: the pattern, or the noise.
 *
 * - symmetric: any image may get a wrong label (another class, at random);
 * - one-way: only positives are relabelled negative, the "missed finding" of a tired reader.
 */
import { mulberry32, shuffle } from "./random";
import type { ClassificationDataset } from "./types";

export type NoiseKind = "symmetric" | "oneWay";

export interface LabelNoiseOptions {
  kind?: NoiseKind;
  /** Number of classes (symmetric noise picks a wrong class among them). */
  k?: number;
  /** For one-way noise: which class is missed, and what it is called instead. */
  positive?: number;
  negative?: number;
}

export interface NoisyLabels {
  labels: Int32Array;
  /** 1 where the label was flipped. */
  flipped: Uint8Array;
}

/**
 * Flips exactly round(fraction · candidates) labels: of all images (symmetric) or of the positives
 * (one-way). The same seed flips the same images.
 */
export function flipLabels(clean: ArrayLike<number>, fraction: number, seed: number, { kind = "symmetric", k = 2, positive = 1, negative = 0 }: LabelNoiseOptions = {}): NoisyLabels {
  if (!(fraction >= 0 && fraction <= 1)) throw new RangeError(`the flipped fraction must be from 0 to 1, got ${fraction}`);
  const rand = mulberry32(seed);
  const labels = Int32Array.from(clean);
  const flipped = new Uint8Array(labels.length);
  const candidates = Array.from({ length: labels.length }, (_, i) => i).filter((i) => kind === "symmetric" || labels[i] === positive);
  shuffle(candidates, rand);
  for (const i of candidates.slice(0, Math.round(fraction * candidates.length))) {
    // Symmetric: a wrong class, each equally likely (for two classes, simply the other one).
    labels[i] = kind === "oneWay" ? negative : (labels[i] + 1 + Math.floor(rand() * (k - 1))) % k;
    flipped[i] = 1;
  }
  return { labels, flipped };
}

/** A dataset whose training labels carry noise; `cleanTrainLabels` keeps the truth. */
export interface NoisyDataset extends ClassificationDataset {
  cleanTrainLabels: Int32Array;
  flipped: Uint8Array;
}

/** The dataset with noisy training labels; validation keeps its clean labels. */
export function withLabelNoise(ds: ClassificationDataset, fraction: number, seed: number, kind: NoiseKind = "symmetric"): NoisyDataset {
  if (ds.task === "multilabel") throw new Error("label noise here needs one class per image; multi-label data is not supported");
  const { labels, flipped } = flipLabels(ds.train.labels, fraction, seed, { kind, k: ds.classNames.length });
  return { ...ds, train: { ...ds.train, labels }, cleanTrainLabels: ds.train.labels, flipped };
}
