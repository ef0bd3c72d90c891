/**
 * The one protocol between a lesson page and its training worker.
 *
 * The page sends a serialisable *recipe* (the model as JSON plus its weights, the data as typed
 * arrays, the trainer's options), then commands (start, pause, step…). The worker answers with the
 * run's events (batch, epoch, state, and any event of the run's own), copies of the weights for
 * the page's replica of the model, and errors as plain messages. Every message is made of plain
 * objects, numbers, strings and typed arrays, so the browser's structured clone carries it as is.
 */
import type { BackendNotice } from "../backend/rescue";
import type { BackendName, BackendStatus, WasmPaths } from "../backend/setup";
import type { DetectionDataset } from "../data/chestSlices";
import type { ClassificationDataset } from "../data/types";
import type { DetectionTrainingOptions } from "../train/detection";
import type { AugmentSweepOptions, FewLabelsOptions, ImbalanceOptions, NoiseOptions } from "../train/dataProblems";
import type { ReconstructionRunOptions, UnlabelledData } from "../train/reconstruction";
import type { SegmentationData } from "../data/nuclei";
import type { SegmentationTaskOptions } from "../train/segmentation";
import type { TrainerOptions } from "../train/trainer";
import type { TrainerState } from "../train/types";
import type { GanData } from "../train/gan";
import type { GanRunSettings } from "../train/ganPair";
import type { SweepOptions } from "../train/sweep";

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

/** Trainers side by side in lockstep (src/train/pair.ts TrainerGroup), e.g. with and without skips. */
export interface GroupRecipe {
  kind: "group";
  members: TrainerRecipe[];
  names: string[];
}

/** Detectors side by side (src/train/detection.ts DetectionComparison): one data set, one model and options each. */
export interface DetectionRecipe {
  kind: "detection";
  data: DetectionDataset;
  members: { model: ModelRecipe; options: DetectionTrainingOptions }[];
  names: string[];
}

/**
 * An auto-encoder (src/train/reconstruction.ts): the worker builds it with the page's code and seed,
 * so its initial weights equal the page's replica's. Live option: "beta" (the VAE's KL weight).
 */
export interface ReconstructionRecipe {
  kind: "reconstruction";
  data: UnlabelledData;
  options: Omit<ReconstructionRunOptions, "onEpoch">;
}

/**
 * One of the data-problems lesson's experiments (src/train/dataProblems.ts), built in the worker by
 * the same function the page used to call. Its plain results (the imbalanced set, the noisy labels)
 * come back in the "created" reply's `extras`; its models stay in the worker (the page charts histories only).
 */
export type ExperimentRecipe =
  | { kind: "experiment"; experiment: "imbalance"; data: ClassificationDataset; options: ImbalanceOptions }
  | { kind: "experiment"; experiment: "noise"; data: ClassificationDataset; options: NoiseOptions }
  | { kind: "experiment"; experiment: "fewLabels"; data: ClassificationDataset; options: FewLabelsOptions };

/** The GAN pair as the page describes it: the data, the settings, and generators to start from. */
export interface GanPairRecipe {
  kind: "ganPair";
  data: GanData;
  settings: GanRunSettings;
  /** The start generators' weights (in `model.weights` order), or null for random weights. */
  start?: { pixel: Float32Array[]; adversarial: Float32Array[] } | null;
}

/** The sweep: every strategy at every N and seed (run as one long "step"; Stop ends it between runs). */
export interface TransferSweepRecipe {
  kind: "transferSweep";
  source: ModelRecipe;
  target: ClassificationDataset;
  options: Omit<SweepOptions, "onRun" | "cancelled">;
}

/** The data-problems lesson's augmentation sweep (src/train/dataProblems.ts runAugmentSweep). */
export interface AugmentSweepRecipe {
  kind: "augmentSweep";
  data: ClassificationDataset;
  options: Omit<AugmentSweepOptions, "onRun" | "cancelled">;
}

/** Every kind of run the worker can build (the registry in recipes.ts makes each). */
export type RunRecipe =
  | TrainerRecipe
  | GroupRecipe
  | DetectionRecipe
  | ReconstructionRecipe
  | ExperimentRecipe
  | GanPairRecipe
  | TransferSweepRecipe
  | AugmentSweepRecipe;

/** The commands every run obeys, named as the Controllable's methods. */
export type RunCommand = "start" | "pause" | "resume" | "step" | "stop" | "reset" | "warmUp";

/** Page → worker. */
export type ToWorker =
  /**
   * Set tfjs up in the worker, the page's way (src/backend/setup.ts). `threads`: the wasm threads
   * the page's address asked for (`?threads=N`, null: the kit's choice); the worker's own address has no query.
   */
  | { type: "setup"; id: number; requested: BackendName | "auto"; wasmPaths?: WasmPaths; threads: number | null }
  | { type: "create"; id: number; runId: number; recipe: RunRecipe }
  | { type: "command"; id: number; runId: number; command: RunCommand }
  | { type: "setLearningRate"; id: number; runId: number; learningRate: number }
  /** New weights for a model in the worker (a model loaded from a file into the page's replica). */
  | { type: "setWeights"; id: number; runId: number; part: number; weights: Float32Array[] }
  /**
   * A run's own live setting by name, beyond the learning rate: an auto-encoder's "beta", the GAN
   * pair's "lambda", "dSteps", "generatorLearningRate", "discriminatorLearningRate".
   */
  | { type: "setOption"; id: number; runId: number; name: string; value: number }
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
  /** Milliseconds spent in training steps, for runs that count them (detection). */
  trainingMs?: number;
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
  | {
      type: "created";
      id: number;
      runId: number;
      shape: RunShape;
      status: RunStatus;
      /** A group's members, each with its own shape and status (their events carry `part`). */
      parts: { shape: RunShape; status: RunStatus }[];
      /** A group's run names, in order. */
      names?: string[];
      /** Plain results of building the run that the page shows (e.g. an experiment's training set). */
      extras?: unknown;
    }
  /** A command finished (a start finishes when the run stops running). */
  | { type: "done"; id: number; runId?: number; numTensors?: number }
  | {
      type: "event";
      runId: number;
      /** Which member of a group sent it; absent for the run itself. */
      part?: number;
      event: string;
      value: unknown;
      status: RunStatus;
      /** The run's latest validation details (classification: probabilities), only when they changed (null: cleared). */
      validation?: unknown;
    }
  /** The model's weights as Float32Arrays, in `model.weights` order; their buffers are transferred. */
  | { type: "weights"; runId: number; part: number; step: number; weights: Float32Array[] }
  /** Anything that failed in the worker, as text: `id` names the request that failed, if one did. */
  | { type: "error"; id?: number; runId?: number; message: string }
  /** The worker's backend failed and its runs moved to another (src/backend/rescue.ts): for the page's badge. */
  | { type: "backendNotice"; notice: BackendNotice };

/** Buffers a message can hand over instead of copying (the weights' own). */
export function transferablesOf(message: FromWorker | ToWorker): ArrayBuffer[] {
  if (message.type === "weights" || message.type === "setWeights")
    return message.weights.map((w) => w.buffer as ArrayBuffer);
  return [];
}

/** The text of anything thrown, for an error message. */
export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
