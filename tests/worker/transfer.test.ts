/**
 * The transfer lesson's runs in the training worker (a fake worker in node, cpu backend): the three
 * strategies, a group of trainers as placeTransferGroup sends them, train exactly as transferGroup does on the main thread,
 * each strategy's history and model replica follow the worker's, reset empties them, the sweep
 * reports its points and stops when asked, and the worker's tensor count stays flat.
 */
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { makeLesionDataset } from "../../src/data/lesions";
import { makeShapesDataset } from "../../src/data/shapes";
import { pretrainSource } from "../../src/train/pretrain";
import { buildCnn } from "../../src/models/cnn";
import { buildAutoencoder } from "../../src/models/autoencoder";
import { makeNoduleDataset } from "../../src/data/nodules";
import { runSweep, transferGroup, type TransferRunOptions } from "../../src/train/sweep";
import type { TrainerState } from "../../src/train/types";
import { transferGroupMembers } from "../../src/worker/place";
import { RemoteGroup, WorkerConnection } from "../../src/worker/remote";
import { augmentSweepInWorker, pretrainInWorker, sweepInWorker } from "../../src/worker/transferRemote";
import { augmentOptions, runAugmentSweep } from "../../src/train/dataProblems";
import { useBackend } from "../helpers/backend";
import { fakeWorker } from "./fakeWorker";

beforeAll(() => useBackend("cpu"));

const target = makeLesionDataset({ trainCount: 40, valCount: 20, seed: 5 });
const source = () => buildCnn({ inputShape: [28, 28, 1], outputs: 10, filters: 4, depth: 3, seed: 2 });
const OPTIONS: TransferRunOptions = {
  n: 20,
  seed: 1,
  strategies: ["scratch", "frozen", "finetune"],
  rounds: 2,
  unfrozen: ["conv2", "conv3"],
};

async function connect() {
  const worker = fakeWorker();
  const connection = new WorkerConnection(worker);
  await connection.setup("cpu");
  return { worker, connection };
}

function until(run: { state: TrainerState; on: RemoteGroup["on"] }, ...states: TrainerState[]): Promise<void> {
  return new Promise((resolve) => {
    if (states.includes(run.state)) return resolve();
    const off = run.on("state", ({ state }) => states.includes(state) && (off(), resolve()));
  });
}

describe("the transfer strategies in the training worker", () => {
  it("train as transferGroup does on the main thread; histories and replicas follow; reset and memory", async () => {
    const { connection } = await connect();
    const model = source();
    const before = await connection.numTensors();
    const runs = await RemoteGroup.create(connection, transferGroupMembers(model, target, OPTIONS), OPTIONS.strategies);
    expect(runs.runsIn).toBe("worker");
    expect(runs.trainers).toHaveLength(3);
    const rounds: number[] = [];
    runs.on("epoch", (e) => rounds.push(e.epoch));
    await runs.step();
    const afterFirst = await connection.numTensors();
    await runs.start();
    await until(runs, "done");
    expect(runs.stepsTaken).toBe(runs.totalSteps);
    expect(rounds).toEqual([1, 2]); // one redraw per round, once all three have it
    expect(runs.trainers.map((t) => t.history.epochs.length)).toEqual([2, 2, 2]);
    expect(runs.trainers.map((t) => t.history.batches.length)).toEqual([
      runs.totalSteps,
      runs.totalSteps,
      runs.totalSteps,
    ]);
    expect(await connection.numTensors()).toBe(afterFirst);

    // The same group on the main thread: the same AUCs, and the replicas hold its weights.
    const local = transferGroup(model, target, OPTIONS);
    await local.start();
    runs.trainers.forEach((t, i) => {
      const here = local.trainers[i];
      t.history.epochs.forEach((e, r) => expect(e.metrics.auc).toBeCloseTo(here.history.epochs[r].metrics.auc, 4));
      const [a, b] = [t.model.getWeights()[0], here.model.getWeights()[0]];
      expect(tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0])).toBeLessThan(1e-4);
    });
    // The frozen strategy's first layer is still the source's.
    const conv1 = (m: tf.LayersModel) => Array.from(m.getLayer("conv1").getWeights()[0].dataSync());
    expect(conv1(runs.trainers[1].model)).toEqual(conv1(model));
    expect(conv1(runs.trainers[2].model)).toEqual(conv1(model)); // conv1 was left frozen in fine-tuning here
    expect(conv1(runs.trainers[0].model)).not.toEqual(conv1(model));
    await local.dispose();

    // Reset: every history empties, the replicas go back to the start.
    await runs.reset();
    await until(runs, "idle");
    await new Promise((r) => setTimeout(r, 20));
    expect(runs.stepsTaken).toBe(0);
    await runs.step();
    expect(runs.trainers.map((t) => t.history.batches.length)).toEqual([1, 1, 1]);
    expect(runs.trainers.map((t) => t.history.epochs.length)).toEqual([0, 0, 0]);

    await runs.dispose();
    expect(await connection.numTensors()).toBe(before);
    model.dispose();
    connection.terminate();
  }, 400_000);

  it("the sweep runs in the worker: the same points as on the main thread, and Stop ends it early", async () => {
    const { connection } = await connect();
    const model = source();
    const before = await connection.numTensors();
    const sweep = { sizes: [10], seeds: [1], strategies: OPTIONS.strategies, rounds: 1 };
    const progress: number[] = [];
    const points = await sweepInWorker(connection, model, target, {
      ...sweep,
      onRun: (_, done) => progress.push(done),
    });
    expect(progress).toEqual([1, 2, 3]);
    const here = await runSweep(model, target, sweep);
    expect(points.map((p) => [p.strategy, p.n, p.seed])).toEqual(here.map((p) => [p.strategy, p.n, p.seed]));
    points.forEach((p, i) => expect(p.auc).toBeCloseTo(here[i].auc, 4));
    expect(await connection.numTensors()).toBe(before);

    let stop = false;
    const some = await sweepInWorker(connection, model, target, {
      ...sweep,
      onRun: () => (stop = true),
      cancelled: () => stop,
    });
    expect(some.length).toBeGreaterThanOrEqual(1);
    expect(some.length).toBeLessThan(3);
    expect(await connection.numTensors()).toBe(before);
    model.dispose();
    connection.terminate();
  }, 400_000);

  it("pretraining the source in the worker gives the page the same model and record as on the main thread", async () => {
    const { connection } = await connect();
    const data = makeShapesDataset({ trainCount: 64, valCount: 32, seed: 11 });
    const options = { filters: 4, depth: 2, epochs: 1, batchSize: 32 };
    const before = await connection.numTensors();
    const steps: number[] = [];
    const there = await pretrainInWorker(connection, data, { ...options, onBatch: (step) => steps.push(step) });
    expect(steps).toEqual([1, 2]);
    const here = await pretrainSource(data, options);
    expect(there.record.valAccuracy).toBeCloseTo(here.record.valAccuracy, 5);
    expect(there.record.architecture).toEqual(here.record.architecture);
    const first = (m: tf.LayersModel) => Array.from(m.getWeights()[0].dataSync());
    first(there.model).forEach((v, i) => expect(v).toBeCloseTo(first(here.model)[i], 4));
    here.model.dispose();
    there.model.dispose();
    expect(await connection.numTensors()).toBe(before);
    connection.terminate();
  }, 400_000);

  it("the auto-encoder lesson's sweep (its encoder as the source) runs in the worker with the same points", async () => {
    const { connection } = await connect();
    const nodules = makeNoduleDataset({ seed: 3, trainCount: 40, valCount: 20 });
    const ae = buildAutoencoder({ inputShape: nodules.imageShape, filters: 4, depth: 2, codeSize: 8, seed: 1 });
    const sweep = { sizes: [10], seeds: [1], strategies: OPTIONS.strategies, rounds: 1 };
    const points = await sweepInWorker(connection, ae.encoder, nodules, sweep);
    const here = await runSweep(ae.encoder, nodules, sweep);
    expect(points.map((p) => [p.strategy, p.n, p.seed])).toEqual(here.map((p) => [p.strategy, p.n, p.seed]));
    points.forEach((p, i) => expect(p.auc).toBeCloseTo(here[i].auc, 4));
    ae.model.dispose();
    connection.terminate();
  }, 400_000);

  it("the data-problems augmentation sweep runs in the worker with the same points, and Stop ends it early", async () => {
    const { connection } = await connect();
    const nodules = makeNoduleDataset({ seed: 4, trainCount: 40, valCount: 20 });
    const augment = augmentOptions({ flipRotate: true, elastic: true, intensity: true });
    const sweep = { sizes: [10], seeds: [1], rounds: 1, network: { filters: 4, depth: 2, dropout: 0 }, augment };
    const points = await augmentSweepInWorker(connection, nodules, sweep);
    const here = await runAugmentSweep(nodules, sweep);
    expect(points.length).toBe(2); // without and with augmentation
    expect(points).toEqual(here.map((p) => expect.objectContaining({ ...p, auc: expect.closeTo(p.auc, 4) })));
    let stop = false;
    const some = await augmentSweepInWorker(connection, nodules, {
      ...sweep,
      onRun: () => (stop = true),
      cancelled: () => stop,
    });
    expect(some.length).toBe(1);
    connection.terminate();
  }, 400_000);
});
