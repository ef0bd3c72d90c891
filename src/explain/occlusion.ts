/**
 * Occlusion sensitivity (Zeiler & Fergus, 2014): hide part of the image under a grey patch and
 * see how much the probability of the predicted class drops. Slide the patch everywhere; the map
 * is the mean drop over the patches that covered each pixel. No gradients: it asks the model
 * directly, so it works for any model, at the cost of one forward pass per patch position.
 */
import * as tf from "@tensorflow/tfjs";
import type { ExplainedMap } from "./saliency";

export interface OcclusionOptions {
  /** Side of the square patch, in pixels. */
  patch?: number;
  /** Step between patch positions; default: half the patch. */
  stride?: number;
  /** Grey level of the patch; default: the image's mean (so the patch adds no brightness of its own). */
  fill?: number;
  classIndex?: number;
  /** Occluded images per forward pass (memory). */
  chunk?: number;
}

/** Top-left corners of the patch positions along one axis, always covering the last pixels too. */
function positions(size: number, patch: number, stride: number): number[] {
  const out: number[] = [];
  for (let p = 0; p + patch < size; p += stride) out.push(p);
  out.push(Math.max(0, size - patch));
  return out;
}

export function occlusionMap(
  model: tf.LayersModel,
  image: ArrayLike<number>,
  shape: [number, number, number],
  options: OcclusionOptions = {},
): ExplainedMap & { baseline: number } {
  const [h, w, ch] = shape;
  const { patch = Math.max(2, Math.round(h / 6)), chunk = 64 } = options;
  const stride = options.stride ?? Math.max(1, Math.floor(patch / 2));
  if (!(Number.isInteger(patch) && patch >= 1 && patch <= Math.min(h, w)))
    throw new RangeError(`patch must be a whole number from 1 to ${Math.min(h, w)}, got ${patch}`);
  if (!(Number.isInteger(stride) && stride >= 1))
    throw new RangeError(`stride must be a whole number ≥ 1, got ${stride}`);
  let mean = 0;
  for (let i = 0; i < image.length; i++) mean += image[i];
  const fill = options.fill ?? mean / image.length;
  const predict = (batch: Float32Array, count: number): Float32Array =>
    tf.tidy(() => (model.predict(tf.tensor4d(batch, [count, h, w, ch])) as tf.Tensor).dataSync() as Float32Array);

  const base = predict(Float32Array.from(image), 1);
  const k = base.length;
  const c = options.classIndex ?? base.indexOf(Math.max(...base));
  const spots = positions(h, patch, stride).flatMap((y) => positions(w, patch, stride).map((x) => [y, x] as const));
  const drop = new Float32Array(h * w);
  const covered = new Float32Array(h * w);
  for (let start = 0; start < spots.length; start += chunk) {
    const part = spots.slice(start, start + chunk);
    const batch = new Float32Array(part.length * image.length);
    part.forEach(([y0, x0], b) => {
      const img = batch.subarray(b * image.length, (b + 1) * image.length);
      img.set(image as ArrayLike<number>);
      for (let y = y0; y < y0 + patch; y++)
        for (let x = x0; x < x0 + patch; x++) for (let j = 0; j < ch; j++) img[(y * w + x) * ch + j] = fill;
    });
    const probs = predict(batch, part.length);
    part.forEach(([y0, x0], b) => {
      const d = base[c] - probs[b * k + c];
      for (let y = y0; y < y0 + patch; y++)
        for (let x = x0; x < x0 + patch; x++) {
          drop[y * w + x] += d;
          covered[y * w + x]++;
        }
    });
  }
  for (let i = 0; i < drop.length; i++) drop[i] /= covered[i] || 1;
  return { map: drop, height: h, width: w, classIndex: c, baseline: base[c] };
}
