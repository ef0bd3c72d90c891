/**
 * A run as the worker's host drives it: its loop (the controls and state), its parts (the models
 * the page's replicas follow), the events it forwards and its live settings. The registry
 * (recipes.ts, recipes/*.ts) builds these from recipes.
 */
import * as tf from "@tensorflow/tfjs";
import type { TrainingLoop } from "../train/loop";
import type { History, TrainerEvents } from "../train/types";
import type { ModelRecipe, RunShape } from "./protocol";

/** The controls and state the host reads of any run (a Trainer, a TrainerGroup). */
export type RunLoop = TrainingLoop<TrainerEvents> & {
  history: History;
  stepsTaken: number;
  learningRate: number;
  batchesPerEpoch: number;
  epochs: number;
  totalSteps: number;
  validation?: unknown;
  setLearningRate(lr: number): void;
  warmUp(): Promise<void>;
  dispose(): Promise<void>;
};

/** One model of a run, whose weights a replica on the page follows. */
export interface RunPart {
  loop: RunLoop;
  model: tf.LayersModel;
  shape: RunShape;
}

/** What the host needs of a built run: the controls, its parts (one per model), the events it forwards. */
export interface BuiltRun {
  loop: RunLoop;
  shape: RunShape;
  /** A single trainer is its own only part; a group has one part per member. */
  parts: RunPart[];
  /** The run's events to forward to the page (batch, epoch and state at least). */
  events: string[];
  /** Changes one of the run's own live settings (setOption messages). */
  setOption?(name: string, value: number): void;
  /** False when the page keeps no replica of the models (then no weights are sent). */
  replicas?: boolean;
  /** Models the page's Load model may write into by index when they are not parts (a GAN pair's generators). */
  loadable?: tf.LayersModel[];
  /** Plain results of building the run, sent back once with "created". */
  extras?: unknown;
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
