/**
 * Where a lesson's run trains: in the page's training worker when the browser can, else on the
 * main thread exactly as before, with a note saying which and why. `?worker=off` in the address
 * forces the main thread (to compare the two, or to debug).
 */
import type * as tf from "@tensorflow/tfjs";
import type { BackendName, BackendStatus, WasmPaths } from "../backend/setup";
import { el } from "../core/dom";
import { ORIGINAL_SEARCH } from "../ui/safeLink";
import type { ClassificationDataset } from "../data/types";
import { segmentationTask } from "../train/segmentation";
import { Trainer, type TrainerOptions } from "../train/trainer";
import type { TrainingTask } from "../train/task";
import type { TaskRecipe } from "./protocol";
import { lossFromRecipe } from "./recipes";
import { RemoteTrainer, WorkerConnection, type WorkerLike } from "./remote";

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
  if (new URLSearchParams(search).get("worker") === "off")
    return "the address asks for it (?worker=off)";
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
    },
    ...text,
  );
}
