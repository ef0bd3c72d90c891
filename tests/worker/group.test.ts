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
