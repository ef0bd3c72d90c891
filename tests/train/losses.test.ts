import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { balancedClassWeights, crossEntropyLoss, focalLoss, weightedCrossEntropy } from "../../src/train/losses";
import { useBackend } from "../helpers/backend";

beforeAll(() => useBackend("cpu"));

// Three images, two classes: true classes 1, 0, 1.
const ys = () =>
  tf.tensor2d([
    [0, 1],
    [1, 0],
    [0, 1],
  ]);
const probs = () =>
  tf.tensor2d([
    [0.2, 0.8],
    [0.6, 0.4],
    [0.9, 0.1],
  ]);
const value = (f: () => tf.Scalar) => tf.tidy(() => f().dataSync()[0]);

describe("imbalance losses", () => {
  it("cross-entropy is the mean of −log p(true class)", () => {
    const hand = -(Math.log(0.8) + Math.log(0.6) + Math.log(0.1)) / 3;
    expect(value(() => crossEntropyLoss(ys(), probs()))).toBeCloseTo(hand, 5);
  });

  it("the class-weighted loss equals the hand-computed one", () => {
    // Weights: class 0 → 0.5, class 1 → 3. Image 1 (class 1): 3·(−ln 0.8); image 2 (class 0): 0.5·(−ln 0.6); image 3: 3·(−ln 0.1).
    const hand = (3 * -Math.log(0.8) + 0.5 * -Math.log(0.6) + 3 * -Math.log(0.1)) / 3;
    expect(value(() => weightedCrossEntropy([0.5, 3])(ys(), probs()))).toBeCloseTo(hand, 5);
    // Equal weights of 1 give plain cross-entropy; a weight of 0 silences a class.
    expect(value(() => weightedCrossEntropy([1, 1])(ys(), probs()))).toBeCloseTo(
      value(() => crossEntropyLoss(ys(), probs())),
      6,
    );
    expect(value(() => weightedCrossEntropy([0, 1])(ys(), probs()))).toBeCloseTo(
      (-Math.log(0.8) - Math.log(0.1)) / 3,
      5,
    );
    expect(() => weightedCrossEntropy([1, NaN])).toThrow(/class weights/);
  });

  it("balanced class weights give each class the same total weight", () => {
    const labels = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1]; // 8 negatives, 2 positives
    const w = balancedClassWeights(labels, 2);
    expect(w[0]).toBeCloseTo(10 / (2 * 8));
    expect(w[1]).toBeCloseTo(10 / (2 * 2));
    expect(8 * w[0]).toBeCloseTo(2 * w[1]);
    expect(balancedClassWeights([0, 0], 2)).toEqual([0.5, 0]); // an absent class gets 0, not Infinity
  });

  it("focal loss with γ = 0 equals cross-entropy (tfjs's own), and γ > 0 down-weights easy images", () => {
    const tfjsCe = tf.tidy(() => tf.mean(tf.metrics.categoricalCrossentropy(ys(), probs())).dataSync()[0]);
    expect(value(() => focalLoss(0)(ys(), probs()))).toBeCloseTo(tfjsCe, 5);
    // γ = 2 by hand: −(1 − p)² ln p per image.
    const hand = (0.2 ** 2 * -Math.log(0.8) + 0.4 ** 2 * -Math.log(0.6) + 0.9 ** 2 * -Math.log(0.1)) / 3;
    expect(value(() => focalLoss(2)(ys(), probs()))).toBeCloseTo(hand, 5);
    expect(value(() => focalLoss(2)(ys(), probs()))).toBeLessThan(tfjsCe);
    expect(() => focalLoss(-1)).toThrow(/γ/);
  });

  it("a confident mistake costs a large but finite loss, and no tensor is left behind", () => {
    const before = tf.memory().numTensors;
    const loss = value(() => weightedCrossEntropy([1, 1])(tf.tensor2d([[0, 1]]), tf.tensor2d([[1, 0]])));
    expect(Number.isFinite(loss)).toBe(true);
    expect(loss).toBeGreaterThan(10);
    value(() => focalLoss(2)(ys(), probs()));
    expect(tf.memory().numTensors).toBe(before);
  });
});
