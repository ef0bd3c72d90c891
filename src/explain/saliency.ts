/**
 * Gradient saliency: which pixels, nudged a little, would change the class score most?
 *
 *   vanilla saliency (Simonyan et al., 2014):  |∂ score_c / ∂ pixel|
 *   SmoothGrad (Smilkov et al., 2017):         the same, averaged over copies of the image with
 *                                              Gaussian noise added, which washes out the speckle
 *                                              of single gradients and keeps what is stable.
 *
 * Both are pure functions of (model, image, options): they return plain arrays (one value per
 * pixel, H·W) and leave no tensors behind.
 */
import * as tf from "@tensorflow/tfjs";
import { gaussian, mulberry32 } from "../data/random";
import { runChain, topClass } from "./chain";

export interface ExplainedMap {
  /** One value per pixel, row-major [H, W]; larger = more important. */
  map: Float32Array;
  height: number;
  width: number;
  /** The class whose score was explained. */
  classIndex: number;
}

export interface SaliencyOptions {
  /** Class to explain; default: the model's prediction for this image. */
  classIndex?: number;
}

/** Gradient of class c's score with respect to a batch of images [B, H, W, C] (inside tidy). */
function scoreGradient(model: tf.LayersModel, images: tf.Tensor4D, c: number): tf.Tensor4D {
  const score = (x: tf.Tensor) => tf.sum(tf.slice(runChain(model, x, 0, undefined, { logits: true }), [0, c], [-1, 1]));
  return tf.grad(score)(images) as tf.Tensor4D;
}

/** |gradient| summed over the batch, then max over colour channels: one value per pixel. */
function pixelMagnitude(gradients: tf.Tensor4D, samples: number): Float32Array {
  return tf.tidy(() => tf.div(tf.max(tf.sum(tf.abs(gradients), 0), -1), samples).dataSync() as Float32Array);
}

function checkImage(image: ArrayLike<number>, shape: readonly [number, number, number]): void {
  if (image.length !== shape[0] * shape[1] * shape[2])
    throw new RangeError(`image has ${image.length} values, expected ${shape.join("×")}`);
}

/** Vanilla gradient saliency of one image [H, W, C]. */
export function saliencyMap(
  model: tf.LayersModel,
  image: ArrayLike<number>,
  shape: [number, number, number],
  { classIndex }: SaliencyOptions = {},
): ExplainedMap {
  checkImage(image, shape);
  return tf.tidy(() => {
    const x = tf.tensor4d(Float32Array.from(image), [1, ...shape]);
    const c = classIndex ?? topClass(model, x);
    return { map: pixelMagnitude(scoreGradient(model, x, c), 1), height: shape[0], width: shape[1], classIndex: c };
  });
}

export interface SmoothGradOptions extends SaliencyOptions {
  /** Noise standard deviation as a fraction of the image's value range (Smilkov et al. suggest 0.1–0.2). */
  noise?: number;
  /** Noisy copies averaged. */
  samples?: number;
  seed?: number;
}

export const SMOOTHGRAD_DEFAULTS = { noise: 0.15, samples: 16, seed: 1 } as const;

/** SmoothGrad: the mean |gradient| over `samples` noisy copies of the image. */
export function smoothGrad(
  model: tf.LayersModel,
  image: ArrayLike<number>,
  shape: [number, number, number],
  options: SmoothGradOptions = {},
): ExplainedMap {
  const { noise, samples, seed, classIndex } = { ...SMOOTHGRAD_DEFAULTS, ...options };
  checkImage(image, shape);
  if (!(Number.isInteger(samples) && samples >= 1 && samples <= 256))
    throw new RangeError(`samples must be a whole number from 1 to 256, got ${samples}`);
  if (!(noise >= 0 && noise <= 1)) throw new RangeError(`noise must be from 0 to 1, got ${noise}`);
  let lo = Infinity,
    hi = -Infinity;
  for (let i = 0; i < image.length; i++) ((lo = Math.min(lo, image[i])), (hi = Math.max(hi, image[i])));
  const sigma = noise * (hi - lo || 1);
  // The noisy copies are made here, seeded, so the same settings always draw the same map.
  const normal = gaussian(mulberry32(seed));
  const batch = new Float32Array(samples * image.length);
  for (let s = 0; s < samples; s++)
    for (let i = 0; i < image.length; i++) batch[s * image.length + i] = image[i] + sigma * normal();
  return tf.tidy(() => {
    const c = classIndex ?? topClass(model, tf.tensor4d(Float32Array.from(image), [1, ...shape]));
    const noisy = tf.tensor4d(batch, [samples, ...shape]);
    return {
      map: pixelMagnitude(scoreGradient(model, noisy, c), samples),
      height: shape[0],
      width: shape[1],
      classIndex: c,
    };
  });
}
