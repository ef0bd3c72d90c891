/**
 * What every training run reports, whatever it trains: its state, one record per step and per
 * validation, and the controls the shared buttons and live charts use. Trainers, groups of
 * trainers and GAN trainers all speak these types; charts read them and nothing else.
 */
export type TrainerState = "idle" | "running" | "paused" | "stopped" | "done" | "diverged";

export interface BatchRecord {
  /** Global step, counted from 1. */
  step: number;
  epoch: number;
  /** Batch within the epoch, counted from 1. */
  batch: number;
  batchesPerEpoch: number;
  loss: number;
  /** The task's per-batch score (accuracy for classification, Dice for segmentation). */
  score: number;
  learningRate: number;
}

export interface EpochRecord {
  epoch: number;
  step: number;
  trainLoss: number;
  /** Mean per-batch score over the epoch. */
  trainScore: number;
  valLoss: number;
  /** The task's validation metrics, e.g. {accuracy, auc} or {dice, iou, boundaryDice}. */
  metrics: Record<string, number>;
  /** Wall time spent in training steps so far (ms), validation and page drawing excluded. */
  trainMs?: number;
}

/** The trainer's history: what the learning-curve charts draw. */
export interface History {
  /** Which metric the per-batch score is. */
  scoreName: string;
  batches: BatchRecord[];
  epochs: EpochRecord[];
}

export interface TrainerEvents {
  batch: BatchRecord;
  epoch: EpochRecord;
  state: { state: TrainerState; message?: string };
}

/** What the shared training buttons and live charts need: one trainer, or a pair run in lockstep. */
export interface Controllable {
  readonly state: TrainerState;
  readonly message: string;
  readonly history: History;
  readonly batchesPerEpoch: number;
  readonly epochs: number;
  readonly totalSteps: number;
  readonly stepsTaken: number;
  start(): Promise<void>;
  pause(): void;
  resume(): Promise<void>;
  step(): Promise<void>;
  stop(): Promise<void>;
  reset(): Promise<void>;
  on<K extends keyof TrainerEvents>(event: K, listener: (value: TrainerEvents[K]) => void): () => void;
}
