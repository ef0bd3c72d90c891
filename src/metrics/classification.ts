/**
 * Classification metrics computed from predicted probabilities (plain arrays, no tensors),
 * so charts can recompute them cheaply and tests can check them by hand.
 */

/** Index of the largest value in each row of an [N, K] array. */
export function argmaxRows(probs: ArrayLike<number>, k: number): Int32Array {
  const n = probs.length / k;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < k; j++) if (probs[i * k + j] > probs[i * k + best]) best = j;
    out[i] = best;
  }
  return out;
}

/** Fraction of predictions equal to the labels. */
export function accuracy(labels: ArrayLike<number>, predicted: ArrayLike<number>): number {
  let hits = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === predicted[i]) hits++;
  return labels.length ? hits / labels.length : NaN;
}

/** Mean cross-entropy −log p(true class); probabilities are clipped so a confident mistake stays finite. */
export function crossEntropy(probs: ArrayLike<number>, labels: ArrayLike<number>, k: number): number {
  let sum = 0;
  for (let i = 0; i < labels.length; i++) sum -= Math.log(Math.max(probs[i * k + labels[i]], 1e-7));
  return sum / labels.length;
}

/** Mean binary cross-entropy over all N×K label flags (multi-label tasks). */
export function binaryCrossEntropy(probs: ArrayLike<number>, flags: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < flags.length; i++) {
    const p = Math.min(Math.max(probs[i], 1e-7), 1 - 1e-7);
    sum -= flags[i] ? Math.log(p) : Math.log(1 - p);
  }
  return sum / flags.length;
}

/** Fraction of N×K label flags predicted right at threshold 0.5. */
export function flagAccuracy(probs: ArrayLike<number>, flags: ArrayLike<number>): number {
  let hits = 0;
  for (let i = 0; i < flags.length; i++) if ((probs[i] >= 0.5 ? 1 : 0) === flags[i]) hits++;
  return hits / flags.length;
}

/** counts[t][p]: how many images of true class t were predicted as p. */
export function confusionCounts(labels: ArrayLike<number>, predicted: ArrayLike<number>, k: number): number[][] {
  const counts = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < labels.length; i++) counts[labels[i]][predicted[i]]++;
  return counts;
}

export interface RocPoint {
  /** False-positive rate (1 − specificity). */
  fpr: number;
  /** True-positive rate (sensitivity). */
  tpr: number;
  threshold: number;
}

/** ROC curve of scores for the positive class: one point per distinct threshold, from (0,0) to (1,1). */
export function rocCurve(scores: ArrayLike<number>, positive: ArrayLike<boolean | number>): RocPoint[] {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  let pos = 0;
  for (let i = 0; i < positive.length; i++) if (positive[i]) pos++;
  const neg = positive.length - pos;
  const points: RocPoint[] = [{ fpr: 0, tpr: 0, threshold: Infinity }];
  let tp = 0,
    fp = 0;
  for (let r = 0; r < order.length; r++) {
    const i = order[r];
    if (positive[i]) tp++;
    else fp++;
    // Tied scores form one step: emit a point only where the score changes.
    if (r === order.length - 1 || scores[order[r + 1]] !== scores[i]) {
      points.push({ fpr: neg ? fp / neg : 0, tpr: pos ? tp / pos : 0, threshold: scores[i] });
    }
  }
  return points;
}

/** Area under the ROC curve by the trapezoid rule (ties count half, as in the Mann–Whitney U). */
export function auc(scores: ArrayLike<number>, positive: ArrayLike<boolean | number>): number {
  const roc = rocCurve(scores, positive);
  let area = 0;
  for (let i = 1; i < roc.length; i++) area += ((roc[i].fpr - roc[i - 1].fpr) * (roc[i].tpr + roc[i - 1].tpr)) / 2;
  return area;
}

/** Column j of an [N, K] array. */
export function column(values: ArrayLike<number>, k: number, j: number): Float32Array {
  const n = values.length / k;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = values[i * k + j];
  return out;
}

/**
 * AUC for any task, as MedMNIST reports it: binary uses the positive-class score;
 * multi-class and multi-label average one-vs-rest AUCs over classes present in the labels.
 */
export function meanAuc(probs: ArrayLike<number>, labels: ArrayLike<number>, k: number, multilabel = false): number {
  const n = probs.length / k;
  const aucs: number[] = [];
  for (let j = k === 2 && !multilabel ? 1 : 0; j < k; j++) {
    const positive = new Uint8Array(n);
    for (let i = 0; i < n; i++) positive[i] = multilabel ? labels[i * k + j] : labels[i] === j ? 1 : 0;
    const count = positive.reduce((a, b) => a + b, 0);
    if (count === 0 || count === n) continue; // AUC undefined without both kinds
    aucs.push(auc(column(probs, k, j), positive));
  }
  return aucs.length ? aucs.reduce((a, b) => a + b, 0) / aucs.length : NaN;
}

/** Counts and rates of a yes/no decision: the four cells of a binary confusion matrix and what they give. */
export interface BinaryRates {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
  /** Positives caught: TP / (TP + FN). Also called recall or true-positive rate. */
  sensitivity: number;
  /** Negatives left alone: TN / (TN + FP). 1 − false-positive rate. */
  specificity: number;
  /** The mean of sensitivity and specificity: what accuracy would be with as many positives as negatives. */
  balancedAccuracy: number;
  /** (TP + TN) / all, on the images as they are. */
  accuracy: number;
}

/**
 * A score of `threshold` or more says "positive". A rate with nothing to count (no positives, so no
 * sensitivity) is NaN, never a made-up 0 or 1.
 */
export function binaryRates(
  scores: ArrayLike<number>,
  positive: ArrayLike<boolean | number>,
  threshold = 0.5,
): BinaryRates {
  let tp = 0,
    fp = 0,
    tn = 0,
    fn = 0;
  for (let i = 0; i < scores.length; i++) {
    const said = scores[i] >= threshold;
    if (positive[i]) said ? tp++ : fn++;
    else said ? fp++ : tn++;
  }
  const sensitivity = tp + fn ? tp / (tp + fn) : NaN;
  const specificity = tn + fp ? tn / (tn + fp) : NaN;
  const n = tp + fp + tn + fn;
  return {
    tp,
    fp,
    tn,
    fn,
    sensitivity,
    specificity,
    balancedAccuracy: (sensitivity + specificity) / 2,
    accuracy: n ? (tp + tn) / n : NaN,
  };
}

/**
 * Accuracy on a population where a fraction `prevalence` is positive, from the two per-class rates:
 * prevalence · sensitivity + (1 − prevalence) · specificity. It lets a balanced validation set stand
 * in for a rare disease without scoring sensitivity on a handful of positives.
 */
export function accuracyAtPrevalence(sensitivity: number, specificity: number, prevalence: number): number {
  return prevalence * sensitivity + (1 - prevalence) * specificity;
}

/** The accuracy of always answering the majority class: the bar any classifier must clear. */
export function majorityBaseline(prevalence: number): number {
  return Math.max(prevalence, 1 - prevalence);
}
