/**
 * The worker's side: it builds runs from recipes, obeys the page's commands, and sends back the
 * runs' events and weight snapshots. It talks through any port with `postMessage`, so the unit
 * tests drive it in node with a fake port and the cpu backend.
 */
import * as tf from "@tensorflow/tfjs";
import { setupBackend } from "../backend/setup";
import type { BuiltRun } from "./recipes";
import { buildRun } from "./recipes";
import { errorText, transferablesOf, type FromWorker, type RunStatus, type ToWorker } from "./protocol";

/** Where the host sends its messages: the worker's global scope, or a test's fake. */
export interface HostPort {
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
}

export interface HostOptions {
  /** Minimum milliseconds between weight snapshots sent on batches (epochs and state changes always send one). */
  snapshotInterval?: number;
  /** Builds a run from a recipe (tests swap in one that fails). */
  build?: typeof buildRun;
}

interface HostedRun extends BuiltRun {
  lastSnapshot: number;
  offs: (() => void)[];
}

export class TrainingHost {
  private readonly runs = new Map<number, HostedRun>();
  /** Set-up, creation and disposal happen one after another; commands (pause while a start runs) do not wait. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly snapshotInterval: number;
  private readonly build: typeof buildRun;

  constructor(
    private readonly port: HostPort,
    { snapshotInterval = 1000, build = buildRun }: HostOptions = {},
  ) {
    this.snapshotInterval = snapshotInterval;
    this.build = build;
  }

  /** Handles one message from the page. Never throws: a failure goes back as an error message. */
  handle(message: ToWorker): Promise<void> {
    const work = async () => {
      try {
        await this.dispatch(message);
      } catch (error) {
        const runId = "runId" in message ? message.runId : undefined;
        this.post({ type: "error", id: message.id, runId, message: errorText(error) });
      }
    };
    if (message.type === "setup" || message.type === "create" || message.type === "dispose") {
      const done = this.queue.then(work);
      this.queue = done;
      return done;
    }
    return work();
  }

  /** Tensors held by the worker's tfjs (flat while runs train, back to the start after they are disposed). */
  get numTensors(): number {
    return tf.memory().numTensors;
  }

  private async dispatch(message: ToWorker): Promise<void> {
    switch (message.type) {
      case "setup": {
        const backend = await setupBackend({ requested: message.requested, wasmPaths: message.wasmPaths });
        this.post({ type: "ready", id: message.id, backend });
        return;
      }
      case "create":
        await this.create(message.id, message.runId, message.recipe);
        return;
      case "command": {
        const run = this.run(message.runId);
        await run.loop[message.command]();
        this.post({ type: "done", id: message.id, runId: message.runId });
        return;
      }
      case "setLearningRate":
        this.run(message.runId).loop.setLearningRate(message.learningRate);
        this.post({ type: "done", id: message.id, runId: message.runId });
        return;
      case "set": {
        const run = this.run(message.runId);
        if (!run.set) throw new Error(`this run has no live setting "${message.name}"`);
        run.set(message.name, message.value);
        this.post({ type: "done", id: message.id, runId: message.runId });
        return;
      }
      case "snapshot":
        this.sendWeights(message.runId, this.run(message.runId));
        this.post({ type: "done", id: message.id, runId: message.runId });
        return;
      case "dispose": {
        const run = this.runs.get(message.runId);
        if (run) {
          this.runs.delete(message.runId);
          run.offs.forEach((off) => off());
          await run.loop.dispose(); // frees the model, optimizer and saved weights
        }
        this.post({ type: "done", id: message.id, runId: message.runId, numTensors: this.numTensors });
        return;
      }
      case "memory":
        this.post({ type: "done", id: message.id, numTensors: this.numTensors });
        return;
      default:
        throw new Error(`unknown message type: ${(message as { type: string }).type}`);
    }
  }

  private async create(id: number, runId: number, recipe: Parameters<typeof buildRun>[0]): Promise<void> {
    if (this.runs.has(runId)) throw new Error(`run ${runId} exists already`);
    const built = await this.build(recipe);
    const run: HostedRun = { ...built, lastSnapshot: performance.now(), offs: [] }; // the page has the initial weights
    this.runs.set(runId, run);
    run.offs = built.events.map((event) =>
      run.loop.on(event as "batch", (value) => this.forward(runId, run, event, value)),
    );
    this.post({ type: "created", id, runId, shape: built.shape, status: this.status(run) });
  }

  /** Sends one event, preceded by the weights when the page's replica should catch up first. */
  private forward(runId: number, run: HostedRun, event: string, value: unknown): void {
    const now = performance.now();
    const due = event === "state" || event === "epoch" || now - run.lastSnapshot >= this.snapshotInterval;
    if (due) this.sendWeights(runId, run);
    this.post({
      type: "event",
      runId,
      event,
      value,
      status: this.status(run),
      validation: event === "epoch" || event === "state" ? run.loop.validation : undefined,
    });
  }

  /** Copies the model's weights out (synchronously, so they arrive before the event that follows). */
  private sendWeights(runId: number, run: HostedRun): void {
    run.lastSnapshot = performance.now();
    if (!run.model) return; // a run without a replica on the page
    const weights = run.model.getWeights().map((w) => new Float32Array(w.dataSync()));
    this.post({ type: "weights", runId, step: run.loop.stepsTaken, weights });
  }

  private status(run: HostedRun): RunStatus {
    const { loop } = run;
    return {
      state: loop.state,
      message: loop.message,
      stepsTaken: loop.stepsTaken,
      learningRate: loop.learningRate,
      batches: loop.history.batches.length,
      epochs: loop.history.epochs.length,
    };
  }

  private run(runId: number): HostedRun {
    const run = this.runs.get(runId);
    if (!run) throw new Error(`no run ${runId} in the worker (it was disposed, or never created)`);
    return run;
  }

  private post(message: FromWorker): void {
    this.port.postMessage(message, transferablesOf(message));
  }
}
