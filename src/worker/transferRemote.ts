/**
 * The transfer lesson's long jobs in the training worker, seen from the page: the sweep over N and
 * seeds (`workerSweep`, with runSweep's signature, so the sweep panel drives it as before) and the
 * source model's pretraining (`workerPretrain`, with pretrainSource's). The three strategies side
 * by side are a plain group of trainers: placeTransferGroup in place.ts.
 */
import type * as tf from "@tensorflow/tfjs";
import type { ClassificationDataset } from "../data/types";
import { pretrainSource, type PretrainOptions } from "../train/pretrain";
import { runSweep, type SweepOptions, type SweepPoint } from "../train/sweep";
import type { TrainerState } from "../train/types";
import { mainThreadReason, trainingWorker, type PlaceOptions } from "./place";
import type { SweepPointUpdate } from "./recipes/transfer";
import { modelRecipe, RemoteEventRun, RemoteTrainer, type WorkerConnection } from "./remote";

/** Runs the sweep in the worker behind `connection`, with runSweep's signature and hooks. */
export async function sweepInWorker(
  connection: WorkerConnection,
  source: tf.LayersModel,
  target: ClassificationDataset,
  options: SweepOptions,
): Promise<SweepPoint[]> {
  const { onRun, cancelled = () => false, ...rest } = options;
  const run = await RemoteEventRun.create(connection, {
    kind: "transferSweep",
    source: await modelRecipe(source),
    target,
    options: rest,
  });
  const points: SweepPoint[] = [];
  const finished = new Promise<void>((resolve) => {
    run.on("state", ({ state }) => {
      if ((["done", "stopped", "diverged"] as TrainerState[]).includes(state)) resolve();
    });
  });
  (run as unknown as { on(e: string, l: (v: SweepPointUpdate) => void): void }).on(
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

/**
 * runSweep for the sweep panel: in the training worker when it can start there, else on the main
 * thread. The choice is made when the sweep starts.
 */
export function workerSweep(place: PlaceOptions = {}): typeof runSweep {
  return async (source, target, options) => {
    if (mainThreadReason(place)) return runSweep(source, target, options);
    let connection: WorkerConnection;
    try {
      connection = await trainingWorker(place);
    } catch {
      return runSweep(source, target, options);
    }
    return sweepInWorker(connection, source, target, options);
  };
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
