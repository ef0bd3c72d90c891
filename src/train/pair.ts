/**
 * Several trainers run in lockstep, one step each in turn, for side-by-side experiments
 * ("with skips" vs "without skips"; "from scratch" vs "pretrained"): same data, same seed, same
 * number of steps at every moment. It offers the same controls as one trainer, so the same
 * buttons drive it.
 */
import { TrainingLoop } from "./loop";
import type { Trainer } from "./trainer";
import { yieldToBrowser } from "./yield";

export class TrainerGroup<V> extends TrainingLoop {
  constructor(readonly trainers: Trainer<V>[], readonly names: string[]) {
    super();
    if (trainers.length === 0 || trainers.length !== names.length) throw new Error("a group needs one name per trainer");
    // The first run's progress stands for all (they move together).
    this.first.on("batch", (b) => this.emit("batch", b));
    this.first.on("epoch", (e) => this.emit("epoch", e));
  }

  get first(): Trainer<V> {
    return this.trainers[0];
  }
  get history() { return this.first.history; }
  get batchesPerEpoch() { return this.first.batchesPerEpoch; }
  get epochs() { return this.first.epochs; }
  get totalSteps() { return this.first.totalSteps; }
  get stepsTaken() { return this.first.stepsTaken; }
  get learningRate() { return this.first.learningRate; }

  setLearningRate(lr: number): void {
    for (const t of this.trainers) t.setLearningRate(lr);
  }

  async warmUp(): Promise<void> {
    for (const t of this.trainers) await t.warmUp();
  }

  protected restart(): Promise<void> {
    return Promise.all(this.trainers.map((t) => t.reset())).then(() => undefined);
  }

  async dispose(): Promise<void> {
    await this.stop();
    for (const t of this.trainers) await t.dispose();
    this.clear();
  }

  /** One step of each run still going; a failure of any ends the group's run. */
  protected async advance(): Promise<void> {
    for (const [i, t] of this.trainers.entries()) {
      if (t.state === "done") continue; // runs with a shorter budget wait for the others
      if (i > 0) await yieldToBrowser(); // one run's step per main-thread task, not all in one
      await t.step();
      if (t.state === "diverged" || t.state === "stopped") {
        this.setState(t.state, `${this.names[i]}: ${t.message}`);
        return;
      }
    }
    if (this.trainers.every((t) => t.state === "done")) this.setState("done", `finished ${this.epochs} epochs`);
  }
}

/** Two runs side by side, e.g. "with skips" and "without skips". */
export class TrainerPair<V> extends TrainerGroup<V> {
  constructor(first: Trainer<V>, readonly second: Trainer<V>, names: [string, string]) {
    super([first, second], names);
  }
}
