/**
 * The one protocol between a lesson page and its training worker.
 *
 * The page sends a serialisable *recipe* (the model as JSON plus its weights, the data as typed
 * arrays, the trainer's options), then commands (start, pause, step…). The worker answers with the
 * run's events (batch, epoch, state, and any event of the run's own), copies of the weights for
 * the page's replica of the model, and errors as plain messages. Every message is made of plain
 * objects, numbers, strings and typed arrays, so the browser's structured clone carries it as is.
 */
import type { BackendName, BackendStatus, WasmPaths } from "../backend/setup";
import type { ClassificationDataset } from "../data/types";
import type { SegmentationData } from "../data/nuclei";
import type { SegmentationTaskOptions } from "../train/segmentation";
import type { TrainerOptions } from "../train/trainer";
import type { TrainerState } from "../train/types";
import type { GanPairRecipe } from "./recipes/gan";
import type { TransferGroupRecipe, TransferSweepRecipe } from "./recipes/transfer";

/** A model as the worker rebuilds it: `model.toJSON()` and its weights, in `model.weights` order. */
export interface ModelRecipe {
  topology: object;
  weights: Float32Array[];
}

/** What the run learns from: a task the worker knows how to build from plain data. */
export type TaskRecipe =
  | {
      kind: "classification";
      data: ClassificationDataset;
      augment?: TrainerOptions["augment"];
      /** A loss by name (a function cannot cross to the worker); cross-entropy when absent. */
      loss?: LossRecipe;
    }
  | { kind: "segmentation"; data: SegmentationData; options?: SegmentationTaskOptions };

/** The kit's classification losses (src/train/losses.ts), by name and parameters. */
export type LossRecipe =
  | { name: "crossEntropy" }
  | { name: "weighted"; classWeights: number[] }
  | { name: "focal"; gamma: number; classWeights?: number[] };

/** One Trainer (src/train/trainer.ts) over one model and one task. */
export interface TrainerRecipe {
  kind: "trainer";
  model: ModelRecipe;
  task: TaskRecipe;
  options: Omit<TrainerOptions, "augment" | "loss">;
}

/** Every kind of run the worker can build (the registry in recipes.ts makes each). */
export type RunRecipe = TrainerRecipe | GanPairRecipe | TransferGroupRecipe | TransferSweepRecipe;

/** The commands every run obeys, named as the Controllable's methods. */
export type RunCommand = "start" | "pause" | "resume" | "step" | "stop" | "reset" | "warmUp";

/** Page → worker. */
export type ToWorker =
  /** Set tfjs up in the worker, the page's way (src/backend/setup.ts). */
  | { type: "setup"; id: number; requested: BackendName | "auto"; wasmPaths?: WasmPaths }
  | { type: "create"; id: number; runId: number; recipe: RunRecipe }
  | { type: "command"; id: number; runId: number; command: RunCommand }
  | { type: "setLearningRate"; id: number; runId: number; learningRate: number }
  /** A run's own live setting by name (the GAN pair's λ, D steps, G and D learning rates). */
  | { type: "set"; id: number; runId: number; name: string; value: number }
  /** Ask for the weights now (the worker also sends them at every epoch, state change and about once a second). */
  | { type: "snapshot"; id: number; runId: number }
  | { type: "dispose"; id: number; runId: number }
  /** How many tensors the worker holds (for window.meddl.memory()). */
  | { type: "memory"; id: number };

/** Where a run stands, sent with each event so the page's copy never drifts. */
export interface RunStatus {
  state: TrainerState;
  message: string;
  stepsTaken: number;
  learningRate: number;
  /** Lengths of the worker's history after the event (a restart empties it without an event of its own). */
  batches: number;
  epochs: number;
}

/** What the page needs to know of a new run that never changes. */
export interface RunShape {
  batchesPerEpoch: number;
  epochs: number;
  totalSteps: number;
  batchSize: number;
  seed: number;
  scoreName: string;
}

/** Worker → page. */
export type FromWorker =
  | { type: "ready"; id: number; backend: BackendStatus }
  | { type: "created"; id: number; runId: number; shape: RunShape; status: RunStatus }
  /** A command finished (a start finishes when the run stops running). */
  | { type: "done"; id: number; runId?: number; numTensors?: number }
  | {
      type: "event";
      runId: number;
      event: string;
      value: unknown;
      status: RunStatus;
      /** The run's latest validation details (classification: probabilities), sent with epoch events. */
      validation?: unknown;
    }
  /** The model's weights as Float32Arrays, in `model.weights` order; their buffers are transferred. */
  | { type: "weights"; runId: number; step: number; weights: Float32Array[] }
  /** Anything that failed in the worker, as text: `id` names the request that failed, if one did. */
  | { type: "error"; id?: number; runId?: number; message: string };

/** Buffers a message can hand over instead of copying (the weights' own). */
export function transferablesOf(message: FromWorker | ToWorker): ArrayBuffer[] {
  if (message.type === "weights") return message.weights.map((w) => w.buffer as ArrayBuffer);
  return [];
}

/** The text of anything thrown, for an error message. */
export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
