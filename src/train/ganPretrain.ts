/**
 * Pretraining the GAN lesson's two denoisers, so the page can show a converged comparison at once:
 *
 *   warm start   pixel loss only, W steps                      ┐
 *                ├─ pixel loss only, A more steps  → "pixel"   │ the same total budget, W + A
 *                └─ pixel + λ·adversarial, A steps → "adversarial"  (a copy of the warm start,
 *                                                                    and of its discriminator)
 *
 * Both end with the same number of generator updates, so any difference comes from the
 * adversarial term, not from training longer. The adversarial run starts from the warm start's
 * generator AND its discriminator: the discriminator trains during the warm start too (at λ = 0
 * it only watches), so by then it has already learnt to tell the smooth pixel-loss outputs from
 * clean images, and its very first verdicts carry a useful gradient.
 *
 * Evaluation on a validation set (Shepp–Logan first, then random phantoms, all unseen): PSNR and
 * SSIM per image (mean), the high-frequency power ratio (output ÷ target, over the whole set),
 * radially averaged power spectra and the noise power spectrum (of output − target), for both
 * models and for the noisy input itself. Used by `npm run pretrain:gan` (node).
 */
import * as tf from "@tensorflow/tfjs";
import { makeCtPairs, type ImagePairs } from "../data/ct";
import {
  boundedPsnr,
  highFrequencyPower,
  meanRadialSpectrum,
  scoreDenoising,
  type DenoisingScore,
} from "../metrics/image";
import { buildDiscriminator, buildGenerator } from "../models/gan";
import { GanTrainer, type GanData, type GanStepRecord } from "./gan";
import { GAN_SETTINGS, type PixelLoss } from "./ganSettings";

export interface GanPretrainOptions {
  /** Seeds the training phantoms and their noise, both networks' initial weights and the batch order. */
  seed?: number;
  /** Training pairs (random phantoms, no Shepp–Logan). */
  trainCount?: number;
  /** Validation pairs: Shepp–Logan, then random phantoms. */
  valCount?: number;
  /** Seeds the validation set (fixed, so every training seed is scored on the same images). */
  valSeed?: number;
  /** Image side in pixels (divisible by 8, for the discriminator). */
  size?: number;
  /** Photons per detector cell: the simulated dose. Lower is noisier. */
  dose?: number;
  /** Fine tissue texture of the phantoms (std, image units; see DEFAULT_TEXTURE). 0: flat tissue, nothing to over-smooth. */
  texture?: number;
  /** Pixel-loss-only steps before the two runs part ways. */
  warmSteps?: number;
  /** Steps of each run after that (pixel-only continued; pixel + adversarial). */
  adversarialSteps?: number;
  /** Weight of the adversarial loss in the adversarial run. */
  lambda?: number;
  pixelLoss?: PixelLoss;
  generatorLearningRate?: number;
  discriminatorLearningRate?: number;
  /** Discriminator updates per generator update (in all runs; at λ = 0 they do not touch the generator). */
  discriminatorSteps?: number;
  batchSize?: number;
  generatorFilters?: number;
  generatorLayers?: number;
  discriminatorFilters?: number;
  /** Validate (PSNR and high-frequency ratio, for the history) every this many steps. */
  historyEvery?: number;
  /** Every training step of every run. */
  onStep?: (progress: GanPretrainProgress) => void;
  /** Every validation of every run. */
  onValidation?: (point: PretrainingPoint) => void;
}

/**
 * The shipped settings. The phantoms carry fine tissue texture (DEFAULT_TEXTURE): on flat ones a
 * pixel-loss denoiser has nothing to over-smooth (measured earlier: hf ratio 0.97, and λ from 0.01
 * to 0.2 changed nothing but noise near Nyquist). With texture, measured on validation at these
 * settings (I0 = 1.5e3, L1, 400 + 300 steps):
 *   input        29.05 dB  SSIM 0.677  hf ratio 1.31
 *   pixel only   35.29 dB  SSIM 0.929  hf ratio 0.90   spectrum ÷ target at r = 24, 28: 0.60, 0.49
 *   + 0.05·adv   34.77 dB  SSIM 0.923  hf ratio 0.92   spectrum ÷ target at r = 24, 28: 0.69, 0.64
 * The pixel-only denoiser is over-smoothed at the finest scales; the adversarial one keeps more
 * power there, with error power above a quarter of Nyquist only 11% above the pixel-only one's
 * (a third of the input's). The effect is small: the total hf ratio wanders ±0.02 between
 * checkpoints on both paths, and averaged over steps 450–700 the two paths are level (0.926 vs
 * 0.923); only the finest-scale spectrum (r ≥ 20) separates them at the end. Tried in the same
 * bounded search (300 adversarial steps each, from the same warm start): λ = 0.05 with D lr 2e-3 ×
 * 1 (the discriminator collapsed by step 300, hf 0.82), λ = 0.05 with G lr 3e-4 (no change from
 * pixel-only), λ = 0.02 (hf 0.97 at step 200, 0.85 at 300: unstable). 2 discriminator updates at
 * lr 4e-3 kept the discriminator in the game (D loss ≈ 0.55, real 0.57, fake 0.31).
 */
export const GAN_PRETRAIN_DEFAULTS = {
  seed: GAN_SETTINGS.seed,
  trainCount: GAN_SETTINGS.trainCount,
  valCount: GAN_SETTINGS.valCount,
  valSeed: GAN_SETTINGS.valSeed,
  size: GAN_SETTINGS.size,
  dose: GAN_SETTINGS.dose,
  texture: GAN_SETTINGS.texture,
  warmSteps: GAN_SETTINGS.warmSteps,
  adversarialSteps: GAN_SETTINGS.adversarialSteps,
  lambda: GAN_SETTINGS.lambda,
  pixelLoss: GAN_SETTINGS.pixelLoss,
  generatorLearningRate: GAN_SETTINGS.generatorLearningRate,
  discriminatorLearningRate: GAN_SETTINGS.discriminatorLearningRate,
  discriminatorSteps: GAN_SETTINGS.discriminatorSteps,
  batchSize: GAN_SETTINGS.batchSize,
  generatorFilters: GAN_SETTINGS.generatorFilters,
  generatorLayers: GAN_SETTINGS.generatorLayers,
  discriminatorFilters: GAN_SETTINGS.discriminatorFilters,
  historyEvery: GAN_SETTINGS.historyEvery,
};

export type ResolvedGanPretrainOptions = typeof GAN_PRETRAIN_DEFAULTS;

/** "warm": the shared pixel-only start; "pixel": its continuation; "adversarial": pixel + λ·adversarial. */
export type GanPretrainPhase = "warm" | "pixel" | "adversarial";

export interface GanPretrainProgress {
  phase: GanPretrainPhase;
  /** Generator updates so far on this model's path, warm start included (1 .. warmSteps + adversarialSteps). */
  step: number;
  totalSteps: number;
  record: GanStepRecord;
}

export interface PretrainingPoint {
  phase: GanPretrainPhase;
  /** Generator updates so far on this model's path, warm start included. */
  step: number;
  /** Mean validation PSNR, dB. */
  psnr: number;
  /** High-frequency power of the outputs ÷ that of the targets, over the validation set. */
  hfRatio: number;
  /** Means over the steps since the previous point: discriminator loss (ln 2 ≈ 0.69 is a coin toss), its "real" probability on clean and on denoised images. */
  discriminatorLoss: number;
  realScore: number;
  fakeScore: number;
  pixelLoss: number;
}

export interface GanPretrainRecord {
  task: "low-dose CT denoising";
  /** Every setting, so the same data and runs can be made again. */
  options: ResolvedGanPretrainOptions;
  seed: number;
  steps: { warm: number; adversarial: number; total: number };
  architecture: {
    generator: { size: number; filters: number; layers: number; parameters: number };
    discriminator: { size: number; filters: number; parameters: number };
  };
  /** The clean targets' own mean radial spectrum, for charts. */
  targetSpectrum: number[];
  val: { input: DenoisingScore; pixel: DenoisingScore; adversarial: DenoisingScore };
  /** Validation every historyEvery steps, for both models' paths (the warm start is shared). */
  history: PretrainingPoint[];
  /** Which of the two models the files next to this record hold (set by the script). */
  model?: "pixel" | "adversarial";
  seconds: { data: number; warm: number; pixel: number; adversarial: number; evaluation: number; total: number };
}

export interface GanPretrainResult {
  pixel: tf.LayersModel;
  adversarial: tf.LayersModel;
  record: GanPretrainRecord;
}

/** The training and validation pairs the pretraining uses (the same options give the same images). */
export function ganPretrainData(options: GanPretrainOptions = {}): GanData {
  const o = { ...GAN_PRETRAIN_DEFAULTS, ...options };
  return { train: ganTrainSet(o), val: ganValidationSet(o) };
}

export function ganTrainSet(options: GanPretrainOptions = {}): ImagePairs {
  const o = { ...GAN_PRETRAIN_DEFAULTS, ...options };
  return pairsOf(
    makeCtPairs({
      count: o.trainCount,
      size: o.size,
      dose: o.dose,
      seed: o.seed,
      texture: o.texture,
      includeSheppLogan: false,
    }),
  );
}

/** The validation set: Shepp–Logan first, then random phantoms; depends on valSeed, valCount, size, dose and texture only. */
export function ganValidationSet(
  options: Pick<GanPretrainOptions, "valCount" | "valSeed" | "size" | "dose" | "texture"> = {},
): ImagePairs {
  const o = { ...GAN_PRETRAIN_DEFAULTS, ...options };
  return pairsOf(
    makeCtPairs({
      count: o.valCount,
      size: o.size,
      dose: o.dose,
      seed: o.valSeed,
      texture: o.texture,
      includeSheppLogan: true,
    }),
  );
}

function pairsOf({ inputs, targets, count, size }: ImagePairs): ImagePairs {
  return { inputs, targets, count, size };
}

/** A generator's outputs for a set of images, in chunks. */
export function denoise(
  model: tf.LayersModel,
  inputs: Float32Array,
  count: number,
  size: number,
  chunk = 16,
): Float32Array {
  const n = size * size;
  const out = new Float32Array(count * n);
  for (let start = 0; start < count; start += chunk) {
    const end = Math.min(count, start + chunk);
    const values = tf.tidy(() =>
      (
        model.predict(tf.tensor4d(inputs.subarray(start * n, end * n), [end - start, size, size, 1])) as tf.Tensor
      ).dataSync(),
    );
    out.set(values, start * n);
  }
  return out;
}

/** Copies of a model's weights that outlive it and every tidy. */
function snapshot(model: tf.LayersModel): tf.Tensor[] {
  return model.getWeights().map((w) => tf.keep(w.clone()));
}

function countParameters(model: tf.LayersModel): number {
  return model.getWeights().reduce((s, w) => s + w.size, 0);
}

function seconds(since: number): number {
  return Math.round((Date.now() - since) / 100) / 10;
}

/**
 * Validation metrics for the history: PSNR per image, and each image's high-frequency power and
 * its target's, so the mean of one over the mean of the other is the ratio over the whole set.
 */
function historyMetrics(output: Float32Array, target: Float32Array, size: number): Record<string, number> {
  return {
    psnr: boundedPsnr(output, target),
    hfOutput: highFrequencyPower(output, size),
    hfTarget: highFrequencyPower(target, size),
  };
}

/** Runs one trainer to its end, recording history points; throws if it did not finish. */
async function run(
  trainer: GanTrainer,
  phase: (step: number) => GanPretrainPhase,
  offset: number,
  totalSteps: number,
  o: GanPretrainOptions,
  history: PretrainingPoint[],
  onStep?: (step: GanStepRecord) => void,
): Promise<void> {
  let since: GanStepRecord[] = [];
  trainer.on("step", (record) => {
    since.push(record);
    onStep?.(record);
    o.onStep?.({ phase: phase(record.step), step: offset + record.step, totalSteps, record });
  });
  trainer.on("validation", (v) => {
    const mean = (key: keyof GanStepRecord) =>
      since.reduce((s, r) => s + (r[key] as number), 0) / Math.max(1, since.length);
    const point: PretrainingPoint = {
      phase: phase(v.step),
      step: offset + v.step,
      psnr: v.metrics.psnr,
      hfRatio: v.metrics.hfOutput / v.metrics.hfTarget,
      discriminatorLoss: mean("discriminatorLoss"),
      realScore: mean("realScore"),
      fakeScore: mean("fakeScore"),
      pixelLoss: mean("pixelLoss"),
    };
    since = [];
    history.push(point);
    o.onValidation?.(point);
  });
  await trainer.start();
  if (trainer.state !== "done")
    throw new Error(
      `GAN pretraining (${phase(trainer.stepsTaken)}) stopped at step ${trainer.stepsTaken}: ${trainer.message}`,
    );
}

/**
 * Trains the pixel-only and the adversarial denoiser from a shared pixel-loss warm start, with the
 * same total number of generator updates, and scores both (and the noisy input) on validation.
 * The two generators are the caller's to dispose.
 */
export async function pretrainGan(options: GanPretrainOptions = {}): Promise<GanPretrainResult> {
  const { onStep, onValidation, ...settings } = options;
  const o: ResolvedGanPretrainOptions = { ...GAN_PRETRAIN_DEFAULTS, ...settings };
  for (const key of ["warmSteps", "adversarialSteps"] as const) {
    if (!(Number.isInteger(o[key]) && o[key] >= 1))
      throw new RangeError(`${key} must be a whole number ≥ 1, got ${o[key]}`);
  }
  if (!(o.lambda > 0)) throw new RangeError(`λ must be > 0 for the adversarial run, got ${o.lambda}`);
  const total = o.warmSteps + o.adversarialSteps;
  const started = Date.now();

  const data = ganPretrainData(o);
  const dataSeconds = seconds(started);
  const history: PretrainingPoint[] = [];
  const generatorOptions = { size: o.size, filters: o.generatorFilters, layers: o.generatorLayers, seed: o.seed };
  const discriminatorOptions = { size: o.size, filters: o.discriminatorFilters, seed: o.seed };
  const trainerOptions = {
    pixelLoss: o.pixelLoss,
    discriminatorSteps: o.discriminatorSteps,
    batchSize: o.batchSize,
    seed: o.seed,
    generatorLearningRate: o.generatorLearningRate,
    discriminatorLearningRate: o.discriminatorLearningRate,
    validationEvery: o.historyEvery,
    metrics: historyMetrics,
  };

  // 1. Pixel loss only, for warm + adversarial steps; the networks are saved at the fork.
  const pixel = buildGenerator(generatorOptions);
  const pixelCritic = buildDiscriminator(discriminatorOptions);
  const pixelTrainer = new GanTrainer(pixel, pixelCritic, data, { ...trainerOptions, lambda: 0, maxSteps: total });
  let fork: { generator: tf.Tensor[]; discriminator: tf.Tensor[] } | null = null;
  let warmEnded = 0;
  const t0 = Date.now();
  await run(
    pixelTrainer,
    (s) => (s <= o.warmSteps ? "warm" : "pixel"),
    0,
    total,
    { onStep, onValidation },
    history,
    (record) => {
      if (record.step === o.warmSteps) {
        fork = { generator: snapshot(pixel), discriminator: snapshot(pixelCritic) };
        warmEnded = Date.now();
      }
    },
  );
  await pixelTrainer.dispose({ keepModels: true });
  pixelCritic.dispose();
  const pixelSeconds = seconds(warmEnded),
    warmSeconds = Math.round((warmEnded - t0) / 100) / 10;
  if (!fork) throw new Error("the warm start was never saved");
  const saved = fork as { generator: tf.Tensor[]; discriminator: tf.Tensor[] };

  // 2. Pixel + λ · adversarial, from the warm start's generator and discriminator.
  const t1 = Date.now();
  const adversarial = buildGenerator(generatorOptions);
  const critic = buildDiscriminator(discriminatorOptions);
  critic.setWeights(saved.discriminator);
  const adversarialTrainer = new GanTrainer(adversarial, critic, data, {
    ...trainerOptions,
    lambda: o.lambda,
    maxSteps: o.adversarialSteps,
    warmStart: saved.generator,
  });
  for (const w of [...saved.generator, ...saved.discriminator]) w.dispose();
  await run(adversarialTrainer, () => "adversarial", o.warmSteps, total, { onStep, onValidation }, history);
  await adversarialTrainer.dispose({ keepModels: true });
  critic.dispose();
  const adversarialSeconds = seconds(t1);

  // 3. Scores on validation.
  const t2 = Date.now();
  const { val } = data;
  const score = (images: Float32Array) => scoreDenoising(images, val.targets, val.count, val.size);
  const record: GanPretrainRecord = {
    task: "low-dose CT denoising",
    options: o,
    seed: o.seed,
    steps: { warm: o.warmSteps, adversarial: o.adversarialSteps, total },
    architecture: {
      generator: {
        size: o.size,
        filters: o.generatorFilters,
        layers: o.generatorLayers,
        parameters: countParameters(pixel),
      },
      discriminator: { size: o.size, filters: o.discriminatorFilters, parameters: 0 },
    },
    targetSpectrum: meanRadialSpectrum(val.targets, val.count, val.size),
    val: {
      input: await score(val.inputs),
      pixel: await score(denoise(pixel, val.inputs, val.count, val.size)),
      adversarial: await score(denoise(adversarial, val.inputs, val.count, val.size)),
    },
    history,
    seconds: {
      data: dataSeconds,
      warm: warmSeconds,
      pixel: pixelSeconds,
      adversarial: adversarialSeconds,
      evaluation: seconds(t2),
      total: seconds(started),
    },
  };
  const d = buildDiscriminator(discriminatorOptions);
  record.architecture.discriminator.parameters = countParameters(d);
  d.dispose();
  return { pixel, adversarial, record };
}
