/**
 * Several trainers run in lockstep, one step each in turn, for side-by-side experiments
 * ("with skips" vs "without skips"; "from scratch" vs "pretrained"): same data, same seed, same
 * number of steps at every moment. It offers the same controls as one trainer, so the same
 * buttons drive it.
 */
import { Emitter } from "./emitter";
import type { Trainer, TrainerEvents, TrainerState } from "./trainer";
import { yieldToBrowser } from "./yield";

export class TrainerGroup<V> extends Emitter<TrainerEvents> {
  state: TrainerState = "idle";
  message = "";
  private loop: Promise<void> | null = null;
  private request: "pause" | "stop" | null = null;

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

  start(): Promise<void> {
    if (this.state === "running") return this.loop ?? Promise.resolve();
    if (this.state === "stopped" || this.state === "done" || this.state === "diverged") {
      return this.reset().then(() => this.run());
    }
    return this.run();
  }

  pause(): void {
    if (this.state === "running") this.request = "pause";
  }

  resume(): Promise<void> {
    return this.state === "paused" ? this.run() : Promise.resolve();
  }

  async step(): Promise<void> {
    if (this.state === "running") return;
    if (this.state !== "idle" && this.state !== "paused") await this.reset();
    await this.stepAll();
    if (this.state === "idle" || this.state === "paused") this.setState("paused");
  }

  async stop(): Promise<void> {
    if (this.state === "running") {
      this.request = "stop";
      await this.loop;
    } else if (this.state === "paused") {
      this.setState("stopped");
    }
  }

  async reset(): Promise<void> {
    await this.stop();
    for (const t of this.trainers) await t.reset();
    this.setState("idle");
  }

  async dispose(): Promise<void> {
    await this.stop();
    for (const t of this.trainers) await t.dispose();
    this.clear();
  }

  /** One step of each run still going; a failure of any ends the group's run. */
  private async stepAll(): Promise<void> {
    for (const [i, t] of this.trainers.entries()) {
      if (t.state === "done") continue; // runs with a shorter budget wait for the others
      await t.step();
      if (t.state === "diverged" || t.state === "stopped") {
        this.setState(t.state, `${this.names[i]}: ${t.message}`);
        return;
      }
    }
    if (this.trainers.every((t) => t.state === "done")) this.setState("done", `finished ${this.epochs} epochs`);
  }

  private run(): Promise<void> {
    this.request = null;
    this.setState("running");
    this.loop = (async () => {
      while (this.state === "running") {
        if (this.request === "pause") { this.setState("paused"); break; }
        if (this.request === "stop") { this.setState("stopped"); break; }
        await this.stepAll();
        await yieldToBrowser();
      }
      this.request = null;
    })();
    return this.loop;
  }

  private setState(state: TrainerState, message = ""): void {
    this.state = state;
    this.message = message;
    this.emit("state", { state, message });
  }
}

/** Two runs side by side, e.g. "with skips" and "without skips". */
export class TrainerPair<V> extends TrainerGroup<V> {
  constructor(first: Trainer<V>, readonly second: Trainer<V>, names: [string, string]) {
    super([first, second], names);
  }
}
