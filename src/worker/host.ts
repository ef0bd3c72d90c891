/**
 * The worker's side: it builds runs from recipes, obeys the page's commands, and sends back the
 * runs' events and weight snapshots. It talks through any port with `postMessage`, so the unit
 * tests drive it in node with a fake port and the cpu backend.
 */
import * as tf from "@tensorflow/tfjs";
import { onBackendNotice } from "../backend/rescue";
import { setupBackend } from "../backend/setup";
import type { BuiltRun, RunLoop } from "./run";
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
  /** The validation object last sent for each part (and the run), so each is sent once. */
  sentValidation: Map<RunLoop, unknown>;
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
    // A lost GPU or a failing backend moves the worker's runs elsewhere (the rescue, in every
    // step); the page's badge must say so, as it does when training runs on the page.
    onBackendNotice((notice) => this.post({ type: "backendNotice", notice }));
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
        const { requested, wasmPaths, threads } = message;
        const backend = await setupBackend({ requested, wasmPaths, threads });
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
      case "setWeights": {
        const run = this.run(message.runId);
        const model = run.parts[message.part]?.model ?? run.loadable?.[message.part];
        if (!model) throw new Error(`run ${message.runId} has no model ${message.part}`);
        const values = model.weights.map((w, i) => tf.tensor(message.weights[i], w.shape as number[]));
        try {
          model.setWeights(values); // copies: the temporary tensors go at once
        } finally {
          tf.dispose(values);
        }
        this.post({ type: "done", id: message.id, runId: message.runId });
        return;
      }
      case "setOption": {
        const run = this.run(message.runId);
        if (!run.setOption) throw new Error(`this run has no live setting "${message.name}"`);
        run.setOption(message.name, message.value);
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
    const run: HostedRun = { ...built, lastSnapshot: performance.now(), sentValidation: new Map(), offs: [] }; // the page has the initial weights
    this.runs.set(runId, run);
    run.offs = built.events.map((event) =>
      run.loop.on(event as "batch", (value) => this.forward(runId, run, undefined, event, value)),
    );
    // A group's members speak too (their own histories and validations feed the page's charts).
    const grouped = !(built.parts.length === 1 && built.parts[0].loop === built.loop);
    if (grouped) {
      built.parts.forEach((part, i) => {
        for (const event of ["batch", "epoch", "state"] as const)
          run.offs.push(part.loop.on(event, (value) => this.forward(runId, run, i, event, value)));
      });
    }
    this.post({
      type: "created",
      id,
      runId,
      shape: built.shape,
      status: this.status(run.loop),
      parts: grouped ? built.parts.map((p) => ({ shape: p.shape, status: this.status(p.loop) })) : [],
      names: (built.loop as { names?: string[] }).names,
      extras: built.extras,
    });
  }

  /**
   * Sends one event, preceded by the weights when the page's replicas should catch up first: at
   * the run's state changes and epochs, at a member's epoch, and about once a second while it trains.
   */
  private forward(runId: number, run: HostedRun, part: number | undefined, event: string, value: unknown): void {
    const source = part === undefined ? run.loop : run.parts[part].loop;
    const throttled = event === "batch" && performance.now() - run.lastSnapshot >= this.snapshotInterval;
    if (throttled || (part === undefined && (event === "state" || event === "epoch"))) this.sendWeights(runId, run);
    else if (part !== undefined && event === "epoch") this.sendWeights(runId, run, [part]);
    this.post({
      type: "event",
      runId,
      part,
      event,
      value,
      status: this.status(source),
      validation: this.newValidation(run, source),
    });
  }

  /** The source's validation when it changed since last sent (null after a reset), else undefined: big ones (heatmaps) go once. */
  private newValidation(run: HostedRun, source: RunLoop): unknown {
    const current = source.validation ?? null;
    if (run.sentValidation.get(source) === current) return undefined;
    run.sentValidation.set(source, current);
    return current;
  }

  /** Copies models' weights out (synchronously, so they arrive before the event that follows). */
  private sendWeights(runId: number, run: HostedRun, parts = run.parts.map((_, i) => i)): void {
    run.lastSnapshot = performance.now();
    if (run.replicas === false) return; // the page keeps no copy of these models
    for (const i of parts) {
      const { model, loop } = run.parts[i];
      const weights = model.getWeights().map((w) => new Float32Array(w.dataSync()));
      this.post({ type: "weights", runId, part: i, step: loop.stepsTaken, weights });
    }
  }

  private status(loop: RunLoop): RunStatus {
    return {
      state: loop.state,
      message: loop.message,
      stepsTaken: loop.stepsTaken,
      learningRate: loop.learningRate,
      trainingMs: (loop as { trainingMs?: number }).trainingMs,
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
