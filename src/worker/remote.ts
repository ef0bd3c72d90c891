/**
 * The page's side of the training worker.
 *
 * `RemoteTrainer` looks like a Trainer to everything on the page (the buttons, the dock, live
 * charts, filter grids, the confusion explorer): the same state, history, validation, events and
 * controls, and a `model` that is a *replica* whose weights follow the worker's snapshots. The
 * training itself, the heavy part, runs in the worker, so the page stays free for clicks and charts.
 */
import * as tf from "@tensorflow/tfjs";
import { addTensorCounter } from "../backend/diagnostics";
import type { BackendName, BackendStatus, WasmPaths } from "../backend/setup";
import { Emitter } from "../train/emitter";
import { checkLearningRate } from "../train/checks";
import { predictInChunks } from "../train/snapshot";
import { imagesTensor, type ImageSplit } from "../train/task";
import type { History, TrainerEvents, TrainerState } from "../train/types";
import {
  errorText,
  type FromWorker,
  type RunCommand,
  type RunRecipe,
  type RunShape,
  type RunStatus,
  type TaskRecipe,
  type ToWorker,
} from "./protocol";

/** Anything that carries messages both ways: a Worker, or a test's fake. */
export interface WorkerLike {
  postMessage(message: ToWorker, transfer?: Transferable[]): void;
  addEventListener(type: "message", listener: (event: MessageEvent<FromWorker>) => void): void;
  addEventListener(type: "error", listener: (event: ErrorEvent) => void): void;
  terminate?(): void;
}

type Reply = Extract<FromWorker, { type: "ready" | "created" | "done" | "error" }>;
/** A message to the worker before the connection numbers it. */
type Request = ToWorker extends infer M ? (M extends ToWorker ? Omit<M, "id"> : never) : never;
type RunMessage = Extract<FromWorker, { type: "event" | "weights" }>;

/** One worker, shared by every run of the page: requests with ids, replies matched to them. */
export class WorkerConnection {
  backend: BackendStatus | null = null;
  /** The last error the worker sent that belonged to no request (shown by the runs). */
  private nextId = 1;
  private readonly pending = new Map<number, (reply: Reply) => void>();
  private readonly runs = new Map<number, (message: RunMessage) => void>();
  private readonly orphanErrors = new Set<(message: string) => void>();
  private requested: string | null = null;
  private readonly unregister: () => void;

  constructor(readonly worker: WorkerLike) {
    worker.addEventListener("message", (event) => this.receive(event.data));
    worker.addEventListener("error", (event) => {
      event.preventDefault?.();
      this.failAll(`the training worker failed: ${event.message || "it could not load"}`);
    });
    this.unregister = addTensorCounter("worker", () => this.numTensors());
  }

  /** Sends a request and waits for its reply (an error reply is a reply too, never a rejection). */
  request(message: Request, transfer: Transferable[] = []): Promise<Reply> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.worker.postMessage({ ...message, id } as ToWorker, transfer);
    });
  }

  /** Sets tfjs up in the worker (again only when the request changed); resolves to its status. */
  async setup(requested: BackendName | "auto", wasmPaths?: WasmPaths): Promise<BackendStatus> {
    if (this.backend && this.requested === requested) return this.backend;
    const reply = await this.request({ type: "setup", requested, wasmPaths });
    if (reply.type !== "ready") throw new Error(reply.type === "error" ? reply.message : "the worker did not start");
    this.requested = requested;
    return (this.backend = reply.backend);
  }

  async numTensors(): Promise<number> {
    const reply = await this.request({ type: "memory" });
    return reply.type === "done" ? (reply.numTensors ?? NaN) : NaN;
  }

  listen(runId: number, listener: (message: RunMessage) => void): () => void {
    this.runs.set(runId, listener);
    return () => this.runs.delete(runId);
  }

  /** Called with the text of any worker error that no request was waiting for. */
  onError(listener: (message: string) => void): () => void {
    this.orphanErrors.add(listener);
    return () => this.orphanErrors.delete(listener);
  }

  terminate(): void {
    this.unregister();
    this.worker.terminate?.();
    this.failAll("the training worker was closed");
  }

  private receive(message: FromWorker): void {
    if (message.type === "event" || message.type === "weights") {
      this.runs.get(message.runId)?.(message);
      return;
    }
    const resolve = message.id === undefined ? undefined : this.pending.get(message.id);
    if (resolve && message.id !== undefined) {
      this.pending.delete(message.id);
      resolve(message as Reply);
    } else if (message.type === "error") {
      for (const listener of this.orphanErrors) listener(message.message);
    }
  }

  private failAll(text: string): void {
    for (const [id, resolve] of this.pending) resolve({ type: "error", id, message: text });
    this.pending.clear();
    for (const listener of this.orphanErrors) listener(text);
  }
}

let nextRunId = 1;

/** A run in the worker, seen from the page: the surface of a Trainer. */
export class RemoteTrainer<V = unknown> extends Emitter<TrainerEvents> {
  readonly runsIn = "worker" as const;
  state: TrainerState = "idle";
  message = "";
  readonly history: History;
  validation: (V & { epoch: number }) | null = null;
  stepsTaken = 0;
  learningRate: number;
  readonly batchesPerEpoch: number;
  readonly epochs: number;
  readonly totalSteps: number;
  readonly batchSize: number;
  readonly seed: number;
  /** The worker's backend, for the note that says where training runs. */
  readonly backend: BackendStatus | null;
  /** The step of the weights the replica holds now. */
  replicaStep = 0;
  private disposed = false;
  private readonly offs: (() => void)[];

  private constructor(
    private readonly connection: WorkerConnection,
    private readonly runId: number,
    /** The page's replica: its weights follow the worker's after every snapshot. */
    readonly model: tf.LayersModel,
    shape: RunShape,
    status: RunStatus,
  ) {
    super();
    this.batchesPerEpoch = shape.batchesPerEpoch;
    this.epochs = shape.epochs;
    this.totalSteps = shape.totalSteps;
    this.batchSize = shape.batchSize;
    this.seed = shape.seed;
    this.history = { scoreName: shape.scoreName, batches: [], epochs: [] };
    this.learningRate = status.learningRate;
    this.backend = connection.backend;
    this.offs = [connection.listen(runId, (m) => this.receive(m)), connection.onError((text) => this.fail(text))];
  }

  /**
   * Builds the run in the worker from the page's model (its JSON and current weights) and a task
   * recipe. The page keeps `model` as the replica. Throws (with the worker's reason) if it cannot.
   */
  static async create<V = unknown>(
    connection: WorkerConnection,
    model: tf.LayersModel,
    task: TaskRecipe,
    options: Extract<RunRecipe, { kind: "trainer" }>["options"],
  ): Promise<RemoteTrainer<V>> {
    const weights = await Promise.all(model.getWeights().map(async (w) => new Float32Array(await w.data())));
    const recipe: RunRecipe = {
      kind: "trainer",
      model: { topology: model.toJSON(null, false) as object, weights },
      task,
      options,
    };
    const runId = nextRunId++;
    const reply = await connection.request(
      { type: "create", runId, recipe },
      weights.map((w) => w.buffer as ArrayBuffer),
    );
    if (reply.type !== "created")
      throw new Error(reply.type === "error" ? reply.message : "the worker did not build the run");
    return new RemoteTrainer<V>(connection, runId, model, reply.shape, reply.status);
  }

  start(): Promise<void> {
    return this.command("start");
  }
  pause(): void {
    void this.command("pause");
  }
  resume(): Promise<void> {
    return this.command("resume");
  }
  step(): Promise<void> {
    return this.command("step");
  }
  stop(): Promise<void> {
    return this.command("stop");
  }
  reset(): Promise<void> {
    return this.command("reset");
  }
  /** Prepares the worker's kernels while the learner reads (see Trainer.warmUp). */
  warmUp(): Promise<void> {
    return this.command("warmUp");
  }

  /** Changes the running optimizer's learning rate (checked here first, so bad values throw as on the page). */
  setLearningRate(lr: number): void {
    checkLearningRate(lr);
    this.learningRate = lr;
    if (!this.disposed)
      void this.connection
        .request({ type: "setLearningRate", runId: this.runId, learningRate: lr })
        .then((r) => this.check(r));
  }

  /** The replica's outputs for a whole split, as Trainer.predictSplit (used by the test-set panel). */
  predictSplit(split: ImageSplit, chunk = 100): Promise<Float32Array> {
    const shape = (this.model.inputs[0].shape as number[]).slice(1) as [number, number, number];
    return predictInChunks(this.model, split.count, chunk, (start, end) =>
      imagesTensor(
        split,
        shape,
        Int32Array.from({ length: end - start }, (_, i) => start + i),
      ),
    );
  }

  /** Ends the run in the worker and frees its tensors there; the replica too unless `keepModel`. */
  async dispose({ keepModel = false } = {}): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.connection.request({ type: "dispose", runId: this.runId });
    this.offs.forEach((off) => off());
    if (!keepModel) this.model.dispose();
    this.clear();
  }

  private async command(command: RunCommand): Promise<void> {
    if (this.disposed) return;
    this.check(await this.connection.request({ type: "command", runId: this.runId, command }));
  }

  /** An error reply becomes the run's message, as a failed step does on the page; never a rejection. */
  private check(reply: Reply): void {
    if (reply.type === "error") this.fail(reply.message);
  }

  private fail(text: string): void {
    if (this.disposed) return;
    this.state = this.state === "running" || this.state === "paused" ? "stopped" : this.state;
    this.message = `training failed in the worker: ${text}`;
    this.emit("state", { state: this.state, message: this.message });
  }

  private receive(message: RunMessage): void {
    if (message.type === "weights") {
      this.takeWeights(message.weights, message.step);
      return;
    }
    const { event, value, status } = message;
    // The worker's history after this event: a restart there empties it without an event of its own.
    const batches = event === "batch" ? status.batches - 1 : status.batches;
    const epochs = event === "epoch" ? status.epochs - 1 : status.epochs;
    if (this.history.batches.length > batches) this.history.batches.length = Math.max(0, batches);
    if (this.history.epochs.length > epochs) this.history.epochs.length = Math.max(0, epochs);
    if (event === "batch") this.history.batches.push(value as TrainerEvents["batch"]);
    if (event === "epoch") this.history.epochs.push(value as TrainerEvents["epoch"]);
    if (event === "epoch" || event === "state")
      this.validation = (message.validation ?? null) as typeof this.validation;
    this.state = status.state;
    this.message = status.message;
    this.stepsTaken = status.stepsTaken;
    this.learningRate = status.learningRate;
    this.emit(event as keyof TrainerEvents, value as never);
  }

  /** Puts the worker's weights into the replica (setWeights copies, so the temporary tensors go at once). */
  private takeWeights(weights: Float32Array[], step: number): void {
    if (this.disposed) return;
    const values = this.model.weights.map((w, i) => tf.tensor(weights[i], w.shape as number[]));
    try {
      this.model.setWeights(values);
      this.replicaStep = step;
    } finally {
      tf.dispose(values);
    }
  }
}

export { errorText };
