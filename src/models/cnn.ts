/**
 * A small CNN for image classification, drawn like the classic figure:
 *
 *   image → [conv → ReLU → max-pool] × depth → flatten → dropout → dense → class scores
 *
 * Each conv block doubles the filters while pooling halves the image, so deeper layers
 * see larger regions with more, more abstract detectors (survey, section 2.3).
 */
import * as tf from "@tensorflow/tfjs";
import { withSeededRandom } from "../data/random";

export interface CnnOptions {
  /** [H, W, C] of the input images. */
  inputShape: [number, number, number];
  /** Number of outputs: classes (softmax) or labels (sigmoid). */
  outputs: number;
  /** Filters in the first conv layer; each block doubles them. */
  filters?: number;
  kernelSize?: number;
  /** Number of conv blocks. */
  depth?: number;
  /** Fraction of features dropped while training (0 turns dropout off). */
  dropout?: number;
  /** "softmax" for one class per image; "sigmoid" for independent labels (multi-label). */
  head?: "softmax" | "sigmoid";
  /** Seeds the initial weights, so "reset" and side-by-side runs start equal. */
  seed?: number;
  /**
   * "same" pads each conv so maps keep their size; "valid" does not pad, so every output sees only
   * real pixels. The detection lesson needs "valid": then the network run over a whole image gives
   * exactly what it gives on each patch cut from it.
   */
  padding?: "same" | "valid";
}

export const CNN_DEFAULTS = {
  filters: 8,
  kernelSize: 3,
  depth: 2,
  dropout: 0.25,
  head: "softmax",
  seed: 1,
  padding: "same",
} as const;

/** conv → ReLU → max-pool: the building block of the survey's CNNs (and of the auto-encoder's encoder). */
export function convBlock(
  x: tf.SymbolicTensor,
  filters: number,
  kernelSize: number,
  index: number,
  padding: "same" | "valid" = "same",
): tf.SymbolicTensor {
  const conv = tf.layers.conv2d({ filters, kernelSize, padding, activation: "relu", name: `conv${index}` });
  const pool = tf.layers.maxPooling2d({ poolSize: 2, name: `pool${index}` });
  return pool.apply(conv.apply(x)) as tf.SymbolicTensor;
}

/** Largest depth the input allows: each block halves the image, and we stop at 2×2. */
export function maxDepth(inputShape: readonly number[]): number {
  return Math.max(1, Math.floor(Math.log2(Math.min(inputShape[0], inputShape[1]) / 2)));
}

export function buildCnn(options: CnnOptions): tf.LayersModel {
  const { inputShape, outputs, filters, kernelSize, depth, dropout, head, seed, padding } = {
    ...CNN_DEFAULTS,
    ...options,
  };
  if (depth > maxDepth(inputShape)) {
    throw new RangeError(
      `depth ${depth} is too deep for ${inputShape[0]}×${inputShape[1]} images (at most ${maxDepth(inputShape)})`,
    );
  }
  return withSeededRandom(seed, () => {
    const input = tf.input({ shape: inputShape, name: "image" });
    let x = input;
    for (let i = 1; i <= depth; i++) x = convBlock(x, filters * 2 ** (i - 1), kernelSize, i, padding);
    x = tf.layers.flatten({ name: "flatten" }).apply(x) as tf.SymbolicTensor;
    if (dropout > 0) x = tf.layers.dropout({ rate: dropout, name: "dropout" }).apply(x) as tf.SymbolicTensor;
    const scores = tf.layers.dense({ units: outputs, activation: head, name: "scores" }).apply(x) as tf.SymbolicTensor;
    return tf.model({ inputs: input, outputs: scores, name: "cnn" });
  });
}
