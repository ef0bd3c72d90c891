/**
 * Two ways to run a patch classifier over a whole image (survey §2.4.3):
 *
 *   sliding window:      cut a patch at every position → classify each one → one score per position
 *   fully convolutional: the same network with its dense layer rewritten as a convolution,
 *                        run once over the whole image → a heatmap of scores
 *
 * The dense layer looks at the last feature maps (h×w×c) all at once; a convolution whose kernel is
 * exactly h×w does the same sum at one position, and repeats it at every other position for free.
 * With unpadded ("valid") convolutions and 2×2 pooling, the two give the same numbers on a grid
 * whose stride is 2^depth, and the convolutional one shares all the work between overlapping patches.
 */
import * as tf from "@tensorflow/tfjs";
import { buildCnn, type CnnOptions } from "./cnn";
import type { Heatmap } from "../metrics/detection";

/** The patch classifier of the detection lesson: the CNN lesson's network, without padding. */
export function buildPatchClassifier(
  options: Omit<CnnOptions, "outputs" | "padding" | "head"> & { inputShape: [number, number, number] },
): tf.LayersModel {
  const model = buildCnn({ ...options, outputs: 2, head: "softmax", padding: "valid" });
  const last = (model.getLayer("flatten").input as tf.SymbolicTensor).shape;
  if (!((last[1] ?? 0) >= 1 && (last[2] ?? 0) >= 1))
    throw new RangeError("the network is too deep for this patch size: nothing is left after the last pooling");
  return model;
}

/** Pixels between neighbouring outputs of the fully convolutional network: each pooling doubles it. */
export function networkStride(patchModel: tf.LayersModel): number {
  return 2 ** patchModel.layers.filter((l) => l.getClassName() === "MaxPooling2D").length;
}

/**
 * The same network, fully convolutional: conv and pool layers as they are (same weights), dropout
 * gone (it only acts in training), and the dense layer "scores" rewritten as a convolution whose
 * kernel covers the last feature maps exactly. Its input may be any size.
 */
export function toFullyConvolutional(patchModel: tf.LayersModel): tf.LayersModel {
  const input = tf.input({
    shape: [null, null, patchModel.inputs[0].shape[3] ?? 1] as unknown as number[],
    name: "image",
  });
  let x: tf.SymbolicTensor = input;
  const copies: [tf.layers.Layer, tf.Tensor[]][] = [];
  let reshapedKernel: tf.Tensor | null = null;
  for (const layer of patchModel.layers) {
    const kind = layer.getClassName();
    if (kind === "Conv2D" || kind === "MaxPooling2D") {
      const copy =
        kind === "Conv2D"
          ? tf.layers.conv2d(layer.getConfig() as unknown as Parameters<typeof tf.layers.conv2d>[0])
          : tf.layers.maxPooling2d(layer.getConfig() as unknown as Parameters<typeof tf.layers.maxPooling2d>[0]);
      x = copy.apply(x) as tf.SymbolicTensor;
      if (kind === "Conv2D") copies.push([copy, layer.getWeights()]);
    } else if (kind === "Dense") {
      const [h, w, c] = (patchModel.getLayer("flatten").input as tf.SymbolicTensor).shape.slice(1) as [
        number,
        number,
        number,
      ];
      const [kernel, bias] = layer.getWeights();
      const units = kernel.shape[1] as number;
      const conv = tf.layers.conv2d({
        filters: units,
        kernelSize: [h, w],
        padding: "valid",
        activation: (layer.getConfig().activation as string) === "softmax" ? "softmax" : "sigmoid",
        name: "scores_conv",
      });
      x = conv.apply(x) as tf.SymbolicTensor;
      // Flatten lays the maps out row by row, channel fastest: exactly a [h, w, c] kernel, reshaped.
      reshapedKernel = kernel.reshape([h, w, c, units]);
      copies.push([conv, [reshapedKernel, bias]]);
    }
  }
  const fcn = tf.model({ inputs: input, outputs: x, name: "fully_convolutional" });
  for (const [layer, weights] of copies) layer.setWeights(weights);
  (reshapedKernel as tf.Tensor | null)?.dispose(); // the new layer keeps its own copy
  return fcn;
}

/** Copies the patch model's current weights into its fully convolutional twin (after more training). */
export function syncFullyConvolutional(patchModel: tf.LayersModel, fcn: tf.LayersModel): void {
  tf.tidy(() => {
    const convs = patchModel.layers.filter((l) => l.getClassName() === "Conv2D");
    const fcnConvs = fcn.layers.filter((l) => l.getClassName() === "Conv2D");
    convs.forEach((l, i) => fcnConvs[i].setWeights(l.getWeights()));
    const [kernel, bias] = patchModel.getLayer("scores").getWeights();
    const target = fcnConvs[fcnConvs.length - 1];
    target.setWeights([kernel.reshape(target.getWeights()[0].shape), bias]);
  });
}

/**
 * A grey image [H, W] padded by `pad` pixels on every side, so patches centred at the border fit.
 * The padding repeats the edge pixels: a band of zeros would be a dark stripe the detector never
 * saw in training, and it would fire on it.
 */
export function padImage(
  image: Float32Array,
  height: number,
  width: number,
  pad: number,
): { values: Float32Array; height: number; width: number } {
  const H = height + 2 * pad,
    W = width + 2 * pad;
  const values = new Float32Array(H * W);
  for (let y = 0; y < H; y++) {
    const sy = Math.min(height - 1, Math.max(0, y - pad));
    for (let x = 0; x < W; x++) values[y * W + x] = image[sy * width + Math.min(width - 1, Math.max(0, x - pad))];
  }
  return { values, height: H, width: W };
}

/** The object-class channel (index 1) of a [1, rows, cols, 2] output, as a heatmap. */
function heatmapFrom(scores: Float32Array, rows: number, cols: number, stride: number, offset: number): Heatmap {
  const values = new Float32Array(rows * cols);
  for (let k = 0; k < values.length; k++) values[k] = scores[2 * k + 1];
  return { values, rows, cols, stride, offset };
}

/**
 * Fully convolutional heatmap of one image [H, W]: the image is padded by half a patch, so cell
 * (i, j) is the score of the patch centred at pixel (j·stride, i·stride) of the image itself.
 */
export async function fullyConvolutionalHeatmap(
  fcn: tf.LayersModel,
  image: Float32Array,
  height: number,
  width: number,
  patchSize: number,
  stride: number,
): Promise<Heatmap> {
  const padded = padImage(image, height, width, patchSize / 2);
  const out = tf.tidy(
    () => fcn.predict(tf.tensor4d(padded.values, [1, padded.height, padded.width, 1])) as tf.Tensor4D,
  );
  const [, rows, cols] = out.shape;
  const scores = (await out.data()) as Float32Array;
  out.dispose();
  // Outputs past the last full patch (a remainder of the pooling) are dropped, as the sliding window has none.
  const fit = (n: number) => Math.floor((n - patchSize) / stride) + 1;
  return cropHeatmap(heatmapFrom(scores, rows, cols, stride, 0), fit(padded.height), fit(padded.width));
}

function cropHeatmap(map: Heatmap, rows: number, cols: number): Heatmap {
  if (rows >= map.rows && cols >= map.cols) return map;
  const values = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) values.set(map.values.subarray(i * map.cols, i * map.cols + cols), i * cols);
  return { ...map, values, rows, cols };
}

/**
 * Sliding-window heatmap of one image [H, W]: cut the patch centred at every `stride`-th pixel and
 * classify each one, `batchSize` patches at a time. The slow way, for comparison.
 */
export async function slidingWindowHeatmap(
  patchModel: tf.LayersModel,
  image: Float32Array,
  height: number,
  width: number,
  patchSize: number,
  stride: number,
  batchSize = 256,
): Promise<Heatmap> {
  const padded = padImage(image, height, width, patchSize / 2);
  const rows = Math.floor((padded.height - patchSize) / stride) + 1,
    cols = Math.floor((padded.width - patchSize) / stride) + 1;
  const values = new Float32Array(rows * cols);
  const patch = patchSize * patchSize;
  for (let start = 0; start < rows * cols; start += batchSize) {
    const n = Math.min(batchSize, rows * cols - start);
    const batch = new Float32Array(n * patch);
    for (let b = 0; b < n; b++) {
      const top = Math.floor((start + b) / cols) * stride,
        left = ((start + b) % cols) * stride;
      for (let y = 0; y < patchSize; y++)
        batch.set(
          padded.values.subarray((top + y) * padded.width + left, (top + y) * padded.width + left + patchSize),
          b * patch + y * patchSize,
        );
    }
    const out = tf.tidy(() => patchModel.predict(tf.tensor4d(batch, [n, patchSize, patchSize, 1])) as tf.Tensor);
    const probs = (await out.data()) as Float32Array;
    out.dispose();
    for (let b = 0; b < n; b++) values[start + b] = probs[2 * b + 1];
  }
  return { values, rows, cols, stride, offset: 0 };
}
