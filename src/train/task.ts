/**
 * What the trainer needs to know about a learning problem, and nothing more: how to make a
 * batch, what loss to minimise, what score to report, how to judge the validation set.
 * Classification (CNN lesson) and segmentation (U-Net lesson) are two tasks for one trainer.
 */
import * as tf from "@tensorflow/tfjs";

/** Images of one split, row-major [N, H, W, C], values 0..1. */
export interface ImageSplit {
  images: Float32Array;
  count: number;
}

export interface ValidationScore<V> {
  loss: number;
  /** Named metrics, e.g. {accuracy, auc} or {dice, iou, boundaryDice}. */
  metrics: Record<string, number>;
  /** Whatever the lesson's charts need from this validation (probabilities, predictions…). */
  details: V;
}

export interface TrainingTask<V> {
  /** [H, W, C] of the model's input. */
  inputShape: [number, number, number];
  train: ImageSplit;
  val: ImageSplit;
  /** Key of the per-batch score among the metrics, e.g. "accuracy" or "dice". */
  scoreName: string;
  /** The loss of a model that only guesses: the divergence check compares against it. */
  chanceLoss: number;
  /** Inputs and targets of one training batch (called inside tf.tidy). */
  batch(indices: ArrayLike<number>, rand: () => number): { xs: tf.Tensor4D; ys: tf.Tensor };
  loss(ys: tf.Tensor, outputs: tf.Tensor): tf.Scalar;
  score(ys: tf.Tensor, outputs: tf.Tensor): tf.Scalar;
  /** Judges the model's outputs on the whole validation split (row-major, one row per image). */
  scoreValidation(outputs: Float32Array): ValidationScore<V>;
}

/** Gathers images into a batch tensor [B, H, W, C], each passed through `transform` if given. */
export function imagesTensor(
  split: ImageSplit,
  shape: readonly [number, number, number],
  indices: ArrayLike<number>,
  transform?: (image: Float32Array) => Float32Array,
): tf.Tensor4D {
  const size = shape[0] * shape[1] * shape[2];
  const buffer = new Float32Array(indices.length * size);
  for (let b = 0; b < indices.length; b++) {
    const image = split.images.subarray(indices[b] * size, (indices[b] + 1) * size);
    buffer.set(transform ? transform(image) : image, b * size);
  }
  return tf.tensor4d(buffer, [indices.length, ...shape]);
}

/** Human names of the metrics, for axes and status lines. */
export const METRIC_LABELS: Record<string, string> = {
  loss: "loss",
  accuracy: "accuracy",
  auc: "AUC",
  balancedAccuracy: "balanced accuracy",
  sensitivity: "sensitivity",
  specificity: "specificity",
  trainAccuracy: "training accuracy",
  trainCleanAccuracy: "training accuracy (true labels)",
  memorised: "flipped labels memorised",
  dice: "Dice",
  iou: "IoU",
  boundaryDice: "boundary Dice",
  psnr: "PSNR (dB)",
  ssim: "SSIM",
  cpm: "CPM",
  pixelAccuracy: "pixel accuracy",
};

export function metricLabel(key: string): string {
  return METRIC_LABELS[key] ?? key;
}
