/**
 * Reconstruction as a training task: the input is the (corrupted) image, the target the clean
 * image, the loss the mean squared error per pixel. No label is ever read. For a VAE, the loss
 * adds β times the KL divergence of each image's code distribution from the prior N(0, I).
 */
import * as tf from "@tensorflow/tfjs";
import { checkCorruption, corruptImage, corruptImages, type Corruption } from "../data/corrupt";
import { buildAutoencoder, type Autoencoder, type AutoencoderOptions } from "../models/autoencoder";
import { perImageError, psnrFromMse } from "../metrics/reconstruction";
import { imagesTensor, type ImageSplit, type TrainingTask } from "./task";
import { Trainer } from "./trainer";
import type { History } from "./types";

/** Images only: whatever labels the dataset has stay out of training. */
export interface UnlabelledData {
  imageShape: [number, number, number];
  train: ImageSplit;
  val: ImageSplit;
}

export interface ReconstructionValidation {
  /** [N, H, W, C] reconstructions of the validation images. */
  reconstructions: Float32Array;
  /** The validation images as the network saw them (corrupted with a fixed seed). */
  inputs: Float32Array;
  /** Mean squared error of each validation image against its clean version. */
  errors: Float32Array;
}

export interface ReconstructionTaskOptions {
  corruption?: Corruption;
  /** Seeds the fixed corruption of the validation images. */
  valSeed?: number;
  /** For a VAE: its encoder's output feeds the KL term, weighted by beta (β = 1: the plain VAE). */
  vae?: { autoencoder: Autoencoder; beta: number } | null;
}

export const BETA_RANGE = { min: 0, max: 20 } as const;

/**
 * KL(N(μ, σ²) ‖ N(0, 1)) summed over the code units, one value per image:
 *   −½ · Σ (1 + log σ² − μ² − σ²)
 * It is 0 when every code is exactly the prior, and grows as codes spread out or shrink.
 */
export function klDivergence(mean: tf.Tensor2D, logVar: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(
    () => tf.mul(-0.5, tf.sum(tf.sub(tf.sub(tf.add(1, logVar), tf.square(mean)), tf.exp(logVar)), 1)) as tf.Tensor1D,
  );
}

/** Squared error per pixel, averaged over the batch. */
function reconstructionLoss(ys: tf.Tensor, outputs: tf.Tensor): tf.Scalar {
  return tf.mean(tf.squaredDifference(ys, outputs)) as tf.Scalar;
}

export type ReconstructionTask = TrainingTask<ReconstructionValidation> & {
  data: UnlabelledData;
  corruption: Corruption;
  /** The KL weight; the page changes it live. */
  beta: number;
};

export function reconstructionTask(
  data: UnlabelledData,
  { corruption = { kind: "none", level: 0 }, valSeed = 99, vae = null }: ReconstructionTaskOptions = {},
): ReconstructionTask {
  checkCorruption(corruption);
  if (vae && !(Number.isFinite(vae.beta) && vae.beta >= BETA_RANGE.min && vae.beta <= BETA_RANGE.max)) {
    throw new RangeError(`β must be a number from ${BETA_RANGE.min} to ${BETA_RANGE.max}, got ${vae.beta}`);
  }
  if (vae && corruption.kind !== "none")
    throw new RangeError("the VAE here trains on clean images: its noise is in the code (set the corruption to none)");
  const [h, w, c] = data.imageShape;
  const pixels = h * w * c;
  const valInputs = corruptImages(data.val.images, data.val.count, c, corruption, valSeed);
  // A decoder that outputs mid-grey everywhere: what an untrained sigmoid gives, the "guessing" loss.
  let grey = 0;
  for (let i = 0; i < data.train.images.length; i++) grey += (data.train.images[i] - 0.5) ** 2;
  grey /= Math.max(1, data.train.images.length);

  const task: ReconstructionTask = {
    data,
    corruption,
    beta: vae?.beta ?? 0,
    inputShape: data.imageShape,
    train: data.train,
    val: { images: valInputs, count: data.val.count },
    scoreName: "psnr",
    chanceLoss: Math.max(grey, 1e-3),
    batch(indices, rand) {
      const ys = imagesTensor(data.train, data.imageShape, indices);
      const xs =
        corruption.kind === "none"
          ? ys.clone()
          : imagesTensor(data.train, data.imageShape, indices, (image) => corruptImage(image, corruption, rand, c));
      return { xs, ys };
    },
    loss(ys, outputs) {
      const pixelLoss = reconstructionLoss(ys, outputs);
      if (!vae) return pixelLoss;
      // The encoder again on the same (clean) images gives the same μ and log σ² as the
      // forward pass did (it is deterministic), so the KL gradient reaches the same weights.
      const [mean, logVar] = vae.autoencoder.encoder.apply(ys, { training: true }) as tf.Tensor2D[];
      // Per pixel, like the squared error: (Σ squared error + β·KL) / pixels, averaged over images.
      return tf.add(pixelLoss, tf.mul(task.beta / pixels, tf.mean(klDivergence(mean, logVar)))) as tf.Scalar;
    },
    score(ys, outputs) {
      // PSNR of the batch: 10·log10(1 / MSE), in dB; higher is better.
      return tf.tidy(
        () => tf.mul(10 / Math.LN10, tf.neg(tf.log(tf.maximum(reconstructionLoss(ys, outputs), 1e-10)))) as tf.Scalar,
      );
    },
    scoreValidation(reconstructions) {
      const errors = perImageError(data.val.images, reconstructions, data.val.count);
      const mse = errors.reduce((a, b) => a + b, 0) / Math.max(1, errors.length);
      return {
        loss: mse,
        metrics: { psnr: psnrFromMse(mse) },
        details: { reconstructions, inputs: valInputs, errors },
      };
    },
  };
  return task;
}

/**
 * The images of a classification dataset with their labels dropped. `keep` picks training images
 * (e.g. normal ones only, for anomaly detection); the validation split is always kept whole.
 */
export function unlabelled(
  ds: { imageShape: [number, number, number]; train: ImageSplit; val: ImageSplit },
  { keep }: { keep?: (index: number) => boolean } = {},
): UnlabelledData {
  if (!keep)
    return {
      imageShape: ds.imageShape,
      train: { images: ds.train.images, count: ds.train.count },
      val: { images: ds.val.images, count: ds.val.count },
    };
  const size = ds.imageShape[0] * ds.imageShape[1] * ds.imageShape[2];
  const kept = Array.from({ length: ds.train.count }, (_, i) => i).filter(keep);
  const images = new Float32Array(kept.length * size);
  kept.forEach((i, j) => images.set(ds.train.images.subarray(i * size, (i + 1) * size), j * size));
  return {
    imageShape: ds.imageShape,
    train: { images, count: kept.length },
    val: { images: ds.val.images, count: ds.val.count },
  };
}

/** The mean pixel value of a split: where the decoder starts. */
export function meanPixel(split: ImageSplit): number {
  let sum = 0;
  for (let i = 0; i < split.images.length; i++) sum += split.images[i];
  return split.images.length ? sum / split.images.length : 0.5;
}

export interface ReconstructionRunOptions {
  /** The auto-encoder's architecture (its inputShape is the data's). */
  architecture: Omit<AutoencoderOptions, "inputShape">;
  corruption?: Corruption;
  beta?: number;
  epochs: number;
  batchSize?: number;
  learningRate?: number;
  seed: number;
  /** Called after every epoch, for progress. */
  onEpoch?: (epoch: number, epochs: number) => void;
}

/**
 * Builds an auto-encoder and its trainer for these images: the page drives the trainer with its
 * buttons; `trainReconstruction` below runs it to the end (record scripts, tests).
 */
export function reconstructionTrainer(
  data: UnlabelledData,
  {
    architecture,
    corruption,
    beta = 1,
    epochs,
    batchSize = 32,
    learningRate = 0.003,
    seed,
  }: Omit<ReconstructionRunOptions, "onEpoch">,
): { autoencoder: Autoencoder; trainer: Trainer<ReconstructionValidation>; task: ReconstructionTask } {
  const autoencoder = buildAutoencoder({
    ...architecture,
    inputShape: data.imageShape,
    seed,
    meanPixel: meanPixel(data.train),
  });
  try {
    const task = reconstructionTask(data, {
      corruption: autoencoder.variational ? { kind: "none", level: 0 } : corruption,
      vae: autoencoder.variational ? { autoencoder, beta } : null,
    });
    const trainer = new Trainer<ReconstructionValidation>(autoencoder.model, task, {
      epochs,
      batchSize,
      learningRate,
      seed,
    });
    return { autoencoder, trainer, task };
  } catch (error) {
    autoencoder.model.dispose(); // a refused setting must not leak the model it built
    throw error;
  }
}

/** Trains an auto-encoder to the end and returns it with its trainer's history (the trainer is disposed, the model kept). */
export async function trainReconstruction(
  data: UnlabelledData,
  options: ReconstructionRunOptions,
): Promise<{ autoencoder: Autoencoder; history: History; validation: ReconstructionValidation | null; state: string }> {
  const { autoencoder, trainer } = reconstructionTrainer(data, options);
  trainer.on("epoch", (e) => options.onEpoch?.(e.epoch, options.epochs));
  while (trainer.state !== "done" && trainer.state !== "diverged") await trainer.step();
  const result = { autoencoder, history: trainer.history, validation: trainer.validation, state: trainer.state };
  await trainer.dispose({ keepModel: true });
  return result;
}
