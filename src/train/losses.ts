/**
 * Losses for imbalanced classes (survey §5: abnormal cases are rare). Each takes one-hot (or 0/1)
 * targets `ys` [B, K] and softmax probabilities [B, K], and returns the mean over the batch.
 *
 * - cross-entropy: −log p(true class); every image counts the same, so the majority class rules;
 * - class-weighted cross-entropy: each image's loss times its class's weight, so a rare positive
 *   counts as much as many negatives;
 * - focal loss (Lin et al., ICCV 2017): −(1 − p)^γ log p; images the model already gets right
 *   (p near 1, mostly easy negatives) fade out, and the hard ones drive training. γ = 0 is cross-entropy.
 */
import * as tf from "@tensorflow/tfjs";

/** Probabilities are clipped away from 0 so a confident mistake gives a large, finite loss. */
const EPSILON = 1e-7;

/** The loss a classification task minimises: targets and probabilities in, a scalar out. */
export type ClassificationLoss = (ys: tf.Tensor, probs: tf.Tensor) => tf.Scalar;

/** Mean cross-entropy −Σ_k y_k log p_k. */
export function crossEntropyLoss(ys: tf.Tensor, probs: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.sum(tf.mul(ys, tf.neg(tf.log(tf.clipByValue(probs, EPSILON, 1)))), -1)) as tf.Scalar);
}

/**
 * Mean over the batch of w[class] · (−log p(true class)). Weights are not renormalised: with the
 * weights of `balancedClassWeights`, the total weight of each class is the same.
 */
export function weightedCrossEntropy(classWeights: number[]): ClassificationLoss {
  if (classWeights.some((w) => !(Number.isFinite(w) && w >= 0)))
    throw new RangeError(`class weights must be finite and ≥ 0, got ${classWeights.join(", ")}`);
  return (ys, probs) =>
    tf.tidy(() => {
      const perClass = tf.mul(ys, tf.neg(tf.log(tf.clipByValue(probs, EPSILON, 1))));
      const weighted = tf.mul(perClass, tf.tensor1d(classWeights));
      return tf.mean(tf.sum(weighted, -1)) as tf.Scalar;
    });
}

/** Focal loss: mean over the batch of −Σ_k α_k y_k (1 − p_k)^γ log p_k (α = 1 for every class unless given). */
export function focalLoss(gamma = 2, classWeights?: number[]): ClassificationLoss {
  if (!(Number.isFinite(gamma) && gamma >= 0)) throw new RangeError(`focal γ must be ≥ 0, got ${gamma}`);
  return (ys, probs) =>
    tf.tidy(() => {
      const p = tf.clipByValue(probs, EPSILON, 1);
      const easiness = tf.pow(tf.sub(1, p), gamma); // (1 − p)^γ: near 0 for images already right
      let perClass = tf.mul(tf.mul(ys, easiness), tf.neg(tf.log(p)));
      if (classWeights) perClass = tf.mul(perClass, tf.tensor1d(classWeights));
      return tf.mean(tf.sum(perClass, -1)) as tf.Scalar;
    });
}

/**
 * "Balanced" class weights, N / (K · n_k): a class with half the average number of images gets
 * weight 2, so every class contributes the same total weight. An absent class gets 0.
 */
export function balancedClassWeights(labels: ArrayLike<number>, k: number): number[] {
  const counts = new Array<number>(k).fill(0);
  for (let i = 0; i < labels.length; i++) counts[labels[i]]++;
  return counts.map((n) => (n ? labels.length / (k * n) : 0));
}
