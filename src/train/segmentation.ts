/**
 * Segmentation as a training task: one probability per pixel, trained with binary cross-entropy,
 * soft Dice, or both; judged by Dice, IoU and boundary Dice.
 */
import * as tf from "@tensorflow/tfjs";
import type { SegmentationData } from "../data/nuclei";
import { augmentPair, type AugmentOptions } from "../data/augment";
import { scoreMasks } from "../metrics/segmentation";
import type { TrainingTask } from "./task";

export type SegmentationLoss = "bce" | "dice" | "both";

export interface SegmentationValidation {
  /** [N, H, W, 1] predicted probabilities. */
  probs: Float32Array;
}

/** 1 − soft Dice per image, averaged: it rewards overlap directly, whatever the foreground's size. */
export function softDiceLoss(ys: tf.Tensor, probs: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const overlap = tf.sum(tf.mul(ys, probs), [1, 2, 3]);
    const total = tf.add(tf.sum(ys, [1, 2, 3]), tf.sum(probs, [1, 2, 3]));
    const diceScore = tf.div(tf.add(tf.mul(overlap, 2), 1), tf.add(total, 1)); // +1: empty masks score 1
    return tf.sub(1, tf.mean(diceScore)) as tf.Scalar;
  });
}

/** Mean per-image Dice of the thresholded prediction (both empty count as 1). */
export function hardDice(ys: tf.Tensor, probs: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const predicted = tf.cast(tf.greaterEqual(probs, 0.5), "float32");
    const overlap = tf.sum(tf.mul(ys, predicted), [1, 2, 3]);
    const total = tf.add(tf.sum(ys, [1, 2, 3]), tf.sum(predicted, [1, 2, 3]));
    return tf.mean(tf.div(tf.add(tf.mul(overlap, 2), 1e-6), tf.add(total, 1e-6))) as tf.Scalar;
  });
}

/** The same losses on plain arrays, for the validation set. */
function lossOnArrays(probs: Float32Array, masks: Float32Array, count: number, kind: SegmentationLoss): number {
  const size = masks.length / count;
  let bce = 0,
    diceLoss = 0;
  for (let n = 0; n < count; n++) {
    let overlap = 0,
      total = 0;
    for (let i = n * size; i < (n + 1) * size; i++) {
      const p = Math.min(Math.max(probs[i], 1e-7), 1 - 1e-7);
      bce -= masks[i] ? Math.log(p) : Math.log(1 - p);
      overlap += p * masks[i];
      total += p + masks[i];
    }
    diceLoss += 1 - (2 * overlap + 1) / (total + 1);
  }
  bce /= masks.length;
  diceLoss /= count;
  return kind === "bce" ? bce : kind === "dice" ? diceLoss : bce + diceLoss;
}

/** Flips an image and its mask together (a random flip must move both the same way). */
function flipPair(image: Float32Array, mask: Float32Array, h: number, w: number, flipX: boolean, flipY: boolean): void {
  if (!flipX && !flipY) return;
  const [a, b] = [image.slice(), mask.slice()];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const from = (flipY ? h - 1 - y : y) * w + (flipX ? w - 1 - x : x);
      image[y * w + x] = a[from];
      mask[y * w + x] = b[from];
    }
  }
}

export interface SegmentationTaskOptions {
  loss?: SegmentationLoss;
  /** Random flips of image and mask together. */
  flip?: boolean;
  /** Any augmentation (flips, rotations, elastic deformation, intensity), image and mask moved together; replaces `flip`. */
  augment?: AugmentOptions | false;
}

export function segmentationTask(
  data: SegmentationData,
  { loss = "both", flip = false, augment = false }: SegmentationTaskOptions = {},
): TrainingTask<SegmentationValidation> & { data: SegmentationData } {
  const [h, w] = data.imageShape;
  const size = h * w;
  return {
    data,
    inputShape: data.imageShape,
    train: data.train,
    val: data.val,
    scoreName: "dice",
    // A model that outputs 0.5 everywhere: ln 2 of cross-entropy, and a soft Dice loss near 1 − f/(f + 0.5).
    chanceLoss: loss === "bce" ? Math.LN2 : loss === "dice" ? 1 : 1 + Math.LN2,
    batch(indices, rand) {
      const images = new Float32Array(indices.length * size);
      const masks = new Float32Array(indices.length * size);
      for (let b = 0; b < indices.length; b++) {
        let image: Float32Array = data.train.images.slice(indices[b] * size, (indices[b] + 1) * size);
        let mask: Float32Array = data.train.masks.slice(indices[b] * size, (indices[b] + 1) * size);
        if (augment) ({ image, mask } = augmentPair(image, mask, h, w, 1, rand, augment));
        else if (flip) flipPair(image, mask, h, w, rand() < 0.5, rand() < 0.5);
        images.set(image, b * size);
        masks.set(mask, b * size);
      }
      return { xs: tf.tensor4d(images, [indices.length, h, w, 1]), ys: tf.tensor4d(masks, [indices.length, h, w, 1]) };
    },
    loss(ys, probs) {
      if (loss === "dice") return softDiceLoss(ys, probs);
      const bce = tf.mean(tf.metrics.binaryCrossentropy(ys, probs)) as tf.Scalar;
      return loss === "bce" ? bce : (tf.add(bce, softDiceLoss(ys, probs)) as tf.Scalar);
    },
    score: hardDice,
    scoreValidation(probs) {
      return {
        loss: lossOnArrays(probs, data.val.masks, data.val.count, loss),
        metrics: { ...scoreMasks(probs, data.val.masks, data.val.count, h, w) },
        details: { probs },
      };
    },
  };
}
