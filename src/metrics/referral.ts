/**
 * Referral ("selective prediction"): the model keeps the images it is surest of and refers the
 * rest to a radiologist. If its uncertainty means something, accuracy on the kept images rises as
 * more are referred. Drawn for two measures of uncertainty, the better one rises faster.
 */
import { argmaxRows } from "./classification";

export interface ReferralPoint {
  /** Fraction of images referred to a human (0 = the model decides all). */
  referred: number;
  /** Accuracy on the images the model keeps. */
  accuracy: number;
  kept: number;
}

/**
 * Accuracy on the kept images as the most uncertain are referred one by one (ties keep input order).
 * `uncertainty`: larger = less sure, e.g. MC-dropout entropy, or 1 − softmax confidence.
 */
export function referralCurve(
  probs: ArrayLike<number>,
  labels: ArrayLike<number>,
  k: number,
  uncertainty: ArrayLike<number>,
  { maxReferred = 0.9 } = {},
): ReferralPoint[] {
  const n = labels.length;
  if (uncertainty.length !== n) throw new RangeError(`expected ${n} uncertainty values, got ${uncertainty.length}`);
  const predicted = argmaxRows(probs, k);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => uncertainty[a] - uncertainty[b] || a - b); // surest first
  // hits[m] = right answers among the m surest images.
  const hits = new Int32Array(n + 1);
  for (let m = 0; m < n; m++) hits[m + 1] = hits[m] + (predicted[order[m]] === labels[order[m]] ? 1 : 0);
  const points: ReferralPoint[] = [];
  for (let kept = n; kept >= 1 && (n - kept) / n <= maxReferred + 1e-9; kept--) {
    points.push({ referred: (n - kept) / n, accuracy: hits[kept] / kept, kept });
  }
  return points;
}
