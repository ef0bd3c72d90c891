/**
 * Sweeps built in the training worker from a plain recipe: the transfer lesson's over N and seeds
 * (runSweep, also the auto-encoder lesson's with its encoder as source) and the data-problems
 * lesson's augmentation sweep (runAugmentSweep). It sends each finished run's point as an event; no weights cross. (The three
 * strategies side by side are a plain "group" recipe: see placeTransferGroup in place.ts.)
 */
import { TrainingLoop } from "../../train/loop";
import { runSweep, type SweepPoint } from "../../train/sweep";
import type { BatchRecord, EpochRecord, TrainerEvents } from "../../train/types";
import type { AugmentSweepRecipe, TransferSweepRecipe } from "../protocol";
import { AUGMENT_ARMS, runAugmentSweep, type AugmentPoint } from "../../train/dataProblems";
import { modelFromRecipe, type BuiltRun, type RunLoop } from "../run";

export interface SweepPointUpdate<P = SweepPoint> {
  point: P;
  done: number;
  total: number;
}

/** A sweep as a function of its two hooks: every run's point goes to `onRun`; `cancelled` is checked between steps. */
export type SweepFunction<P> = (hooks: {
  onRun: (point: P, done: number, total: number) => void;
  cancelled: () => boolean;
}) => Promise<P[]>;

/**
 * A sweep as a run the host can drive: Start runs the whole sweep (its points go out as
 * "sweep:point" events), Stop ends it after the current step. It has no weights to show. Any sweep
 * fits (the transfer strategies over N and seeds, the augmentation sweep): it is given as a function.
 */
export class SweepRun<P = SweepPoint> extends TrainingLoop<TrainerEvents & { "sweep:point": SweepPointUpdate<P> }> {
  readonly history = { scoreName: "auc", batches: [] as BatchRecord[], epochs: [] as EpochRecord[] };
  stepsTaken = 0;
  private cancel = false;
  private disposed = false;

  constructor(
    private readonly sweep: SweepFunction<P>,
    readonly total: number,
    readonly learningRate: number,
    private readonly release: () => void = () => {},
  ) {
    super();
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
    this.release();
    this.clear();
  }

  protected override get usable(): boolean {
    return !this.disposed;
  }

  protected restart(): void {
    this.stepsTaken = 0;
  }

  /** The whole sweep in one advance: the sweep checks `cancelled` between every step of every run. */
  protected async advance(): Promise<void> {
    this.cancel = false;
    this.stepsTaken = 0;
    const points = await this.sweep({
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

/** What the host needs of any sweep run. */
function sweepRunParts<P>(sweep: SweepRun<P>): BuiltRun {
  return {
    loop: sweep as unknown as RunLoop,
    shape: { batchesPerEpoch: 1, epochs: 1, totalSteps: sweep.total, batchSize: 0, seed: 0, scoreName: "auc" },
    parts: [], // nothing to follow on the page: the points are the result
    replicas: false,
    events: ["sweep:point", "state"],
  };
}

export async function buildTransferSweepRun(recipe: TransferSweepRecipe): Promise<BuiltRun> {
  const source = await modelFromRecipe(recipe.source);
  const { options, target } = recipe;
  const total = options.sizes.length * options.seeds.length * options.strategies.length;
  const sweep = new SweepRun<SweepPoint>(
    (hooks) => runSweep(source, target, { ...options, ...hooks }),
    total,
    options.learningRate ?? 0,
    () => source.dispose(),
  );
  return sweepRunParts(sweep);
}

/** The data-problems lesson's augmentation sweep (every N and seed, without and with augmentation). */
export async function buildAugmentSweepRun(recipe: AugmentSweepRecipe): Promise<BuiltRun> {
  const { data, options } = recipe;
  const total = options.sizes.length * options.seeds.length * AUGMENT_ARMS.length;
  const sweep = new SweepRun<AugmentPoint>(
    (hooks) => runAugmentSweep(data, { ...options, ...hooks }),
    total,
    options.learningRate ?? 0,
  );
  return sweepRunParts(sweep);
}
