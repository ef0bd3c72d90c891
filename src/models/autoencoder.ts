/**
 * A convolutional auto-encoder (survey §2.6.1), drawn like the figure:
 *
 *   image → encoder: [conv → ReLU → max-pool] × depth → flatten → dense → code (the bottleneck)
 *   code  → decoder: dense → reshape → [transposed conv (×2 up) → ReLU] × (depth − 1) → transposed conv → sigmoid → image
 *
 * The code has far fewer numbers than the image, so the network must keep only what matters to
 * rebuild it. The encoder is made of the CNN lesson's own conv blocks (same layer names), so a
 * trained encoder can be handed to the transfer lesson's strategies as a pretrained source CNN.
 *
 * The variational auto-encoder (VAE) encodes each image as a Gaussian (a mean and a log-variance
 * per code unit) and decodes a sample from it, drawn by the reparameterisation trick, so that
 * gradients flow through the sampling: z = μ + σ·ε with ε ~ N(0, 1).
 */
import * as tf from "@tensorflow/tfjs";
import { withSeededRandom } from "../data/random";
import { convBlock } from "./cnn";
import { tidyRead } from "../core/tensors";
import { runAtOnce, type Slices } from "../core/slices";

export interface AutoencoderOptions {
  /** [H, W, C] of the images; H and W must be divisible by 2^depth. */
  inputShape: [number, number, number];
  /** Filters in the first conv block; each block doubles them. */
  filters?: number;
  /** Conv blocks in the encoder (and up-sampling blocks in the decoder). */
  depth?: number;
  /** Units in the bottleneck: the size of the code. */
  codeSize?: number;
  /** A VAE: the code is a mean and a log-variance, and the decoder gets a sample. */
  variational?: boolean;
  /** Seeds the initial weights. */
  seed?: number;
  /**
   * The mean pixel value of the training images (0..1): the decoder starts out giving this grey
   * everywhere instead of 0.5. Otherwise its first steps must drag every output down (or up) at
   * once, which at high learning rates can kill every ReLU and leave a decoder that outputs black.
   */
  meanPixel?: number;
}

export const AUTOENCODER_DEFAULTS = {
  filters: 8,
  depth: 2,
  codeSize: 16,
  variational: false,
  seed: 1,
  meanPixel: 0.5,
} as const;
export const CODE_SIZE_RANGE = { min: 2, max: 128 } as const;

export interface Autoencoder {
  /** image → reconstruction: the model the trainer trains. */
  model: tf.LayersModel;
  /** image → code (for a VAE: [mean, log-variance]). Shares its weights with `model`. */
  encoder: tf.LayersModel;
  /** code → image. Shares its weights with `model`. */
  decoder: tf.LayersModel;
  codeSize: number;
  variational: boolean;
  inputShape: [number, number, number];
}

/** Depths this image size allows: every pooling must halve it exactly, down to no less than 2 pixels. */
export function autoencoderDepths(inputShape: readonly number[]): number[] {
  const side = Math.min(inputShape[0], inputShape[1]);
  const depths: number[] = [];
  for (let d = 1; d <= 4; d++) {
    if (inputShape[0] % 2 ** d === 0 && inputShape[1] % 2 ** d === 0 && side / 2 ** d >= 2) depths.push(d);
  }
  return depths;
}

/**
 * The reparameterisation trick as a layer: while training, z = μ + exp(½·log σ²)·ε with a fresh
 * ε ~ N(0, 1); when predicting, z = μ (the most likely code), so reconstructions do not flicker.
 */
export class SampleCode extends tf.layers.Layer {
  static className = "SampleCode";
  computeOutputShape(inputShape: tf.Shape[]): tf.Shape {
    return inputShape[0];
  }
  call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    return tf.tidy(() => {
      const [mean, logVar] = inputs as tf.Tensor[];
      if (!kwargs.training) return mean;
      const epsilon = tf.randomNormal(mean.shape); // drawn from Math.random: seeded by the trainer
      return tf.add(mean, tf.mul(tf.exp(tf.mul(logVar, 0.5)), epsilon));
    });
  }
}
tf.serialization.registerClass(SampleCode);

/** image → code: the CNN lesson's conv blocks, then a dense bottleneck (two for a VAE: mean and log-variance). */
function buildEncoder(
  inputShape: [number, number, number],
  filters: number,
  depth: number,
  codeSize: number,
  variational: boolean,
): tf.LayersModel {
  const image = tf.input({ shape: inputShape, name: "image" });
  let x = image;
  for (let i = 1; i <= depth; i++) x = convBlock(x, filters * 2 ** (i - 1), 3, i);
  x = tf.layers.flatten({ name: "flatten" }).apply(x) as tf.SymbolicTensor;
  if (!variational) {
    const code = tf.layers.dense({ units: codeSize, name: "code" }).apply(x) as tf.SymbolicTensor;
    return tf.model({ inputs: image, outputs: code, name: "encoder" });
  }
  const mean = tf.layers.dense({ units: codeSize, name: "codeMean" }).apply(x) as tf.SymbolicTensor;
  const logVar = tf.layers
    .dense({ units: codeSize, name: "codeLogVar", kernelInitializer: "zeros" })
    .apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: image, outputs: [mean, logVar], name: "encoder" });
}

/** code → image: the encoder run backwards, doubling the map where it pooled. */
function buildDecoder(
  inputShape: [number, number, number],
  filters: number,
  depth: number,
  codeSize: number,
  meanPixel: number,
): tf.LayersModel {
  const [h, w, c] = inputShape;
  const small = [h / 2 ** depth, w / 2 ** depth];
  const deepest = filters * 2 ** (depth - 1);
  const code = tf.input({ shape: [codeSize], name: "code" });
  let x = tf.layers
    .dense({ units: small[0] * small[1] * deepest, activation: "relu", name: "expand" })
    .apply(code) as tf.SymbolicTensor;
  x = tf.layers
    .reshape({ targetShape: [small[0], small[1], deepest], name: "unflatten" })
    .apply(x) as tf.SymbolicTensor;
  // Each transposed convolution (stride 2) doubles the map, mirroring one pooling of the encoder;
  // a 4×4 kernel covers every output pixel equally, which avoids checkerboard artifacts.
  for (let i = depth; i > 1; i--) {
    x = tf.layers
      .conv2dTranspose({
        filters: filters * 2 ** (i - 2),
        kernelSize: 4,
        strides: 2,
        padding: "same",
        activation: "relu",
        name: `deconv${i}`,
      })
      .apply(x) as tf.SymbolicTensor;
  }
  // The last one gives back the image's channels; sigmoid keeps pixel values in 0..1, like the images.
  const p = Math.min(Math.max(meanPixel, 0.01), 0.99);
  const image = tf.layers
    .conv2dTranspose({
      filters: c,
      kernelSize: 4,
      strides: 2,
      padding: "same",
      activation: "sigmoid",
      name: "reconstruction",
      biasInitializer: tf.initializers.constant({ value: Math.log(p / (1 - p)) }), // sigmoid(bias) = the mean pixel
    })
    .apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: code, outputs: image, name: "decoder" });
}

export function buildAutoencoder(options: AutoencoderOptions): Autoencoder {
  const { inputShape, filters, depth, codeSize, variational, seed, meanPixel } = {
    ...AUTOENCODER_DEFAULTS,
    ...options,
  };
  if (!autoencoderDepths(inputShape).includes(depth)) {
    throw new RangeError(
      `depth ${depth} does not fit ${inputShape[0]}×${inputShape[1]} images (allowed: ${autoencoderDepths(inputShape).join(", ") || "none"})`,
    );
  }
  if (!(Number.isInteger(codeSize) && codeSize >= CODE_SIZE_RANGE.min && codeSize <= CODE_SIZE_RANGE.max)) {
    throw new RangeError(
      `the code size must be a whole number from ${CODE_SIZE_RANGE.min} to ${CODE_SIZE_RANGE.max}, got ${codeSize}`,
    );
  }
  if (!(Number.isInteger(filters) && filters >= 1 && filters <= 64))
    throw new RangeError(`filters must be a whole number from 1 to 64, got ${filters}`);
  return withSeededRandom(seed, () => {
    const encoder = buildEncoder(inputShape, filters, depth, codeSize, variational);
    const decoder = buildDecoder(inputShape, filters, depth, codeSize, meanPixel);
    const image = tf.input({ shape: inputShape, name: "input" });
    const encoded = encoder.apply(image) as tf.SymbolicTensor | tf.SymbolicTensor[];
    const code = variational
      ? (new SampleCode({ name: "sample" }).apply(encoded) as tf.SymbolicTensor)
      : (encoded as tf.SymbolicTensor);
    const model = tf.model({
      inputs: image,
      outputs: decoder.apply(code) as tf.SymbolicTensor,
      name: variational ? "vae" : "autoencoder",
    });
    return { model, encoder, decoder, codeSize, variational, inputShape };
  });
}

/** The codes of `count` images (for a VAE: the means), count × codeSize row-major, in chunks. */
export function encodeImages(ae: Autoencoder, images: Float32Array, count: number, chunk = 100): Float32Array {
  return runAtOnce(encodeSlices(ae, images, count, chunk));
}

/** The same codes as work in slices (see core/slices.ts): `chunk` images at a time, a possible pause after each. */
export function* encodeSlices(ae: Autoencoder, images: Float32Array, count: number, chunk = 100): Slices<Float32Array> {
  const [h, w, c] = ae.inputShape;
  const size = h * w * c;
  const out = new Float32Array(count * ae.codeSize);
  for (let start = 0; start < count; start += chunk) {
    const end = Math.min(count, start + chunk);
    const codes = tidyRead(() => {
      const x = tf.tensor4d(images.subarray(start * size, end * size), [end - start, h, w, c]);
      const encoded = ae.encoder.predict(x) as tf.Tensor | tf.Tensor[];
      return Array.isArray(encoded) ? encoded[0] : encoded;
    });
    out.set(codes, start * ae.codeSize);
    yield;
  }
  return out;
}

/** Images from codes (count × codeSize row-major): count × H·W·C values. */
export function decodeCodes(ae: Autoencoder, codes: Float32Array, count: number): Float32Array {
  return tidyRead(() => ae.decoder.predict(tf.tensor2d(codes, [count, ae.codeSize])) as tf.Tensor);
}

/** The reconstructions of `count` images (count × H·W·C). */
export function reconstruct(ae: Autoencoder, images: Float32Array, count: number): Float32Array {
  return decodeCodes(ae, encodeImages(ae, images, count), count);
}

/** A straight walk through code space from image a to image b, decoded at `steps` points (a and b included). */
export function interpolate(
  ae: Autoencoder,
  a: Float32Array,
  b: Float32Array,
  steps = 8,
): { images: Float32Array; count: number } {
  const [ca, cb] = [encodeImages(ae, a, 1), encodeImages(ae, b, 1)];
  const codes = new Float32Array(steps * ae.codeSize);
  for (let s = 0; s < steps; s++) {
    const t = steps === 1 ? 0 : s / (steps - 1);
    for (let j = 0; j < ae.codeSize; j++) codes[s * ae.codeSize + j] = (1 - t) * ca[j] + t * cb[j];
  }
  return { images: decodeCodes(ae, codes, steps), count: steps };
}

/** New images: codes drawn from the prior N(0, I), decoded. Seeded: the same seed, the same samples. */
export function sampleFromPrior(ae: Autoencoder, count: number, seed = 1): Float32Array {
  return tidyRead(() => {
    const z = tf.randomNormal([count, ae.codeSize], 0, 1, "float32", seed);
    return ae.decoder.predict(z) as tf.Tensor;
  });
}
