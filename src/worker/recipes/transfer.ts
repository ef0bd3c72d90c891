/**
 * The transfer lesson's runs, built in the training worker from plain recipes: the three
 * strategies side by side (transferGroup), and the sweep over N and seeds (runSweep).
 *
 * The page's charts read each strategy's history (AUC per round, training time) and the first
 * layers and features of the frozen, fine-tuned and scratch models. So the worker sends each
 * strategy's batches and rounds as events, and its model's weights at every round, for the page's
 * replicas; the sweep sends each finished run's point.
 */
import type * as tf from "@tensorflow/tfjs";
import type { ClassificationDataset } from "../../data/types";
import { TrainingLoop } from "../../train/loop";
import type { TrainerGroup } from "../../train/pair";
import { runSweep, transferGroup, type SweepOptions, type SweepPoint, type TransferRunOptions } from "../../train/sweep";
import type { BatchRecord, EpochRecord, TrainerEvents } from "../../train/types";
import type { BuiltRun } from "../recipes";
import { modelFromRecipe } from "../recipes";
import type { ModelRecipe } from "../protocol";

/** The three strategies side by side, from the page's source model and target data. */
export interface TransferGroupRecipe {
  kind: "transferGroup";
  source: ModelRecipe;
  target: ClassificationDataset;
  options: TransferRunOptions;
}

/** The sweep: every strategy at every N and seed (run as one long "step"; Stop ends it between runs). */
export interface TransferSweepRecipe {
  kind: "transferSweep";
  source: ModelRecipe;
  target: ClassificationDataset;
  options: Omit<SweepOptions, "onRun" | "cancelled">;
}

/** One strategy's batch or round. A round carries the model's weights, for the page's replica. */
export interface TransferRunUpdate {
  run: number;
  batch?: BatchRecord;
  epoch?: EpochRecord;
  /** How many batches and rounds the strategy's history holds after this update (a reset empties it). */
  batches: number;
  epochs: number;
  weights?: Float32Array[];
}

export interface SweepPointUpdate {
  point: SweepPoint;
  done: number;
  total: number;
}

function copyWeights(model: tf.LayersModel): Float32Array[] {
  return model.getWeights().map((w) => new Float32Array(w.dataSync()));
}

function emitOn(loop: object, event: string, value: unknown): void {
  (loop as { emit(event: string, value: unknown): void }).emit(event, value);
}

/** Builds transferGroup in the worker; each strategy's progress goes out as "transfer:run" events. */
export async function buildTransferGroupRun(recipe: TransferGroupRecipe): Promise<BuiltRun> {
  const source = await modelFromRecipe(recipe.source);
  let group: TrainerGroup<unknown>;
  try {
    group = transferGroup(source, recipe.target, recipe.options); // copies the source's filters
  } finally {
    source.dispose();
  }
  group.trainers.forEach((trainer, run) => {
    const update = (extra: Partial<TransferRunUpdate>): TransferRunUpdate => ({
      run,
      batches: trainer.history.batches.length,
      epochs: trainer.history.epochs.length,
      ...extra,
    });
    trainer.on("batch", (batch) => emitOn(group, "transfer:run", update({ batch })));
    trainer.on("epoch", (epoch) => emitOn(group, "transfer:run", update({ epoch, weights: copyWeights(trainer.model) })));
    // Whenever the group pauses, stops, finishes or resets, every replica catches up.
    group.on("state", ({ state }) => {
      if (state !== "running") emitOn(group, "transfer:run", update({ weights: copyWeights(trainer.model) }));
    });
  });
  const first = group.trainers[0];
  return {
    loop: group as unknown as BuiltRun["loop"],
    shape: {
      batchesPerEpoch: first.batchesPerEpoch,
      epochs: first.epochs,
      totalSteps: first.totalSteps,
      batchSize: first.batchSize,
      seed: first.seed,
      scoreName: first.history.scoreName,
    },
    events: ["transfer:run", "batch", "epoch", "state"],
  };
}

/**
 * The sweep as a run the host can drive: Start runs the whole sweep (its points go out as
 * "sweep:point" events), Stop ends it after the current step. It has no weights to show.
 */
export class SweepRun extends TrainingLoop<TrainerEvents & { "sweep:point": SweepPointUpdate }> {
  readonly history = { scoreName: "auc", batches: [] as BatchRecord[], epochs: [] as EpochRecord[] };
  readonly learningRate: number;
  readonly total: number;
  stepsTaken = 0;
  private cancel = false;
  private disposed = false;

  constructor(
    private readonly source: tf.LayersModel,
    private readonly target: ClassificationDataset,
    private readonly options: TransferSweepRecipe["options"],
  ) {
    super();
    this.learningRate = options.learningRate ?? 0;
    this.total = options.sizes.length * options.seeds.length * options.strategies.length;
  }

  setLearningRate(): void {
    throw new Error("the sweep's learning rate is fixed when it starts");
  }
  async warmUp(): Promise<void> {}

  override async stop(): Promise<void> {
    this.cancel = true;
    await super.stop();
  }

  async dispose(): Promise<void> {
    await this.stop();
    this.disposed = true;
    this.source.dispose();
    this.clear();
  }

  protected override get usable(): boolean {
    return !this.disposed;
  }

  protected restart(): void {
    this.stepsTaken = 0;
  }

  /** The whole sweep in one advance: runSweep checks `cancelled` between every step of every run. */
  protected async advance(): Promise<void> {
    this.cancel = false;
    this.stepsTaken = 0;
    const points = await runSweep(this.source, this.target, {
      ...this.options,
      cancelled: () => this.cancel || this.disposed,
      onRun: (point, done, total) => {
        this.stepsTaken = done;
        this.emit("sweep:point", { point, done, total });
      },
    });
    if (this.disposed) return;
    if (points.length < this.total) this.setState("stopped", `stopped after ${points.length} of ${this.total} runs`);
    else this.setState("done", `done: ${this.total} runs`);
  }
}

export async function buildTransferSweepRun(recipe: TransferSweepRecipe): Promise<BuiltRun> {
  const source = await modelFromRecipe(recipe.source);
  const sweep = new SweepRun(source, recipe.target, recipe.options);
  return {
    loop: sweep as unknown as BuiltRun["loop"],
    shape: { batchesPerEpoch: 1, epochs: 1, totalSteps: sweep.total, batchSize: 0, seed: 0, scoreName: "auc" },
    events: ["sweep:point", "state"],
  };
}
