/**
 * The training engine every lesson uses.
 *
 * It owns the loop and its controls (start, pause, resume, single step, stop, reset to the same
 * initial weights), lets the learning rate change live, stops on a diverging loss, and keeps
 * tfjs memory flat. It emits events; it knows nothing of charts.
 */
import * as tf from "@tensorflow/tfjs";
import { augmentImage, type AugmentOptions } from "../data/augment";
import { mulberry32, shuffle, withSeededRandom } from "../data/random";
import { imageSize, type ClassificationDataset, type Split } from "../data/types";
import {
  accuracy, argmaxRows, binaryCrossEntropy, crossEntropy, flagAccuracy, meanAuc,
} from "../metrics/classification";
import { Emitter } from "./emitter";
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
  accuracy: number;
  learningRate: number;
}

export interface EpochRecord {
  epoch: number;
  step: number;
  trainLoss: number;
  trainAccuracy: number;
  valLoss: number;
  valAccuracy: number;
  valAuc: number;
}

/** The model's view of the validation set after the latest check. */
export interface Validation {
  /** [N, K] probabilities. */
  probs: Float32Array;
  /** Predicted class per image (argmax; for multilabel, the top label). */
  predicted: Int32Array;
  epoch: number;
}

export interface TrainerEvents {
  batch: BatchRecord;
  epoch: EpochRecord;
  state: { state: TrainerState; message?: string };
}

export interface TrainerOptions {
  batchSize?: number;
  epochs?: number;
  learningRate?: number;
  /** Seeds batch order, augmentation and dropout, so runs repeat exactly. */
  seed?: number;
  augment?: AugmentOptions | false;
  /** Images per validation chunk: smaller chunks keep each main-thread task short. */
  validationChunk?: number;
}

export const TRAINER_DEFAULTS = { batchSize: 32, epochs: 8, learningRate: 0.003, seed: 1, validationChunk: 100 };

export class Trainer extends Emitter<TrainerEvents> {
  readonly model: tf.LayersModel;
  readonly data: ClassificationDataset;
  readonly batchSize: number;
  readonly epochs: number;
  readonly seed: number;
  readonly augment: AugmentOptions | false;
  readonly history: { batches: BatchRecord[]; epochs: EpochRecord[] } = { batches: [], epochs: [] };
  validation: Validation | null = null;
  state: TrainerState = "idle";
  message = "";

  private learningRateValue: number;
  private optimizer: tf.AdamOptimizer;
  private readonly initialWeights: tf.Tensor[];
  private readonly validationChunk: number;
  private readonly multilabel: boolean;
  private readonly outputs: number;
  private epoch = 0;
  private batchInEpoch = 0;
  private order = new Int32Array(0);
  private epochLoss = 0;
  private epochAccuracy = 0;
  private loop: Promise<void> | null = null;
  private request: "pause" | "stop" | null = null;
  private disposed = false;
  private readonly lossWatch: LossWatch;

  constructor(model: tf.LayersModel, data: ClassificationDataset, options: TrainerOptions = {}) {
    super();
    const o = { ...TRAINER_DEFAULTS, ...options };
    checkLearningRate(o.learningRate);
    if (!(Number.isInteger(o.batchSize) && o.batchSize >= 1)) throw new RangeError(`batch size must be a whole number ≥ 1, got ${o.batchSize}`);
    if (!(Number.isInteger(o.epochs) && o.epochs >= 1)) throw new RangeError(`epochs must be a whole number ≥ 1, got ${o.epochs}`);
    this.model = model;
    this.data = data;
    this.batchSize = Math.min(o.batchSize, data.train.count);
    this.epochs = o.epochs;
    this.seed = o.seed;
    this.augment = options.augment ?? false;
    this.validationChunk = o.validationChunk;
    this.learningRateValue = o.learningRate;
    this.multilabel = data.task === "multilabel";
    this.outputs = data.classNames.length;
    // Guessing uniformly costs ln K (softmax) or ln 2 per label (sigmoid).
    this.lossWatch = new LossWatch(this.multilabel ? Math.LN2 : Math.log(this.outputs));
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
    return Math.floor(this.data.train.count / this.batchSize);
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
    const [h, w, c] = this.data.imageShape;
    tf.tidy(() => {
      const xs = tf.zeros([this.batchSize, h, w, c]);
      const ys = tf.zeros([this.batchSize, this.outputs]);
      const vars = this.model.trainableWeights.map((v) => v.read() as tf.Variable);
      tf.variableGrads(() => this.lossOf(ys, this.model.apply(xs, { training: true }) as tf.Tensor), vars);
    });
  }

  /** Starts training; after stop, done or divergence it restarts from the initial weights. */
  start(): Promise<void> {
    if (this.disposed) throw new Error("this trainer was disposed");
    if (this.state === "running") return this.loop ?? Promise.resolve();
    if (this.state === "stopped" || this.state === "done" || this.state === "diverged") this.restoreInitialState();
    return this.runLoop();
  }

  pause(): void {
    if (this.state === "running") this.request = "pause";
  }

  resume(): Promise<void> {
    return this.state === "paused" ? this.runLoop() : Promise.resolve();
  }

  /** Trains exactly one batch, then waits (paused). */
  async step(): Promise<void> {
    if (this.state === "running" || this.disposed) return;
    if (this.state === "stopped" || this.state === "done" || this.state === "diverged") this.restoreInitialState();
    await this.trainOneBatch();
    if (this.state === "diverged" || this.state === "done") return;
    this.setState("paused");
  }

  /** Ends the run. The weights stay as they are, to be inspected. */
  async stop(): Promise<void> {
    if (this.state === "running") {
      this.request = "stop";
      await this.loop;
    } else if (this.state === "paused") {
      this.setState("stopped");
    }
  }

  /** Back to the same initial weights, a fresh optimizer and empty history. */
  async reset(): Promise<void> {
    await this.stop();
    this.restoreInitialState();
    this.setState("idle");
  }

  /** Frees every tensor this trainer and its model hold. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    await this.stop();
    this.disposed = true;
    this.optimizer.dispose(); // model.dispose() does not free the optimizer's slots
    for (const w of this.initialWeights) w.dispose();
    this.model.dispose();
    this.clear();
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
    this.epochAccuracy = 0;
    this.newEpochOrder();
  }

  private runLoop(): Promise<void> {
    this.request = null;
    this.setState("running");
    this.loop = (async () => {
      try {
        while (this.state === "running") {
          if (this.request === "pause") { this.setState("paused"); break; }
          if (this.request === "stop") { this.setState("stopped"); break; }
          await this.trainOneBatch();
          await yieldToBrowser(); // let the page paint and handle clicks between batches
        }
      } catch (error) {
        this.setState("stopped", `training failed: ${(error as Error).message}`);
      } finally {
        this.request = null;
      }
    })();
    return this.loop;
  }

  /** One optimisation step on the next batch; validates at the end of each epoch. */
  private async trainOneBatch(): Promise<void> {
    const indices = this.order.subarray(this.batchInEpoch * this.batchSize, (this.batchInEpoch + 1) * this.batchSize);
    const stepSeed = this.seed * 1_000_003 + this.stepsTaken;
    const { loss, hits } = withSeededRandom(stepSeed, () => this.optimiseOn(indices));
    const [lossValue] = await loss.data(); // async read: on WebGL this does not stall the GPU
    const [hitValue] = await hits.data();
    loss.dispose();
    hits.dispose();
    this.batchInEpoch++;
    const record: BatchRecord = {
      step: this.stepsTaken, epoch: this.epoch + 1, batch: this.batchInEpoch, batchesPerEpoch: this.batchesPerEpoch,
      loss: lossValue, accuracy: hitValue, learningRate: this.learningRateValue,
    };
    const diverged = this.lossWatch.check(lossValue);
    this.history.batches.push(record);
    this.epochLoss += lossValue;
    this.epochAccuracy += hitValue;
    this.emit("batch", record);
    if (diverged) {
      this.setState("diverged", diverged);
      return;
    }
    if (this.batchInEpoch >= this.batchesPerEpoch) await this.finishEpoch();
  }

  /** Forward pass, loss, gradients and update, all inside one tidy so no tensor escapes but the two scalars. */
  private optimiseOn(indices: Int32Array): { loss: tf.Scalar; hits: tf.Scalar } {
    return tf.tidy(() => {
      const xs = this.imagesTensor(this.data.train, indices, this.augment);
      const ys = this.targetsTensor(this.data.train, indices);
      // The predictions are kept out of the gradient tape's clean-up to score the batch below.
      const kept: { probs?: tf.Tensor } = {};
      const vars = this.model.trainableWeights.map((w) => w.read() as tf.Variable);
      const { value, grads } = tf.variableGrads(() => {
        const p = this.model.apply(xs, { training: true }) as tf.Tensor;
        kept.probs = tf.keep(p);
        return this.lossOf(ys, p);
      }, vars);
      this.optimizer.applyGradients(grads as unknown as tf.NamedTensorMap & Record<string, tf.Variable>);
      const probs = kept.probs!;
      const hits = this.multilabel
        ? tf.mean(tf.equal(tf.greaterEqual(probs, 0.5), tf.cast(ys, "bool")).asType("float32"))
        : tf.mean(tf.equal(tf.argMax(probs, -1), tf.argMax(ys, -1)).asType("float32"));
      probs.dispose(); // kept tensors escape every tidy, so free it by hand
      return { loss: value as tf.Scalar, hits: hits as tf.Scalar };
    });
  }

  private lossOf(ys: tf.Tensor, probs: tf.Tensor): tf.Scalar {
    const perImage = this.multilabel ? tf.metrics.binaryCrossentropy(ys, probs) : tf.metrics.categoricalCrossentropy(ys, probs);
    return tf.mean(perImage) as tf.Scalar;
  }

  /** Gathers images into a batch tensor [B, H, W, C], augmented when asked. */
  private imagesTensor(split: Split, indices: ArrayLike<number>, augment: AugmentOptions | false): tf.Tensor4D {
    const [h, w, c] = this.data.imageShape;
    const size = imageSize(this.data.imageShape);
    const buffer = new Float32Array(indices.length * size);
    const rand = mulberry32(this.seed * 7919 + this.stepsTaken);
    for (let b = 0; b < indices.length; b++) {
      const image = split.images.subarray(indices[b] * size, (indices[b] + 1) * size);
      buffer.set(augment ? augmentImage(image, h, w, c, rand, augment) : image, b * size);
    }
    return tf.tensor4d(buffer, [indices.length, h, w, c]);
  }

  /** One-hot targets [B, K] (or the N×K flags for multi-label). */
  private targetsTensor(split: Split, indices: ArrayLike<number>): tf.Tensor2D {
    const k = this.outputs;
    const targets = new Float32Array(indices.length * k);
    for (let b = 0; b < indices.length; b++) {
      if (this.multilabel) {
        for (let j = 0; j < k; j++) targets[b * k + j] = split.labels[indices[b] * k + j];
      } else {
        targets[b * k + split.labels[indices[b]]] = 1;
      }
    }
    return tf.tensor2d(targets, [indices.length, k]);
  }

  private async finishEpoch(): Promise<void> {
    const n = this.batchesPerEpoch;
    const validation = await this.predictSplit(this.data.val);
    const { valLoss, valAccuracy, valAuc } = this.scoreValidation(validation);
    this.validation = { probs: validation, predicted: argmaxRows(validation, this.outputs), epoch: this.epoch + 1 };
    const record: EpochRecord = {
      epoch: this.epoch + 1, step: this.stepsTaken,
      trainLoss: this.epochLoss / n, trainAccuracy: this.epochAccuracy / n,
      valLoss, valAccuracy, valAuc,
    };
    this.history.epochs.push(record);
    this.epoch++;
    this.batchInEpoch = 0;
    this.epochLoss = 0;
    this.epochAccuracy = 0;
    this.newEpochOrder();
    this.emit("epoch", record);
    if (this.epoch >= this.epochs) {
      this.setState("done", `finished ${this.epochs} epochs`);
    }
  }

  private scoreValidation(probs: Float32Array): { valLoss: number; valAccuracy: number; valAuc: number } {
    const { labels } = this.data.val;
    const k = this.outputs;
    if (this.multilabel) {
      return { valLoss: binaryCrossEntropy(probs, labels), valAccuracy: flagAccuracy(probs, labels), valAuc: meanAuc(probs, labels, k, true) };
    }
    return {
      valLoss: crossEntropy(probs, labels, k),
      valAccuracy: accuracy(labels, argmaxRows(probs, k)),
      valAuc: meanAuc(probs, labels, k),
    };
  }

  /** Probabilities [N, K] for a whole split, in small chunks with a yield between them. */
  async predictSplit(split: Split): Promise<Float32Array> {
    const k = this.outputs;
    const out = new Float32Array(split.count * k);
    for (let start = 0; start < split.count; start += this.validationChunk) {
      const end = Math.min(split.count, start + this.validationChunk);
      const idx = Int32Array.from({ length: end - start }, (_, i) => start + i);
      const probs = tf.tidy(() => this.model.predict(this.imagesTensor(split, idx, false)) as tf.Tensor);
      out.set(await probs.data(), start * k);
      probs.dispose();
      await yieldToBrowser();
    }
    return out;
  }

  private newEpochOrder(): void {
    this.order = Int32Array.from({ length: this.data.train.count }, (_, i) => i);
    shuffle(this.order, mulberry32(this.seed * 104729 + this.epoch));
  }

  private setState(state: TrainerState, message = ""): void {
    this.state = state;
    this.message = message;
    this.emit("state", { state, message });
  }
}
