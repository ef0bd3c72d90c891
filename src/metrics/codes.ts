/**
 * Do the classes separate in a learned space? Two measures on plain arrays of n × d vectors,
 * used with labels the auto-encoder never saw:
 * - the silhouette score: for each point, how much nearer it is to its own class than to the
 *   nearest other class (−1..1; 0 means the classes overlap completely);
 * - a linear probe: a logistic-regression classifier trained on the vectors of the training
 *   images and scored (AUC, accuracy) on the validation images. If a straight line through the
 *   space separates the classes, the space has learned what tells them apart.
 */
import { accuracy, argmaxRows, meanAuc } from "./classification";

/** Mean silhouette coefficient (Euclidean distances) over all points; needs at least two classes. */
export function silhouette(rows: ArrayLike<number>, n: number, d: number, labels: ArrayLike<number>): number {
  const classes = [...new Set(Array.from(labels))];
  if (classes.length < 2) return NaN;
  // Each distance once (the matrix is symmetric: (a − b)² is exactly (b − a)²), summed below in the same order.
  const distance = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let s = 0;
      for (let k = 0, a = i * d, b = j * d; k < d; k++, a++, b++) {
        const diff = rows[a] - rows[b];
        s += diff * diff;
      }
      distance[i * n + j] = distance[j * n + i] = Math.sqrt(s);
    }
  }
  let total = 0;
  let counted = 0;
  for (let i = 0; i < n; i++) {
    const sums = new Map<number, { sum: number; count: number }>();
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const entry = sums.get(labels[j]) ?? { sum: 0, count: 0 };
      entry.sum += distance[i * n + j];
      entry.count++;
      sums.set(labels[j], entry);
    }
    const own = sums.get(labels[i]);
    if (!own || own.count === 0) continue; // a class of one point has no silhouette
    const a = own.sum / own.count;
    let b = Infinity;
    for (const [cls, { sum, count }] of sums) if (cls !== labels[i] && count > 0) b = Math.min(b, sum / count);
    const m = Math.max(a, b);
    total += m > 0 ? (b - a) / m : 0;
    counted++;
  }
  return counted ? total / counted : NaN;
}

/** Means and standard deviations of each column, so every feature counts alike in the probe. */
function standardiser(
  rows: ArrayLike<number>,
  n: number,
  d: number,
): (x: ArrayLike<number>, count: number) => Float64Array {
  const mean = new Float64Array(d),
    sd = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) mean[k] += rows[i * d + k] / n;
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) sd[k] += (rows[i * d + k] - mean[k]) ** 2 / n;
  for (let k = 0; k < d; k++) sd[k] = Math.sqrt(sd[k]) || 1;
  return (x, count) => {
    const out = new Float64Array(count * d);
    for (let i = 0; i < count; i++) for (let k = 0; k < d; k++) out[i * d + k] = (x[i * d + k] - mean[k]) / sd[k];
    return out;
  };
}

export interface ProbeResult {
  /** Validation AUC (one-vs-rest mean for more than two classes). */
  auc: number;
  accuracy: number;
}

export interface ProbeOptions {
  /** Full-batch gradient-descent steps. */
  steps?: number;
  learningRate?: number;
  /** L2 weight penalty: keeps the probe simple when there are many features. */
  l2?: number;
}

/**
 * A linear probe: softmax regression on standardised features, fitted to the training vectors by
 * full-batch gradient descent and scored on the validation vectors. Deterministic (starts at zero).
 */
export function linearProbe(
  train: { rows: ArrayLike<number>; labels: ArrayLike<number>; count: number },
  val: { rows: ArrayLike<number>; labels: ArrayLike<number>; count: number },
  d: number,
  k: number,
  { steps = 300, learningRate = 0.5, l2 = 1e-3 }: ProbeOptions = {},
): ProbeResult {
  const standardise = standardiser(train.rows, train.count, d);
  const x = standardise(train.rows, train.count);
  const w = new Float64Array(d * k),
    b = new Float64Array(k);
  const probs = (data: Float64Array, count: number) => {
    const out = new Float32Array(count * k);
    for (let i = 0; i < count; i++) {
      let max = -Infinity;
      const z = new Float64Array(k);
      for (let c = 0; c < k; c++) {
        let s = b[c];
        for (let f = 0; f < d; f++) s += data[i * d + f] * w[f * k + c];
        z[c] = s;
        max = Math.max(max, s);
      }
      let total = 0;
      for (let c = 0; c < k; c++) total += z[c] = Math.exp(z[c] - max);
      for (let c = 0; c < k; c++) out[i * k + c] = z[c] / total;
    }
    return out;
  };
  for (let step = 0; step < steps; step++) {
    const p = probs(x, train.count);
    const gw = new Float64Array(d * k),
      gb = new Float64Array(k);
    for (let i = 0; i < train.count; i++) {
      for (let c = 0; c < k; c++) {
        const err = (p[i * k + c] - (train.labels[i] === c ? 1 : 0)) / train.count;
        gb[c] += err;
        for (let f = 0; f < d; f++) gw[f * k + c] += err * x[i * d + f];
      }
    }
    for (let j = 0; j < w.length; j++) w[j] -= learningRate * (gw[j] + l2 * w[j]);
    for (let c = 0; c < k; c++) b[c] -= learningRate * gb[c];
  }
  const valProbs = probs(standardise(val.rows, val.count), val.count);
  return { auc: meanAuc(valProbs, val.labels, k), accuracy: accuracy(val.labels, argmaxRows(valProbs, k)) };
}
