/**
 * Calibration: when the model says 80%, is it right 80% of the time?
 *
 * - A reliability diagram bins the predictions by confidence (the top probability) and plots each
 *   bin's accuracy against its mean confidence; a calibrated model lies on the diagonal.
 * - The expected calibration error (ECE) is the gap, averaged over bins weighted by their size:
 *   ECE = Σ_b (n_b / N) · |accuracy_b − confidence_b|   (Guo et al., 2017).
 * - Temperature scaling divides the scores by one number T, fitted on validation data to minimise
 *   the cross-entropy. T > 1 softens an over-confident model; the ranking, so accuracy and AUC, stays.
 *
 * Plain arrays in and out, as the other metrics.
 */
import { argmaxRows, crossEntropy } from "./classification";

export interface ReliabilityBin {
  /** Bin edges on the confidence axis. */
  lo: number;
  hi: number;
  count: number;
  /** Mean top probability in the bin (NaN when empty). */
  confidence: number;
  /** Fraction right in the bin (NaN when empty). */
  accuracy: number;
}

/** Top probability of each row of [N, K]. */
export function confidences(probs: ArrayLike<number>, k: number): Float64Array {
  const n = probs.length / k;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let best = probs[i * k];
    for (let j = 1; j < k; j++) best = Math.max(best, probs[i * k + j]);
    out[i] = best;
  }
  return out;
}

/** Equal-width confidence bins over [0, 1]; a confidence of exactly 1 falls in the last bin. */
export function reliabilityBins(
  probs: ArrayLike<number>,
  labels: ArrayLike<number>,
  k: number,
  bins = 10,
): ReliabilityBin[] {
  if (!(Number.isInteger(bins) && bins >= 1)) throw new RangeError(`bins must be a whole number ≥ 1, got ${bins}`);
  const conf = confidences(probs, k);
  const predicted = argmaxRows(probs, k);
  const count = new Array<number>(bins).fill(0),
    sumConf = new Array<number>(bins).fill(0),
    hits = new Array<number>(bins).fill(0);
  for (let i = 0; i < conf.length; i++) {
    // The small nudge keeps a float32 0.9 (0.8999999…) in the bin that starts at 0.9.
    const b = Math.min(bins - 1, Math.floor(conf[i] * bins + 1e-6));
    count[b]++;
    sumConf[b] += conf[i];
    if (predicted[i] === labels[i]) hits[b]++;
  }
  return count.map((n, b) => ({
    lo: b / bins,
    hi: (b + 1) / bins,
    count: n,
    confidence: n ? sumConf[b] / n : NaN,
    accuracy: n ? hits[b] / n : NaN,
  }));
}

/** ECE = Σ_b (n_b / N) · |accuracy_b − confidence_b|. */
export function expectedCalibrationError(
  probs: ArrayLike<number>,
  labels: ArrayLike<number>,
  k: number,
  bins = 10,
): number {
  const all = reliabilityBins(probs, labels, k, bins);
  const n = all.reduce((s, b) => s + b.count, 0);
  return all.reduce((s, b) => s + (b.count ? (b.count / n) * Math.abs(b.accuracy - b.confidence) : 0), 0);
}

/**
 * Softmax probabilities re-tempered: softmax(log p / T). log p equals the logits up to a constant
 * per row, which softmax ignores, so this is exactly temperature scaling of the logits.
 */
export function applyTemperature(probs: ArrayLike<number>, k: number, temperature: number): Float32Array {
  return tempered(probs, k, temperature, new Float32Array(probs.length));
}

/** applyTemperature into a given array (the fit below uses float64, so its search is not stopped by rounding). */
function tempered<A extends Float32Array | Float64Array>(
  probs: ArrayLike<number>,
  k: number,
  temperature: number,
  out: A,
): A {
  if (!(temperature > 0 && Number.isFinite(temperature)))
    throw new RangeError(`temperature must be a positive number, got ${temperature}`);
  const n = probs.length / k;
  const z = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    let top = -Infinity;
    for (let j = 0; j < k; j++) top = Math.max(top, (z[j] = Math.log(Math.max(probs[i * k + j], 1e-12)) / temperature));
    let sum = 0;
    for (let j = 0; j < k; j++) sum += z[j] = Math.exp(z[j] - top);
    for (let j = 0; j < k; j++) out[i * k + j] = z[j] / sum;
  }
  return out;
}

/**
 * The temperature that minimises the cross-entropy on (probs, labels): a golden-section search
 * over log T in [1/20, 20] (the loss has one minimum along this line).
 */
export function fitTemperature(
  probs: ArrayLike<number>,
  labels: ArrayLike<number>,
  k: number,
  { lo = 0.05, hi = 20, iterations = 60 } = {},
): number {
  const loss = (logT: number) =>
    crossEntropy(tempered(probs, k, Math.exp(logT), new Float64Array(probs.length)), labels, k);
  const ratio = (Math.sqrt(5) - 1) / 2;
  let a = Math.log(lo),
    b = Math.log(hi);
  let c = b - ratio * (b - a),
    d = a + ratio * (b - a);
  let fc = loss(c),
    fd = loss(d);
  for (let i = 0; i < iterations; i++) {
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - ratio * (b - a);
      fc = loss(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + ratio * (b - a);
      fd = loss(d);
    }
  }
  return Math.exp((a + b) / 2);
}
