/**
 * The controls every training run shares: start, pause, resume, single step, stop and reset,
 * and the loop that yields to the browser between steps. A Trainer (one model) and a
 * TrainerGroup (several in lockstep) differ only in what one step is and how they restart.
 */
import { guardedStep } from "../backend/rescue";
import { Emitter } from "./emitter";
import type { TrainerEvents, TrainerState } from "./types";
import { yieldToBrowser } from "./yield";

/** `E`: the run's events, the shared ones (batch, epoch, state) plus any of its own (a GAN's step, validation, warning). */
export abstract class TrainingLoop<E extends TrainerEvents = TrainerEvents> extends Emitter<E> {
  state: TrainerState = "idle";
  message = "";
  private loop: Promise<void> | null = null;
  /** A single step in progress (from step()): stop() waits for it, so nothing is freed under it. */
  private stepping: Promise<void> | null = null;
  private request: "pause" | "stop" | null = null;

  /** One step of work; it may end the run by setting the state to done, diverged or stopped. */
  protected abstract advance(): Promise<void>;
  /** Back to the initial weights and an empty history, without announcing a state. */
  protected abstract restart(): void | Promise<void>;
  /** Whether this run can still be used. */
  protected get usable(): boolean {
    return true;
  }

  private get finished(): boolean {
    return this.state === "stopped" || this.state === "done" || this.state === "diverged";
  }

  /** Starts training; after stop, done or divergence it restarts from the initial weights. */
  start(): Promise<void> {
    if (!this.usable) throw new Error("this trainer was disposed");
    if (this.state === "running") return this.loop ?? Promise.resolve();
    const restarted = this.finished ? this.restart() : undefined;
    return restarted ? restarted.then(() => this.run()) : this.run();
  }

  pause(): void {
    if (this.state === "running") this.request = "pause";
  }

  resume(): Promise<void> {
    return this.state === "paused" ? this.run() : Promise.resolve();
  }

  /** Trains exactly one step, then waits (paused). */
  async step(): Promise<void> {
    if (this.state === "running" || !this.usable) return;
    // A click while a step runs queues one more step after it (never two at once).
    const mine = (this.stepping ?? Promise.resolve()).then(() =>
      this.usable && this.state !== "running" ? this.stepOnce() : undefined,
    );
    this.stepping = mine;
    try {
      await mine;
    } finally {
      if (this.stepping === mine) this.stepping = null;
    }
  }

  private async stepOnce(): Promise<void> {
    if (this.finished) {
      await this.restart();
      this.state = "idle";
    }
    try {
      await this.safeAdvance();
    } catch (error) {
      this.setState("stopped", `training failed: ${(error as Error).message}`);
      return;
    }
    // A note from the step (e.g. the run moved to another backend) stays on show.
    if (this.state === "idle" || this.state === "paused") this.setState("paused", this.message);
  }

  /** Ends the run. The weights stay as they are, to be inspected. */
  async stop(): Promise<void> {
    // A single step cannot be cut short: let it finish (its optimizer update included) first.
    if (this.stepping) await this.stepping;
    if (this.state === "running") {
      this.request = "stop";
      await this.loop;
    } else if (this.state === "paused") {
      this.setState("stopped");
    }
  }

  /** Back to the same initial weights, a fresh optimizer and empty history. */
  async reset(): Promise<void> {
    await this.stop();
    await this.restart();
    this.setState("idle");
  }

  private run(): Promise<void> {
    this.request = null;
    this.setState("running");
    this.loop = (async () => {
      try {
        while (this.state === "running") {
          if (this.request === "pause") {
            this.setState("paused");
            break;
          }
          if (this.request === "stop") {
            this.setState("stopped");
            break;
          }
          await this.safeAdvance();
          await yieldToBrowser(); // let the page paint and handle clicks between steps
        }
      } catch (error) {
        this.setState("stopped", `training failed: ${(error as Error).message}`);
      } finally {
        this.request = null;
      }
    })();
    return this.loop;
  }

  /**
   * One step, guarded: if the backend fails or hangs, the run moves to another backend with its
   * weights (src/backend/rescue.ts), the step runs again there, and the page gets the message.
   */
  private async safeAdvance(): Promise<void> {
    const step = () => {
      this.batchReported = false;
      return this.advance();
    };
    // Once the step has reported its batch, its update is done: a failure after it (in validation)
    // must not undo the update on a backend that still holds it.
    const note = await guardedStep(step, () => this.batchReported);
    if (note) this.setState(this.state, note);
  }

  /** Whether the step in progress has reported its batch. */
  private batchReported = false;

  protected emit<K extends keyof E>(event: K, value: E[K]): void {
    if (event === "batch") this.batchReported = true;
    super.emit(event, value);
  }

  protected setState(state: TrainerState, message = ""): void {
    this.state = state;
    this.message = message;
    this.emitShared("state", { state, message });
  }

  /** Emits one of the events every run has (E may add its own, never change these). */
  protected emitShared<K extends keyof TrainerEvents>(event: K, value: TrainerEvents[K]): void {
    this.emit(event, value as E[K]);
  }
}
