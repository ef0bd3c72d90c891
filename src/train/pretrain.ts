/**
 * Pretraining the source CNN of the transfer-learning lesson: the same trainer, on a large
 * source task. Used by `npm run pretrain` (node) and by the page's "pretrain now" button.
 */
import type * as tf from "@tensorflow/tfjs";
import type { ClassificationDataset } from "../data/types";
import { buildCnn } from "../models/cnn";
import { Trainer } from "./trainer";
import type { BatchRecord, EpochRecord, History, TrainerState } from "./types";

export interface PretrainOptions {
  filters?: number;
  depth?: number;
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  seed?: number;
  onEpoch?: (record: EpochRecord) => void;
  onBatch?: (step: number, totalSteps: number, loss: number) => void;
}

/** What is recorded next to shipped weights, so a test can check them and a page can show them. */
export interface PretrainRecord {
  source: string;
  trainCount: number;
  valCount: number;
  /** Number of source classes (chance accuracy is 1 / classes). */
  classes?: number;
  epochs: number;
  seed: number;
  architecture: { filters: number; depth: number; kernelSize: number; inputShape: number[] };
  valAccuracy: number;
  history: { epoch: number; trainLoss: number; valAccuracy: number }[];
}

/** What pretraining needs of a trainer: a Trainer here, or the page's handle on one in the training worker. */
export interface PretrainRun {
  readonly state: TrainerState;
  readonly message: string;
  readonly totalSteps: number;
  readonly history: History;
  on(event: "epoch", listener: (epoch: EpochRecord) => void): () => void;
  on(event: "batch", listener: (batch: BatchRecord) => void): () => void;
  start(): Promise<void>;
  dispose(options?: { keepModel?: boolean }): Promise<void>;
}

/** Makes the trainer of the source model (default: a Trainer on this thread). */
export type PretrainTrainerFactory = (
  model: tf.LayersModel,
  data: ClassificationDataset,
  options: { epochs: number; batchSize: number; learningRate: number; seed: number },
) => Promise<PretrainRun>;

const trainHere: PretrainTrainerFactory = async (model, data, options) => new Trainer(model, data, options);

/**
 * Trains the source CNN on `data` and returns it with its record. `makeTrainer` says where it
 * trains (the transfer page passes one that trains in the worker); the model ends with the final weights.
 */
export async function pretrainSource(
  data: ClassificationDataset,
  {
    filters = 16,
    depth = 3,
    epochs = 3,
    batchSize = 32,
    learningRate = 0.003,
    seed = 1,
    onEpoch,
    onBatch,
  }: PretrainOptions = {},
  makeTrainer: PretrainTrainerFactory = trainHere,
): Promise<{ model: tf.LayersModel; record: PretrainRecord }> {
  const model = buildCnn({ inputShape: data.imageShape, outputs: data.classNames.length, filters, depth, seed });
  let trainer: PretrainRun | null = null;
  try {
    trainer = await makeTrainer(model, data, { epochs, batchSize, learningRate, seed });
    const run = trainer;
    if (onEpoch) run.on("epoch", onEpoch);
    if (onBatch) run.on("batch", (b) => onBatch(b.step, run.totalSteps, b.loss));
    await run.start();
    if (run.state !== "done") throw new Error(`pretraining stopped: ${run.message}`);
    const record = pretrainRecord(data, { filters, depth, epochs, seed }, run.history);
    await run.dispose({ keepModel: true }); // frees the optimizer and saved weights, hands the model over
    return { model, record };
  } catch (error) {
    if (trainer) await trainer.dispose();
    else model.dispose();
    throw error;
  }
}

/** What a finished pretraining run records. */
function pretrainRecord(
  data: ClassificationDataset,
  { filters, depth, epochs, seed }: { filters: number; depth: number; epochs: number; seed: number },
  history: History,
): PretrainRecord {
  return {
    source: data.id,
    trainCount: data.train.count,
    valCount: data.val.count,
    classes: data.classNames.length,
    epochs,
    seed,
    architecture: { filters, depth, kernelSize: 3, inputShape: [...data.imageShape] },
    valAccuracy: history.epochs.at(-1)!.metrics.accuracy,
    history: history.epochs.map((e) => ({
      epoch: e.epoch,
      trainLoss: e.trainLoss,
      valAccuracy: e.metrics.accuracy,
    })),
  };
}
