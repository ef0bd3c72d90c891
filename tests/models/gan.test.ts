import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { buildDiscriminator, buildGenerator, patchGridSize } from "../../src/models/gan";
import { useBackend } from "../helpers/backend";

beforeAll(() => useBackend("wasm"));

function weightsOf(model: tf.LayersModel): number[][] {
  return model.getWeights().map((w) => Array.from(w.dataSync()));
}

describe("buildGenerator", () => {
  it("maps images to images of the same size, through named layers", () => {
    const g = buildGenerator(); // the lesson's defaults: 64×64, 16 filters, 6 conv layers
    expect(g.outputShape).toEqual([null, 64, 64, 1]);
    expect(g.layers.map((l) => l.name)).toEqual([
      "image",
      "conv1",
      "conv2",
      "conv3",
      "conv4",
      "conv5",
      "residual",
      "denoised",
    ]);
    const shape = tf.tidy(() => (g.predict(tf.randomUniform([2, 64, 64, 1])) as tf.Tensor).shape);
    expect(shape).toEqual([2, 64, 64, 1]);
    g.dispose();
  });

  it("starts near the identity: it hands the noisy image back almost untouched", () => {
    const g = buildGenerator({ size: 32, filters: 8, layers: 6, seed: 3 });
    const { maxChange, meanChange } = tf.tidy(() => {
      const x = tf.randomUniform([4, 32, 32, 1], 0, 1, "float32", 7);
      const change = tf.abs(tf.sub(g.predict(x) as tf.Tensor, x));
      return { maxChange: change.max().dataSync()[0], meanChange: change.mean().dataSync()[0] };
    });
    console.log(`initial generator: mean |G(x) − x| ${meanChange.toExponential(2)}, max ${maxChange.toExponential(2)}`);
    expect(meanChange).toBeLessThan(0.01); // far below the noise it will learn to remove (σ ≈ 0.05–0.1)
    expect(maxChange).toBeLessThan(0.05);
    expect(meanChange).toBeGreaterThan(0); // not exactly zero: every layer gets a gradient from the first step
    g.dispose();
  });

  it("is seeded: the same seed gives the same weights, another seed others", () => {
    const a = buildGenerator({ size: 16, filters: 4, seed: 5 });
    const b = buildGenerator({ size: 16, filters: 4, seed: 5 });
    const c = buildGenerator({ size: 16, filters: 4, seed: 6 });
    expect(weightsOf(a)).toEqual(weightsOf(b));
    expect(weightsOf(a)[0]).not.toEqual(weightsOf(c)[0]);
    for (const m of [a, b, c]) m.dispose();
  });

  it("refuses options that make no network", () => {
    expect(() => buildGenerator({ layers: 1 })).toThrow(/layers must be a whole number from 2/);
    expect(() => buildGenerator({ filters: 0 })).toThrow(/filters/);
    expect(() => buildGenerator({ size: 2.5 })).toThrow(/size/);
  });
});

describe("buildDiscriminator", () => {
  it("gives one logit per patch: 8×8 for 64×64 images, 2×2 for 16×16", () => {
    for (const size of [64, 16]) {
      const d = buildDiscriminator({ size, filters: size === 64 ? 16 : 4 });
      const grid = patchGridSize(size);
      expect(grid).toBe(size / 8);
      expect(d.outputShape).toEqual([null, grid, grid, 1]);
      const shape = tf.tidy(() => (d.predict(tf.randomUniform([2, size, size, 1])) as tf.Tensor).shape);
      expect(shape).toEqual([2, grid, grid, 1]);
      d.dispose();
    }
  });

  it("is a PatchGAN of strided convolutions with LeakyReLU, ending in logits (no sigmoid)", () => {
    const d = buildDiscriminator({ size: 32, filters: 4 });
    expect(d.layers.map((l) => l.name)).toEqual([
      "image",
      "down1",
      "down1_lrelu",
      "down2",
      "down2_lrelu",
      "down3",
      "down3_lrelu",
      "patch_logits",
    ]);
    expect(
      d.layers
        .filter((l) => l.name.startsWith("down") && !l.name.endsWith("lrelu"))
        .map((l) => (l.outputShape as number[])[1]),
    ).toEqual([16, 8, 4]);
    expect((d.getLayer("patch_logits").getConfig() as { activation: string }).activation).toBe("linear");
    // Logits are unbounded: big inputs give values outside 0..1.
    const out = tf.tidy(() => Array.from((d.predict(tf.fill([1, 32, 32, 1], 50)) as tf.Tensor).dataSync()));
    expect(out.some((v) => v < 0 || v > 1)).toBe(true);
    d.dispose();
  });

  it("is seeded, and refuses sides it cannot halve three times", () => {
    const a = buildDiscriminator({ size: 16, filters: 4, seed: 9 });
    const b = buildDiscriminator({ size: 16, filters: 4, seed: 9 });
    expect(weightsOf(a)).toEqual(weightsOf(b));
    expect(() => buildDiscriminator({ size: 60 })).toThrow(/divisible by 8/);
    a.dispose();
    b.dispose();
  });
});
