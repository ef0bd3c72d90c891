/**
 * The worker host and the page's RemoteTrainer, wired through a fake worker in node (cpu backend):
 * commands get the right events, a run in the "worker" trains exactly as on the main thread, errors
 * arrive as messages, and the tensor count stays flat.
 */
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { makeNoduleDataset } from "../../src/data/nodules";
import { buildCnn } from "../../src/models/cnn";
import { Trainer } from "../../src/train/trainer";
import type { TrainerState } from "../../src/train/types";
import type { FromWorker, TaskRecipe } from "../../src/worker/protocol";
import { RemoteTrainer, WorkerConnection } from "../../src/worker/remote";
import { useBackend } from "../helpers/backend";
import { fakeWorker } from "./fakeWorker";

beforeAll(() => useBackend("cpu"));

const data = makeNoduleDataset({ size: 16, trainCount: 64, valCount: 16, seed: 5 });
const task: TaskRecipe = { kind: "classification", data };
const options = { batchSize: 16, epochs: 2, learningRate: 0.01, seed: 1 };
const model = () => buildCnn({ inputShape: data.imageShape, outputs: 2, filters: 4, depth: 2, seed: 1 });

async function connect(hostOptions = {}) {
  const worker = fakeWorker(hostOptions);
  const connection = new WorkerConnection(worker);
  const backend = await connection.setup("cpu");
  return { worker, connection, backend };
}

function until(trainer: { state: TrainerState; on: RemoteTrainer["on"] }, ...states: TrainerState[]): Promise<void> {
  return new Promise((resolve) => {
    if (states.includes(trainer.state)) return resolve();
    const off = trainer.on("state", ({ state }) => states.includes(state) && (off(), resolve()));
  });
}

describe("training worker host", () => {
  it("sets the backend up the page's way and says which", async () => {
    const { backend } = await connect();
    expect(backend.name).toBe("cpu");
    expect(backend.reason).toMatch(/selected/);
  });

  it("answers a step with a batch event, then the weights, then the paused state, then done", async () => {
    const { worker, connection } = await connect({ snapshotInterval: 60_000 }); // no timed snapshot in between
    const trainer = await RemoteTrainer.create(connection, model(), task, options);
    const from = worker.sent.length;
    const events: string[] = [];
    trainer.on("batch", () => events.push("batch"));
    trainer.on("state", ({ state }) => events.push(state));
    await trainer.step();
    const kinds = worker.sent.slice(from).map((m) => (m.type === "event" ? m.event : m.type));
    expect(kinds).toEqual(["batch", "weights", "state", "done"]);
    expect(events).toEqual(["batch", "paused"]);
    expect(trainer.stepsTaken).toBe(1);
    expect(trainer.history.batches).toHaveLength(1);
    expect(trainer.replicaStep).toBe(1);
    await trainer.dispose();
  });

  it("trains in the worker exactly as a Trainer on the main thread: same losses, same weights in the replica", async () => {
    const { connection } = await connect();
    const long = { ...options, epochs: 6 };
    const remote = await RemoteTrainer.create(connection, model(), task, long);
    const local = new Trainer(model(), data, long);
    const epochs: number[] = [];
    remote.on("epoch", (e) => epochs.push(e.epoch));
    await remote.start(); // resolves when the run stops running
    await local.start();
    expect(remote.state).toBe("done");
    expect(epochs).toEqual([1, 2, 3, 4, 5, 6]);
    const remoteLosses = remote.history.batches.map((b) => b.loss);
    const localLosses = local.history.batches.map((b) => b.loss);
    expect(remoteLosses).toHaveLength(localLosses.length);
    // Same batches, same seeds, same weights: equal up to float rounding (the rebuilt model's ops may sum in another order).
    remoteLosses.forEach((loss, i) => expect(loss).toBeCloseTo(localLosses[i], 4));
    const epochLosses = remote.history.epochs.map((e) => e.trainLoss);
    expect(epochLosses.at(-1)!).toBeLessThan(epochLosses[0]); // it learns
    remote.history.epochs.forEach((e, i) => expect(e.metrics.auc).toBeCloseTo(local.history.epochs[i].metrics.auc, 3));
    const probs = (remote.validation as unknown as { probs: Float32Array }).probs;
    probs.forEach((p, i) => expect(p).toBeCloseTo(local.validation!.probs[i], 3));
    // The replica followed the worker's final snapshot.
    const a = remote.model.getWeights()[0].dataSync();
    const b = local.model.getWeights()[0].dataSync();
    a.forEach((w, i) => expect(w).toBeCloseTo(b[i], 3));
    expect(remote.replicaStep).toBe(remote.stepsTaken);
    await remote.dispose();
    await local.dispose();
  });

  it("pause, resume, live learning rate, reset (empties the page's history), stop", async () => {
    const { connection } = await connect();
    const trainer = await RemoteTrainer.create(connection, model(), task, { ...options, epochs: 50 });
    const initial = Array.from(trainer.model.getWeights()[0].dataSync());
    const run = trainer.start();
    await new Promise<void>((resolve) => {
      const off = trainer.on("batch", (b) => b.step >= 3 && (off(), resolve()));
    });
    trainer.pause();
    await run;
    expect(trainer.state).toBe("paused");
    trainer.setLearningRate(0.002);
    await trainer.step();
    expect(trainer.history.batches.at(-1)!.learningRate).toBe(0.002);
    expect(() => trainer.setLearningRate(Number.NaN)).toThrow();
    await trainer.reset();
    expect(trainer.state).toBe("idle");
    expect(trainer.history.batches).toHaveLength(0);
    expect(trainer.stepsTaken).toBe(0);
    expect(Array.from(trainer.model.getWeights()[0].dataSync())).toEqual(initial);
    await trainer.step();
    await trainer.stop();
    expect(trainer.state).toBe("stopped");
    // Start after stop restarts from the initial weights: the old history goes, with no event of its own.
    const again = trainer.start();
    await until(trainer, "running");
    trainer.pause();
    await again;
    expect(trainer.history.batches[0].step).toBe(1);
    expect(trainer.history.batches.length).toBe(trainer.stepsTaken);
    await trainer.dispose();
  });

  it("an error in the worker reaches the page as a message, never as a rejection", async () => {
    const { worker, connection } = await connect();
    const reply = await connection.request({ type: "command", runId: 999, command: "start" });
    expect(reply).toMatchObject({ type: "error", message: expect.stringMatching(/no run 999/) });
    // A recipe the worker cannot build: create throws with the worker's reason.
    const broken = model();
    await expect(RemoteTrainer.create(connection, broken, task, { ...options, batchSize: 0 })).rejects.toThrow(
      /batch size/,
    );
    broken.dispose();
    // A run that fails mid-training: the page's run stops with the worker's message.
    const trainer = await RemoteTrainer.create(connection, model(), task, options);
    const hosted = (worker.host as unknown as { runs: Map<number, { loop: { advance: () => Promise<void> } }> }).runs;
    const [inWorker] = [...hosted.values()];
    inWorker.loop.advance = () => Promise.reject(new Error("kernel exploded"));
    await trainer.step(); // resolves: the failure is a message
    expect(trainer.message).toMatch(/kernel exploded/);
    // An error with no request (the worker's global handler) reaches every run's message too.
    worker.host["post"]({ type: "error", message: "out of memory" } satisfies FromWorker);
    await new Promise((r) => setTimeout(r, 10));
    expect(trainer.message).toMatch(/out of memory/);
    await trainer.dispose();
  });

  it("keeps numTensors flat across steps, snapshots and disposal", async () => {
    const { connection } = await connect({ snapshotInterval: 0 }); // a snapshot after every batch
    const before = tf.memory().numTensors;
    const trainer = await RemoteTrainer.create(connection, model(), task, { ...options, epochs: 3 });
    await trainer.step();
    const afterOne = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) await trainer.step();
    await connection.request({ type: "snapshot", runId: (trainer as unknown as { runId: number }).runId });
    expect(tf.memory().numTensors).toBe(afterOne);
    await trainer.reset();
    await trainer.step();
    expect(tf.memory().numTensors).toBe(afterOne);
    await trainer.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(await connection.numTensors()).toBe(before);
  });

  it("weights loaded into the page's replica reach the worker's model (Load model)", async () => {
    const { worker, connection } = await connect();
    const trainer = await RemoteTrainer.create(connection, model(), task, options);
    const loaded = trainer.model.getWeights().map((w) => tf.fill(w.shape, 0.25));
    trainer.model.setWeights(loaded);
    tf.dispose(loaded);
    await trainer.pushModel(trainer.model); // the hook loadModel calls
    const hosted = (worker.host as unknown as { runs: Map<number, { parts: { model: tf.LayersModel }[] }> }).runs;
    const [inWorker] = [...hosted.values()];
    const first = inWorker.parts[0].model.getWeights()[0].dataSync();
    expect(Array.from(first).every((v) => v === 0.25)).toBe(true);
    await trainer.dispose();
  });
});
