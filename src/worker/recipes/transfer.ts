/**
 * The transfer lesson's sweep over N and seeds (runSweep), built in the training worker from a
 * plain recipe. It sends each finished run's point as an event; no weights cross. (The three
 * strategies side by side are a plain "group" recipe: see placeTransferGroup in place.ts.)
 */
import type * as tf from "@tensorflow/tfjs";
import type { ClassificationDataset } from "../../data/types";
import { TrainingLoop } from "../../train/loop";
import { runSweep, type SweepPoint } from "../../train/sweep";
import type { BatchRecord, EpochRecord, TrainerEvents } from "../../train/types";
import type { TransferSweepRecipe } from "../protocol";
import { modelFromRecipe, type BuiltRun, type RunLoop } from "../run";

export interface SweepPointUpdate {
  point: SweepPoint;
  done: number;
  total: number;
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
    loop: sweep as unknown as RunLoop,
    shape: { batchesPerEpoch: 1, epochs: 1, totalSteps: sweep.total, batchSize: 0, seed: 0, scoreName: "auc" },
    parts: [], // nothing to follow on the page: the points are the result
    replicas: false,
    events: ["sweep:point", "state"],
  };
}
