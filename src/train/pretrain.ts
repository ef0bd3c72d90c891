/**
 * Pretraining the source CNN of the transfer-learning lesson: the same trainer, on a large
 * source task. Used by `npm run pretrain` (node) and by the page's "pretrain now" button.
 */
import type * as tf from "@tensorflow/tfjs";
import type { ClassificationDataset } from "../data/types";
import { buildCnn } from "../models/cnn";
import { Trainer } from "./trainer";
import type { EpochRecord, History } from "./types";

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
): Promise<{ model: tf.LayersModel; record: PretrainRecord }> {
  const model = buildCnn({ inputShape: data.imageShape, outputs: data.classNames.length, filters, depth, seed });
  const trainer = new Trainer(model, data, { epochs, batchSize, learningRate, seed });
  if (onEpoch) trainer.on("epoch", onEpoch);
  if (onBatch) trainer.on("batch", (b) => onBatch(b.step, trainer.totalSteps, b.loss));
  await trainer.start();
  if (trainer.state !== "done") throw new Error(`pretraining stopped: ${trainer.message}`);
  const record = pretrainRecord(data, { filters, depth, epochs, seed }, trainer.history);
  await trainer.dispose({ keepModel: true }); // frees the optimizer and saved weights, hands the model over
  return { model, record };
}

/** What a finished pretraining run records (also for a run trained in the worker). */
export function pretrainRecord(
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
