/**
 * Trains an image-enhancement GAN: a generator that denoises, against a discriminator that tells
 * its outputs from clean images (Wolterink et al., 2017, low-dose CT: published just after the survey,
 * whose §3.5.2 reviews enhancement CNNs trained with pixel losses only, and whose §2.6.3 notes no GAN
 * had yet been applied to medical images).
 *
 * One step:
 *   1. the discriminator learns, `discriminatorSteps` times: clean targets are "real" (label 1),
 *      the generator's current outputs are "fake" (label 0, no gradient into the generator);
 *   2. the generator learns once, on   pixel loss + λ · adversarial loss,
 *      where the adversarial loss asks the discriminator to call its outputs real.
 *
 * λ = 0 is the pixel-only baseline, exactly: the adversarial term is then not even computed
 * inside the generator's gradient, so its update is the pure pixel-loss update. The
 * discriminator still trains at λ = 0, so the page can show that it learns to spot the smooth,
 * "too clean" outputs of a pixel-loss denoiser; it just has no say in the generator's update.
 *
 * It offers the same controls as the other trainers (start, pause, step, stop, reset), emits
 * events and keeps tfjs memory flat. It knows nothing of charts.
 */
import * as tf from "@tensorflow/tfjs";
import { ignoringBackendFailure } from "../backend/rescue";
import { checkWhole } from "../core/checks";
import type { ImagePairs } from "../data/ct";
import { boundedPsnr, PSNR_MAX } from "../metrics/image";
import { mulberry32, shuffle } from "../data/random";
import { EpochOrder } from "./epochOrder";
import { checkLearningRate, DIVERGED_MESSAGE, LossWatch } from "./checks";
import { GAN_SETTINGS, type PixelLoss } from "./ganSettings";
import { TrainingLoop } from "./loop";
import { adam, predictInChunks, setAdamLearningRate, WeightSnapshot } from "./snapshot";
import type { BatchRecord, Controllable, EpochRecord, History, TrainerEvents, TrainerState } from "./types";
import { yieldToBrowser } from "./yield";

export interface GanData {
  train: ImagePairs;
  val: ImagePairs;
}

/** Scores one output image against its target (both size·size values): e.g. {psnr, ssim}. */
export type ImageMetrics = (output: Float32Array, target: Float32Array, size: number) => Record<string, number>;

export interface GanTrainerOptions {
  /**
   * "l1" (mean absolute error, the default) or "mse". L1 is what pix2pix pairs with its
   * adversarial term: it blurs less than MSE (MSE is minimised by the average of the plausible answers,
   * L1 by their median; the average smears more,
   * the very over-smoothing the adversarial loss is there to fix) and its gradient does not
   * shrink as errors get small. MSE optimises PSNR directly, so it may score a little higher.
   */
  pixelLoss?: PixelLoss;
  /**
   * Weight of the adversarial loss; 0 is the pixel-only baseline. Changeable live (setLambda).
   * The default is the lesson's (GAN_SETTINGS.lambda). pix2pix balances L1 × 100 against
   * adversarial × 1, i.e. λ = 0.01. With L1 the interesting range is about 0.001 to 0.1; with MSE,
   * whose values are far smaller, about ten times less.
   */
  lambda?: number;
  /** Discriminator updates per generator update (1 to 10). */
  discriminatorSteps?: number;
  /** Adam, β1 = 0.5 (as in DCGAN and pix2pix: less momentum for a target that keeps moving). */
  generatorLearningRate?: number;
  discriminatorLearningRate?: number;
  batchSize?: number;
  /** Generator steps in one run. */
  maxSteps?: number;
  /** Seeds the batch order, so runs repeat exactly. */
  seed?: number;
  /** Validate every this many steps (and after the last step). */
  validationEvery?: number;
  /** Per-image metrics on the validation set, averaged over its images. Default: PSNR only. */
  metrics?: ImageMetrics;
  /**
   * A generator to start from (same architecture), e.g. shipped pretrained weights: its weights
   * are copied in and become the starting point that reset() returns to.
   */
  warmStart?: tf.LayersModel | tf.Tensor[];
  /** Images per prediction chunk during validation: smaller chunks keep each main-thread task short. */
  validationChunk?: number;
  /** Stop the run (state "stopped", with the warning's message) when a warning fires. */
  stopOnWarning?: boolean;
}

/** A GanTrainer's defaults: the lesson's GAN_SETTINGS, plus how it validates. */
export const GAN_TRAINER_DEFAULTS = {
  pixelLoss: GAN_SETTINGS.pixelLoss,
  lambda: GAN_SETTINGS.lambda,
  discriminatorSteps: GAN_SETTINGS.discriminatorSteps,
  generatorLearningRate: GAN_SETTINGS.generatorLearningRate,
  discriminatorLearningRate: GAN_SETTINGS.discriminatorLearningRate,
  batchSize: GAN_SETTINGS.batchSize,
  maxSteps: GAN_SETTINGS.maxSteps,
  seed: GAN_SETTINGS.seed,
  validationEvery: GAN_SETTINGS.validationEvery,
  validationChunk: 16,
  stopOnWarning: false,
};

/** Adam's β1 for both networks (β2 stays at the usual 0.999). */
export const ADAM_BETA1 = 0.5;

/** One training step, as the GAN charts draw it. */
export interface GanStepRecord {
  step: number;
  /** Pixel loss (L1 or MSE) of the generator's outputs on this batch. */
  pixelLoss: number;
  /** Non-saturating adversarial loss, −log D(G(x)), mean over patches; reported at λ = 0 too. */
  adversarialLoss: number;
  /** What the generator minimised: pixel + λ · adversarial (just pixel at λ = 0). */
  generatorLoss: number;
  /** Discriminator loss (mean of its real and fake cross-entropies) at its last update; ln 2 ≈ 0.69 is a coin toss. */
  discriminatorLoss: number;
  /** Mean sigmoid(D) on clean targets: the discriminator's "real" probability for real images. */
  realScore: number;
  /** Mean sigmoid(D) on the generator's outputs. */
  fakeScore: number;
  /** Mean PSNR (dB) of the generator's outputs on this batch (before its update). */
  psnr: number;
  lambda: number;
}

export interface GanValidationRecord {
  step: number;
  /** The metrics function's values, mean over validation images. */
  metrics: Record<string, number>;
  /** The same metrics for the noisy inputs themselves: the "do nothing" baseline. */
  inputMetrics: Record<string, number>;
  /** Pixel loss on the validation set. */
  pixelLoss: number;
  /** Mean over pixels of the std across validation images, of the outputs and of the targets. */
  outputSpread: number;
  targetSpread: number;
}

export type GanWarningKind = "discriminator-wins" | "mode-collapse";

export interface GanWarning {
  kind: GanWarningKind;
  step: number;
  message: string;
}

export interface GanHistory extends History {
  steps: GanStepRecord[];
  validations: GanValidationRecord[];
  warnings: GanWarning[];
}

export interface GanTrainerEvents extends TrainerEvents {
  /** Every step: the GAN's own numbers (the "batch" event carries the shared ones). */
  step: GanStepRecord;
  validation: GanValidationRecord;
  /** A failure that does not break the arithmetic: the discriminator winning, mode collapse. */
  warning: GanWarning;
}

// ---- failure detection ----------------------------------------------------------------------

/**
 * Discriminator loss below which it is "winning": at 0.05 it gives the right answer about
 * 95% probability on average. Then sigmoid(D(G(x))) is near 0 everywhere and the adversarial
 * gradient says little more than "everything is fake".
 */
export const DISCRIMINATOR_WIN_LOSS = 0.05;
/** Steps in a row the discriminator must stay below that, so one easy batch is not enough. */
export const DISCRIMINATOR_WIN_WINDOW = 20;
export const DISCRIMINATOR_WINS_MESSAGE =
  "the discriminator wins: D loss ≈ 0, the generator gets no useful gradient; try a lower discriminator learning rate or fewer discriminator steps";

/**
 * Outputs whose spread across images is below this fraction of the targets' spread are "all the
 * same image". A denoiser's outputs vary as much as the clean images do (fraction ≈ 1).
 */
export const MODE_COLLAPSE_FRACTION = 0.05;
export const MODE_COLLAPSE_MESSAGE = "mode collapse: the generator outputs the same image for every input";

/** A discriminator loss this high (mean cross-entropy; e^−20 probability for the right answer) has blown up. */
export const DISCRIMINATOR_EXPLODED_LOSS = 20;
export const GAN_DIVERGED_MESSAGE = "training diverged; try lower learning rates or a smaller λ";

/** Whether the discriminator has been winning over the whole recent window (only matters when λ > 0). */
export function discriminatorWins(recentLosses: readonly number[], lambda: number): boolean {
  return (
    lambda > 0 &&
    recentLosses.length >= DISCRIMINATOR_WIN_WINDOW &&
    recentLosses.slice(-DISCRIMINATOR_WIN_WINDOW).every((l) => l < DISCRIMINATOR_WIN_LOSS)
  );
}

/** Mean over pixels of the standard deviation across images: 0 when every image is the same. */
export function pixelSpread(images: Float32Array, count: number, size: number): number {
  const n = size * size;
  if (count < 2) return 0;
  let total = 0;
  for (let p = 0; p < n; p++) {
    let sum = 0;
    let sumSq = 0;
    for (let i = 0; i < count; i++) {
      const v = images[i * n + p];
      sum += v;
      sumSq += v * v;
    }
    const mean = sum / count;
    total += Math.sqrt(Math.max(0, sumSq / count - mean * mean));
  }
  return total / n;
}

/** Names mode collapse: returns the message when the outputs barely vary across images, else null. */
export function detectModeCollapse(
  outputs: Float32Array,
  targets: Float32Array,
  count: number,
  size: number,
): string | null {
  if (count < 2) return null; // one image cannot show it
  const out = pixelSpread(outputs, count, size);
  const target = pixelSpread(targets, count, size);
  return out < MODE_COLLAPSE_FRACTION * target
    ? `${MODE_COLLAPSE_MESSAGE} (spread ${out.toExponential(1)} against ${target.toFixed(3)} for the clean images)`
    : null;
}

// ---- losses ---------------------------------------------------------------------------------

export const psnrOnly: ImageMetrics = (output, target) => ({ psnr: boundedPsnr(output, target) });

export function checkLambda(lambda: number): void {
  if (!Number.isFinite(lambda) || lambda < 0) {
    throw new RangeError(`λ (the adversarial weight) must be a number ≥ 0 (0 = pixel loss only), got ${lambda}`);
  }
}

/** Mean L1 or squared error between outputs and targets. */
export function pixelLossOf(kind: PixelLoss, targets: tf.Tensor, outputs: tf.Tensor): tf.Scalar {
  return kind === "l1" ? tf.losses.absoluteDifference(targets, outputs) : tf.losses.meanSquaredError(targets, outputs);
}

/** Discriminator loss: cross-entropy of "real" on targets and "fake" on generated images, averaged (ln 2 at chance). */
export function discriminatorObjective(realLogits: tf.Tensor, fakeLogits: tf.Tensor): tf.Scalar {
  const real = tf.losses.sigmoidCrossEntropy(tf.onesLike(realLogits), realLogits);
  const fake = tf.losses.sigmoidCrossEntropy(tf.zerosLike(fakeLogits), fakeLogits);
  return tf.mul(tf.add(real, fake), 0.5);
}

/**
 * Non-saturating adversarial loss, −log sigmoid(D(G(x))): "make the discriminator say real".
 * The original minimax form, log(1 − D(G(x))), has almost no gradient exactly when the
 * discriminator confidently rejects the fakes, which is early in training.
 */
export function adversarialObjective(fakeLogits: tf.Tensor): tf.Scalar {
  return tf.losses.sigmoidCrossEntropy(tf.onesLike(fakeLogits), fakeLogits);
}

export interface GeneratorObjective {
  outputs: tf.Tensor;
  pixel: tf.Scalar;
  /** null at λ = 0: not computed, so it cannot touch the gradient. */
  adversarial: tf.Scalar | null;
  total: tf.Scalar;
}

/** The generator's loss, pixel + λ · adversarial, for use inside a gradient (tf.variableGrads). */
export function generatorObjective(
  generator: tf.LayersModel,
  discriminator: tf.LayersModel,
  inputs: tf.Tensor,
  targets: tf.Tensor,
  { pixelLoss, lambda }: { pixelLoss: PixelLoss; lambda: number },
): GeneratorObjective {
  checkLambda(lambda);
  const outputs = generator.apply(inputs, { training: true }) as tf.Tensor;
  const pixel = pixelLossOf(pixelLoss, targets, outputs);
  if (lambda === 0) return { outputs, pixel, adversarial: null, total: pixel };
  const adversarial = adversarialObjective(discriminator.apply(outputs, { training: true }) as tf.Tensor);
  return { outputs, pixel, adversarial, total: tf.add(pixel, tf.mul(adversarial, lambda)) as tf.Scalar };
}

/** Mean per-image PSNR (dB) of a batch, as a tensor. */
function batchPsnr(targets: tf.Tensor, outputs: tf.Tensor): tf.Scalar {
  const mse = tf.maximum(tf.mean(tf.squaredDifference(outputs, targets), [1, 2, 3]), 10 ** (-PSNR_MAX / 10));
  return tf.mean(tf.mul(tf.log(mse), -10 / Math.LN10));
}

// ---- the trainer ----------------------------------------------------------------------------

function checkPairs(name: string, pairs: ImagePairs, size: number): void {
  const n = pairs.count * pairs.size * pairs.size;
  if (pairs.size !== size)
    throw new RangeError(`${name} images are ${pairs.size}×${pairs.size} but the generator takes ${size}×${size}`);
  if (!(pairs.count >= 1) || pairs.inputs.length !== n || pairs.targets.length !== n) {
    throw new RangeError(
      `${name} pairs need ${pairs.count} × ${size}×${size} inputs and targets, got ${pairs.inputs.length} and ${pairs.targets.length} values`,
    );
  }
}

function trainableVariables(model: tf.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => w.read() as tf.Variable);
}

function meanOf(records: Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of Object.keys(records[0] ?? {})) out[key] = records.reduce((s, r) => s + r[key], 0) / records.length;
  return out;
}

export class GanTrainer extends TrainingLoop<GanTrainerEvents> implements Controllable {
  readonly generator: tf.LayersModel;
  readonly discriminator: tf.LayersModel;
  readonly data: GanData;
  readonly size: number;
  readonly pixelLoss: PixelLoss;
  readonly batchSize: number;
  readonly maxSteps: number;
  readonly seed: number;
  readonly validationEvery: number;
  readonly history: GanHistory;
  /** The latest validation, or null before the first. */
  validation: GanValidationRecord | null = null;

  private lambdaValue: number;
  private discriminatorStepsValue: number;
  private generatorLearningRateValue: number;
  private discriminatorLearningRateValue: number;
  private generatorOptimizer: tf.AdamOptimizer;
  private discriminatorOptimizer: tf.AdamOptimizer;
  /** Kept so reset() can return to exactly the same starting point. */
  private readonly initialGenerator: WeightSnapshot;
  private readonly initialDiscriminator: WeightSnapshot;
  private readonly batches: EpochOrder;
  private readonly metricsOf: ImageMetrics;
  private readonly validationChunk: number;
  private readonly stopOnWarning: boolean;
  private readonly pixelWatch: LossWatch;
  private inputMetricsCache: Record<string, number> | null = null;
  private steps = 0;
  private sinceValidation: GanStepRecord[] = [];
  private activeWarning: GanWarning | null = null;
  private disposed = false;

  constructor(
    generator: tf.LayersModel,
    discriminator: tf.LayersModel,
    data: GanData,
    options: GanTrainerOptions = {},
  ) {
    super();
    const o = { ...GAN_TRAINER_DEFAULTS, ...options };
    if (o.pixelLoss !== "l1" && o.pixelLoss !== "mse")
      throw new RangeError(`the pixel loss must be "l1" or "mse", got ${o.pixelLoss}`);
    checkLambda(o.lambda);
    checkWhole("discriminator steps", o.discriminatorSteps, 1, 10);
    checkLearningRate(o.generatorLearningRate);
    checkLearningRate(o.discriminatorLearningRate);
    checkWhole("batch size", o.batchSize, 1);
    checkWhole("max steps", o.maxSteps, 1);
    checkWhole("validation interval", o.validationEvery, 1);
    checkWhole("validation chunk", o.validationChunk, 1);
    const shape = generator.inputs[0].shape;
    const size = shape[1] as number;
    if (shape[2] !== size || shape[3] !== 1)
      throw new RangeError(`the generator must take square one-channel images, got ${shape.slice(1).join("×")}`);
    const dShape = discriminator.inputs[0].shape;
    if (dShape[1] !== size || dShape[2] !== size || dShape[3] !== 1)
      throw new RangeError(
        `the discriminator must take the generator's ${size}×${size}×1 images, got ${dShape.slice(1).join("×")}`,
      );
    checkPairs("training", data.train, size);
    checkPairs("validation", data.val, size);

    this.generator = generator;
    this.discriminator = discriminator;
    this.data = data;
    this.size = size;
    this.pixelLoss = o.pixelLoss;
    this.lambdaValue = o.lambda;
    this.discriminatorStepsValue = o.discriminatorSteps;
    this.generatorLearningRateValue = o.generatorLearningRate;
    this.discriminatorLearningRateValue = o.discriminatorLearningRate;
    this.batchSize = Math.min(o.batchSize, data.train.count);
    this.maxSteps = o.maxSteps;
    this.seed = o.seed;
    this.validationEvery = o.validationEvery;
    this.validationChunk = o.validationChunk;
    this.stopOnWarning = o.stopOnWarning;
    this.metricsOf = o.metrics ?? psnrOnly;
    this.history = { scoreName: "psnr", batches: [], epochs: [], steps: [], validations: [], warnings: [] };
    if (options.warmStart) this.copyIntoGenerator(options.warmStart);
    this.initialGenerator = new WeightSnapshot(generator);
    this.initialDiscriminator = new WeightSnapshot(discriminator);
    this.generatorOptimizer = adam(o.generatorLearningRate, ADAM_BETA1);
    this.discriminatorOptimizer = adam(o.discriminatorLearningRate, ADAM_BETA1);
    // A generator that ignores its input and paints the mean grey level: the divergence check's "chance".
    this.pixelWatch = new LossWatch(this.flatImageLoss());
    this.batches = new EpochOrder(data.train.count, this.batchSize, this.seed);
  }

  // ---- what the shared controls read ----

  /** Batches in one pass over the training pairs (the last, partial batch is dropped). */
  get batchesPerEpoch(): number {
    return this.batches.batchesPerEpoch;
  }
  /** Passes over the training pairs that maxSteps takes (the last may be partial). */
  get epochs(): number {
    return Math.ceil(this.maxSteps / this.batchesPerEpoch);
  }
  get totalSteps(): number {
    return this.maxSteps;
  }
  get stepsTaken(): number {
    return this.steps;
  }

  // ---- live settings ----

  get lambda(): number {
    return this.lambdaValue;
  }
  /** Changes λ from the next step on, without a reset (0 = pixel loss only). */
  setLambda(lambda: number): void {
    checkLambda(lambda);
    this.lambdaValue = lambda;
    if (lambda === 0 && this.activeWarning?.kind === "discriminator-wins") this.clearWarning();
  }

  get discriminatorSteps(): number {
    return this.discriminatorStepsValue;
  }
  setDiscriminatorSteps(k: number): void {
    checkWhole("discriminator steps", k, 1, 10);
    this.discriminatorStepsValue = k;
  }

  get generatorLearningRate(): number {
    return this.generatorLearningRateValue;
  }
  setGeneratorLearningRate(lr: number): void {
    checkLearningRate(lr);
    this.generatorLearningRateValue = lr;
    setAdamLearningRate(this.generatorOptimizer, lr);
  }

  get discriminatorLearningRate(): number {
    return this.discriminatorLearningRateValue;
  }
  setDiscriminatorLearningRate(lr: number): void {
    checkLearningRate(lr);
    this.discriminatorLearningRateValue = lr;
    setAdamLearningRate(this.discriminatorOptimizer, lr);
  }

  /** The warning that holds now, if any (cleared when its condition ends, or by reset). */
  get warning(): GanWarning | null {
    return this.activeWarning;
  }

  // ---- using the networks ----

  /** The generator's outputs for `count` images (row-major, size·size each). */
  predict(inputs: Float32Array, count: number): Float32Array {
    return this.forward(this.generator, inputs, count);
  }

  /** The same, in chunks with a yield between them (for big sets on the page). */
  predictAsync(inputs: Float32Array, count: number): Promise<Float32Array> {
    const n = this.size * this.size;
    return predictInChunks(this.generator, count, this.validationChunk, (start, end) =>
      this.imageTensor(inputs.subarray(start * n, end * n), end - start),
    );
  }

  /** The discriminator's "real" probability for each patch: [count, g, g] row-major (g = size / 8). */
  discriminate(images: Float32Array, count: number): Float32Array {
    return this.forward(this.discriminator, images, count, true);
  }

  private forward(model: tf.LayersModel, images: Float32Array, count: number, sigmoid = false): Float32Array {
    if (!this.usable) throw new Error("this trainer was disposed");
    if (images.length !== count * this.size * this.size)
      throw new RangeError(`expected ${count} images of ${this.size}×${this.size}, got ${images.length} values`);
    return tf.tidy(() => {
      const y = model.predict(this.imageTensor(images, count)) as tf.Tensor;
      return (sigmoid ? tf.sigmoid(y) : y).dataSync() as Float32Array;
    });
  }

  private imageTensor(images: Float32Array, count: number): tf.Tensor4D {
    return tf.tensor4d(images, [count, this.size, this.size, 1]);
  }

  /**
   * Uses another generator's weights (same architecture), e.g. shipped pretrained ones, as the
   * new starting point: stops the run, copies them in, and resets (the discriminator goes back
   * to its initial weights, both optimizers start fresh, the history empties).
   */
  async loadGenerator(source: tf.LayersModel | tf.Tensor[]): Promise<void> {
    if (!this.usable) throw new Error("this trainer was disposed");
    await this.stop();
    this.copyIntoGenerator(source);
    this.initialGenerator.retake();
    await this.reset();
  }

  private copyIntoGenerator(source: tf.LayersModel | tf.Tensor[]): void {
    const weights = Array.isArray(source) ? source : source.getWeights();
    const own = this.generator.getWeights();
    const same = weights.length === own.length && weights.every((w, i) => w.shape.join() === own[i].shape.join());
    if (!same)
      throw new RangeError(
        "the generator to start from has a different architecture (its weights do not match this one's)",
      );
    this.generator.setWeights(weights); // setWeights copies the values; the source stays the caller's
  }

  /** One forward and backward pass of both networks on zeros, thrown away: the backend prepares its kernels now, not on the first step. */
  async warmUp(): Promise<void> {
    await yieldToBrowser();
    if (this.disposed || this.state !== "idle") return;
    ignoringBackendFailure(() =>
      tf.tidy(() => {
        const zeros = tf.zeros([this.batchSize, this.size, this.size, 1]);
        tf.variableGrads(
          () =>
            generatorObjective(this.generator, this.discriminator, zeros, zeros, {
              pixelLoss: this.pixelLoss,
              lambda: 1,
            }).total,
          trainableVariables(this.generator),
        );
        tf.variableGrads(
          () =>
            discriminatorObjective(
              this.discriminator.apply(zeros) as tf.Tensor,
              this.discriminator.apply(zeros) as tf.Tensor,
            ),
          trainableVariables(this.discriminator),
        );
      }),
    );
  }

  /** Frees every tensor this trainer holds: both optimizers, the saved weights, and both models unless `keepModels`. */
  async dispose({ keepModels = false } = {}): Promise<void> {
    if (this.disposed) return;
    await this.stop();
    this.disposed = true;
    this.generatorOptimizer.dispose(); // model.dispose() does not free an optimizer's slots
    this.discriminatorOptimizer.dispose();
    this.initialGenerator.dispose();
    this.initialDiscriminator.dispose();
    if (!keepModels) {
      this.generator.dispose();
      this.discriminator.dispose();
    }
    this.clear();
  }

  // ---- the loop ----

  protected get usable(): boolean {
    return !this.disposed;
  }

  protected restart(): void {
    this.initialGenerator.restore();
    this.initialDiscriminator.restore();
    this.generatorOptimizer.dispose();
    this.discriminatorOptimizer.dispose();
    this.generatorOptimizer = adam(this.generatorLearningRateValue, ADAM_BETA1);
    this.discriminatorOptimizer = adam(this.discriminatorLearningRateValue, ADAM_BETA1);
    this.history.batches = [];
    this.history.epochs = [];
    this.history.steps = [];
    this.history.validations = [];
    this.history.warnings = [];
    this.validation = null;
    this.pixelWatch.reset();
    this.state = "idle"; // callers announce the next state themselves
    this.message = "";
    this.activeWarning = null;
    this.steps = 0;
    this.batches.restart();
    this.sinceValidation = [];
  }

  /** One GAN step: k discriminator updates, then one generator update; validates every validationEvery steps. */
  protected async advance(): Promise<void> {
    if (this.steps >= this.maxSteps) {
      this.setState("done", `finished ${this.maxSteps} steps`);
      return;
    }
    const indices = this.batches.current().slice(); // a copy: the order is redrawn at the epoch's end
    const lambda = this.lambdaValue;
    const values = await this.optimiseOn(indices, lambda);
    let v: Float32Array;
    try {
      v = (await values.data()) as Float32Array; // one async read: on WebGL this does not stall the GPU
    } finally {
      values.dispose();
    }
    const [pixelLoss, adversarialLoss, generatorLoss, discriminatorLoss, realScore, fakeScore, batchPsnr] = v;
    this.steps++;
    const endOfEpoch = this.batches.countBatch();
    const record: GanStepRecord = {
      step: this.steps,
      pixelLoss,
      adversarialLoss,
      generatorLoss,
      discriminatorLoss,
      realScore,
      fakeScore,
      psnr: batchPsnr,
      lambda,
    };
    const batch: BatchRecord = {
      step: this.steps,
      epoch: this.batches.epoch + 1,
      batch: this.batches.batchInEpoch,
      batchesPerEpoch: this.batchesPerEpoch,
      loss: pixelLoss,
      score: batchPsnr,
      learningRate: this.generatorLearningRateValue,
    };
    this.history.steps.push(record);
    this.history.batches.push(batch);
    this.sinceValidation.push(record);
    this.emit("step", record);
    this.emit("batch", batch);

    const diverged = this.divergence(record);
    if (diverged) {
      this.setState("diverged", diverged);
      return;
    }
    const recentD = this.history.steps.slice(-DISCRIMINATOR_WIN_WINDOW).map((s) => s.discriminatorLoss);
    if (discriminatorWins(recentD, lambda)) this.warn("discriminator-wins", DISCRIMINATOR_WINS_MESSAGE);
    else if (this.activeWarning?.kind === "discriminator-wins") this.clearWarning();
    if (this.stoppedByWarning) return;

    if (endOfEpoch) this.batches.nextEpoch();
    if (this.steps % this.validationEvery === 0 || this.steps === this.maxSteps) await this.validate();
    if (this.stoppedByWarning) return;
    if (this.steps >= this.maxSteps) this.setState("done", `finished ${this.maxSteps} steps`);
  }

  /** Whether a warning just stopped the run (stopOnWarning). */
  private get stoppedByWarning(): boolean {
    return this.state === "stopped";
  }

  /**
   * The step's arithmetic, all inside one tidy so nothing escapes but one small tensor of
   * numbers: [pixel, adversarial, generator, discriminator, realScore, fakeScore, psnr].
   */
  private async optimiseOn(indices: Int32Array, lambda: number): Promise<tf.Tensor1D> {
    let d: { loss: tf.Scalar; real: tf.Scalar; fake: tf.Scalar } | null = null;
    for (let i = 0; i < this.discriminatorStepsValue; i++) {
      // The first update sees this step's batch; extra ones (k > 1) see other random batches.
      const next = tf.tidy(() => {
        const { xs, ys } = this.batchTensors(i === 0 ? indices : this.randomIndices(i));
        return this.discriminatorUpdate(xs, ys);
      });
      if (d) tf.dispose([d.loss, d.real, d.fake]);
      d = next;
      // Each update is its own main-thread task: at 64×64 one update is a few hundred ms, and
      // the page must keep answering clicks between them.
      await yieldToBrowser();
    }
    const last = d!; // there is always at least one discriminator update (1..10)
    const values = tf.tidy(() => {
      const { xs, ys } = this.batchTensors(indices);
      const g = this.generatorUpdate(xs, ys, lambda);
      return tf.stack([g.pixel, g.adversarial, g.total, last.loss, last.real, last.fake, g.psnr]) as tf.Tensor1D;
    });
    tf.dispose([last.loss, last.real, last.fake]);
    return values;
  }

  /** One discriminator update: targets are real, the generator's outputs (no gradient into it) are fake. */
  private discriminatorUpdate(xs: tf.Tensor4D, ys: tf.Tensor4D): { loss: tf.Scalar; real: tf.Scalar; fake: tf.Scalar } {
    // Computed outside the gradient: the generator is a fixed forger during the discriminator's turn.
    const fakes = this.generator.apply(xs, { training: true }) as tf.Tensor;
    const kept: { real?: tf.Tensor; fake?: tf.Tensor } = {};
    try {
      const { value, grads } = tf.variableGrads(() => {
        const realLogits = this.discriminator.apply(ys, { training: true }) as tf.Tensor;
        const fakeLogits = this.discriminator.apply(fakes, { training: true }) as tf.Tensor;
        kept.real = tf.keep(realLogits);
        kept.fake = tf.keep(fakeLogits);
        return discriminatorObjective(realLogits, fakeLogits);
      }, trainableVariables(this.discriminator));
      this.discriminatorOptimizer.applyGradients(grads as unknown as tf.NamedTensorMap & Record<string, tf.Variable>);
      // What it thought before this update, so the numbers match the loss reported with them.
      return {
        loss: value as tf.Scalar,
        real: tf.mean(tf.sigmoid(kept.real!)) as tf.Scalar,
        fake: tf.mean(tf.sigmoid(kept.fake!)) as tf.Scalar,
      };
    } finally {
      kept.real?.dispose(); // kept tensors escape every tidy, so free them by hand
      kept.fake?.dispose();
    }
  }

  /** One generator update on pixel + λ · adversarial; returns the parts, measured before the update. */
  private generatorUpdate(
    xs: tf.Tensor4D,
    ys: tf.Tensor4D,
    lambda: number,
  ): { pixel: tf.Scalar; adversarial: tf.Scalar; total: tf.Scalar; psnr: tf.Scalar } {
    const kept: { outputs?: tf.Tensor; pixel?: tf.Scalar; adversarial?: tf.Scalar } = {};
    try {
      const { value, grads } = tf.variableGrads(() => {
        const o = generatorObjective(this.generator, this.discriminator, xs, ys, { pixelLoss: this.pixelLoss, lambda });
        kept.outputs = tf.keep(o.outputs);
        if (o.adversarial) {
          // At λ = 0 the pixel loss is the total itself, which variableGrads hands back anyway.
          kept.pixel = tf.keep(o.pixel);
          kept.adversarial = tf.keep(o.adversarial);
        }
        return o.total;
      }, trainableVariables(this.generator));
      this.generatorOptimizer.applyGradients(grads as unknown as tf.NamedTensorMap & Record<string, tf.Variable>);
      // At λ = 0 the adversarial loss is only reported: measured here, outside the gradient.
      const adversarial = kept.adversarial
        ? tf.clone(kept.adversarial)
        : adversarialObjective(this.discriminator.apply(kept.outputs!) as tf.Tensor);
      return {
        pixel: tf.clone(kept.pixel ?? value) as tf.Scalar,
        adversarial,
        total: value as tf.Scalar,
        psnr: batchPsnr(ys, kept.outputs!),
      };
    } finally {
      kept.outputs?.dispose();
      kept.pixel?.dispose();
      kept.adversarial?.dispose();
    }
  }

  /** Names a divergence: a non-finite loss, an exploding pixel loss, a blown-up discriminator. */
  private divergence(r: GanStepRecord): string | null {
    const bad = (
      [
        ["pixel loss", r.pixelLoss],
        ["adversarial loss", r.adversarialLoss],
        ["discriminator loss", r.discriminatorLoss],
      ] as const
    ).find(([, v]) => !Number.isFinite(v));
    if (bad) return `${GAN_DIVERGED_MESSAGE} (the ${bad[0]} became ${bad[1]})`;
    const pixel = this.pixelWatch.check(r.pixelLoss);
    // LossWatch says "the loss diverged; … (it jumped to …)": keep its details, name whose loss it is.
    if (pixel)
      return `${GAN_DIVERGED_MESSAGE} ${pixel
        .replace(DIVERGED_MESSAGE, "")
        .trim()
        .replace(/\bit\b/, "the generator's pixel loss")}`;
    if (r.discriminatorLoss > DISCRIMINATOR_EXPLODED_LOSS) {
      return `${GAN_DIVERGED_MESSAGE} (the discriminator loss jumped to ${r.discriminatorLoss.toPrecision(3)}; ln 2 ≈ 0.69 is a coin toss)`;
    }
    return null;
  }

  private warn(kind: GanWarningKind, message: string): void {
    if (this.activeWarning?.kind === kind) return; // announced once per episode
    const warning = { kind, step: this.steps, message };
    this.activeWarning = warning;
    this.message = message;
    this.history.warnings.push(warning);
    this.emit("warning", warning);
    if (this.stopOnWarning) this.setState("stopped", message);
  }

  /** While a warning holds, pausing and resuming keep it on show (the base class would clear the message). */
  protected override setState(state: TrainerState, message = ""): void {
    const live = state === "running" || state === "paused" || state === "idle";
    super.setState(state, message || (live && this.activeWarning ? this.activeWarning.message : ""));
  }

  private clearWarning(): void {
    this.activeWarning = null;
    if (this.state === "running" || this.state === "paused" || this.state === "idle") this.message = "";
  }

  /** Scores the validation set; records it in the history (as an "epoch" for the shared charts) and checks for mode collapse. */
  private async validate(): Promise<void> {
    const { val } = this.data;
    const n = this.size * this.size;
    const outputs = await this.predictAsync(val.inputs, val.count);
    const perImage = (images: Float32Array) =>
      meanOf(
        Array.from({ length: val.count }, (_, i) =>
          this.metricsOf(images.subarray(i * n, (i + 1) * n), val.targets.subarray(i * n, (i + 1) * n), this.size),
        ),
      );
    const metrics = perImage(outputs);
    this.inputMetricsCache ??= perImage(val.inputs);
    let pixelLoss = 0;
    for (let i = 0; i < outputs.length; i++) {
      const e = outputs[i] - val.targets[i];
      pixelLoss += this.pixelLoss === "l1" ? Math.abs(e) : e * e;
    }
    pixelLoss /= outputs.length;
    const record: GanValidationRecord = {
      step: this.steps,
      metrics,
      inputMetrics: this.inputMetricsCache,
      pixelLoss,
      outputSpread: pixelSpread(outputs, val.count, this.size),
      targetSpread: pixelSpread(val.targets, val.count, this.size),
    };
    const since = this.sinceValidation;
    const epochRecord: EpochRecord = {
      // The epoch in progress, or the one that just ended.
      epoch: Math.min(this.epochs, this.batches.batchInEpoch > 0 ? this.batches.epoch + 1 : this.batches.epoch),
      step: this.steps,
      trainLoss: since.reduce((s, r) => s + r.pixelLoss, 0) / Math.max(1, since.length),
      trainScore: since.reduce((s, r) => s + r.psnr, 0) / Math.max(1, since.length),
      valLoss: pixelLoss,
      metrics,
    };
    this.sinceValidation = [];
    this.validation = record;
    this.history.validations.push(record);
    this.history.epochs.push(epochRecord);
    this.emit("validation", record);
    this.emit("epoch", epochRecord);
    const collapse = detectModeCollapse(outputs, val.targets, val.count, this.size);
    if (collapse) this.warn("mode-collapse", collapse);
    else if (this.activeWarning?.kind === "mode-collapse") this.clearWarning();
  }

  // ---- batches ----

  private batchTensors(indices: ArrayLike<number>): { xs: tf.Tensor4D; ys: tf.Tensor4D } {
    const { inputs, targets } = this.data.train;
    const n = this.size * this.size;
    const x = new Float32Array(indices.length * n);
    const y = new Float32Array(indices.length * n);
    for (let b = 0; b < indices.length; b++) {
      x.set(inputs.subarray(indices[b] * n, (indices[b] + 1) * n), b * n);
      y.set(targets.subarray(indices[b] * n, (indices[b] + 1) * n), b * n);
    }
    return { xs: this.imageTensor(x, indices.length), ys: this.imageTensor(y, indices.length) };
  }

  /** A seeded random batch for the discriminator's extra updates. */
  private randomIndices(update: number): Int32Array {
    const all = Int32Array.from({ length: this.data.train.count }, (_, i) => i);
    shuffle(all, mulberry32(this.seed * 15485863 + this.steps * 31 + update));
    return all.subarray(0, this.batchSize);
  }

  /** Pixel loss of a flat image at the targets' mean grey level: a generator that ignores its input. */
  private flatImageLoss(): number {
    const t = this.data.train.targets;
    let mean = 0;
    for (const v of t) mean += v;
    mean /= t.length;
    let loss = 0;
    for (const v of t) loss += this.pixelLoss === "l1" ? Math.abs(v - mean) : (v - mean) ** 2;
    return Math.max(loss / t.length, 1e-6);
  }
}
