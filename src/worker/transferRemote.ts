/**
 * The transfer lesson's long jobs in the training worker, seen from the page: the sweep over N and
 * seeds (`workerSweep`, with runSweep's signature, so the sweep panel drives it as before) and the
 * source model's pretraining (`workerPretrain`, with pretrainSource's). The three strategies side
 * by side are a plain group of trainers: placeTransferGroup in place.ts. The data-problems lesson's
 * augmentation sweep comes the same way (`workerAugmentSweep`, with runAugmentSweep's signature).
 */
import type * as tf from "@tensorflow/tfjs";
import type { ClassificationDataset } from "../data/types";
import { pretrainSource, type PretrainOptions } from "../train/pretrain";
import { runSweep, type SweepOptions, type SweepPoint } from "../train/sweep";
import type { TrainerState } from "../train/types";
import { runAugmentSweep, type AugmentPoint, type AugmentSweepOptions } from "../train/dataProblems";
import type { RunRecipe } from "./protocol";
import { mainThreadReason, trainingWorker, type PlaceOptions } from "./place";
import type { SweepPointUpdate } from "./recipes/transfer";
import { modelRecipe, RemoteEventRun, RemoteTrainer, type WorkerConnection } from "./remote";

/** Runs a sweep recipe in the worker behind `connection`: its points come back one finished run at a time. */
async function sweepRecipeInWorker<P>(
  connection: WorkerConnection,
  recipe: RunRecipe,
  {
    onRun,
    cancelled = () => false,
  }: { onRun?: (point: P, done: number, total: number) => void; cancelled?: () => boolean },
): Promise<P[]> {
  const run = await RemoteEventRun.create(connection, recipe);
  const points: P[] = [];
  const finished = new Promise<void>((resolve) => {
    run.on("state", ({ state }) => {
      if ((["done", "stopped", "diverged"] as TrainerState[]).includes(state)) resolve();
    });
  });
  (run as unknown as { on(e: string, l: (v: SweepPointUpdate<P>) => void): void }).on(
    "sweep:point",
    ({ point, done, total }) => {
      points.push(point);
      onRun?.(point, done, total);
    },
  );
  // The panel's Stop sets a flag it expects the sweep to check: look at it often, and pass it on.
  const watch = setInterval(() => cancelled() && void run.stop(), 200);
  try {
    void run.start();
    await finished;
    if (run.message.startsWith("training failed")) throw new Error(run.message);
    return points;
  } finally {
    clearInterval(watch);
    await run.dispose();
  }
}

/** Runs the sweep in the worker behind `connection`, with runSweep's signature and hooks. */
export async function sweepInWorker(
  connection: WorkerConnection,
  source: tf.LayersModel,
  target: ClassificationDataset,
  options: SweepOptions,
): Promise<SweepPoint[]> {
  const { onRun, cancelled, ...rest } = options;
  const recipe: RunRecipe = { kind: "transferSweep", source: await modelRecipe(source), target, options: rest };
  return sweepRecipeInWorker(connection, recipe, { onRun, cancelled });
}

/** The augmentation sweep in the worker behind `connection`, with runAugmentSweep's signature and hooks. */
export function augmentSweepInWorker(
  connection: WorkerConnection,
  data: ClassificationDataset,
  options: AugmentSweepOptions,
): Promise<AugmentPoint[]> {
  const { onRun, cancelled, ...rest } = options;
  return sweepRecipeInWorker(connection, { kind: "augmentSweep", data, options: rest }, { onRun, cancelled });
}

/** `sweep` in the training worker when it can start there, else `here` on the main thread (chosen when it starts). */
function inWorkerOrHere<A extends unknown[], R>(
  place: PlaceOptions,
  here: (...args: A) => Promise<R>,
  sweep: (connection: WorkerConnection, ...args: A) => Promise<R>,
): (...args: A) => Promise<R> {
  return async (...args) => {
    if (mainThreadReason(place)) return here(...args);
    let connection: WorkerConnection;
    try {
      connection = await trainingWorker(place);
    } catch {
      return here(...args);
    }
    return sweep(connection, ...args);
  };
}

/** runSweep for the sweep panel: in the training worker when it can start there, else on the main thread. */
export function workerSweep(place: PlaceOptions = {}): typeof runSweep {
  return inWorkerOrHere(place, runSweep, sweepInWorker);
}

/** runAugmentSweep for the augmentation sweep panel, the same way. */
export function workerAugmentSweep(place: PlaceOptions = {}): typeof runAugmentSweep {
  return inWorkerOrHere(place, runAugmentSweep, augmentSweepInWorker);
}

/**
 * pretrainSource with the training in the worker: the page builds the same CNN, the worker trains
 * it (a plain "trainer" recipe), and the page's model ends with the worker's final weights.
 */
export function pretrainInWorker(
  connection: WorkerConnection,
  data: ClassificationDataset,
  options: PretrainOptions = {},
): ReturnType<typeof pretrainSource> {
  return pretrainSource(data, options, (model, data, trainerOptions) =>
    RemoteTrainer.create(connection, model, { kind: "classification", data }, trainerOptions),
  );
}

/** pretrainSource for the source panel: in the training worker when it can start there, else on the main thread. */
export function workerPretrain(place: PlaceOptions = {}): typeof pretrainSource {
  return async (data, options) => {
    if (mainThreadReason(place)) return pretrainSource(data, options);
    let connection: WorkerConnection;
    try {
      connection = await trainingWorker(place);
    } catch {
      return pretrainSource(data, options);
    }
    return pretrainInWorker(connection, data, options);
  };
}
