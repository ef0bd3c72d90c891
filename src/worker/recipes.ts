/**
 * The worker's registry of runs it can build from a recipe. A recipe is plain data (see
 * protocol.ts); here it becomes the same Trainer and TrainingTask the page would have made.
 */
import "../models/autoencoder"; // registers the custom layers a model's JSON may name
import { classificationTask } from "../train/classification";
import { crossEntropyLoss, focalLoss, weightedCrossEntropy, type ClassificationLoss } from "../train/losses";
import { segmentationTask } from "../train/segmentation";
import { TrainerGroup } from "../train/pair";
import { Trainer } from "../train/trainer";
import type { TrainingTask } from "../train/task";
import { DetectionComparison, DetectionTrainer } from "../train/detection";
import type {
  DetectionRecipe,
  LossRecipe,
  RunRecipe,
  RunShape,
  TaskRecipe,
  TrainerRecipe,
  ReconstructionRecipe,
  ExperimentRecipe,
} from "./protocol";
import { BETA_RANGE, reconstructionTrainer } from "../train/reconstruction";
import { fewLabelsPair, imbalanceExperiment, noiseExperiment } from "../train/dataProblems";
import { buildGanPairRun } from "./recipes/gan";
import { buildAugmentSweepRun, buildTransferSweepRun } from "./recipes/transfer";
import { modelFromRecipe, type BuiltRun, type RunLoop, type RunPart } from "./run";

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

function shapeOf(loop: RunLoop, extra: { batchSize: number; seed: number }): RunShape {
  return {
    batchesPerEpoch: loop.batchesPerEpoch,
    epochs: loop.epochs,
    totalSteps: loop.totalSteps,
    scoreName: loop.history.scoreName,
    ...extra,
  };
}

async function buildTrainer(recipe: TrainerRecipe): Promise<RunPart & { trainer: Trainer<unknown> }> {
  const model = await modelFromRecipe(recipe.model);
  try {
    const trainer = new Trainer<unknown>(model, taskFromRecipe(recipe.task), recipe.options);
    return {
      trainer,
      loop: trainer,
      model,
      shape: shapeOf(trainer, { batchSize: trainer.batchSize, seed: trainer.seed }),
    };
  } catch (error) {
    model.dispose();
    throw error;
  }
}

/** Builds the run a recipe describes; throws a readable error for a recipe it cannot build. */
export async function buildRun(recipe: RunRecipe): Promise<BuiltRun> {
  const events = ["batch", "epoch", "state"];
  if (recipe.kind === "trainer") {
    const part = await buildTrainer(recipe);
    return { loop: part.loop, shape: part.shape, parts: [part], events };
  }
  if (recipe.kind === "group") {
    const parts: Awaited<ReturnType<typeof buildTrainer>>[] = [];
    try {
      for (const member of recipe.members) parts.push(await buildTrainer(member));
      const group = new TrainerGroup(
        parts.map((p) => p.trainer),
        recipe.names,
      );
      return { loop: group, shape: { ...parts[0].shape }, parts, events };
    } catch (error) {
      await Promise.all(parts.map((p) => p.trainer.dispose()));
      throw error;
    }
  }
  if (recipe.kind === "detection") return buildDetection(recipe);
  if (recipe.kind === "reconstruction") return buildReconstruction(recipe);
  if (recipe.kind === "experiment") return buildExperiment(recipe);
  if (recipe.kind === "ganPair") return buildGanPairRun(recipe);
  if (recipe.kind === "transferSweep") return buildTransferSweepRun(recipe);
  if (recipe.kind === "augmentSweep") return buildAugmentSweepRun(recipe);
  throw new Error(`unknown run kind: ${(recipe as { kind: string }).kind}`);
}

/** The detection lesson's runs: a DetectionComparison of DetectionTrainers over one data set. */
async function buildDetection(recipe: DetectionRecipe): Promise<BuiltRun> {
  const parts: (RunPart & { trainer: DetectionTrainer })[] = [];
  try {
    for (const member of recipe.members) {
      const model = await modelFromRecipe(member.model);
      let trainer: DetectionTrainer;
      try {
        trainer = new DetectionTrainer(model, recipe.data, member.options);
      } catch (error) {
        model.dispose();
        throw error;
      }
      const shape = shapeOf(trainer, { batchSize: trainer.options.batchSize, seed: trainer.options.seed });
      parts.push({ trainer, loop: trainer, model, shape });
    }
    const group = new DetectionComparison(
      parts.map((p) => p.trainer),
      recipe.names,
    );
    return { loop: group, shape: { ...parts[0].shape }, parts, events: ["batch", "epoch", "state"] };
  } catch (error) {
    await Promise.all(parts.map((p) => p.trainer.dispose()));
    throw error;
  }
}

/** The auto-encoder lesson's run, built by the same function as on the page (same seed, same initial weights). */
function buildReconstruction(recipe: ReconstructionRecipe): BuiltRun {
  const { autoencoder, trainer, task } = reconstructionTrainer(recipe.data, recipe.options);
  const shape = shapeOf(trainer, { batchSize: trainer.batchSize, seed: trainer.seed });
  return {
    loop: trainer,
    shape,
    parts: [{ loop: trainer, model: autoencoder.model, shape }],
    events: ["batch", "epoch", "state"],
    setOption(name, value) {
      if (name !== "beta") throw new Error(`an auto-encoder has no live setting "${name}"`);
      if (!(Number.isFinite(value) && value >= BETA_RANGE.min && value <= BETA_RANGE.max))
        throw new RangeError(`β must be from ${BETA_RANGE.min} to ${BETA_RANGE.max}, got ${value}`);
      task.beta = value;
    },
  };
}

/** A data-problems experiment: its group of trainers, and its plain results for the page. */
function buildExperiment(recipe: ExperimentRecipe): BuiltRun {
  let group: TrainerGroup<unknown>;
  let extras: unknown = null;
  if (recipe.experiment === "imbalance") {
    const { runs, ...rest } = imbalanceExperiment(recipe.data, recipe.options);
    group = runs;
    extras = rest;
  } else if (recipe.experiment === "noise") {
    const { runs, ...rest } = noiseExperiment(recipe.data, recipe.options);
    group = runs;
    extras = rest;
  } else if (recipe.experiment === "fewLabels") group = fewLabelsPair(recipe.data, recipe.options);
  else throw new Error(`unknown experiment: ${(recipe as { experiment: string }).experiment}`);
  const parts = group.trainers.map((t) => ({
    loop: t as RunLoop,
    model: t.model,
    shape: shapeOf(t, { batchSize: t.batchSize, seed: t.seed }),
  }));
  return {
    loop: group,
    shape: { ...parts[0].shape },
    parts,
    events: ["batch", "epoch", "state"],
    replicas: false,
    extras,
  };
}
