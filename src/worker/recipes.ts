/**
 * The worker's registry of runs it can build from a recipe. A recipe is plain data (see
 * protocol.ts); here it becomes the same Trainer and TrainingTask the page would have made.
 */
import * as tf from "@tensorflow/tfjs";
import "../models/autoencoder"; // registers the custom layers a model's JSON may name
import { classificationTask } from "../train/classification";
import { crossEntropyLoss, focalLoss, weightedCrossEntropy, type ClassificationLoss } from "../train/losses";
import { segmentationTask } from "../train/segmentation";
import { Trainer } from "../train/trainer";
import type { TrainingTask } from "../train/task";
import type { TrainingLoop } from "../train/loop";
import type { History, TrainerEvents } from "../train/types";
import type { LossRecipe, ModelRecipe, RunRecipe, RunShape, TaskRecipe } from "./protocol";
import { buildGanPairRun } from "./recipes/gan";
import { buildTransferGroupRun, buildTransferSweepRun } from "./recipes/transfer";

/** What the host needs of a built run: the controls, its model(s), and the events it forwards. */
export interface BuiltRun {
  loop: TrainingLoop<TrainerEvents> & {
    history: History;
    stepsTaken: number;
    learningRate: number;
    validation?: unknown;
    setLearningRate(lr: number): void;
    warmUp(): Promise<void>;
    dispose(): Promise<void>;
  };
  /** The model whose weights the page's replica follows (none: the run's events carry all the page needs). */
  model?: tf.LayersModel;
  /** Applies a live setting by name (runs with settings beyond the learning rate). */
  set?(name: string, value: number): void;
  shape: RunShape;
  /** The run's events to forward to the page (batch, epoch and state at least). */
  events: string[];
}

/** Rebuilds a model from its JSON and puts the page's weights in (the random init is overwritten). */
export async function modelFromRecipe({ topology, weights }: ModelRecipe): Promise<tf.LayersModel> {
  const model = await tf.models.modelFromJSON({ modelTopology: topology } as tf.io.ModelJSON);
  const values = model.weights.map((w, i) => {
    const shape = w.shape as number[];
    if (!weights[i] || weights[i].length !== shape.reduce((a, b) => a * b, 1))
      throw new Error(
        `weight ${i} (${w.name}) does not match the model: ${weights[i]?.length} values for shape [${shape}]`,
      );
    return tf.tensor(weights[i], shape);
  });
  model.setWeights(values);
  tf.dispose(values);
  return model;
}

export function lossFromRecipe(loss: LossRecipe | undefined): ClassificationLoss | undefined {
  if (!loss || loss.name === "crossEntropy") return crossEntropyLoss;
  if (loss.name === "weighted") return weightedCrossEntropy(loss.classWeights);
  return focalLoss(loss.gamma, loss.classWeights);
}

function taskFromRecipe(task: TaskRecipe): TrainingTask<unknown> {
  if (task.kind === "classification")
    return classificationTask(task.data, { augment: task.augment ?? false, loss: lossFromRecipe(task.loss) });
  if (task.kind === "segmentation") return segmentationTask(task.data, task.options) as TrainingTask<unknown>;
  throw new Error(`unknown task kind: ${(task as { kind: string }).kind}`);
}

/** Builds the run a recipe describes; throws a readable error for a recipe it cannot build. */
export async function buildRun(recipe: RunRecipe): Promise<BuiltRun> {
  if (recipe.kind === "ganPair") return buildGanPairRun(recipe);
  if (recipe.kind === "transferGroup") return buildTransferGroupRun(recipe);
  if (recipe.kind === "transferSweep") return buildTransferSweepRun(recipe);
  if (recipe.kind !== "trainer") throw new Error(`unknown run kind: ${(recipe as { kind: string }).kind}`);
  const model = await modelFromRecipe(recipe.model);
  try {
    const trainer = new Trainer<unknown>(model, taskFromRecipe(recipe.task), recipe.options);
    return {
      loop: trainer,
      model,
      shape: {
        batchesPerEpoch: trainer.batchesPerEpoch,
        epochs: trainer.epochs,
        totalSteps: trainer.totalSteps,
        batchSize: trainer.batchSize,
        seed: trainer.seed,
        scoreName: trainer.history.scoreName,
      },
      events: ["batch", "epoch", "state"],
    };
  } catch (error) {
    model.dispose();
    throw error;
  }
}
