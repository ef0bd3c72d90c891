/**
 * The training engine every lesson uses.
 *
 * It owns the loop and its controls (start, pause, resume, single step, stop, reset to the same
 * initial weights), lets the learning rate change live, stops on a diverging loss, and keeps
 * tfjs memory flat. It emits events; it knows nothing of charts.
 */
import * as tf from "@tensorflow/tfjs";
import { ignoringBackendFailure } from "../backend/rescue";
import type { AugmentOptions } from "../data/augment";
import { mulberry32, withSeededRandom } from "../data/random";
import type { ClassificationDataset } from "../data/types";
import { classificationTask, type ClassificationValidation } from "./classification";
import { EpochOrder } from "./epochOrder";
import type { ClassificationLoss } from "./losses";
import { TrainingLoop } from "./loop";
import { adam, predictInChunks, setAdamLearningRate, WeightSnapshot } from "./snapshot";
import { imagesTensor, type ImageSplit, type TrainingTask } from "./task";
import { checkLearningRate, LossWatch } from "./checks";
import type { BatchRecord, EpochRecord, History } from "./types";
import { yieldToBrowser } from "./yield";

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

export const TRAINER_DEFAULTS = {
  batchSize: 32,
  epochs: 8,
  learningRate: 0.003,
  seed: 1,
  validationChunk: 100,
  validateEvery: 1,
};

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
  /** Kept so reset() can return to exactly the same starting point. */
  private readonly initialWeights: WeightSnapshot;
  private readonly batches: EpochOrder;
  private readonly validationChunk: number;
  private readonly validateEvery: number;
  private epochLoss = 0;
  private epochScore = 0;
  private trainMs = 0;
  private disposed = false;
  /** The epoch's last batch is trained but its validation has not finished (it failed, e.g. on a lost GPU). */
  private validationPending = false;
  private readonly lossWatch: LossWatch;

  /** `data` is a training task, or a classification dataset (wrapped in a classification task). */
  constructor(model: tf.LayersModel, data: TrainingTask<V> | ClassificationDataset, options: TrainerOptions = {}) {
    super();
    const o = { ...TRAINER_DEFAULTS, ...options };
    checkLearningRate(o.learningRate);
    if (!(Number.isInteger(o.batchSize) && o.batchSize >= 1))
      throw new RangeError(`batch size must be a whole number ≥ 1, got ${o.batchSize}`);
    if (!(Number.isInteger(o.epochs) && o.epochs >= 1))
      throw new RangeError(`epochs must be a whole number ≥ 1, got ${o.epochs}`);
    this.model = model;
    this.task = isTask(data)
      ? data
      : (classificationTask(data, {
          augment: options.augment ?? false,
          loss: options.loss,
        }) as unknown as TrainingTask<V>);
    this.batchSize = Math.min(o.batchSize, this.task.train.count);
    this.epochs = o.epochs;
    this.seed = o.seed;
    this.validationChunk = o.validationChunk;
    this.validateEvery = o.validateEvery;
    this.learningRateValue = o.learningRate;
    this.history = { scoreName: this.task.scoreName, batches: [], epochs: [] };
    this.lossWatch = new LossWatch(this.task.chanceLoss);
    this.initialWeights = new WeightSnapshot(model);
    this.optimizer = adam(o.learningRate);
    this.batches = new EpochOrder(this.task.train.count, this.batchSize, this.seed);
  }

  get learningRate(): number {
    return this.learningRateValue;
  }

  /** Batches in one pass over the training set (the last, partial batch is dropped). */
  get batchesPerEpoch(): number {
    return this.batches.batchesPerEpoch;
  }

  /** Steps taken so far in this run. */
  get stepsTaken(): number {
    return this.batches.stepsTaken;
  }

  get totalSteps(): number {
    return this.epochs * this.batchesPerEpoch;
  }

  /** Changes the learning rate of the running optimizer, without a reset. */
  setLearningRate(lr: number): void {
    checkLearningRate(lr);
    this.learningRateValue = lr;
    setAdamLearningRate(this.optimizer, lr);
  }

  /**
   * Runs one forward and backward pass on a batch of zeros and throws the result away.
   * The backend prepares its kernels on first use (over 100 ms on wasm); doing it now, while
   * the learner reads, keeps the first training step as quick as the rest. Weights do not change.
   */
  async warmUp(): Promise<void> {
    await yieldToBrowser(); // let the page draw first
    if (this.disposed || this.state !== "idle") return;
    ignoringBackendFailure(() =>
      tf.tidy(() => {
        const { xs, ys } = this.task.batch(this.batches.current(), mulberry32(0));
        const vars = this.model.trainableWeights.map((v) => v.read() as tf.Variable);
        tf.variableGrads(() => this.task.loss(ys, this.model.apply(xs, { training: true }) as tf.Tensor), vars);
      }),
    );
  }

  /** Frees every tensor this trainer holds, and the model too unless `keepModel` (to use it after training). */
  async dispose({ keepModel = false } = {}): Promise<void> {
    if (this.disposed) return;
    await this.stop();
    this.disposed = true;
    this.optimizer.dispose(); // model.dispose() does not free the optimizer's slots
    this.initialWeights.dispose();
    if (!keepModel) this.model.dispose();
    this.clear();
  }

  protected get usable(): boolean {
    return !this.disposed;
  }

  /** One optimisation step on the next batch (or the end-of-epoch validation, if it failed last time). */
  protected advance(): Promise<void> {
    return this.validationPending ? this.finishEpoch() : this.trainOneBatch();
  }

  protected restart(): void {
    this.restoreInitialState();
  }

  private restoreInitialState(): void {
    this.initialWeights.restore();
    this.optimizer.dispose();
    this.optimizer = adam(this.learningRateValue);
    this.history.batches = [];
    this.history.epochs = [];
    this.lossWatch.reset();
    this.validation = null;
    this.state = "idle"; // callers announce the next state themselves
    this.message = "";
    this.batches.restart();
    this.validationPending = false;
    this.epochLoss = 0;
    this.epochScore = 0;
    this.trainMs = 0;
  }

  /** One optimisation step on the next batch; validates at the end of each epoch. */
  private async trainOneBatch(): Promise<void> {
    const indices = this.batches.current();
    const stepSeed = this.seed * 1_000_003 + this.stepsTaken;
    const started = performance.now();
    const { loss, score } = withSeededRandom(stepSeed, () => this.optimiseOn(indices));
    const [lossValue] = await loss.data(); // async read: on WebGL this does not stall the GPU
    const [scoreValue] = await score.data();
    this.trainMs += performance.now() - started;
    loss.dispose();
    score.dispose();
    const endOfEpoch = this.batches.countBatch();
    const record: BatchRecord = {
      step: this.stepsTaken,
      epoch: this.batches.epoch + 1,
      batch: this.batches.batchInEpoch,
      batchesPerEpoch: this.batchesPerEpoch,
      loss: lossValue,
      score: scoreValue,
      learningRate: this.learningRateValue,
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
    if (endOfEpoch) {
      this.validationPending = true;
      await this.finishEpoch();
    }
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
    const epoch = this.batches.epoch + 1; // the epoch that just ended, counted from 1
    const validate = epoch >= this.epochs || epoch % this.validateEvery === 0;
    let record: EpochRecord | null = null;
    if (validate) {
      const { loss, metrics, details } = this.task.scoreValidation(await this.predictSplit(this.task.val));
      this.validation = { ...details, epoch };
      record = {
        epoch,
        step: this.stepsTaken,
        trainLoss: this.epochLoss / n,
        trainScore: this.epochScore / n,
        valLoss: loss,
        metrics,
        trainMs: this.trainMs,
      };
      this.history.epochs.push(record);
    }
    this.batches.nextEpoch();
    this.validationPending = false;
    this.epochLoss = 0;
    this.epochScore = 0;
    if (record) this.emit("epoch", record);
    if (this.batches.epoch >= this.epochs) {
      this.setState("done", `finished ${this.epochs} epochs`);
    }
  }

  /** The model's outputs for a whole split (one row per image), in small chunks with a yield between them. */
  predictSplit(split: ImageSplit): Promise<Float32Array> {
    return predictInChunks(this.model, split.count, this.validationChunk, (start, end) =>
      imagesTensor(
        split,
        this.task.inputShape,
        Int32Array.from({ length: end - start }, (_, i) => start + i),
      ),
    );
  }
}
