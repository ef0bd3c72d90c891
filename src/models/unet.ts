/**
 * U-Net (Ronneberger et al., 2015), drawn like the paper's figure:
 *
 *   encoder: [conv → conv] → pool, repeated `depth` times, doubling the filters
 *   bottleneck: [conv → conv] at the coarsest scale
 *   decoder: upsample → concatenate the encoder's map of the same size (the skip connection)
 *            → [conv → conv], repeated back up to full size
 *   output: a 1×1 conv with a sigmoid: one probability per pixel
 *
 * Without skips it is a plain encoder–decoder: everything the decoder knows must squeeze through
 * the bottleneck, so fine boundary detail is lost.
 */
import * as tf from "@tensorflow/tfjs";
import { withSeededRandom } from "../data/random";

export interface UNetOptions {
  /** [H, W, C]; H and W must be divisible by 2^depth. */
  inputShape: [number, number, number];
  /** Pooling levels (2 to 4). */
  depth?: number;
  /** Filters at the first level; each level down doubles them. */
  baseFilters?: number;
  /** Concatenate encoder maps into the decoder (true: U-Net; false: plain encoder–decoder). */
  skips?: boolean;
  /** "transpose": learned transposed convolution; "resize": nearest-neighbour resize, then a conv. */
  upsample?: "transpose" | "resize";
  /** Output channels (one sigmoid map each). */
  outputs?: number;
  /**
   * Fraction of foreground pixels in the data. The output starts at this probability instead of
   * 0.5, so early training refines masks rather than first unlearning "everything is a nucleus".
   */
  foregroundPrior?: number;
  seed?: number;
}

export const UNET_DEFAULTS = {
  depth: 3,
  baseFilters: 8,
  skips: true,
  upsample: "transpose",
  outputs: 1,
  seed: 1,
} as const;

type T = tf.SymbolicTensor;

/**
 * 3×3 conv + ReLU. He initialisation (std √(2/fan-in)), as in the U-Net paper: it keeps the signal's
 * size through many ReLU layers. With the default (Glorot) a deep encoder–decoder without skips
 * starts with a vanishing signal and barely learns.
 */
function conv(x: T, filters: number, name: string): T {
  return tf.layers
    .conv2d({ filters, kernelSize: 3, padding: "same", activation: "relu", kernelInitializer: "heNormal", name })
    .apply(x) as T;
}

/** Two 3×3 convolutions, as in every U-Net block. The second one's output is the block's output. */
function doubleConv(x: T, filters: number, name: string): T {
  return conv(conv(x, filters, `${name}_conv1`), filters, `${name}_out`);
}

/** Doubles the map's size: learned (transposed conv, 3×3 stride 2) or resize-then-convolve. */
function upsample(x: T, filters: number, how: "transpose" | "resize", name: string): T {
  if (how === "transpose") {
    return tf.layers
      .conv2dTranspose({
        filters,
        kernelSize: 3,
        strides: 2,
        padding: "same",
        activation: "relu",
        kernelInitializer: "heNormal",
        name: `${name}_up`,
      })
      .apply(x) as T;
  }
  const resized = tf.layers
    .upSampling2d({ size: [2, 2], interpolation: "nearest", name: `${name}_resize` })
    .apply(x) as T;
  return conv(resized, filters, `${name}_up`);
}

export function buildUNet(options: UNetOptions): tf.LayersModel {
  const {
    inputShape,
    depth,
    baseFilters,
    skips,
    upsample: how,
    outputs,
    seed,
    foregroundPrior,
  } = { ...UNET_DEFAULTS, ...options };
  if (!(Number.isInteger(depth) && depth >= 1 && depth <= 5))
    throw new RangeError(`depth must be 1 to 5, got ${depth}`);
  const scale = 2 ** depth;
  if (inputShape[0] % scale || inputShape[1] % scale) {
    throw new RangeError(
      `a depth-${depth} U-Net needs image sides divisible by ${scale}, got ${inputShape[0]}×${inputShape[1]}`,
    );
  }
  return withSeededRandom(seed, () => {
    const input = tf.input({ shape: inputShape, name: "image" });
    const encoderMaps: T[] = [];
    let x: T = input;
    for (let level = 1; level <= depth; level++) {
      x = doubleConv(x, baseFilters * 2 ** (level - 1), `enc${level}`);
      encoderMaps.push(x); // kept for the skip connection at this scale
      x = tf.layers.maxPooling2d({ poolSize: 2, name: `enc${level}_pool` }).apply(x) as T;
    }
    x = doubleConv(x, baseFilters * 2 ** depth, "bottleneck");
    for (let level = depth; level >= 1; level--) {
      const filters = baseFilters * 2 ** (level - 1);
      x = upsample(x, filters, how, `dec${level}`);
      if (skips) x = tf.layers.concatenate({ name: `dec${level}_skip` }).apply([encoderMaps[level - 1], x]) as T;
      x = doubleConv(x, filters, `dec${level}`);
    }
    const prior = Math.min(Math.max(foregroundPrior ?? 0.5, 0.01), 0.99);
    const mask = tf.layers
      .conv2d({
        filters: outputs,
        kernelSize: 1,
        activation: "sigmoid",
        name: "mask",
        biasInitializer: tf.initializers.constant({ value: Math.log(prior / (1 - prior)) }), // sigmoid(bias) = prior
      })
      .apply(x) as T;
    return tf.model({ inputs: input, outputs: mask, name: skips ? "unet" : "encoder_decoder" });
  });
}

/** The output of every U-Net block (encoder levels, bottleneck, decoder levels), in order: what the feature-map chart shows. */
export function unetBlockOutputs(model: tf.LayersModel): tf.layers.Layer[] {
  return model.layers.filter((l) => /_out$/.test(l.name));
}

/**
 * Multiply-adds of one forward pass on one image, counted from the layers' shapes: a conv costs
 * (output pixels × kernel area × input channels × filters); a transposed conv scatters each INPUT
 * pixel through its kernel, so it costs (input pixels × kernel area × input channels × filters).
 * A machine-independent measure of "more computation per step" (e.g. resize + conv vs transposed conv).
 */
export function multiplyAdds(model: tf.LayersModel): number {
  let total = 0;
  for (const layer of model.layers) {
    const kind = layer.getClassName();
    if (kind !== "Conv2D" && kind !== "Conv2DTranspose") continue;
    const { kernelSize, filters } = layer.getConfig() as { kernelSize: number[]; filters: number };
    const input = (layer.input as tf.SymbolicTensor).shape as number[];
    const output = (layer.output as tf.SymbolicTensor).shape as number[];
    const pixels = kind === "Conv2D" ? output[1] * output[2] : input[1] * input[2];
    total += pixels * kernelSize[0] * kernelSize[1] * input[3] * filters;
  }
  return total;
}
