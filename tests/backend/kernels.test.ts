/**
 * Our wasm gradient kernels against the cpu backend's reference results, on random inputs.
 * Gradients are taken through the public ops (tf.grad), the way training reaches the kernels.
 */
import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { gaussian, mulberry32 } from "../../src/data/random";
import { useBackend } from "../helpers/backend";

type Shape4 = [number, number, number, number];
type Pad = "same" | "valid";

/** Runs fn on one backend with inputs copied as plain arrays, returns the result as a flat array. */
async function on(
  backend: "wasm" | "cpu",
  inputs: Float32Array[],
  shapes: Shape4[],
  fn: (...t: tf.Tensor4D[]) => tf.Tensor,
): Promise<Float32Array> {
  await useBackend(backend);
  return tf.tidy(() => fn(...inputs.map((v, i) => tf.tensor4d(v, shapes[i])))).data() as Promise<Float32Array>;
}

function random(shape: number[], seed: number): Float32Array {
  const normal = gaussian(mulberry32(seed));
  return Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, normal);
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

const cases: { x: Shape4; filter: Shape4; stride: number; pad: Pad }[] = [];
for (const stride of [1, 2]) {
  for (const pad of ["same", "valid"] as Pad[]) {
    cases.push({ x: [2, 8, 8, 3], filter: [3, 3, 3, 4], stride, pad });
    cases.push({ x: [3, 9, 7, 2], filter: [5, 5, 2, 3], stride, pad });
    cases.push({ x: [4, 12, 12, 8], filter: [4, 4, 8, 6], stride, pad }); // even kernel: asymmetric 'same' padding
    cases.push({ x: [1, 5, 6, 1], filter: [1, 1, 1, 2], stride, pad });
  }
}

/** Gradient of Σ conv(x, w)·dy with respect to w, i.e. Conv2DBackpropFilter(x, dy). */
function filterGradient(stride: number, pad: Pad) {
  return (x: tf.Tensor4D, w: tf.Tensor4D, dy: tf.Tensor4D) =>
    tf.grad((f: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x, f as tf.Tensor4D, stride, pad), dy)))(w);
}

function inputGradient(stride: number, pad: Pad) {
  return (x: tf.Tensor4D, w: tf.Tensor4D, dy: tf.Tensor4D) =>
    tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(xx as tf.Tensor4D, w, stride, pad), dy)))(x);
}

/** Transposed convolution (U-Net's up-sampling) also trains through Conv2DBackpropFilter. */
function transposeFilterGradient(stride: number, pad: Pad, outShape: Shape4) {
  return (x: tf.Tensor4D, w: tf.Tensor4D, dy: tf.Tensor4D) =>
    tf.grad((f: tf.Tensor) => tf.sum(tf.mul(tf.conv2dTranspose(x, f as tf.Tensor4D, outShape, stride, pad), dy)))(w);
}

function outShape(x: Shape4, filter: Shape4, stride: number, pad: Pad): Shape4 {
  const size = (n: number, k: number) => (pad === "same" ? Math.ceil(n / stride) : Math.ceil((n - k + 1) / stride));
  return [x[0], size(x[1], filter[0]), size(x[2], filter[1]), filter[3]];
}

describe("wasm gradient kernels match cpu", () => {
  for (const [i, c] of cases.entries()) {
    const name = `x ${c.x.join("×")}, filter ${c.filter.join("×")}, stride ${c.stride}, ${c.pad}`;
    it(`Conv2DBackpropFilter and input gradient: ${name}`, async () => {
      const dyShape = outShape(c.x, c.filter, c.stride, c.pad);
      const inputs = [random(c.x, i), random(c.filter, 100 + i), random(dyShape, 200 + i)];
      const shapes = [c.x, c.filter, dyShape];
      for (const [label, fn] of [
        ["filter", filterGradient],
        ["input", inputGradient],
      ] as const) {
        const wasm = await on("wasm", inputs, shapes, fn(c.stride, c.pad));
        const cpu = await on("cpu", inputs, shapes, fn(c.stride, c.pad));
        const err = maxAbsDiff(wasm, cpu);
        console.log(`${label} gradient, ${name}: max abs error ${err.toExponential(2)}`);
        expect(Math.max(...cpu.map(Math.abs))).toBeGreaterThan(0.1); // the check is not vacuous
        expect(err).toBeLessThan(1e-3);
      }
    });
  }

  it("conv2dTranspose filter gradient (used by U-Net) matches", async () => {
    const x: Shape4 = [2, 4, 4, 6],
      filter: Shape4 = [2, 2, 3, 6],
      out: Shape4 = [2, 8, 8, 3];
    const inputs = [random(x, 1), random(filter, 2), random(out, 3)];
    const wasm = await on("wasm", inputs, [x, filter, out], transposeFilterGradient(2, "same", out));
    const cpu = await on("cpu", inputs, [x, filter, out], transposeFilterGradient(2, "same", out));
    const err = maxAbsDiff(wasm, cpu);
    console.log(`conv2dTranspose filter gradient: max abs error ${err.toExponential(2)}`);
    expect(err).toBeLessThan(1e-3);
  });

  it("conv2dTranspose whose outputShape disagrees with its input (tfjs's op spec case) keeps outputShape, as on cpu", async () => {
    // From TensorFlow.js's own op tests: input 8×8×8, outputShape 4×4×8, stride 1, 'same'.
    const x: Shape4 = [1, 8, 8, 8],
      filter: Shape4 = [3, 3, 8, 8],
      out: Shape4 = [1, 4, 4, 8];
    const inputs = [random(x, 21), random(filter, 22)];
    const fn = (xx: tf.Tensor4D, w: tf.Tensor4D) => tf.conv2dTranspose(xx, w, out, 1, "same");
    await useBackend("wasm");
    const shape = tf.tidy(() => fn(tf.tensor4d(inputs[0], x), tf.tensor4d(inputs[1], filter)).shape);
    expect(shape).toEqual(out);
    const err = maxAbsDiff(await on("wasm", inputs, [x, filter], fn), await on("cpu", inputs, [x, filter], fn));
    console.log(`conv2dTranspose with a mismatched outputShape: max abs error ${err.toExponential(2)}`);
    expect(err).toBeLessThan(1e-3);
  });

  // The stock wasm MaxPoolGrad sends gradients to the wrong channel when C > 1; ours must not.
  for (const [shape, size, stride, pad] of [
    [[2, 8, 8, 4], 2, 2, "valid"],
    [[2, 8, 8, 4], 2, 2, "same"],
    [[1, 9, 7, 3], 2, 2, "same"],
    [[2, 9, 9, 5], 3, 2, "same"],
    [[1, 6, 6, 2], 3, 1, "valid"],
    [[3, 8, 8, 1], 2, 2, "valid"],
  ] as [Shape4, number, number, Pad][]) {
    it(`max-pool gradient matches: x ${shape.join("×")}, window ${size}, stride ${stride}, ${pad}`, async () => {
      const outH = pad === "same" ? Math.ceil(shape[1] / stride) : Math.ceil((shape[1] - size + 1) / stride);
      const outW = pad === "same" ? Math.ceil(shape[2] / stride) : Math.ceil((shape[2] - size + 1) / stride);
      const dyShape: Shape4 = [shape[0], outH, outW, shape[3]];
      const inputs = [random(shape, 9), random(dyShape, 10)];
      const fn = (xx: tf.Tensor4D, dy: tf.Tensor4D) =>
        tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(v as tf.Tensor4D, size, stride, pad), dy)))(xx);
      const err = maxAbsDiff(
        await on("wasm", inputs, [shape, dyShape], fn),
        await on("cpu", inputs, [shape, dyShape], fn),
      );
      console.log(
        `max-pool gradient, x ${shape.join("×")}, window ${size}, stride ${stride}, ${pad}: max abs error ${err.toExponential(2)}`,
      );
      expect(err).toBeLessThan(1e-6);
    });
  }

  it("max-pool gradient with ties (ReLU zeros) goes to the first pixel of the window, as on cpu", async () => {
    const x = new Float32Array(2 * 4 * 4 * 3); // all zeros: every window is a four-way tie
    x[5] = 1;
    const inputs = [x, random([2, 2, 2, 3], 11)];
    const fn = (xx: tf.Tensor4D, dy: tf.Tensor4D) =>
      tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(v as tf.Tensor4D, 2, 2, "valid"), dy)))(xx);
    expect(
      maxAbsDiff(
        await on(
          "wasm",
          inputs,
          [
            [2, 4, 4, 3],
            [2, 2, 2, 3],
          ],
          fn,
        ),
        await on(
          "cpu",
          inputs,
          [
            [2, 4, 4, 3],
            [2, 2, 2, 3],
          ],
          fn,
        ),
      ),
    ).toBe(0);
  });

  it("the kernel frees its temporary tensors", async () => {
    await useBackend("wasm");
    const x = tf.randomNormal([2, 8, 8, 3]) as tf.Tensor4D;
    const w = tf.randomNormal([3, 3, 3, 4]) as tf.Tensor4D;
    const g = filterGradient(2, "same");
    tf.dispose(g(x, w, tf.ones([2, 4, 4, 4])));
    const before = tf.memory().numBytes;
    for (let i = 0; i < 5; i++)
      tf.tidy(() => {
        g(x, w, tf.ones([2, 4, 4, 4]));
      });
    expect(tf.memory().numBytes).toBe(before);
    tf.dispose([x, w]);
  });
});
