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
import { threadsFromSearch } from "../backend/threads";
import { ORIGINAL_SEARCH } from "../core/address";
import { Emitter } from "../train/emitter";
import { checkLearningRate } from "../train/checks";
import { predictInChunks } from "../train/snapshot";
import { imagesTensor, type ImageSplit } from "../train/task";
import type { History, TrainerEvents, TrainerState } from "../train/types";
import { announceBackendNotice } from "../backend/rescue";
import {
  errorText,
  type FromWorker,
  type RunCommand,
  type RunRecipe,
  type RunShape,
  type RunStatus,
  type TaskRecipe,
  type TrainerRecipe,
  type ToWorker,
  type ModelRecipe,
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

  /**
   * Sets tfjs up in the worker (again only when the request changed); resolves to its status.
   * `threads`: wasm threads wanted; by default the page's `?threads=N` as the page opened.
   */
  async setup(
    requested: BackendName | "auto",
    wasmPaths?: WasmPaths,
    threads: number | null = threadsFromSearch(ORIGINAL_SEARCH),
  ): Promise<BackendStatus> {
    if (this.backend && this.requested === requested) return this.backend;
    const reply = await this.request({ type: "setup", requested, wasmPaths, threads });
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
    if (message.type === "backendNotice") {
      announceBackendNotice(message.notice); // the badge and the training controls show it
      return;
    }
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

/** A member of a run as the page builds it: its model (kept as the replica), task and options. */
export interface RemoteMember {
  model: tf.LayersModel;
  task: TaskRecipe;
  options: TrainerRecipe["options"];
}

/** A model as the worker rebuilds it: its JSON and copies of its current weights (handed over, not copied again). */
export async function modelRecipe(model: tf.LayersModel): Promise<ModelRecipe> {
  const weights = await Promise.all(model.getWeights().map(async (w) => new Float32Array(await w.data())));
  return { topology: model.toJSON(null, false) as object, weights };
}

/** The recipe of one trainer. */
async function trainerRecipe({ model, task, options }: RemoteMember): Promise<TrainerRecipe> {
  return { kind: "trainer", model: await modelRecipe(model), task, options };
}

/** Builds a run in the worker; throws with the worker's reason if it cannot. */
export async function createInWorker(
  connection: WorkerConnection,
  recipe: RunRecipe,
): Promise<Extract<Reply, { type: "created" }>> {
  const members: { model: ModelRecipe }[] =
    recipe.kind === "trainer" ? [recipe] : "members" in recipe ? recipe.members : [];
  // The copies made for the recipe are handed over, not copied again (a GAN's start weights too).
  const start = recipe.kind === "ganPair" && recipe.start ? [...recipe.start.pixel, ...recipe.start.adversarial] : [];
  const sourced = "source" in recipe ? recipe.source.weights : [];
  const buffers = [...members.flatMap((m) => m.model.weights), ...start, ...sourced].map(
    (w) => w.buffer as ArrayBuffer,
  );
  const reply = await connection.request({ type: "create", runId: nextRunId++, recipe }, buffers);
  if (reply.type !== "created")
    throw new Error(reply.type === "error" ? reply.message : "the worker did not build the run");
  return reply;
}

/**
 * What a run in the worker looks like from the page: state, history, events and the controls.
 * `E`: the run's events (a GAN pair's add step, evaluation and warning to a trainer's).
 */
export abstract class RemoteRun<V, E extends TrainerEvents = TrainerEvents> extends Emitter<E> {
  readonly runsIn = "worker" as const;
  state: TrainerState = "idle";
  message = "";
  readonly history: History;
  validation: (V & { epoch: number }) | null = null;
  stepsTaken = 0;
  learningRate: number;
  /** Milliseconds in training steps, for runs that count them (detection). */
  trainingMs = 0;
  readonly batchesPerEpoch: number;
  readonly epochs: number;
  readonly totalSteps: number;
  readonly batchSize: number;
  readonly seed: number;
  /** The worker's backend, for the note that says where training runs. */
  readonly backend: BackendStatus | null;
  protected disposed = false;

  constructor(
    protected readonly connection: WorkerConnection,
    protected readonly runId: number,
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
    this.stepsTaken = status.stepsTaken;
    this.backend = connection.backend;
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
    if (this.disposed) return;
    void this.connection
      .request({ type: "setLearningRate", runId: this.runId, learningRate: lr })
      .then((r) => this.check(r, { stop: false }));
  }

  /** Changes one of the run's own live settings in the worker (an auto-encoder's "beta"); a refusal becomes the message. */
  async setOption(name: string, value: number): Promise<void> {
    if (this.disposed) return;
    this.check(await this.connection.request({ type: "setOption", runId: this.runId, name, value }), { stop: false });
  }

  protected async command(command: RunCommand): Promise<void> {
    if (this.disposed) return;
    this.check(await this.connection.request({ type: "command", runId: this.runId, command }));
  }

  /** An error reply becomes the run's message, as a failed step does on the page; never a rejection. */
  protected check(reply: Reply, { stop = true } = {}): void {
    if (reply.type === "error") this.fail(reply.message, { stop });
  }

  /** Shows a failure as the run's message; a failed command also ends the run (a refused setting does not). */
  protected fail(text: string, { stop = true } = {}): void {
    if (this.disposed) return;
    if (stop) this.state = this.state === "running" || this.state === "paused" ? "stopped" : this.state;
    this.message = `training failed in the worker: ${text}`;
    this.emitAny("state", { state: this.state, message: this.message });
  }

  /** Applies one event from the worker: the history as the worker has it, the status, then the event itself. */
  apply(message: Extract<FromWorker, { type: "event" }>): void {
    const { event, value, status } = message;
    // The worker's history after this event: a restart there empties it without an event of its own.
    const batches = event === "batch" ? status.batches - 1 : status.batches;
    const epochs = event === "epoch" ? status.epochs - 1 : status.epochs;
    if (this.history.batches.length > batches) this.history.batches.length = Math.max(0, batches);
    if (this.history.epochs.length > epochs) this.history.epochs.length = Math.max(0, epochs);
    if (event === "batch") this.history.batches.push(value as TrainerEvents["batch"]);
    if (event === "epoch") this.history.epochs.push(value as TrainerEvents["epoch"]);
    if (message.validation !== undefined) this.validation = message.validation as typeof this.validation; // sent only when it changed
    this.state = status.state;
    this.message = status.message;
    this.stepsTaken = status.stepsTaken;
    this.learningRate = status.learningRate;
    this.trainingMs = status.trainingMs ?? 0;
    this.emitAny(event, value);
  }

  /** Emits any event by name (a run's own events, beyond the trainer's). */
  protected emitAny(event: string, value: unknown): void {
    (this.emit as (event: string, value: unknown) => void)(event, value);
  }
}

/**
 * A run whose models stay in the worker (the GAN pair, the transfer sweep): its events carry all
 * the page needs, so no weights follow. Subclasses read their own events in `apply`.
 */
export class RemoteEventRun<V = unknown, E extends TrainerEvents = TrainerEvents> extends RemoteRun<V, E> {
  private readonly offs: (() => void)[];

  constructor(connection: WorkerConnection, reply: Extract<Reply, { type: "created" }>) {
    super(connection, reply.runId, reply.shape, reply.status);
    this.offs = [
      connection.listen(reply.runId, (m) => m.type === "event" && this.apply(m)),
      connection.onError((text) => this.fail(text)),
    ];
  }

  /** Builds the run a recipe describes in the worker; throws with the worker's reason if it cannot. */
  static async create(connection: WorkerConnection, recipe: RunRecipe): Promise<RemoteEventRun> {
    return new RemoteEventRun(connection, await createInWorker(connection, recipe));
  }

  /** Ends the run in the worker and frees its tensors there. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.connection.request({ type: "dispose", runId: this.runId });
    this.offs.forEach((off) => off());
    this.clear();
  }
}

/** A run in the worker, seen from the page: the surface of a Trainer, with `model` a replica. */
export class RemoteTrainer<V = unknown> extends RemoteRun<V> {
  /** The step of the weights the replica holds now. */
  replicaStep = 0;
  private offs: (() => void)[] = [];

  constructor(
    connection: WorkerConnection,
    runId: number,
    /** The page's replica: its weights follow the worker's after every snapshot (absent when the page keeps none). */
    readonly model: tf.LayersModel,
    shape: RunShape,
    status: RunStatus,
    /** A group member: its commands go to the group, and the group listens for it. */
    private readonly group: RemoteGroup<V> | null = null,
    /** Which of the run's models this replica follows. */
    private readonly part = 0,
  ) {
    super(connection, runId, shape, status);
    if (!group) {
      this.offs = [
        connection.listen(runId, (m) => (m.type === "weights" ? this.takeWeights(m.weights, m.step) : this.apply(m))),
        connection.onError((text) => this.fail(text)),
      ];
    }
  }

  /**
   * Builds the run in the worker from the page's model (its JSON and current weights) and a task
   * recipe. The page keeps `model` as the replica. Throws (with the worker's reason) if it cannot.
   */
  static async create<V = unknown>(
    connection: WorkerConnection,
    model: tf.LayersModel,
    task: TaskRecipe,
    options: TrainerRecipe["options"],
  ): Promise<RemoteTrainer<V>> {
    return RemoteTrainer.fromRecipe<V>(connection, await trainerRecipe({ model, task, options }), model);
  }

  /** Builds any single-model recipe in the worker; `model` is the page's replica of the model it trains. */
  static async fromRecipe<V = unknown>(
    connection: WorkerConnection,
    recipe: Extract<RunRecipe, { kind: "trainer" | "reconstruction" }>,
    model: tf.LayersModel,
  ): Promise<RemoteTrainer<V>> {
    const reply = await createInWorker(connection, recipe);
    return new RemoteTrainer<V>(connection, reply.runId, model, reply.shape, reply.status);
  }

  protected command(command: RunCommand): Promise<void> {
    return this.group ? (this.group[command]() ?? Promise.resolve()) : super.command(command);
  }

  setLearningRate(lr: number): void {
    if (this.group) this.group.setLearningRate(lr);
    else super.setLearningRate(lr);
  }

  /**
   * Sends the replica's weights to the worker's model: after the page changed them (a model loaded
   * from a file), so training goes on from them. Reset still returns to the initial weights.
   */
  /** Load model's hook (as every run in the worker has): pushes `model`'s weights if it is this run's. */
  async pushModel(model: tf.LayersModel): Promise<void> {
    if (model === this.model) await this.pushWeights();
  }

  async pushWeights(): Promise<void> {
    if (this.disposed || !this.model) return;
    const weights = await Promise.all(this.model.getWeights().map(async (w) => new Float32Array(await w.data())));
    const reply = await this.connection.request(
      { type: "setWeights", runId: this.runId, part: this.part, weights },
      weights.map((w) => w.buffer as ArrayBuffer),
    );
    this.check(reply, { stop: false });
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
    if (this.group) return this.group.dispose({ keepModel });
    if (this.disposed) return;
    this.disposed = true;
    await this.connection.request({ type: "dispose", runId: this.runId });
    this.offs.forEach((off) => off());
    this.release(keepModel);
  }

  /** Page-side models made from the replica (a detector's fully convolutional twin): freed with it. */
  readonly companions: tf.LayersModel[] = [];

  /** @internal frees the page's side: the replica and its companions (unless kept) and the listeners. */
  release(keepModel: boolean): void {
    this.disposed = true;
    if (!keepModel) [this.model, ...this.companions].forEach((m) => m?.dispose());
    this.clear();
  }

  /** @internal puts the worker's weights into the replica (setWeights copies, so the temporary tensors go at once). */
  takeWeights(weights: Float32Array[], step: number): void {
    if (this.disposed || !this.model) return;
    const values = this.model.weights.map((w, i) => tf.tensor(weights[i], w.shape as number[]));
    try {
      this.model.setWeights(values);
      this.replicaStep = step;
    } finally {
      tf.dispose(values);
    }
  }
}

/**
 * Runs side by side in the worker, seen from the page: the surface of a TrainerGroup (`runs`,
 * `trainers`, `first`, `second`, `names`), each member a RemoteTrainer with its own replica.
 */
export class RemoteGroup<V = unknown> extends RemoteRun<V> {
  readonly runs: RemoteTrainer<V>[];
  /** Plain results of building the run in the worker (an experiment's training set…). */
  readonly extras: unknown;
  private readonly offs: (() => void)[];

  private constructor(
    connection: WorkerConnection,
    reply: Extract<Reply, { type: "created" }>,
    models: tf.LayersModel[],
    readonly names: string[],
  ) {
    super(connection, reply.runId, reply.shape, reply.status);
    this.extras = reply.extras ?? null;
    this.runs = reply.parts.map(
      (p, i) => new RemoteTrainer<V>(connection, reply.runId, models[i], p.shape, p.status, this, i),
    );
    this.offs = [
      connection.listen(reply.runId, (m) => {
        const target = m.part === undefined ? null : this.runs[m.part];
        if (m.type === "weights") target?.takeWeights(m.weights, m.step);
        else (target ?? this).apply(m);
      }),
      connection.onError((text) => this.fail(text)),
    ];
  }

  /** Builds the members in the worker (as TrainerGroup there); the page keeps each model as its replica. */
  static async create<V = unknown>(
    connection: WorkerConnection,
    members: RemoteMember[],
    names: string[],
  ): Promise<RemoteGroup<V>> {
    const recipes = await Promise.all(members.map(trainerRecipe));
    return RemoteGroup.fromRecipe<V>(
      connection,
      { kind: "group", members: recipes, names },
      members.map((m) => m.model),
    );
  }

  /**
   * Builds any group recipe in the worker; `models` are the page's replicas, one per member, in
   * order (none for an experiment, whose models stay in the worker).
   */
  static async fromRecipe<V = unknown>(
    connection: WorkerConnection,
    recipe: Extract<RunRecipe, { kind: "group" | "detection" | "experiment" }>,
    models: tf.LayersModel[] = [],
  ): Promise<RemoteGroup<V>> {
    const reply = await createInWorker(connection, recipe);
    return new RemoteGroup<V>(connection, reply, models, reply.names ?? []);
  }

  get trainers(): RemoteTrainer<V>[] {
    return this.runs;
  }
  /** Load model's hook: the member whose replica is `model` sends it to the worker. */
  async pushModel(model: tf.LayersModel): Promise<void> {
    for (const run of this.runs) await run.pushModel(model);
  }
  get first(): RemoteTrainer<V> {
    return this.runs[0];
  }
  get second(): RemoteTrainer<V> | undefined {
    return this.runs[1];
  }

  async dispose({ keepModel = false } = {}): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.connection.request({ type: "dispose", runId: this.runId });
    this.offs.forEach((off) => off());
    for (const run of this.runs) run.release(keepModel);
    this.clear();
  }
}

export { errorText };
