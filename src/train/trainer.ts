/**
 * The training engine every lesson uses.
 *
 * It owns the loop and its controls (start, pause, resume, single step, stop, reset to the same
 * initial weights), lets the learning rate change live, stops on a diverging loss, and keeps
 * tfjs memory flat. It emits events; it knows nothing of charts.
 */
import * as tf from "@tensorflow/tfjs";
import type { AugmentOptions } from "../data/augment";
import { mulberry32, shuffle, withSeededRandom } from "../data/random";
import type { ClassificationDataset } from "../data/types";
import { classificationTask, type ClassificationValidation } from "./classification";
import type { ClassificationLoss } from "./losses";
import { TrainingLoop } from "./loop";
import { imagesTensor, type ImageSplit, type TrainingTask } from "./task";
import { checkLearningRate, LossWatch } from "./checks";
import { yieldToBrowser } from "./yield";

export type TrainerState = "idle" | "running" | "paused" | "stopped" | "done" | "diverged";

export interface BatchRecord {
  /** Global step, counted from 1. */
  step: number;
  epoch: number;
  /** Batch within the epoch, counted from 1. */
  batch: number;
  batchesPerEpoch: number;
  loss: number;
  /** The task's per-batch score (accuracy for classification, Dice for segmentation). */
  score: number;
  learningRate: number;
}

export interface EpochRecord {
  epoch: number;
  step: number;
  trainLoss: number;
  /** Mean per-batch score over the epoch. */
  trainScore: number;
  valLoss: number;
  /** The task's validation metrics, e.g. {accuracy, auc} or {dice, iou, boundaryDice}. */
  metrics: Record<string, number>;
  /** Wall time spent in training steps so far (ms), validation and page drawing excluded. */
  trainMs?: number;
}

/** The trainer's history: what the learning-curve charts draw. */
export interface History {
  /** Which metric the per-batch score is. */
  scoreName: string;
  batches: BatchRecord[];
  epochs: EpochRecord[];
}

export interface TrainerEvents {
  batch: BatchRecord;
  epoch: EpochRecord;
  state: { state: TrainerState; message?: string };
}

/** What the shared training buttons and live charts need: one trainer, or a pair run in lockstep. */
export interface Controllable {
  readonly state: TrainerState;
  readonly message: string;
  readonly history: History;
  readonly batchesPerEpoch: number;
  readonly epochs: number;
  readonly totalSteps: number;
  readonly stepsTaken: number;
  start(): Promise<void>;
  pause(): void;
  resume(): Promise<void>;
  step(): Promise<void>;
  stop(): Promise<void>;
  reset(): Promise<void>;
  on<K extends keyof TrainerEvents>(event: K, listener: (value: TrainerEvents[K]) => void): () => void;
}

export interface TrainerOptions {
  batchSize?: number;
  epochs?: number;
  learningRate?: number;
  /** Seeds batch order, augmentation and dropout, so runs repeat exactly. */
  seed?: number;
  /** Flips and rotations, when the trainer is given a classification dataset directly. */
  augment?: AugmentOptions | false;
  /** The loss, when the trainer is given a classification dataset directly (default: cross-entropy). */
  loss?: ClassificationLoss;
  /** Images per validation chunk: smaller chunks keep each main-thread task short. */
  validationChunk?: number;
  /** Validate after every this many epochs (and always after the last): a sweep needs only the end. */
  validateEvery?: number;
}

export const TRAINER_DEFAULTS = { batchSize: 32, epochs: 8, learningRate: 0.003, seed: 1, validationChunk: 100, validateEvery: 1 };

function isTask<V>(x: TrainingTask<V> | ClassificationDataset): x is TrainingTask<V> {
  return typeof (x as TrainingTask<V>).batch === "function";
}

export class Trainer<V = ClassificationValidation> extends TrainingLoop {
  readonly model: tf.LayersModel;
  readonly task: TrainingTask<V>;
  readonly batchSize: number;
  readonly epochs: number;
  readonly seed: number;
  readonly history: History;
  /** The latest validation's details (for classification: probabilities and predictions). */
  validation: (V & { epoch: number }) | null = null;

  private learningRateValue: number;
  private optimizer: tf.AdamOptimizer;
  private readonly initialWeights: tf.Tensor[];
  private readonly validationChunk: number;
  private readonly validateEvery: number;
  private epoch = 0;
  private batchInEpoch = 0;
  private order = new Int32Array(0);
  private epochLoss = 0;
  private epochScore = 0;
  private trainMs = 0;
  private disposed = false;
  private readonly lossWatch: LossWatch;

  /** `data` is a training task, or a classification dataset (wrapped in a classification task). */
  constructor(model: tf.LayersModel, data: TrainingTask<V> | ClassificationDataset, options: TrainerOptions = {}) {
    super();
    const o = { ...TRAINER_DEFAULTS, ...options };
    checkLearningRate(o.learningRate);
    if (!(Number.isInteger(o.batchSize) && o.batchSize >= 1)) throw new RangeError(`batch size must be a whole number ≥ 1, got ${o.batchSize}`);
    if (!(Number.isInteger(o.epochs) && o.epochs >= 1)) throw new RangeError(`epochs must be a whole number ≥ 1, got ${o.epochs}`);
    this.model = model;
    this.task = isTask(data) ? data : (classificationTask(data, { augment: options.augment ?? false, loss: options.loss }) as unknown as TrainingTask<V>);
    this.batchSize = Math.min(o.batchSize, this.task.train.count);
    this.epochs = o.epochs;
    this.seed = o.seed;
    this.validationChunk = o.validationChunk;
    this.validateEvery = o.validateEvery;
    this.learningRateValue = o.learningRate;
    this.history = { scoreName: this.task.scoreName, batches: [], epochs: [] };
    this.lossWatch = new LossWatch(this.task.chanceLoss);
    // Kept so reset() can return to exactly the same starting point.
    this.initialWeights = model.getWeights().map((w) => tf.keep(w.clone()));
    this.optimizer = tf.train.adam(o.learningRate);
    this.newEpochOrder();
  }

  get learningRate(): number {
    return this.learningRateValue;
  }

  /** Batches in one pass over the training set (the last, partial batch is dropped). */
  get batchesPerEpoch(): number {
    return Math.floor(this.task.train.count / this.batchSize);
  }

  /** Steps taken so far in this run. */
  get stepsTaken(): number {
    return this.epoch * this.batchesPerEpoch + this.batchInEpoch;
  }

  get totalSteps(): number {
    return this.epochs * this.batchesPerEpoch;
  }

  /** Changes the learning rate of the running optimizer, without a reset. */
  setLearningRate(lr: number): void {
    checkLearningRate(lr);
    this.learningRateValue = lr;
    // Adam reads this (protected) field at every step, so a new value applies from the next batch.
    (this.optimizer as unknown as { learningRate: number }).learningRate = lr;
  }

  /**
   * Runs one forward and backward pass on a batch of zeros and throws the result away.
   * The backend prepares its kernels on first use (over 100 ms on wasm); doing it now, while
   * the learner reads, keeps the first training step as quick as the rest. Weights do not change.
   */
  async warmUp(): Promise<void> {
    await yieldToBrowser(); // let the page draw first
    if (this.disposed || this.state !== "idle") return;
    tf.tidy(() => {
      const { xs, ys } = this.task.batch(this.order.subarray(0, this.batchSize), mulberry32(0));
      const vars = this.model.trainableWeights.map((v) => v.read() as tf.Variable);
      tf.variableGrads(() => this.task.loss(ys, this.model.apply(xs, { training: true }) as tf.Tensor), vars);
    });
  }

  /** Frees every tensor this trainer holds, and the model too unless `keepModel` (to use it after training). */
  async dispose({ keepModel = false } = {}): Promise<void> {
    if (this.disposed) return;
    await this.stop();
    this.disposed = true;
    this.optimizer.dispose(); // model.dispose() does not free the optimizer's slots
    for (const w of this.initialWeights) w.dispose();
    if (!keepModel) this.model.dispose();
    this.clear();
  }

  protected get usable(): boolean {
    return !this.disposed;
  }

  /** One optimisation step on the next batch. */
  protected advance(): Promise<void> {
    return this.trainOneBatch();
  }

  protected restart(): void {
    this.restoreInitialState();
  }

  private restoreInitialState(): void {
    this.model.setWeights(this.initialWeights);
    this.optimizer.dispose();
    this.optimizer = tf.train.adam(this.learningRateValue);
    this.history.batches = [];
    this.history.epochs = [];
    this.lossWatch.reset();
    this.validation = null;
    this.state = "idle"; // callers announce the next state themselves
    this.message = "";
    this.epoch = 0;
    this.batchInEpoch = 0;
    this.epochLoss = 0;
    this.epochScore = 0;
    this.trainMs = 0;
    this.newEpochOrder();
  }

  /** One optimisation step on the next batch; validates at the end of each epoch. */
  private async trainOneBatch(): Promise<void> {
    const indices = this.order.subarray(this.batchInEpoch * this.batchSize, (this.batchInEpoch + 1) * this.batchSize);
    const stepSeed = this.seed * 1_000_003 + this.stepsTaken;
    const started = performance.now();
    const { loss, score } = withSeededRandom(stepSeed, () => this.optimiseOn(indices));
    const [lossValue] = await loss.data(); // async read: on WebGL this does not stall the GPU
    const [scoreValue] = await score.data();
    this.trainMs += performance.now() - started;
    loss.dispose();
    score.dispose();
    this.batchInEpoch++;
    const record: BatchRecord = {
      step: this.stepsTaken, epoch: this.epoch + 1, batch: this.batchInEpoch, batchesPerEpoch: this.batchesPerEpoch,
      loss: lossValue, score: scoreValue, learningRate: this.learningRateValue,
    };
    const diverged = this.lossWatch.check(lossValue);
    this.history.batches.push(record);
    this.epochLoss += lossValue;
    this.epochScore += scoreValue;
    this.emit("batch", record);
    if (diverged) {
      this.setState("diverged", diverged);
      return;
    }
    if (this.batchInEpoch >= this.batchesPerEpoch) await this.finishEpoch();
  }

  /** Forward pass, loss, gradients and update, all inside one tidy so no tensor escapes but the two scalars. */
  private optimiseOn(indices: Int32Array): { loss: tf.Scalar; score: tf.Scalar } {
    return tf.tidy(() => {
      const { xs, ys } = this.task.batch(indices, mulberry32(this.seed * 7919 + this.stepsTaken));
      // The outputs are kept out of the gradient tape's clean-up to score the batch below.
      const kept: { outputs?: tf.Tensor } = {};
      const vars = this.model.trainableWeights.map((w) => w.read() as tf.Variable);
      const { value, grads } = tf.variableGrads(() => {
        const outputs = this.model.apply(xs, { training: true }) as tf.Tensor;
        kept.outputs = tf.keep(outputs);
        return this.task.loss(ys, outputs);
      }, vars);
      this.optimizer.applyGradients(grads as unknown as tf.NamedTensorMap & Record<string, tf.Variable>);
      const score = this.task.score(ys, kept.outputs!);
      kept.outputs!.dispose(); // kept tensors escape every tidy, so free it by hand
      return { loss: value as tf.Scalar, score };
    });
  }

  private async finishEpoch(): Promise<void> {
    const n = this.batchesPerEpoch;
    // Validate after every validateEvery-th epoch and always after the last; others leave no record.
    const validate = this.epoch + 1 >= this.epochs || (this.epoch + 1) % this.validateEvery === 0;
    let record: EpochRecord | null = null;
    if (validate) {
      const { loss, metrics, details } = this.task.scoreValidation(await this.predictSplit(this.task.val));
      this.validation = { ...details, epoch: this.epoch + 1 };
      record = {
        epoch: this.epoch + 1, step: this.stepsTaken,
        trainLoss: this.epochLoss / n, trainScore: this.epochScore / n,
        valLoss: loss, metrics, trainMs: this.trainMs,
      };
      this.history.epochs.push(record);
    }
    this.epoch++;
    this.batchInEpoch = 0;
    this.epochLoss = 0;
    this.epochScore = 0;
    this.newEpochOrder();
    if (record) this.emit("epoch", record);
    if (this.epoch >= this.epochs) {
      this.setState("done", `finished ${this.epochs} epochs`);
    }
  }

  /** The model's outputs for a whole split (one row per image), in small chunks with a yield between them. */
  async predictSplit(split: ImageSplit): Promise<Float32Array> {
    const rowSize = (this.model.outputShape as number[]).slice(1).reduce((a, b) => a * b, 1);
    const out = new Float32Array(split.count * rowSize);
    for (let start = 0; start < split.count; start += this.validationChunk) {
      const end = Math.min(split.count, start + this.validationChunk);
      const idx = Int32Array.from({ length: end - start }, (_, i) => start + i);
      const outputs = tf.tidy(() => this.model.predict(imagesTensor(split, this.task.inputShape, idx)) as tf.Tensor);
      out.set(await outputs.data(), start * rowSize);
      outputs.dispose();
      await yieldToBrowser();
    }
    return out;
  }

  private newEpochOrder(): void {
    this.order = Int32Array.from({ length: this.task.train.count }, (_, i) => i);
    shuffle(this.order, mulberry32(this.seed * 104729 + this.epoch));
  }

}
