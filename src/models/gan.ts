/**
 * The two networks of an image-enhancement GAN (Wolterink et al., 2017: low-dose CT in, routine-dose
 * CT out; just after the survey, whose §2.6.3 saw GANs as promising but not yet applied to medical
 * images, and whose §3.5.2 reviews pixel-loss CNNs for enhancement), drawn like the figure:
 *
 *   generator:      noisy image → [conv 3×3 → ReLU] × (layers − 1) → conv 3×3 → residual
 *                   denoised = noisy image + residual          (it learns the noise to take away)
 *
 *   discriminator:  image → [conv 4×4, stride 2 → LeakyReLU 0.2] × 3 → conv 3×3 → one logit per patch
 *                   (a PatchGAN, Isola et al., 2017: it judges "real or denoised?" for every patch
 *                   instead of once per image, so it looks at texture: the thing pixel losses blur)
 *
 * The discriminator is unconditional: it sees only an image, never the noisy input it came from.
 * For denoising that is enough (a routine-dose CT looks the same whatever its low-dose partner
 * looked like) and it is what Wolterink et al. did; the pixel loss is what ties each output to
 * its own input. pix2pix conditions its discriminator on the input instead (2 input channels).
 */
import * as tf from "@tensorflow/tfjs";
import { checkWhole } from "../core/checks";
import { withSeededRandom } from "../data/random";

export interface GeneratorOptions {
  /** Image side in pixels (square, one channel). */
  size?: number;
  /** Feature maps in each hidden conv layer. */
  filters?: number;
  /** Conv layers in all, the last one included (2 to 20). */
  layers?: number;
  /** Seeds the initial weights, so "reset" and side-by-side runs start equal. */
  seed?: number;
}

export interface DiscriminatorOptions {
  /** Image side in pixels; must be divisible by 8 (three halvings). */
  size?: number;
  /** Feature maps of the first conv; each halving doubles them. */
  filters?: number;
  seed?: number;
}

export const GENERATOR_DEFAULTS = { size: 64, filters: 16, layers: 6, seed: 1 } as const;
export const DISCRIMINATOR_DEFAULTS = { size: 64, filters: 16, seed: 1 } as const;

/** Halvings in the discriminator: a 64×64 image gets 8×8 patch verdicts. */
export const DISCRIMINATOR_HALVINGS = 3;

/**
 * Spread of the generator's last conv at the start. Small, so the residual starts near zero and
 * the generator near the identity: before training it hands back the noisy image untouched, and
 * training only has to learn the (small) noise, not how to copy an image through six layers.
 * Not exactly zero: with zero weights no gradient would reach the earlier layers on the first
 * step (it flows back through these weights), and all their filters would start learning late.
 */
export const RESIDUAL_INIT_STDDEV = 1e-3;

type T = tf.SymbolicTensor;

/**
 * The denoiser: a plain stack of 3×3 convolutions whose output is added to its input.
 * Every layer keeps the full image size ("same" padding, no pooling), so the receptive field
 * is (2·layers + 1) pixels wide: 13×13 for 6 layers.
 *
 * Layer names: "image" (input), "conv1" … "conv{layers−1}" (ReLU), "residual" (the noise
 * estimate, with a minus sign) and "denoised" (input + residual, the output).
 */
export function buildGenerator(options: GeneratorOptions = {}): tf.LayersModel {
  const { size, filters, layers, seed } = { ...GENERATOR_DEFAULTS, ...options };
  checkWhole("size", size, 4, 1024);
  checkWhole("filters", filters, 1, 256);
  checkWhole("layers", layers, 2, 20);
  return withSeededRandom(seed, () => {
    const input = tf.input({ shape: [size, size, 1], name: "image" });
    let x: T = input;
    for (let i = 1; i < layers; i++) {
      // He initialisation (std √(2/fan-in)) keeps the signal's size through the ReLUs.
      x = tf.layers
        .conv2d({
          filters,
          kernelSize: 3,
          padding: "same",
          activation: "relu",
          kernelInitializer: "heNormal",
          name: `conv${i}`,
        })
        .apply(x) as T;
    }
    const residual = tf.layers
      .conv2d({
        filters: 1,
        kernelSize: 3,
        padding: "same",
        name: "residual",
        kernelInitializer: tf.initializers.randomNormal({ mean: 0, stddev: RESIDUAL_INIT_STDDEV }),
      })
      .apply(x) as T;
    const denoised = tf.layers.add({ name: "denoised" }).apply([input, residual]) as T;
    return tf.model({ inputs: input, outputs: denoised, name: "generator" });
  });
}

/**
 * The critic: a PatchGAN. Three strided 4×4 convolutions halve the image three times (64 → 8),
 * then a 3×3 conv gives one logit per position: the verdict on one patch. Each logit sees a
 * 38×38-pixel patch of a 64×64 image (its receptive field), not the whole image.
 *
 * Outputs are logits (no sigmoid): the losses use sigmoid cross-entropy on logits, which stays
 * finite where log(sigmoid(x)) would underflow. No batch normalisation (pix2pix has it): with
 * small batches its statistics are noisy, and a plain stack keeps the figure simple.
 *
 * Layer names: "image", "down1" … "down3" (convs), "down1_lrelu" … "down3_lrelu", "patch_logits".
 */
export function buildDiscriminator(options: DiscriminatorOptions = {}): tf.LayersModel {
  const { size, filters, seed } = { ...DISCRIMINATOR_DEFAULTS, ...options };
  checkWhole("filters", filters, 1, 256);
  const scale = 2 ** DISCRIMINATOR_HALVINGS;
  if (!(Number.isInteger(size) && size >= scale && size % scale === 0)) {
    throw new RangeError(`the discriminator needs an image side divisible by ${scale}, got ${size}`);
  }
  return withSeededRandom(seed, () => {
    const input = tf.input({ shape: [size, size, 1], name: "image" });
    let x: T = input;
    for (let i = 1; i <= DISCRIMINATOR_HALVINGS; i++) {
      x = tf.layers
        .conv2d({
          filters: filters * 2 ** (i - 1),
          kernelSize: 4,
          strides: 2,
          padding: "same",
          kernelInitializer: "heNormal",
          name: `down${i}`,
        })
        .apply(x) as T;
      x = tf.layers.leakyReLU({ alpha: 0.2, name: `down${i}_lrelu` }).apply(x) as T;
    }
    const logits = tf.layers.conv2d({ filters: 1, kernelSize: 3, padding: "same", name: "patch_logits" }).apply(x) as T;
    return tf.model({ inputs: input, outputs: logits, name: "discriminator" });
  });
}

/** Side of the discriminator's grid of patch verdicts for an image side (64 → 8). */
export function patchGridSize(size: number): number {
  return size / 2 ** DISCRIMINATOR_HALVINGS;
}
