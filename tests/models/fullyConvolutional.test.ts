import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { makeChestSlices } from "../../src/data/chestSlices";
import { withSeededRandom } from "../../src/data/random";
import {
  buildPatchClassifier,
  fullyConvolutionalHeatmap,
  networkStride,
  slidingWindowHeatmap,
  syncFullyConvolutional,
  toFullyConvolutional,
} from "../../src/models/fullyConvolutional";
import { useBackend } from "../helpers/backend";

beforeAll(() => useBackend("wasm"));

/** Nudges every weight, so the test does not pass only for the initial weights (biases start at 0). */
function perturb(model: tf.LayersModel, seed: number): void {
  const weights = withSeededRandom(seed, () =>
    model.getWeights().map((w) => tf.tidy(() => tf.add(w, tf.randomNormal(w.shape, 0, 0.1)))),
  );
  model.setWeights(weights);
  weights.forEach((w) => w.dispose());
}

describe("the patch classifier rewritten fully convolutional", () => {
  const data = makeChestSlices({ size: 96, trainCount: 1, valCount: 1, seed: 3 });
  const [h, w] = data.imageShape;
  const image = data.train.images.subarray(0, h * w);

  it.each([
    { depth: 2, kernelSize: 3, filters: 4 },
    { depth: 3, kernelSize: 3, filters: 4 },
    { depth: 1, kernelSize: 5, filters: 6 },
  ])(
    "gives the sliding window's heatmap at the matching stride ($depth blocks, kernel $kernelSize)",
    async ({ depth, kernelSize, filters }) => {
      const model = buildPatchClassifier({ inputShape: [32, 32, 1], depth, kernelSize, filters, seed: 2 });
      perturb(model, 5);
      const fcn = toFullyConvolutional(model);
      const stride = networkStride(model);
      expect(stride).toBe(2 ** depth);
      const sliding = await slidingWindowHeatmap(model, image, h, w, 32, stride);
      const dense = await fullyConvolutionalHeatmap(fcn, image, h, w, 32, stride);
      expect([dense.rows, dense.cols]).toEqual([sliding.rows, sliding.cols]);
      expect(sliding.rows).toBe(Math.floor(h / stride) + 1);
      let maxDiff = 0;
      for (let k = 0; k < sliding.values.length; k++)
        maxDiff = Math.max(maxDiff, Math.abs(sliding.values[k] - dense.values[k]));
      console.log(
        `depth ${depth}, kernel ${kernelSize}: ${sliding.rows}×${sliding.cols} cells, max |sliding − fully convolutional| = ${maxDiff.toExponential(2)}`,
      );
      expect(maxDiff).toBeLessThan(1e-5);
      // The heatmap is not constant: the comparison means something.
      expect(Math.max(...sliding.values) - Math.min(...sliding.values)).toBeGreaterThan(0.01);
      model.dispose();
      fcn.dispose();
    },
  );

  it("follows the patch model after its weights change (sync), and leaks no tensors", async () => {
    const model = buildPatchClassifier({ inputShape: [32, 32, 1], seed: 2 });
    const fcn = toFullyConvolutional(model);
    const before = tf.memory().numTensors;
    perturb(model, 9);
    syncFullyConvolutional(model, fcn);
    const sliding = await slidingWindowHeatmap(model, image, h, w, 32, 4);
    const dense = await fullyConvolutionalHeatmap(fcn, image, h, w, 32, 4);
    let maxDiff = 0;
    for (let k = 0; k < sliding.values.length; k++)
      maxDiff = Math.max(maxDiff, Math.abs(sliding.values[k] - dense.values[k]));
    expect(maxDiff).toBeLessThan(1e-5);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
    fcn.dispose();
  });

  it("refuses a network too deep for the patch", () => {
    expect(() => buildPatchClassifier({ inputShape: [16, 16, 1], depth: 3, seed: 1 })).toThrow();
  });
});
