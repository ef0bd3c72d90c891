/**
 * Changing the class mix of a training split (survey §5: abnormal cases are rare).
 *
 * - `withPositiveFraction` makes a rare disease out of a balanced set: it keeps every negative and
 *   only as many positives as the asked fraction allows;
 * - `oversample` is the simplest remedy: it repeats minority images until they make up the asked
 *   fraction of the set, so each batch sees them as often as the others.
 * Both are seeded (which images are kept or repeated) and leave the validation split alone.
 */
import { mulberry32, shuffle } from "./random";
import { imageSize, type ClassificationDataset, type Split } from "./types";

/** The class treated as "positive" (the finding) in the lessons' binary tasks. */
export const POSITIVE = 1;

/** A new split made of the given images of `split`, in that order (repeats allowed). */
export function pickImages(split: Split, shape: readonly [number, number, number], indices: ArrayLike<number>): Split {
  const size = imageSize(shape);
  const images = new Float32Array(indices.length * size);
  const labels = new Int32Array(indices.length);
  for (let j = 0; j < indices.length; j++) {
    images.set(split.images.subarray(indices[j] * size, (indices[j] + 1) * size), j * size);
    labels[j] = split.labels[indices[j]];
  }
  return { images, labels, count: indices.length };
}

/** Indices of the images of each kind, positives and the rest. */
function byKind(labels: ArrayLike<number>, positive: number): { pos: number[]; neg: number[] } {
  const pos: number[] = [], neg: number[] = [];
  for (let i = 0; i < labels.length; i++) (labels[i] === positive ? pos : neg).push(i);
  return { pos, neg };
}

/** Fraction of a split's labels equal to `positive`. */
export function positiveFraction(split: Pick<Split, "labels">, positive = POSITIVE): number {
  let n = 0;
  for (const l of split.labels) if (l === positive) n++;
  return split.labels.length ? n / split.labels.length : NaN;
}

export interface FractionOptions {
  positive?: number;
  /** At most this many negatives are kept (the rest dropped at random), to keep training short. */
  maxNegatives?: number;
}

/**
 * The training split with a fraction `fraction` of positives: all negatives (up to `maxNegatives`)
 * and round(negatives · f / (1 − f)) positives, at least one, chosen at random by `seed`. The images
 * keep a random order, so the few positives are spread through the epoch.
 */
export function withPositiveFraction(ds: ClassificationDataset, fraction: number, seed: number, { positive = POSITIVE, maxNegatives = Infinity }: FractionOptions = {}): ClassificationDataset {
  if (!(fraction > 0 && fraction < 1)) throw new RangeError(`the positive fraction must be between 0 and 1, got ${fraction}`);
  const rand = mulberry32(seed);
  const { pos, neg } = byKind(ds.train.labels, positive);
  shuffle(pos, rand);
  shuffle(neg, rand);
  const negatives = neg.slice(0, Math.min(neg.length, maxNegatives));
  const wanted = Math.max(1, Math.round((negatives.length * fraction) / (1 - fraction)));
  if (wanted > pos.length) {
    // Not enough positives for this mix: keep all of them and fewer negatives instead.
    const keepNeg = Math.min(negatives.length, Math.round((pos.length * (1 - fraction)) / fraction));
    return withImages(ds, [...pos, ...negatives.slice(0, keepNeg)], rand);
  }
  return withImages(ds, [...pos.slice(0, wanted), ...negatives], rand);
}

/**
 * The training split with minority images repeated until positives make up `fraction` of it:
 * every original image once, plus copies of positives, cycling through them in a seeded random
 * order so each is repeated about as often as the others.
 */
export function oversample(ds: ClassificationDataset, seed: number, { fraction = 0.5, positive = POSITIVE } = {}): ClassificationDataset {
  if (!(fraction > 0 && fraction < 1)) throw new RangeError(`the target fraction must be between 0 and 1, got ${fraction}`);
  const rand = mulberry32(seed);
  const { pos, neg } = byKind(ds.train.labels, positive);
  if (pos.length === 0) throw new RangeError("there are no positive images to oversample");
  const wanted = Math.round((neg.length * fraction) / (1 - fraction));
  const copies: number[] = [];
  const cycle = pos.slice();
  shuffle(cycle, rand);
  for (let j = 0; pos.length + copies.length < wanted; j++) copies.push(cycle[j % cycle.length]);
  return withImages(ds, [...pos, ...copies, ...neg], rand);
}

/** The dataset with its training split replaced by these images, shuffled. */
function withImages(ds: ClassificationDataset, indices: number[], rand: () => number): ClassificationDataset {
  shuffle(indices, rand);
  return { ...ds, train: pickImages(ds.train, ds.imageShape, indices) };
}
