import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { buildCnn, maxDepth } from "../../src/models/cnn";
import { useBackend } from "../helpers/backend";

beforeAll(() => useBackend("wasm"));

describe("buildCnn", () => {
  it("stacks conv→pool blocks that halve the image and double the filters", () => {
    const model = buildCnn({ inputShape: [32, 32, 1], outputs: 2, filters: 8, depth: 3 });
    const convs = model.layers.filter((l) => l.getClassName() === "Conv2D");
    expect(convs.map((l) => l.outputShape)).toEqual([
      [null, 32, 32, 8],
      [null, 16, 16, 16],
      [null, 8, 8, 32],
    ]);
    expect(model.outputShape).toEqual([null, 2]);
    model.dispose();
  });

  it("honours kernel size, RGB input, sigmoid head and no dropout", () => {
    const model = buildCnn({
      inputShape: [28, 28, 3],
      outputs: 14,
      kernelSize: 5,
      depth: 2,
      dropout: 0,
      head: "sigmoid",
    });
    const [conv1] = model.layers.filter((l) => l.getClassName() === "Conv2D");
    expect(conv1.getWeights()[0].shape).toEqual([5, 5, 3, 8]);
    expect(model.layers.some((l) => l.getClassName() === "Dropout")).toBe(false);
    const out = tf.tidy(() => model.predict(tf.zeros([2, 28, 28, 3])) as tf.Tensor);
    const values = Array.from(out.dataSync());
    expect(out.shape).toEqual([2, 14]);
    expect(Math.abs(values.reduce((a, b) => a + b, 0) / 2 - 1)).toBeGreaterThan(0.5); // sigmoids do not sum to 1
    out.dispose();
    model.dispose();
  });

  it("softmax head gives probabilities that sum to 1", () => {
    const model = buildCnn({ inputShape: [16, 16, 1], outputs: 3, depth: 2 });
    const sums = tf.tidy(
      () => tf.sum(model.predict(tf.randomUniform([4, 16, 16, 1])) as tf.Tensor, -1).arraySync() as number[],
    );
    for (const s of sums) expect(s).toBeCloseTo(1, 5);
    model.dispose();
  });

  it("the same seed gives the same initial weights", () => {
    const a = buildCnn({ inputShape: [16, 16, 1], outputs: 2, seed: 3 });
    const b = buildCnn({ inputShape: [16, 16, 1], outputs: 2, seed: 3 });
    const c = buildCnn({ inputShape: [16, 16, 1], outputs: 2, seed: 4 });
    const first = (m: tf.LayersModel) => Array.from(m.getWeights()[0].dataSync());
    expect(first(a)).toEqual(first(b));
    expect(first(a)).not.toEqual(first(c));
    [a, b, c].forEach((m) => m.dispose());
  });

  it("refuses a depth the image cannot support", () => {
    expect(maxDepth([32, 32, 1])).toBe(4);
    expect(() => buildCnn({ inputShape: [16, 16, 1], outputs: 2, depth: 5 })).toThrow(/too deep/);
  });
});
