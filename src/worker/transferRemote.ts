/**
 * The transfer lesson's runs in the training worker, seen from the page.
 *
 * `RemoteTransferGroup` looks like transferGroup's TrainerGroup to the lesson's charts: `trainers`,
 * each with its history (AUC per round, training time) and a `model` replica (the filters and
 * feature charts read it), whose weights follow the worker's at every round and whenever the
 * group pauses, stops or resets. `workerSweep` runs the sweep in the worker with runSweep's
 * signature, so the sweep panel drives it as before.
 */
import * as tf from "@tensorflow/tfjs";
import type { ClassificationDataset } from "../data/types";
import { buildCnn } from "../models/cnn";
import { transferModel } from "../models/transfer";
import { pretrainRecord, pretrainSource, type PretrainOptions } from "../train/pretrain";
import { checkLearningRate } from "../train/checks";
import type { TrainerGroup } from "../train/pair";
import { runSweep, transferGroup, type SweepOptions, type SweepPoint, type TransferRunOptions } from "../train/sweep";
import type { History, TrainerState } from "../train/types";
import { mainThreadReason, trainingWorker, type PlaceOptions } from "./place";
import type { ModelRecipe } from "./protocol";
import type { SweepPointUpdate, TransferRunUpdate } from "./recipes/transfer";
import { RemoteTrainer, type WorkerConnection } from "./remote";
import { createRemoteRun, RemoteRun } from "./remoteRun";

/** One strategy as the page sees it: its history and its model's replica. */
export interface RemoteStrategy {
  history: History;
  model: tf.LayersModel;
}

/** The page's model as a recipe: its JSON and weights (copied: the page keeps its own). */
async function modelRecipe(model: tf.LayersModel): Promise<ModelRecipe> {
  const weights = await Promise.all(model.getWeights().map(async (w) => new Float32Array(await w.data())));
  return { topology: model.toJSON(null, false) as object, weights };
}

export class RemoteTransferGroup extends RemoteRun {
  readonly trainers: RemoteStrategy[];
  readonly names: string[];

  constructor(created: Awaited<ReturnType<typeof createRemoteRun>>, source: tf.LayersModel, target: ClassificationDataset, options: TransferRunOptions) {
    super(created);
    this.names = [...options.strategies];
    // Replicas built as the worker builds its models; their weights follow the worker's.
    this.trainers = options.strategies.map((strategy) => ({
      history: { scoreName: this.history.scoreName, batches: [], epochs: [] },
      model: transferModel(source, { strategy, outputs: target.classNames.length, seed: options.seed, unfrozen: options.unfrozen }),
    }));
  }

  get runs(): RemoteStrategy[] {
    return this.trainers;
  }

  /** One learning rate for all (as TrainerGroup.setLearningRate). */
  setLearningRate(lr: number): void {
    checkLearningRate(lr);
    this.learningRate = lr;
    if (!this.disposed)
      void this.connection.request({ type: "setLearningRate", runId: this.runId, learningRate: lr }).then((r) => this.check(r));
  }

  override async dispose(): Promise<void> {
    if (this.disposed) return;
    await super.dispose();
    for (const t of this.trainers) t.model.dispose();
  }

  /** The group's round is announced when the last strategy has finished it (see onRunEvent), not when the first has. */
  protected override announces(event: string): boolean {
    return event !== "epoch";
  }

  protected override onRunEvent(event: string, value: unknown): void {
    if (event !== "transfer:run") return;
    const { run, batch, epoch, batches, epochs, weights } = value as TransferRunUpdate;
    const { history, model } = this.trainers[run];
    history.batches.length = Math.min(history.batches.length, batch ? batches - 1 : batches);
    history.epochs.length = Math.min(history.epochs.length, epoch ? epochs - 1 : epochs);
    if (batch) history.batches.push(batch);
    if (epoch) history.epochs.push(epoch);
    if (weights) this.takeWeights(model, weights);
    // The last strategy's round completes the group's round: the charts redraw with all three.
    if (epoch && run === this.trainers.length - 1) this.emitAny("epoch", epoch);
  }

  private takeWeights(model: tf.LayersModel, weights: Float32Array[]): void {
    const values = model.weights.map((w, i) => tf.tensor(weights[i], w.shape as number[]));
    try {
      model.setWeights(values);
    } finally {
      tf.dispose(values);
    }
  }
}

/** Builds the three strategies in the worker behind `connection`. */
export async function remoteTransferGroup(
  connection: WorkerConnection,
  source: tf.LayersModel,
  target: ClassificationDataset,
  options: TransferRunOptions,
): Promise<RemoteTransferGroup> {
  const created = await createRemoteRun(connection, {
    kind: "transferGroup",
    source: await modelRecipe(source),
    target,
    options: { ...options, strategies: [...options.strategies], unfrozen: options.unfrozen && [...options.unfrozen] },
  });
  return new RemoteTransferGroup(created, source, target, options);
}

export type LocalTransferGroup = TrainerGroup<unknown> & { runsIn: "main"; placeReason: string };
export type PlacedTransferGroup = RemoteTransferGroup | LocalTransferGroup;

/**
 * The three strategies in the training worker when it can start there, else transferGroup on the
 * main thread, as before. Either way: `trainers` with histories and models, and the group's controls.
 */
export async function placeTransferGroup(
  source: tf.LayersModel,
  target: ClassificationDataset,
  options: TransferRunOptions,
  place: PlaceOptions = {},
): Promise<PlacedTransferGroup> {
  const local = (reason: string): LocalTransferGroup =>
    Object.assign(transferGroup(source, target, options), { runsIn: "main" as const, placeReason: reason });
  const reason = mainThreadReason(place);
  if (reason) return local(reason);
  try {
    return await remoteTransferGroup(await trainingWorker(place), source, target, options);
  } catch (error) {
    return local(`the training worker could not take this run (${(error as Error).message})`);
  }
}

/** Runs the sweep in the worker behind `connection`, with runSweep's signature and hooks. */
export async function sweepInWorker(
  connection: WorkerConnection,
  source: tf.LayersModel,
  target: ClassificationDataset,
  options: SweepOptions,
): Promise<SweepPoint[]> {
  const { onRun, cancelled = () => false, ...rest } = options;
  const created = await createRemoteRun(connection, { kind: "transferSweep", source: await modelRecipe(source), target, options: rest });
  const run = new RemoteRun(created);
  const points: SweepPoint[] = [];
  const finished = new Promise<void>((resolve) => {
    run.on("state", ({ state }) => {
      if ((["done", "stopped", "diverged"] as TrainerState[]).includes(state)) resolve();
    });
  });
  (run as unknown as { on(e: string, l: (v: SweepPointUpdate) => void): void }).on("sweep:point", ({ point, done, total }) => {
    points.push(point);
    onRun?.(point, done, total);
  });
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
export async function pretrainInWorker(
  connection: WorkerConnection,
  data: ClassificationDataset,
  { filters = 16, depth = 3, epochs = 3, batchSize = 32, learningRate = 0.003, seed = 1, onEpoch, onBatch }: PretrainOptions = {},
): Promise<Awaited<ReturnType<typeof pretrainSource>>> {
  const model = buildCnn({ inputShape: data.imageShape, outputs: data.classNames.length, filters, depth, seed });
  let trainer: RemoteTrainer | null = null;
  try {
    trainer = await RemoteTrainer.create(connection, model, { kind: "classification", data }, { epochs, batchSize, learningRate, seed });
    const run = trainer;
    if (onEpoch) run.on("epoch", onEpoch);
    if (onBatch) run.on("batch", (b) => onBatch(b.step, run.totalSteps, b.loss));
    await run.start();
    if (run.state !== "done") throw new Error(`pretraining stopped: ${run.message}`);
    const record = pretrainRecord(data, { filters, depth, epochs, seed }, run.history);
    await run.dispose({ keepModel: true }); // the replica holds the final weights (sent before the "done" state)
    return { model, record };
  } catch (error) {
    if (trainer) await trainer.dispose();
    else model.dispose();
    throw error;
  }
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
