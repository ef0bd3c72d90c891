/**
 * Segmentation metrics on plain arrays: Dice, IoU, boundary Dice, and the classical baselines
 * (a global threshold and Otsu's per-image threshold) the survey's introduction contrasts with
 * learned features.
 */
import { runAtOnce, runInSlices, type Slices } from "../core/slices";

/** Dice = 2|A∩B| / (|A| + |B|) of two binary masks (values ≥ 0.5 count as "in"). Both empty: 1. */
export function dice(predicted: ArrayLike<number>, truth: ArrayLike<number>, only?: ArrayLike<number>): number {
  let both = 0,
    p = 0,
    t = 0;
  for (let i = 0; i < truth.length; i++) {
    if (only && !only[i]) continue;
    const a = predicted[i] >= 0.5,
      b = truth[i] >= 0.5;
    if (a) p++;
    if (b) t++;
    if (a && b) both++;
  }
  return p + t === 0 ? 1 : (2 * both) / (p + t);
}

/** IoU (Jaccard) = |A∩B| / |A∪B|. Both empty: 1. */
export function iou(predicted: ArrayLike<number>, truth: ArrayLike<number>): number {
  let both = 0,
    either = 0;
  for (let i = 0; i < truth.length; i++) {
    const a = predicted[i] >= 0.5,
      b = truth[i] >= 0.5;
    if (a && b) both++;
    if (a || b) either++;
  }
  return either === 0 ? 1 : both / either;
}

/**
 * Pixels within `radius` px (chessboard distance) of a boundary of the true mask: where the
 * mask changes between neighbours. Fine detail lives here.
 */
export function boundaryBand(truth: ArrayLike<number>, height: number, width: number, radius = 2): Uint8Array {
  const edge = new Uint8Array(height * width);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = truth[y * width + x] >= 0.5;
      if (
        (x + 1 < width && truth[y * width + x + 1] >= 0.5 !== v) ||
        (y + 1 < height && truth[(y + 1) * width + x] >= 0.5 !== v)
      ) {
        edge[y * width + x] = 1;
        if (x + 1 < width && truth[y * width + x + 1] >= 0.5 !== v) edge[y * width + x + 1] = 1;
        if (y + 1 < height && truth[(y + 1) * width + x] >= 0.5 !== v) edge[(y + 1) * width + x] = 1;
      }
    }
  }
  const band = new Uint8Array(height * width);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!edge[y * width + x]) continue;
      for (let dy = -radius; dy <= radius; dy++) {
        for (let dx = -radius; dx <= radius; dx++) {
          const yy = y + dy,
            xx = x + dx;
          if (yy >= 0 && xx >= 0 && yy < height && xx < width) band[yy * width + xx] = 1;
        }
      }
    }
  }
  return band;
}

/** Dice restricted to the band around the true boundary. */
export function boundaryDice(
  predicted: ArrayLike<number>,
  truth: ArrayLike<number>,
  height: number,
  width: number,
  radius = 2,
): number {
  return dice(predicted, truth, boundaryBand(truth, height, width, radius));
}

export interface SegmentationScores {
  dice: number;
  iou: number;
  boundaryDice: number;
}

/** Mean per-image Dice, IoU and boundary Dice of N predictions [N, H, W] against N masks. */
export function scoreMasks(
  predicted: ArrayLike<number>,
  truth: Float32Array | Uint8Array,
  count: number,
  height: number,
  width: number,
  threshold = 0.5,
): SegmentationScores {
  const size = height * width;
  const sums = { dice: 0, iou: 0, boundaryDice: 0 };
  const binary = new Uint8Array(size);
  for (let n = 0; n < count; n++) {
    for (let i = 0; i < size; i++) binary[i] = predicted[n * size + i] >= threshold ? 1 : 0;
    const t = truth.subarray(n * size, (n + 1) * size);
    sums.dice += dice(binary, t);
    sums.iou += iou(binary, t);
    sums.boundaryDice += boundaryDice(binary, t, height, width);
  }
  return { dice: sums.dice / count, iou: sums.iou / count, boundaryDice: sums.boundaryDice / count };
}

/** Mean per-image Dice of N binary masks [N, H, W] against N masks (scoreMasks' `dice`, alone). */
function meanDice(binary: Uint8Array, truth: Float32Array | Uint8Array, count: number, size: number): number {
  let sum = 0;
  for (let n = 0; n < count; n++)
    sum += dice(binary.subarray(n * size, (n + 1) * size), truth.subarray(n * size, (n + 1) * size));
  return sum / count;
}

/** Otsu's threshold: the intensity that best splits the histogram into two classes (max between-class variance). */
export function otsuThreshold(values: ArrayLike<number>, bins = 256): number {
  let lo = Infinity,
    hi = -Infinity;
  for (let i = 0; i < values.length; i++) ((lo = Math.min(lo, values[i])), (hi = Math.max(hi, values[i])));
  if (!(hi > lo)) return lo;
  const histogram = new Float64Array(bins);
  for (let i = 0; i < values.length; i++)
    histogram[Math.min(bins - 1, Math.floor(((values[i] - lo) / (hi - lo)) * bins))]++;
  const total = values.length;
  let sumAll = 0;
  for (let b = 0; b < bins; b++) sumAll += b * histogram[b];
  let weightBelow = 0,
    sumBelow = 0,
    best = 0,
    bestBin = 0;
  for (let b = 0; b < bins; b++) {
    weightBelow += histogram[b];
    if (weightBelow === 0 || weightBelow === total) continue;
    sumBelow += b * histogram[b];
    const meanBelow = sumBelow / weightBelow,
      meanAbove = (sumAll - sumBelow) / (total - weightBelow);
    const between = weightBelow * (total - weightBelow) * (meanBelow - meanAbove) ** 2;
    if (between > best) ((best = between), (bestBin = b));
  }
  return lo + ((bestBin + 1) / bins) * (hi - lo);
}

/** Thresholds every image at t: 1 where the intensity is above. */
export function thresholdImages(
  images: ArrayLike<number>,
  t: number | ((n: number) => number),
  count: number,
  size: number,
): Uint8Array {
  const out = new Uint8Array(count * size);
  for (let n = 0; n < count; n++) {
    const tn = typeof t === "number" ? t : t(n);
    for (let i = 0; i < size; i++) out[n * size + i] = images[n * size + i] > tn ? 1 : 0;
  }
  return out;
}

export interface Baselines {
  /** The single threshold that scored best on the training images, applied to validation. */
  globalThreshold: { threshold: number } & SegmentationScores;
  /** Otsu's threshold computed for each validation image on its own. */
  otsu: SegmentationScores;
}

interface MaskSplit {
  images: Float32Array;
  masks: Float32Array;
  count: number;
}

/**
 * The hand-crafted baselines, scored like the network on the validation set. The global threshold
 * is the best of 50 candidates on the training images: as strong as a threshold can honestly be.
 */
export function classicalBaselines(train: MaskSplit, val: MaskSplit, height: number, width: number): Baselines {
  return runAtOnce(baselineSteps(train, val, height, width));
}

/** The same baselines, computed a few thresholds at a time so the page stays responsive. */
export function classicalBaselinesInSlices(
  train: MaskSplit,
  val: MaskSplit,
  height: number,
  width: number,
): Promise<Baselines> {
  return runInSlices(baselineSteps(train, val, height, width));
}

function* baselineSteps(train: MaskSplit, val: MaskSplit, height: number, width: number): Slices<Baselines> {
  const size = height * width;
  let bestT = 0.5,
    bestDice = -1;
  const sample = Math.min(train.count, 60); // enough images to choose one number
  for (let k = 1; k < 50; k++) {
    const t = k / 50;
    // The search compares Dice only (the same mean scoreMasks gives), not IoU or boundary Dice.
    const d = meanDice(thresholdImages(train.images, t, sample, size), train.masks, sample, size);
    if (d > bestDice) ((bestDice = d), (bestT = t));
    yield;
  }
  const globalScores = scoreMasks(
    thresholdImages(val.images, bestT, val.count, size),
    val.masks,
    val.count,
    height,
    width,
  );
  yield;
  const otsuMasks = thresholdImages(
    val.images,
    (n) => otsuThreshold(val.images.subarray(n * size, (n + 1) * size)),
    val.count,
    size,
  );
  yield;
  return {
    globalThreshold: { threshold: bestT, ...globalScores },
    otsu: scoreMasks(otsuMasks, val.masks, val.count, height, width),
  };
}
