/**
 * Where a lesson's run trains: in the page's training worker when the browser can, else on the
 * main thread exactly as before, with a note saying which and why. `?worker=off` in the address
 * forces the main thread (to compare the two, or to debug).
 */
import type * as tf from "@tensorflow/tfjs";
import type { BackendName, BackendStatus, WasmPaths } from "../backend/setup";
import { el } from "../core/dom";
import { ORIGINAL_SEARCH } from "../core/address";
import type { ClassificationDataset } from "../data/types";
import type { Autoencoder } from "../models/autoencoder";
import {
  reconstructionTrainer,
  type ReconstructionRunOptions,
  type ReconstructionTask,
  type ReconstructionValidation,
  type UnlabelledData,
} from "../train/reconstruction";
import { segmentationTask } from "../train/segmentation";
import { transferMembers, type TransferRunOptions } from "../train/sweep";
import { TrainerGroup, TrainerPair } from "../train/pair";
import { Trainer, type TrainerOptions } from "../train/trainer";
import type { TrainingTask } from "../train/task";
import type { ExperimentRecipe, TaskRecipe } from "./protocol";
import type { ClassificationValidation } from "../train/classification";
import {
  fewLabelsPair,
  imbalanceExperiment,
  noiseExperiment,
  type FewLabelsOptions,
  type ImbalanceExperiment,
  type ImbalanceOptions,
  type NoiseExperiment,
  type NoiseOptions,
} from "../train/dataProblems";
import { lossFromRecipe } from "./recipes";
import { RemoteGroup, RemoteTrainer, WorkerConnection, type RemoteMember, type WorkerLike } from "./remote";

export interface PlaceOptions {
  /** The worker script's URL (a page gets it from lessons/components/trainingWorker.js). */
  workerUrl?: string | null;
  /** The backend the learner picked on the page ("auto" unless they chose). */
  requested?: BackendName | "auto";
  /** The page's own backend status (setupBackend's answer). */
  pageBackend?: BackendStatus | null;
  /** Where the worker finds the wasm binaries (made absolute here: the worker's base URL differs). */
  wasmPaths?: WasmPaths;
  /** How long the worker may take to load tfjs and set its backend up before the page gives up on it. */
  timeout?: number;
}

/** Why training must stay on the main thread here, or null when a worker can take it. */
export function mainThreadReason({ workerUrl, requested = "auto", pageBackend }: PlaceOptions): string | null {
  // The address as the page opened: a shareable control rewrites the address bar and drops keys it does not know.
  const search = ORIGINAL_SEARCH || (typeof location === "undefined" ? "" : location.search);
  if (new URLSearchParams(search).get("worker") === "off") return "the address asks for it (?worker=off)";
  if (!workerUrl) return "no training worker was given to this page";
  if (typeof Worker === "undefined") return "this browser has no Web Workers";
  const wantsGpu = requested === "webgl" || (requested === "auto" && pageBackend?.name === "webgl");
  if (wantsGpu && typeof OffscreenCanvas === "undefined")
    return "WebGL in a worker needs OffscreenCanvas, which this browser lacks";
  return null;
}

/** The backend to ask the worker for: WebGL only where the page found a real GPU (it probes with a canvas the worker has not got). */
function workerRequest({ requested = "auto", pageBackend }: PlaceOptions): BackendName | "auto" {
  if (requested !== "auto") return requested;
  return pageBackend?.name === "webgl" ? "webgl" : "auto";
}

function absolute(paths: WasmPaths | undefined): WasmPaths | undefined {
  if (!paths || typeof location === "undefined") return paths;
  if (typeof paths === "string") return new URL(paths, location.href).href;
  return Object.fromEntries(Object.entries(paths).map(([k, v]) => [k, new URL(v, location.href).href]));
}

const connections = new Map<string, Promise<WorkerConnection>>();

/** The page's one training worker (started on first use, shared by every run and every rebuild). */
export async function trainingWorker(options: PlaceOptions): Promise<WorkerConnection> {
  const url = options.workerUrl!;
  let connecting = connections.get(url);
  if (!connecting) {
    connecting = Promise.resolve(new WorkerConnection(new Worker(url, { type: "module" }) as unknown as WorkerLike));
    connections.set(url, connecting);
  }
  const connection = await connecting;
  const { timeout = 120_000 } = options;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      connection.setup(workerRequest(options), absolute(options.wasmPaths)),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`it did not start within ${timeout / 1000} s`)), timeout);
      }),
    ]);
  } catch (error) {
    connections.delete(url); // a later rebuild tries a fresh worker
    connection.terminate();
    throw error;
  } finally {
    clearTimeout(timer);
  }
  return connection;
}

/** A run on the main thread, with the reason it is there. */
export type LocalTrainer<V> = Trainer<V> & { runsIn: "main"; placeReason: string };
export type PlacedTrainer<V> = RemoteTrainer<V> | LocalTrainer<V>;

/** The same run built on the main thread, as the page built it before the worker existed. */
function localTrainer<V>(
  model: tf.LayersModel,
  task: TaskRecipe,
  options: TrainerOptions,
  placeReason: string,
): LocalTrainer<V> {
  const trainer =
    task.kind === "classification"
      ? new Trainer<V>(model, task.data as ClassificationDataset, {
          ...options,
          augment: task.augment ?? false,
          loss: lossFromRecipe(task.loss),
        })
      : new Trainer<V>(model, segmentationTask(task.data, task.options) as unknown as TrainingTask<V>, options);
  return Object.assign(trainer, { runsIn: "main" as const, placeReason });
}

/**
 * A trainer for `model` on `task`: in the training worker when it can start there, else on the
 * main thread. Either way it has the Trainer's surface, and `model` is the one the page charts.
 */
export async function placeTrainer<V = unknown>(
  model: tf.LayersModel,
  task: TaskRecipe,
  options: Omit<TrainerOptions, "augment" | "loss">,
  place: PlaceOptions = {},
): Promise<PlacedTrainer<V>> {
  const reason = mainThreadReason(place);
  if (reason) return localTrainer<V>(model, task, options, reason);
  try {
    const connection = await trainingWorker(place);
    return await RemoteTrainer.create<V>(connection, model, task, options);
  } catch (error) {
    return localTrainer<V>(
      model,
      task,
      options,
      `the training worker could not take this run (${(error as Error).message})`,
    );
  }
}

/** A local group: a TrainerPair for two runs (it has `second`), else a TrainerGroup. */
export type LocalGroup<V> = TrainerGroup<V> & { runsIn: "main"; placeReason: string };
export type PlacedGroup<V> = RemoteGroup<V> | LocalGroup<V>;

/**
 * Runs side by side in lockstep (a TrainerPair's surface: `first`, `second`, `trainers`…): in the
 * training worker when it can start there, else on the main thread. Each member's `model` stays
 * on the page for the charts.
 */
export async function placeGroup<V = unknown>(
  members: RemoteMember[],
  names: string[],
  place: PlaceOptions = {},
): Promise<PlacedGroup<V>> {
  const local = (reason: string): LocalGroup<V> => {
    const trainers = members.map((m) => localTrainer<V>(m.model, m.task, m.options, reason));
    const group =
      trainers.length === 2
        ? new TrainerPair<V>(trainers[0], trainers[1], names as [string, string])
        : new TrainerGroup<V>(trainers, names);
    return Object.assign(group, { runsIn: "main" as const, placeReason: reason });
  };
  const reason = mainThreadReason(place);
  if (reason) return local(reason);
  try {
    return await RemoteGroup.create<V>(await trainingWorker(place), members, names);
  } catch (error) {
    return local(`the training worker could not take these runs (${(error as Error).message})`);
  }
}

/**
 * The transfer lesson's strategies side by side (as transferGroup builds them): in the worker when
 * it can start there, else on the main thread. The page keeps each strategy's model as a replica.
 */
export function placeTransferGroup(
  source: tf.LayersModel,
  target: ClassificationDataset,
  options: TransferRunOptions,
  place: PlaceOptions = {},
): Promise<PlacedGroup<unknown>> {
  return placeGroup(transferGroupMembers(source, target, options), options.strategies, place);
}

/** The strategies as members of a group in the worker: transferGroup's models (kept as replicas), data and options. */
export function transferGroupMembers(
  source: tf.LayersModel,
  target: ClassificationDataset,
  options: TransferRunOptions,
): RemoteMember[] {
  return transferMembers(source, target, options).map((m) => ({
    model: m.model,
    task: { kind: "classification" as const, data: m.data },
    options: m.options,
  }));
}

/** The auto-encoder lesson's run, placed: `autoencoder` and `task` stay on the page for its panels. */
export interface PlacedReconstruction {
  autoencoder: Autoencoder;
  task: ReconstructionTask;
  trainer: RemoteTrainer<ReconstructionValidation> | LocalTrainer<ReconstructionValidation>;
  /** Sets the VAE's β live, wherever the run trains. */
  setBeta(beta: number): void;
}

/**
 * An auto-encoder and its trainer (as reconstructionTrainer builds them): trained in the worker when
 * it can start there, else on the main thread. Throws, as reconstructionTrainer does, for settings it refuses.
 */
export async function placeReconstruction(
  data: UnlabelledData,
  options: Omit<ReconstructionRunOptions, "onEpoch">,
  place: PlaceOptions = {},
): Promise<PlacedReconstruction> {
  const local = reconstructionTrainer(data, options); // checks the settings, and builds the page's copy
  const onMain = (reason: string): PlacedReconstruction => ({
    ...local,
    trainer: Object.assign(local.trainer, { runsIn: "main" as const, placeReason: reason }),
    setBeta: (beta) => void (local.task.beta = beta),
  });
  const reason = mainThreadReason(place);
  if (reason) return onMain(reason);
  try {
    const connection = await trainingWorker(place);
    const trainer = await RemoteTrainer.fromRecipe<ReconstructionValidation>(
      connection,
      { kind: "reconstruction", data, options },
      local.autoencoder.model,
    );
    await local.trainer.dispose({ keepModel: true }); // the page keeps the model as the replica, not a trainer
    return {
      autoencoder: local.autoencoder,
      task: local.task,
      trainer,
      setBeta(beta) {
        local.task.beta = beta;
        void trainer.setOption("beta", beta);
      },
    };
  } catch (error) {
    return onMain(`the training worker could not take this run (${(error as Error).message})`);
  }
}

/** What each data-problems experiment gives the page: `runs` (a group) and its plain results. */
type ExperimentResult = {
  imbalance: Omit<ImbalanceExperiment, "runs"> & { runs: PlacedGroup<ClassificationValidation> };
  noise: Omit<NoiseExperiment, "runs"> & { runs: PlacedGroup<ClassificationValidation> };
  fewLabels: PlacedGroup<ClassificationValidation>;
};

/**
 * One of the data-problems lesson's experiments, built by its own function (imbalanceExperiment,
 * noiseExperiment, fewLabelsPair): in the worker when it can start there, else on the main thread.
 * Throws, as those functions do, for settings they refuse.
 */
export async function placeExperiment<K extends ExperimentRecipe["experiment"]>(
  experiment: K,
  data: ClassificationDataset,
  options: Extract<ExperimentRecipe, { experiment: K }>["options"],
  place: PlaceOptions = {},
): Promise<ExperimentResult[K]> {
  const onMain = (reason: string): ExperimentResult[K] => {
    const mark = <G extends object>(group: G) => Object.assign(group, { runsIn: "main" as const, placeReason: reason });
    if (experiment === "imbalance") {
      const ex = imbalanceExperiment(data, options as ImbalanceOptions);
      return { ...ex, runs: mark(ex.runs) } as unknown as ExperimentResult[K];
    }
    if (experiment === "noise") {
      const ex = noiseExperiment(data, options as NoiseOptions);
      return { ...ex, runs: mark(ex.runs) } as unknown as ExperimentResult[K];
    }
    return mark(fewLabelsPair(data, options as FewLabelsOptions)) as unknown as ExperimentResult[K];
  };
  const reason = mainThreadReason(place);
  if (reason) return onMain(reason);
  let group: RemoteGroup<ClassificationValidation>;
  try {
    const recipe = { kind: "experiment", experiment, data, options } as ExperimentRecipe;
    group = await RemoteGroup.fromRecipe<ClassificationValidation>(await trainingWorker(place), recipe);
  } catch (error) {
    // Settings the experiment refuses throw again here, with the same message as before.
    return onMain(`the training worker could not take these runs (${(error as Error).message})`);
  }
  if (experiment === "fewLabels") return group as unknown as ExperimentResult[K];
  return { ...(group.extras as object), runs: group } as unknown as ExperimentResult[K];
}

/** The worker's own thread count and why (it reads the page's `?threads=N`, sent with its setup). */
function workerThreads(backend: BackendStatus): string {
  const count = threadCount(backend);
  return `${count === 1 ? "one" : count} (${backend.threads.reason})`;
}

/** Threads the wasm backend runs with: as started, else as asked. */
const threadCount = (backend: BackendStatus) => backend.threads.actual ?? backend.threads.count;

/** The sentence under the backend badge: where this run trains, on which backend, and why. */
export function trainingPlaceNote(
  trainer: { runsIn?: string; placeReason?: string; backend?: BackendStatus | null },
  pageBackend?: BackendStatus | null,
): HTMLElement {
  const inWorker = trainer.runsIn === "worker";
  const backend = inWorker ? trainer.backend : pageBackend;
  const text = inWorker
    ? [
        el("b", {}, "Training runs in a Web Worker"),
        ` (a background thread, so the page stays responsive) on ${backend?.name ?? "an unknown backend"}`,
        backend?.failures.length ? `, after ${backend.failures.join("; ")}` : "",
        ". Charts get the history and copies of the weights from it.",
        backend?.name === "wasm" ? ` Its WebAssembly threads: ${workerThreads(backend)}.` : "",
      ]
    : [
        el("b", {}, "Training runs on the main thread"),
        pageBackend ? ` on ${pageBackend.name}` : "",
        `: ${trainer.placeReason ?? "no worker"}. The page may answer clicks slowly while it trains.`,
      ];
  return el(
    "p",
    {
      class: "meddl-note meddl-training-place",
      "data-place": inWorker ? "worker" : "main",
      "data-backend": backend?.name ?? "",
      "data-threads": inWorker && backend?.name === "wasm" ? String(threadCount(backend)) : "",
    },
    ...text,
  );
}
