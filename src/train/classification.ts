/**
 * Image classification as a training task: one-hot targets and cross-entropy for one class per
 * image (softmax), or yes/no flags and binary cross-entropy per label (sigmoid, multi-label).
 */
import * as tf from "@tensorflow/tfjs";
import { augmentImage, type AugmentOptions } from "../data/augment";
import type { ClassificationDataset } from "../data/types";
import {
  accuracy,
  argmaxRows,
  binaryCrossEntropy,
  crossEntropy,
  flagAccuracy,
  meanAuc,
} from "../metrics/classification";
import type { ClassificationLoss } from "./losses";
import { imagesTensor, type TrainingTask } from "./task";

/** What the classification charts need from a validation pass. */
export interface ClassificationValidation {
  /** [N, K] probabilities. */
  probs: Float32Array;
  /** Predicted class per image (argmax; for multilabel, the top label). */
  predicted: Int32Array;
}

export interface ClassificationTaskOptions {
  augment?: AugmentOptions | false;
  /** The training loss, e.g. a class-weighted or focal loss (src/train/losses.ts); default: cross-entropy. */
  loss?: ClassificationLoss;
}

export function classificationTask(
  data: ClassificationDataset,
  { augment = false, loss: customLoss }: ClassificationTaskOptions = {},
): TrainingTask<ClassificationValidation> & { data: ClassificationDataset } {
  const multilabel = data.task === "multilabel";
  const k = data.classNames.length;
  const [h, w, c] = data.imageShape;

  /** One-hot targets [B, K] (or the N×K flags for multi-label). */
  const targets = (indices: ArrayLike<number>): tf.Tensor2D => {
    const out = new Float32Array(indices.length * k);
    for (let b = 0; b < indices.length; b++) {
      if (multilabel) for (let j = 0; j < k; j++) out[b * k + j] = data.train.labels[indices[b] * k + j];
      else out[b * k + data.train.labels[indices[b]]] = 1;
    }
    return tf.tensor2d(out, [indices.length, k]);
  };

  return {
    data,
    inputShape: data.imageShape,
    train: data.train,
    val: data.val,
    scoreName: "accuracy",
    // Guessing uniformly costs ln K (softmax) or ln 2 per label (sigmoid).
    chanceLoss: multilabel ? Math.LN2 : Math.log(k),
    batch(indices, rand) {
      const transform = augment ? (image: Float32Array) => augmentImage(image, h, w, c, rand, augment) : undefined;
      return { xs: imagesTensor(data.train, data.imageShape, indices, transform), ys: targets(indices) };
    },
    loss(ys, probs) {
      if (customLoss) return customLoss(ys, probs);
      const perImage = multilabel
        ? tf.metrics.binaryCrossentropy(ys, probs)
        : tf.metrics.categoricalCrossentropy(ys, probs);
      return tf.mean(perImage) as tf.Scalar;
    },
    score(ys, probs) {
      const hits = multilabel
        ? tf.equal(tf.greaterEqual(probs, 0.5), tf.cast(ys, "bool"))
        : tf.equal(tf.argMax(probs, -1), tf.argMax(ys, -1));
      return tf.mean(tf.cast(hits, "float32")) as tf.Scalar;
    },
    scoreValidation(probs) {
      const { labels } = data.val;
      const predicted = argmaxRows(probs, k);
      const details = { probs, predicted };
      if (multilabel) {
        return {
          loss: binaryCrossEntropy(probs, labels),
          metrics: { accuracy: flagAccuracy(probs, labels), auc: meanAuc(probs, labels, k, true) },
          details,
        };
      }
      return {
        loss: crossEntropy(probs, labels, k),
        metrics: { accuracy: accuracy(labels, predicted), auc: meanAuc(probs, labels, k) },
        details,
      };
    },
  };
}
