/**
 * Several runs in lockstep, one step each in turn, for side-by-side experiments ("with skips" vs
 * "without skips"; "from scratch" vs "pretrained"; "pixel loss only" vs "pixel + adversarial"):
 * same data, same seed, same number of steps at every moment. A group offers the same controls as
 * one run, so the same buttons drive it.
 */
import { TrainingLoop } from "./loop";
import type { Trainer } from "./trainer";
import type { Controllable, TrainerEvents } from "./types";
import { yieldToBrowser } from "./yield";

/** What a group needs of each of its runs. */
export interface GroupRun extends Controllable {
  warmUp(): Promise<void>;
  dispose(): Promise<void>;
}

export class RunGroup<R extends GroupRun, E extends TrainerEvents = TrainerEvents> extends TrainingLoop<E> {
  protected disposed = false;

  constructor(
    readonly runs: R[],
    readonly names: string[],
  ) {
    super();
    if (runs.length === 0 || runs.length !== names.length) throw new Error("a group needs one name per run");
    // The first run's progress stands for all (they move together).
    this.first.on("batch", (b) => this.emitShared("batch", b));
    this.first.on("epoch", (e) => this.emitShared("epoch", e));
  }

  get first(): R {
    return this.runs[0];
  }
  get history() {
    return this.first.history;
  }
  get batchesPerEpoch() {
    return this.first.batchesPerEpoch;
  }
  get epochs() {
    return this.first.epochs;
  }
  get totalSteps() {
    return this.first.totalSteps;
  }
  get stepsTaken() {
    return this.first.stepsTaken;
  }

  async warmUp(): Promise<void> {
    for (const run of this.runs) await run.warmUp();
  }

  async dispose(): Promise<void> {
    await this.stop();
    this.disposed = true;
    for (const run of this.runs) await run.dispose();
    this.clear();
  }

  protected get usable(): boolean {
    return !this.disposed;
  }

  protected async restart(): Promise<void> {
    await Promise.all(this.runs.map((run) => run.reset()));
  }

  /** One step of run i (a group may do more around it). */
  protected async stepRun(i: number): Promise<void> {
    await this.runs[i].step();
  }

  /** What the status line says when every run is done. */
  protected get doneMessage(): string {
    return `finished ${this.epochs} epochs`;
  }

  /** One step of each run still going; a failure of any ends the group's run. */
  protected async advance(): Promise<void> {
    for (const [i, run] of this.runs.entries()) {
      if (run.state === "done") continue; // runs with a shorter budget wait for the others
      if (i > 0) await yieldToBrowser(); // one run's step per main-thread task, not all in one
      await this.stepRun(i);
      if (this.disposed) return;
      if (run.state === "diverged" || run.state === "stopped") {
        this.setState(run.state, `${this.names[i]}: ${run.message}`);
        return;
      }
    }
    if (this.runs.every((run) => run.state === "done")) this.setState("done", this.doneMessage);
  }
}

/** Trainers side by side, with one live learning rate for all. */
export class TrainerGroup<V> extends RunGroup<Trainer<V>> {
  get trainers(): Trainer<V>[] {
    return this.runs;
  }
  get learningRate() {
    return this.first.learningRate;
  }

  setLearningRate(lr: number): void {
    for (const t of this.runs) t.setLearningRate(lr);
  }
}

/** Two runs side by side, e.g. "with skips" and "without skips". */
export class TrainerPair<V> extends TrainerGroup<V> {
  constructor(
    first: Trainer<V>,
    readonly second: Trainer<V>,
    names: [string, string],
  ) {
    super([first, second], names);
  }
}
