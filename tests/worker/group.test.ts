/**
 * Runs side by side in the worker (the U-Net lesson's pair): the page's RemoteGroup mirrors a
 * TrainerPair, each member with its own history, validation and replica.
 */
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { makeNucleiDataset } from "../../src/data/nuclei";
import { buildUNet } from "../../src/models/unet";
import { TrainerPair } from "../../src/train/pair";
import { segmentationTask } from "../../src/train/segmentation";
import { Trainer } from "../../src/train/trainer";
import { RemoteGroup, WorkerConnection } from "../../src/worker/remote";
import { useBackend } from "../helpers/backend";
import { fakeWorker } from "./fakeWorker";

beforeAll(() => useBackend("wasm"));

const data = makeNucleiDataset({ size: 64, trainCount: 8, valCount: 2, seed: 3 });
const options = { batchSize: 4, epochs: 2, learningRate: 0.003, seed: 1 };
const unet = (skips: boolean) =>
  buildUNet({ inputShape: data.imageShape, depth: 2, baseFilters: 4, upsample: "resize", skips, seed: 1 });
const names = ["with skips", "without skips"];

describe("a group of runs in the worker", () => {
  it("trains both members in lockstep, as a TrainerPair on the main thread does, and frees everything", async () => {
    const connection = new WorkerConnection(fakeWorker());
    await connection.setup("wasm");
    const before = tf.memory().numTensors;
    const task = { kind: "segmentation" as const, data, options: { loss: "both" as const } };
    const group = await RemoteGroup.create(
      connection,
      [true, false].map((skips) => ({ model: unet(skips), task, options })),
      names,
    );
    expect(group.runs).toHaveLength(2);
    expect(group.second).toBe(group.runs[1]);
    await group.step();
    expect(group.state).toBe("paused");
    expect(group.first.history.batches).toHaveLength(1);
    expect(group.second!.history.batches).toHaveLength(1);
    await group.start(); // to the end: 2 epochs
    expect(group.state).toBe("done");

    const local = new TrainerPair(
      new Trainer(unet(true), segmentationTask(data, { loss: "both" }), options),
      new Trainer(unet(false), segmentationTask(data, { loss: "both" }), options),
      names as [string, string],
    );
    await local.start();
    for (const i of [0, 1]) {
      const remoteLosses = group.runs[i].history.batches.map((b) => b.loss);
      const localLosses = local.runs[i].history.batches.map((b) => b.loss);
      expect(remoteLosses).toHaveLength(localLosses.length);
      remoteLosses.forEach((l, k) => expect(l).toBeCloseTo(localLosses[k], 4));
      expect(group.runs[i].history.epochs).toHaveLength(2);
      expect((group.runs[i].validation as unknown as { probs: Float32Array }).probs).toHaveLength(2 * 64 * 64);
      // Each member's replica holds its worker model's final weights.
      expect(group.runs[i].replicaStep).toBe(group.runs[i].stepsTaken);
      const a = group.runs[i].model.getWeights()[0].dataSync();
      const b = local.runs[i].model.getWeights()[0].dataSync();
      a.forEach((w, k) => expect(w).toBeCloseTo(b[k], 3));
    }
    group.setLearningRate(0.001);
    await group.reset();
    expect(group.first.history.batches).toHaveLength(0);
    await local.dispose();
    await group.dispose(); // the worker's runs and the page's replicas
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe("an auto-encoder in the worker", () => {
  it("starts from the page's initial weights, takes β live, refuses a bad β with a message, and trains", async () => {
    const { makeNoduleDataset } = await import("../../src/data/nodules");
    const { unlabelled } = await import("../../src/train/reconstruction");
    const { placeReconstruction } = await import("../../src/worker/place");
    const connection = new WorkerConnection(fakeWorker());
    await connection.setup("wasm");
    const data = unlabelled(makeNoduleDataset({ size: 16, trainCount: 32, valCount: 8, seed: 2 }));
    const options = {
      architecture: { filters: 4, depth: 2, codeSize: 4, variational: true },
      beta: 1,
      epochs: 2,
      batchSize: 8,
      seed: 1,
    };
    // Build the worker run directly (placeReconstruction needs a real Worker): the page's copy is made the same way.
    const { reconstructionTrainer } = await import("../../src/train/reconstruction");
    const page = reconstructionTrainer(data, options);
    await page.trainer.dispose({ keepModel: true });
    const before = page.autoencoder.model.getWeights().map((w) => Array.from(w.dataSync()));
    const { RemoteTrainer } = await import("../../src/worker/remote");
    const trainer = await RemoteTrainer.fromRecipe(
      connection,
      { kind: "reconstruction", data, options },
      page.autoencoder.model,
    );
    await connection.request({ type: "snapshot", runId: (trainer as unknown as { runId: number }).runId });
    const after = page.autoencoder.model.getWeights().map((w) => Array.from(w.dataSync()));
    expect(after).toEqual(before); // same code, same seed: the worker's initial weights are the page's
    await trainer.setOption("beta", 0.5);
    expect(trainer.message).toBe("");
    await trainer.setOption("beta", -3);
    expect(trainer.message).toMatch(/β must be/);
    await trainer.reset();
    await trainer.start();
    expect(trainer.state).toBe("done");
    expect(trainer.history.epochs).toHaveLength(2);
    await trainer.dispose();
    expect(typeof placeReconstruction).toBe("function");
  });
});

describe("a data-problems experiment in the worker", () => {
  it("comes back with its plain results, sends no weights (the page keeps no replica), and steps every run", async () => {
    const { makeNoduleDataset } = await import("../../src/data/nodules");
    const worker = fakeWorker({ snapshotInterval: 0 });
    const connection = new WorkerConnection(worker);
    await connection.setup("wasm");
    const data = makeNoduleDataset({ size: 16, trainCount: 120, valCount: 20, seed: 4 });
    const group = await RemoteGroup.fromRecipe(connection, {
      kind: "experiment",
      experiment: "imbalance",
      data,
      options: { fraction: 0.2, epochs: 1, network: { filters: 4, depth: 1 } },
    });
    const extras = group.extras as { prevalence: number; data: { train: { count: number } }; remedies: string[] };
    expect(extras.prevalence).toBeGreaterThan(0.1);
    expect(extras.prevalence).toBeLessThan(0.3);
    expect(group.names).toHaveLength(extras.remedies.length);
    await group.step();
    expect(group.runs.every((r) => r.history.batches.length === 1)).toBe(true);
    expect(worker.sent.some((m) => m.type === "weights")).toBe(false);
    await group.dispose();
  });
});

describe("the transfer lesson's strategies in the worker", () => {
  it("keep their frozen layers frozen there (the model JSON carries `trainable`)", async () => {
    const { makeNoduleDataset } = await import("../../src/data/nodules");
    const { buildCnn } = await import("../../src/models/cnn");
    const { transferMembers } = await import("../../src/train/sweep");
    const worker = fakeWorker();
    const connection = new WorkerConnection(worker);
    await connection.setup("wasm");
    const target = makeNoduleDataset({ size: 16, trainCount: 40, valCount: 10, seed: 6 });
    const source = buildCnn({ inputShape: [16, 16, 1], outputs: 3, filters: 4, depth: 2, seed: 2 });
    const strategies = ["scratch", "frozen", "finetune"] as const;
    const members = transferMembers(source, target, { n: 20, seed: 1, strategies: [...strategies], rounds: 1 });
    const trainable = members.map((m) => m.model.trainableWeights.length);
    expect(trainable[1]).toBeLessThan(trainable[0]); // frozen: only the head learns
    const frozenBefore = members[1].model.nonTrainableWeights.map((w) => Array.from(w.read().dataSync()));
    const headBefore = members[1].model.trainableWeights.map((w) => Array.from(w.read().dataSync()));
    expect(frozenBefore.length).toBeGreaterThan(0);
    const group = await RemoteGroup.create(
      connection,
      members.map((m) => ({
        model: m.model,
        task: { kind: "classification" as const, data: m.data },
        options: m.options,
      })),
      [...strategies],
    );
    const hosted = (worker.host as unknown as { runs: Map<number, { parts: { model: tf.LayersModel }[] }> }).runs;
    const [inWorker] = [...hosted.values()];
    expect(inWorker.parts.map((p) => p.model.trainableWeights.length)).toEqual(trainable);
    expect(group.names).toEqual([...strategies]);
    await group.step();
    // After a step the frozen strategy's frozen weights are as they were, and its head has moved.
    const frozen = group.runs[1].model;
    const values = (ws: tf.LayerVariable[]) => ws.map((w) => Array.from(w.read().dataSync()));
    expect(values(frozen.nonTrainableWeights)).toEqual(frozenBefore);
    expect(values(frozen.trainableWeights)).not.toEqual(headBefore);
    await group.dispose();
    source.dispose();
  });
});
