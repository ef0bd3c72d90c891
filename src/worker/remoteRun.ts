/**
 * The page's side of any run in the training worker that is not a single Trainer (the GAN pair,
 * the transfer lesson's three strategies, its sweep): the shared controls, state and history of
 * the run's first member, and a hook for the run's own events. RemoteTrainer (remote.ts) does the
 * same for one Trainer with a replica model; these runs send what their charts need as events.
 */
import type { BackendStatus } from "../backend/setup";
import { Emitter } from "../train/emitter";
import type { History, TrainerEvents, TrainerState } from "../train/types";
import type { FromWorker, RunCommand, RunRecipe, RunShape, RunStatus } from "./protocol";
import type { WorkerConnection } from "./remote";

type RunMessage = Extract<FromWorker, { type: "event" | "weights" }>;
type Reply = Awaited<ReturnType<WorkerConnection["request"]>>;

/** Run ids for these runs count down from far above RemoteTrainer's, so the two never meet. */
let nextRunId = 1_000_000;

export interface Created {
  connection: WorkerConnection;
  runId: number;
  shape: RunShape;
  status: RunStatus;
}

/** Builds the run in the worker; throws with the worker's reason if it cannot. */
export async function createRemoteRun(
  connection: WorkerConnection,
  recipe: RunRecipe,
  transfer: Transferable[] = [],
): Promise<Created> {
  const runId = nextRunId++;
  const reply = await connection.request({ type: "create", runId, recipe }, transfer);
  if (reply.type !== "created")
    throw new Error(reply.type === "error" ? reply.message : "the worker did not build the run");
  return { connection, runId, shape: reply.shape, status: reply.status };
}

export class RemoteRun<E extends TrainerEvents = TrainerEvents> extends Emitter<E> {
  readonly runsIn = "worker" as const;
  state: TrainerState = "idle";
  message = "";
  /** The first member's batches and epochs (the shared controls and progress read them). */
  readonly history: History;
  stepsTaken = 0;
  learningRate: number;
  readonly batchesPerEpoch: number;
  readonly epochs: number;
  readonly totalSteps: number;
  readonly batchSize: number;
  readonly seed: number;
  readonly backend: BackendStatus | null;
  protected disposed = false;
  protected readonly connection: WorkerConnection;
  protected readonly runId: number;
  private readonly offs: (() => void)[];

  constructor({ connection, runId, shape, status }: Created) {
    super();
    this.connection = connection;
    this.runId = runId;
    this.batchesPerEpoch = shape.batchesPerEpoch;
    this.epochs = shape.epochs;
    this.totalSteps = shape.totalSteps;
    this.batchSize = shape.batchSize;
    this.seed = shape.seed;
    this.history = { scoreName: shape.scoreName, batches: [], epochs: [] };
    this.learningRate = status.learningRate;
    this.backend = connection.backend;
    this.offs = [
      connection.listen(runId, (m) => this.receive(m)),
      connection.onError((text) => this.fail(text)),
    ];
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
  warmUp(): Promise<void> {
    return this.command("warmUp");
  }

  /** Ends the run in the worker and frees its tensors there. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.connection.request({ type: "dispose", runId: this.runId });
    this.offs.forEach((off) => off());
    this.clear();
  }

  /** Sends a live setting by name; a refusal in the worker becomes the run's message. */
  protected setting(name: string, value: number): void {
    if (this.disposed) return;
    void this.connection.request({ type: "set", runId: this.runId, name, value }).then((r) => this.check(r));
  }

  protected async command(command: RunCommand): Promise<void> {
    if (this.disposed) return;
    this.check(await this.connection.request({ type: "command", runId: this.runId, command }));
  }

  protected check(reply: Reply): void {
    if (reply.type === "error") this.fail(reply.message);
  }

  protected fail(text: string): void {
    if (this.disposed) return;
    this.state = this.state === "running" || this.state === "paused" ? "stopped" : this.state;
    this.message = `training failed in the worker: ${text}`;
    this.emitAny("state", { state: this.state, message: this.message });
  }

  /** A run's own event (not batch, epoch or state), before the shared ones are announced. */
  protected onRunEvent(_event: string, _value: unknown): void {}
  /** The `validation` field the worker sends with state and epoch events. */
  protected onStatus(_validation: unknown): void {}

  /** Whether the worker's event is passed on to the page's listeners as it comes (a run may announce it itself). */
  protected announces(_event: string): boolean {
    return true;
  }

  protected emitAny(event: string, value: unknown): void {
    (this.emit as (event: string, value: unknown) => void)(event, value);
  }

  private receive(message: RunMessage): void {
    if (message.type !== "event" || this.disposed) return;
    const { event, value, status } = message;
    // The worker's history after this event: a restart there empties it without an event of its own.
    const batches = event === "batch" ? status.batches - 1 : status.batches;
    const epochs = event === "epoch" ? status.epochs - 1 : status.epochs;
    if (this.history.batches.length > batches) this.history.batches.length = Math.max(0, batches);
    if (this.history.epochs.length > epochs) this.history.epochs.length = Math.max(0, epochs);
    if (event === "batch") this.history.batches.push(value as TrainerEvents["batch"]);
    if (event === "epoch") this.history.epochs.push(value as TrainerEvents["epoch"]);
    if (event === "epoch" || event === "state") this.onStatus(message.validation);
    this.state = status.state;
    this.message = status.message;
    this.stepsTaken = status.stepsTaken;
    this.learningRate = status.learningRate;
    if (event !== "batch" && event !== "epoch" && event !== "state") this.onRunEvent(event, value);
    if (this.announces(event)) this.emitAny(event, value);
  }
}
