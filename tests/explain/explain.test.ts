/**
 * Explanation methods on small hand-built models whose answer is known, and on the lesson's CNN
 * for memory: every method must leave tf.memory().numTensors where it found it.
 */
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { chainLayers, runChain } from "../../src/explain/chain";
import { gradCam } from "../../src/explain/gradCam";
import { mcDropout } from "../../src/explain/mcDropout";
import { occlusionMap } from "../../src/explain/occlusion";
import { saliencyMap, smoothGrad } from "../../src/explain/saliency";
import { cascadingRandomization, layersFromTop, rankCorrelation, withRandomizedTop } from "../../src/explain/sanity";
import { makeNoduleDataset } from "../../src/data/nodules";
import { buildCnn } from "../../src/models/cnn";
import { useBackend } from "../helpers/backend";

beforeAll(() => useBackend("cpu"));

const SHAPE: [number, number, number] = [4, 4, 1];
const PIXEL = 6; // row 1, column 2: the only pixel the one-pixel model reads

/** flatten → dense(2, softmax) whose weights are zero except at one pixel: class 1 = "that pixel is bright". */
function onePixelModel(): tf.LayersModel {
  const input = tf.input({ shape: SHAPE });
  const flat = tf.layers.flatten().apply(input) as tf.SymbolicTensor;
  const dense = tf.layers.dense({ units: 2, activation: "softmax", name: "scores" });
  const model = tf.model({ inputs: input, outputs: dense.apply(flat) as tf.SymbolicTensor });
  const kernel = new Float32Array(16 * 2);
  kernel[PIXEL * 2 + 0] = -4;
  kernel[PIXEL * 2 + 1] = 4;
  dense.setWeights([tf.tensor2d(kernel, [16, 2]), tf.tensor1d([0, 0])].map((t) => tf.keep(t)));
  return model;
}

/**
 * conv(1 filter, 1×1, weight 1, ReLU) → global average pool → dense: the class-activation-map
 * architecture, where Grad-CAM must equal the conv map itself (weighted by the class's weight).
 */
function camModel(): tf.LayersModel {
  const input = tf.input({ shape: SHAPE });
  const conv = tf.layers.conv2d({ filters: 1, kernelSize: 1, activation: "relu", name: "conv1" });
  const pooled = tf.layers.globalAveragePooling2d({}).apply(conv.apply(input)) as tf.SymbolicTensor;
  const dense = tf.layers.dense({ units: 2, activation: "softmax", name: "scores" });
  const model = tf.model({ inputs: input, outputs: dense.apply(pooled) as tf.SymbolicTensor });
  conv.setWeights([tf.ones([1, 1, 1, 1]), tf.zeros([1])]);
  dense.setWeights([tf.tensor2d([[-3, 3]]), tf.zeros([2])]);
  return model;
}

/** An image with one bright pixel on a faint background. */
function spotImage(at: number, background = 0.1): Float32Array {
  const image = new Float32Array(16).fill(background);
  image[at] = 1;
  return image;
}

const argmax = (values: ArrayLike<number>) => Array.from(values).indexOf(Math.max(...Array.from(values)));

describe("chain helpers", () => {
  it("runs the model in pieces and gives logits before the softmax", () => {
    const model = onePixelModel();
    const image = spotImage(PIXEL, 0);
    const [logits, probs] = tf.tidy(() => {
      const x = tf.tensor4d(image, [1, ...SHAPE]);
      return [
        runChain(model, x, 0, undefined, { logits: true }).dataSync(),
        (model.predict(x) as tf.Tensor).dataSync(),
      ];
    });
    expect(Array.from(logits)).toEqual([-4, 4]);
    expect(probs[1]).toBeCloseTo(1 / (1 + Math.exp(-8)), 5);
    expect(chainLayers(model).map((l) => l.getClassName())).toEqual(["Flatten", "Dense"]);
    model.dispose();
  });

  it("refuses a model that is not one chain", () => {
    const input = tf.input({ shape: [3] });
    const a = tf.layers.dense({ units: 2 }).apply(input) as tf.SymbolicTensor;
    const b = tf.layers.dense({ units: 2 }).apply(input) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: tf.layers.add().apply([a, b]) as tf.SymbolicTensor });
    expect(() => chainLayers(model)).toThrow(/one chain/);
    model.dispose();
  });
});

describe("gradient saliency", () => {
  it("a model that reads one pixel has its saliency there and nowhere else", () => {
    const model = onePixelModel();
    const { map, classIndex } = saliencyMap(model, spotImage(3), SHAPE);
    expect(classIndex).toBe(1); // the read pixel is faintly bright (0.1): scores −0.4 vs 0.4
    expect(map[PIXEL]).toBeCloseTo(4, 5); // |∂ score / ∂ pixel| = the weight
    expect(
      Array.from(map)
        .filter((_, i) => i !== PIXEL)
        .every((v) => v === 0),
    ).toBe(true);
    model.dispose();
  });

  it("SmoothGrad on the same model: still only that pixel, whatever the noise", () => {
    const model = onePixelModel();
    const { map } = smoothGrad(model, spotImage(PIXEL), SHAPE, { noise: 0.3, samples: 8, classIndex: 1 });
    expect(argmax(map)).toBe(PIXEL);
    expect(map[PIXEL]).toBeCloseTo(4, 5); // a linear score: every noisy copy has the same gradient
    expect(
      Array.from(map)
        .filter((_, i) => i !== PIXEL)
        .every((v) => v === 0),
    ).toBe(true);
    expect(() => smoothGrad(model, spotImage(PIXEL), SHAPE, { samples: 0 })).toThrow(/samples/);
    model.dispose();
  });

  it("SmoothGrad is seeded and its noise averages a non-linear model's speckle", () => {
    const model = buildCnn({ inputShape: [16, 16, 1], outputs: 2, depth: 2, dropout: 0, seed: 3 });
    const image = makeNoduleDataset({ size: 16, trainCount: 2, valCount: 2, seed: 1 }).val.images.subarray(256, 512);
    const a = smoothGrad(model, image, [16, 16, 1], { samples: 4, seed: 5 });
    const b = smoothGrad(model, image, [16, 16, 1], { samples: 4, seed: 5 });
    const c = smoothGrad(model, image, [16, 16, 1], { samples: 4, seed: 6 });
    expect(Array.from(a.map)).toEqual(Array.from(b.map));
    expect(Array.from(a.map)).not.toEqual(Array.from(c.map));
    model.dispose();
  });
});

describe("Grad-CAM", () => {
  it("on a class-activation-map model it lights up where the evidence is", () => {
    const model = camModel();
    const cam = gradCam(model, spotImage(PIXEL), SHAPE, { classIndex: 1 });
    expect(cam.layer).toBe("conv1");
    expect([cam.coarseHeight, cam.coarseWidth]).toEqual([4, 4]);
    expect(argmax(cam.coarse)).toBe(PIXEL);
    // CAM = weight_k · A_k with weight = mean gradient = 3/16: the map is the image times 3/16.
    expect(cam.coarse[PIXEL]).toBeCloseTo(3 / 16, 5);
    expect(cam.coarse[0]).toBeCloseTo((0.1 * 3) / 16, 5);
    model.dispose();
  });

  it("the class that the bright spot argues against gets an empty map (the ReLU)", () => {
    const model = camModel();
    const cam = gradCam(model, spotImage(PIXEL), SHAPE, { classIndex: 0 });
    expect(Array.from(cam.coarse).every((v) => v === 0)).toBe(true);
    model.dispose();
  });

  it("with a flatten → dense head, Grad-CAM's averaging can cancel the evidence; HiResCAM keeps it", () => {
    // conv(1×1, identity) → flatten → dense: class 1 reads +3 at PIXEL and −3 at pixel 0.
    const input = tf.input({ shape: SHAPE });
    const conv = tf.layers.conv2d({ filters: 1, kernelSize: 1, activation: "relu", name: "conv1" });
    const dense = tf.layers.dense({ units: 2, activation: "softmax", name: "scores" });
    const model = tf.model({
      inputs: input,
      outputs: dense.apply(tf.layers.flatten().apply(conv.apply(input))) as tf.SymbolicTensor,
    });
    conv.setWeights([tf.ones([1, 1, 1, 1]), tf.zeros([1])]);
    const kernel = new Float32Array(32);
    kernel[PIXEL * 2 + 1] = 3;
    kernel[0 * 2 + 1] = -3;
    dense.setWeights([tf.tensor2d(kernel, [16, 2]), tf.zeros([2])]);
    const image = spotImage(PIXEL);
    const averaged = gradCam(model, image, SHAPE, { classIndex: 1 });
    expect(Array.from(averaged.coarse).every((v) => v === 0)).toBe(true); // mean gradient (3 − 3)/16 = 0
    const hires = gradCam(model, image, SHAPE, { classIndex: 1, weighting: "position" });
    expect(hires.coarse[PIXEL]).toBeCloseTo(3, 5); // gradient 3 × activation 1
    expect(
      Array.from(hires.coarse)
        .filter((_, i) => i !== PIXEL)
        .every((v) => v === 0),
    ).toBe(true);
    model.dispose();
  });

  it("works on any conv layer of the lesson's CNN, resized to the image", () => {
    const model = buildCnn({ inputShape: [16, 16, 1], outputs: 2, depth: 2, dropout: 0.25, seed: 3 });
    const image = new Float32Array(256).map((_, i) => (i % 7) / 7);
    const deep = gradCam(model, image, [16, 16, 1]);
    const early = gradCam(model, image, [16, 16, 1], { layer: "conv1" });
    expect(deep.layer).toBe("conv2");
    expect([deep.coarseHeight, early.coarseHeight]).toEqual([8, 16]);
    expect(deep.map.length).toBe(256);
    expect(Array.from(deep.map).every((v) => v >= 0 && Number.isFinite(v))).toBe(true);
    expect(() => gradCam(model, image, [16, 16, 1], { layer: "nope" })).toThrow(/no layer/);
    model.dispose();
  });
});

describe("occlusion sensitivity", () => {
  it("hiding the one pixel the model reads is the only thing that matters", () => {
    const model = onePixelModel();
    const { map, classIndex, baseline } = occlusionMap(model, spotImage(PIXEL), SHAPE, {
      patch: 1,
      stride: 1,
      fill: 0,
    });
    expect(classIndex).toBe(1);
    expect(baseline).toBeGreaterThan(0.99);
    expect(argmax(map)).toBe(PIXEL);
    expect(map[PIXEL]).toBeCloseTo(baseline - 0.5, 4); // occluded, the score is 0: a 50/50 guess
    expect(
      Array.from(map)
        .filter((_, i) => i !== PIXEL)
        .every((v) => Math.abs(v) < 1e-6),
    ).toBe(true);
  });

  it("a larger patch spreads the drop over the pixels whose patches covered it, and nowhere else", () => {
    const model = onePixelModel();
    const { map } = occlusionMap(model, spotImage(PIXEL), SHAPE, { patch: 2, stride: 1, fill: 0 });
    // Pixel (row 1, col 2): patches starting at rows 0–1, cols 1–2 cover it; row 3 and col 0 are never in them.
    expect(map[PIXEL]).toBeCloseTo(Math.max(...map), 6);
    for (const far of [0, 4, 8, 12, 13, 14, 15]) expect(Math.abs(map[far])).toBeLessThan(1e-6);
    // Pixel (1, 1): half of its four patches also cover the read pixel, so half the drop.
    expect(map[PIXEL - 1]).toBeCloseTo(map[PIXEL] / 2, 5);
    expect(() => occlusionMap(model, spotImage(PIXEL), SHAPE, { patch: 9 })).toThrow(/patch/);
    model.dispose();
  });
});

describe("Monte Carlo dropout", () => {
  const data = makeNoduleDataset({ size: 16, trainCount: 2, valCount: 12, seed: 2 });
  const shape: [number, number, number] = [16, 16, 1];

  it("with dropout 0 every pass agrees: zero spread, and the mean is the plain prediction", async () => {
    const model = buildCnn({ inputShape: shape, outputs: 2, depth: 2, dropout: 0, seed: 4 });
    const result = await mcDropout(model, data.val.images, 12, shape, { passes: 5, chunk: 5 });
    expect(Array.from(result.spread).every((s) => s === 0)).toBe(true);
    const plain = tf.tidy(() => (model.predict(tf.tensor4d(data.val.images, [12, ...shape])) as tf.Tensor).dataSync());
    for (let i = 0; i < plain.length; i++) expect(result.mean[i]).toBeCloseTo(plain[i], 5);
    model.dispose();
  });

  it("with dropout on the passes disagree, seeded, and entropy stays within [0, ln 2]", async () => {
    const model = buildCnn({ inputShape: shape, outputs: 2, depth: 2, dropout: 0.5, seed: 4 });
    const a = await mcDropout(model, data.val.images, 12, shape, { passes: 10, seed: 3 });
    const b = await mcDropout(model, data.val.images, 12, shape, { passes: 10, seed: 3 });
    expect(Math.max(...a.spread)).toBeGreaterThan(0.001);
    expect(Array.from(a.mean)).toEqual(Array.from(b.mean));
    expect(Array.from(a.entropy).every((h) => h >= 0 && h <= Math.LN2 + 1e-6)).toBe(true);
    await expect(mcDropout(model, data.val.images, 12, shape, { passes: 0 })).rejects.toThrow(/passes/);
    model.dispose();
  });
});

describe("sanity check: cascading randomisation", () => {
  it("randomises from the top down and puts the trained weights back exactly", () => {
    const model = buildCnn({ inputShape: [16, 16, 1], outputs: 2, depth: 2, dropout: 0, seed: 3 });
    expect(layersFromTop(model).map((l) => l.name)).toEqual(["scores", "conv2", "conv1"]);
    const before = model.getWeights().map((w) => Array.from(w.dataSync()));
    const inside = withRandomizedTop(model, 1, 9, () => model.getWeights().map((w) => Array.from(w.dataSync())));
    const names = model.weights.map((w) => w.name);
    names.forEach((name, i) => {
      if (name.startsWith("scores") && name.includes("kernel")) expect(inside[i]).not.toEqual(before[i]);
      if (name.startsWith("conv")) expect(inside[i]).toEqual(before[i]); // lower layers untouched
    });
    const after = model.getWeights().map((w) => Array.from(w.dataSync()));
    expect(after).toEqual(before);
    model.dispose();
  });

  it("gives one map per step, and the maps drift away from the trained one", () => {
    const model = buildCnn({ inputShape: [16, 16, 1], outputs: 2, depth: 2, dropout: 0, seed: 3 });
    const image = makeNoduleDataset({ size: 16, trainCount: 2, valCount: 2, seed: 1 }).val.images.subarray(256, 512);
    const steps = cascadingRandomization(model, () => gradCam(model, image, [16, 16, 1], { classIndex: 1 }).map);
    expect(steps.map((s) => s.randomized.length)).toEqual([0, 1, 2, 3]);
    expect(rankCorrelation(steps[0].result, steps[0].result)).toBeCloseTo(1, 10);
    expect(rankCorrelation(steps[0].result, steps[3].result)).toBeLessThan(0.99);
    model.dispose();
  });

  it("rank correlation: 1 for the same order, −1 for the reverse, ties averaged", () => {
    expect(rankCorrelation([1, 2, 3, 4], [10, 20, 30, 40])).toBeCloseTo(1, 10);
    expect(rankCorrelation([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1, 10);
    // Ranks [1.5, 1.5, 3] vs [1, 2, 3]: Pearson of the ranks = 0.866…
    expect(rankCorrelation([5, 5, 9], [1, 2, 3])).toBeCloseTo(Math.sqrt(3) / 2, 10);
  });
});

describe("memory", () => {
  it("numTensors stays flat across every method", async () => {
    const model = buildCnn({ inputShape: [16, 16, 1], outputs: 2, depth: 2, dropout: 0.25, seed: 3 });
    const data = makeNoduleDataset({ size: 16, trainCount: 2, valCount: 6, seed: 1 });
    const image = data.val.images.subarray(0, 256);
    const shape: [number, number, number] = [16, 16, 1];
    const runAll = async () => {
      saliencyMap(model, image, shape);
      smoothGrad(model, image, shape, { samples: 3 });
      gradCam(model, image, shape, { layer: "conv1" });
      gradCam(model, image, shape);
      occlusionMap(model, image, shape, { patch: 4 });
      await mcDropout(model, data.val.images, 6, shape, { passes: 3 });
      cascadingRandomization(model, () => saliencyMap(model, image, shape).map);
    };
    await runAll(); // first use may set up backend state
    const before = tf.memory().numTensors;
    await runAll();
    await runAll();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
