import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { buildUNet, unetBlockOutputs } from "../../src/models/unet";
import { useBackend } from "../helpers/backend";

beforeAll(() => useBackend("wasm"));

describe("buildUNet", () => {
  for (const depth of [2, 3, 4]) {
    for (const skips of [true, false]) {
      for (const upsample of ["transpose", "resize"] as const) {
        it(`depth ${depth}, ${skips ? "with" : "without"} skips, ${upsample}: one probability per pixel`, () => {
          const model = buildUNet({ inputShape: [64, 64, 1], depth, baseFilters: 4, skips, upsample });
          expect(model.outputShape).toEqual([null, 64, 64, 1]);
          const blocks = unetBlockOutputs(model);
          expect(blocks.map((l) => l.name)).toEqual([
            ...Array.from({ length: depth }, (_, i) => `enc${i + 1}_out`),
            "bottleneck_out",
            ...Array.from({ length: depth }, (_, i) => `dec${depth - i}_out`),
          ]);
          expect(blocks.map((l) => (l.outputShape as number[])[1])).toEqual([
            ...Array.from({ length: depth }, (_, i) => 64 / 2 ** i),
            64 / 2 ** depth,
            ...Array.from({ length: depth }, (_, i) => 64 / 2 ** (depth - 1 - i)),
          ]);
          expect(model.layers.some((l) => l.getClassName() === "Concatenate")).toBe(skips);
          const out = tf.tidy(() =>
            Array.from((model.predict(tf.randomUniform([2, 64, 64, 1])) as tf.Tensor).dataSync()),
          );
          expect(Math.min(...out)).toBeGreaterThanOrEqual(0);
          expect(Math.max(...out)).toBeLessThanOrEqual(1);
          model.dispose();
        });
      }
    }
  }

  it("starts its output at the foreground prior", () => {
    const model = buildUNet({ inputShape: [64, 64, 1], depth: 2, baseFilters: 4, foregroundPrior: 0.1 });
    const [, bias] = model.getLayer("mask").getWeights();
    expect(1 / (1 + Math.exp(-bias.dataSync()[0]))).toBeCloseTo(0.1, 5);
    model.dispose();
  });

  it("is seeded, and refuses image sizes the depth cannot halve", () => {
    const a = buildUNet({ inputShape: [64, 64, 1], depth: 2, baseFilters: 4, seed: 5 });
    const b = buildUNet({ inputShape: [64, 64, 1], depth: 2, baseFilters: 4, seed: 5 });
    expect(Array.from(a.getWeights()[0].dataSync())).toEqual(Array.from(b.getWeights()[0].dataSync()));
    expect(() => buildUNet({ inputShape: [72, 72, 1], depth: 4 })).toThrow(/divisible by 16/);
    a.dispose();
    b.dispose();
  });
});
