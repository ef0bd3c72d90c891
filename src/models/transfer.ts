/**
 * Transfer learning: the two strategies the survey reviews (§3.1.1), against training from scratch:
 *
 *   scratch:   the same CNN, random weights, trained on the target only
 *   frozen:    the pretrained conv layers as a fixed feature extractor; only a new head trains
 *   finetune:  the pretrained conv layers as the starting point; chosen layers (default: all)
 *              train on, usually with a lower learning rate, plus a new head
 *
 * The target model is always a fresh copy: training it never changes the source model.
 */
import * as tf from "@tensorflow/tfjs";
import { buildCnn, type CnnOptions } from "./cnn";
import { convLayers } from "./layers";
import { tidyRead } from "../core/tensors";
import type { Slices } from "../core/slices";

export type Strategy = "scratch" | "frozen" | "finetune";

export const STRATEGY_NAMES: Record<Strategy, string> = {
  scratch: "from scratch",
  frozen: "frozen pretrained features + new head",
  finetune: "fine-tuned pretrained network",
};

/** The architecture of a CNN made by buildCnn, read back from its layers. */
export function cnnArchitecture(model: tf.LayersModel): Omit<CnnOptions, "outputs" | "seed"> {
  const convs = convLayers(model);
  if (convs.length === 0) throw new Error("the source model has no convolution layer");
  const first = convs[0].getConfig() as { filters: number; kernelSize: number | number[] };
  const dropoutLayer = model.layers.find((l) => l.getClassName() === "Dropout");
  const inputShape = model.inputs[0].shape.slice(1) as number[] as [number, number, number];
  return {
    inputShape,
    filters: first.filters,
    kernelSize: Array.isArray(first.kernelSize) ? first.kernelSize[0] : first.kernelSize,
    depth: convs.length,
    dropout: dropoutLayer ? (dropoutLayer.getConfig() as { rate: number }).rate : 0,
  };
}

export interface TransferOptions {
  strategy: Strategy;
  /** Classes of the target task (the new head's size). */
  outputs: number;
  /** Seeds the new head (and, from scratch, every weight): the same for every strategy, for a fair comparison. */
  seed?: number;
  /** For fine-tuning: names of the conv layers that keep learning (default: all). */
  unfrozen?: string[];
}

/** A target model for one strategy, built from (a copy of) the pretrained source CNN. */
export function transferModel(
  source: tf.LayersModel,
  { strategy, outputs, seed = 1, unfrozen }: TransferOptions,
): tf.LayersModel {
  const target = buildCnn({ ...cnnArchitecture(source), outputs, seed });
  if (strategy === "scratch") return target;
  for (const layer of convLayers(target)) {
    // Copy the pretrained filters into the fresh model: the head stays new and random.
    layer.setWeights(source.getLayer(layer.name).getWeights());
    layer.trainable = strategy === "finetune" && (unfrozen === undefined || unfrozen.includes(layer.name));
  }
  return target;
}

/** Names of the layers whose weights will change in training (for the page, and for tests). */
export function trainableLayerNames(model: tf.LayersModel): string[] {
  return model.layers.filter((l) => l.trainable && l.trainableWeights.length > 0).map((l) => l.name);
}

/**
 * The features the classifier head sees (the flattened output of the last conv block) for
 * `count` images: count × d values, row-major. For the PCA picture of what the network "sees".
 */
export function extractFeatures(
  model: tf.LayersModel,
  images: Float32Array,
  count: number,
): { rows: Float32Array; d: number } {
  const flatten = model.getLayer("flatten");
  const shape = model.inputs[0].shape.slice(1) as number[];
  // The values are read after the tidy, not inside it (see core/tensors.ts).
  const out = tf.tidy(() => {
    const features = tf.model({ inputs: model.inputs, outputs: flatten.output as tf.SymbolicTensor });
    const x = tf.tensor4d(images.subarray(0, count * shape[0] * shape[1] * shape[2]), [
      count,
      shape[0],
      shape[1],
      shape[2],
    ]);
    return features.predict(x) as tf.Tensor2D;
  });
  try {
    return { rows: out.dataSync() as Float32Array, d: out.shape[1] };
  } finally {
    out.dispose();
  }
}

/**
 * The same features as extractFeatures, as work in slices (see core/slices.ts): `chunk` images
 * at a time, with a possible pause after each chunk.
 */
export function* featureSlices(
  model: tf.LayersModel,
  images: Float32Array,
  count: number,
  chunk = 16,
): Slices<{ rows: Float32Array; d: number }> {
  const flatten = model.getLayer("flatten");
  const [h, w, c] = model.inputs[0].shape.slice(1) as number[];
  const features = tf.model({ inputs: model.inputs, outputs: flatten.output as tf.SymbolicTensor });
  const d = (features.outputs[0].shape as number[])[1];
  const rows = new Float32Array(count * d);
  for (let start = 0; start < count; start += chunk) {
    const end = Math.min(count, start + chunk);
    const x = images.subarray(start * h * w * c, end * h * w * c);
    rows.set(
      tidyRead(() => features.predict(tf.tensor4d(x, [end - start, h, w, c])) as tf.Tensor),
      start * d,
    );
    yield;
  }
  return { rows, d };
}
