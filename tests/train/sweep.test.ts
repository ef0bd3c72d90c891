import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { makeLesionDataset, repeatTrain, subsetTrain } from "../../src/data/lesions";
import { buildCnn } from "../../src/models/cnn";
import { extractFeatures } from "../../src/models/transfer";
import {
  ROUND_IMAGES,
  runSweep,
  summarizeSweep,
  targetSubset,
  transferGroup,
  type SweepPoint,
} from "../../src/train/sweep";
import { Trainer } from "../../src/train/trainer";
import { useBackend } from "../helpers/backend";

beforeAll(() => useBackend("wasm"));

const target = makeLesionDataset({ trainCount: 60, valCount: 40, seed: 5 });
const source = () => buildCnn({ inputShape: [28, 28, 1], outputs: 10, filters: 4, depth: 3, seed: 2 });

describe("repeatTrain", () => {
  it("tiles a small train split up to a full round, and leaves a large one alone", () => {
    const small = subsetTrain(target, 10, 1);
    const tiled = repeatTrain(small, ROUND_IMAGES);
    expect(tiled.train.count).toBe(260);
    expect(Array.from(tiled.train.labels.subarray(10, 20))).toEqual(Array.from(small.train.labels));
    expect(tiled.train.images.subarray(784 * 10, 784 * 11)).toEqual(small.train.images.subarray(0, 784));
    expect(tiled.val).toBe(target.val);
    expect(repeatTrain(target, 50)).toBe(target);
    expect(() =>
      repeatTrain({ ...target, train: { images: new Float32Array(0), labels: new Int32Array(0), count: 0 } }, 10),
    ).toThrow(/empty/);
  });
});

describe("the transfer sweep", () => {
  it("trains every strategy at every N and seed, reports AUC per round, and leaks no tensor", async () => {
    const model = source();
    const before = tf.memory().numTensors;
    const progress: number[] = [];
    const points = await runSweep(model, target, {
      sizes: [10, 40],
      seeds: [1, 2],
      strategies: ["scratch", "frozen", "finetune"],
      rounds: 2,
      onRun: (_p, done, total) => progress.push(done / total),
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(points).toHaveLength(12);
    expect(progress.at(-1)).toBe(1);
    for (const p of points) {
      // Two rounds' worth of steps, validated once at the end.
      expect(p.curve).toHaveLength(1);
      expect(p.curve[0].step).toBe(2 * (ROUND_IMAGES / 32));
      expect(p.auc).toBe(p.curve[0].auc);
      expect(p.auc).toBeGreaterThanOrEqual(0);
      expect(p.auc).toBeLessThanOrEqual(1);
      expect(p.curve[0].ms).toBeGreaterThan(0);
    }
    // Same N, seed and strategy: the same result (seeded end to end).
    const again = await runSweep(model, target, { sizes: [10], seeds: [1], strategies: ["frozen"], rounds: 2 });
    expect(again[0].auc).toBe(points.find((p) => p.n === 10 && p.seed === 1 && p.strategy === "frozen")!.auc);
    model.dispose();
  }, 120_000);

  it("validates after every k-th round and the last, with the same steps as validating every round", async () => {
    const data = targetSubset(target, 10, 1);
    const model = buildCnn({ inputShape: [28, 28, 1], outputs: 2, filters: 4, depth: 3, seed: 2 });
    const trainer = new Trainer(model, data, { epochs: 3, batchSize: 32, validateEvery: 2 });
    await trainer.start();
    expect(trainer.message).toBe("finished 3 epochs");
    expect(trainer.history.epochs.map((e) => [e.epoch, e.step])).toEqual([
      [2, 16],
      [3, 24],
    ]);
    await trainer.dispose();
  }, 60_000);

  it("stops early when cancelled, keeping only finished runs", async () => {
    const model = source();
    let runs = 0;
    const points = await runSweep(model, target, {
      sizes: [10, 20],
      seeds: [1],
      strategies: ["scratch", "frozen"],
      rounds: 1,
      onRun: () => runs++,
      cancelled: () => runs >= 2,
    });
    expect(points).toHaveLength(2);
    model.dispose();
  }, 60_000);

  it("gives the page a turn between steps, so a Stop pressed mid-run is seen within the run", async () => {
    const model = source();
    let stop = false;
    setTimeout(() => (stop = true), 0); // like a click: it can only run when the sweep lets go
    const points = await runSweep(model, target, {
      sizes: [10],
      seeds: [1, 2],
      strategies: ["scratch", "frozen"],
      rounds: 3,
      cancelled: () => stop,
    });
    expect(stop).toBe(true);
    expect(points).toHaveLength(0); // stopped inside the first run
    model.dispose();
  }, 60_000);

  it("summarises mean, sample sd and range per strategy and N", () => {
    const pt = (strategy: SweepPoint["strategy"], n: number, auc: number): SweepPoint => ({
      strategy,
      n,
      seed: 0,
      auc,
      curve: [],
    });
    const s = summarizeSweep([pt("frozen", 10, 0.6), pt("frozen", 10, 0.8), pt("scratch", 10, 0.7)]);
    const frozen = s.find((x) => x.strategy === "frozen")!;
    expect(frozen).toMatchObject({ n: 10, runs: 2, min: 0.6, max: 0.8 });
    expect(frozen.mean).toBeCloseTo(0.7, 10);
    expect(frozen.sd).toBeCloseTo(Math.SQRT2 * 0.1, 10);
    expect(s.find((x) => x.strategy === "scratch")!.sd).toBe(0);
  });

  it("a side-by-side group trains the three strategies on the same images in lockstep", async () => {
    const model = source();
    const before = tf.memory().numTensors;
    const group = transferGroup(model, target, {
      n: 25,
      seed: 3,
      strategies: ["scratch", "frozen", "finetune"],
      rounds: 1,
    });
    expect(group.trainers.map((t) => t.task.train.count)).toEqual([275, 275, 275]);
    await group.start();
    expect(group.state).toBe("done");
    expect(group.trainers.every((t) => t.history.epochs.length === 1)).toBe(true);
    expect(group.trainers.every((t) => t.history.epochs[0].trainMs! > 0)).toBe(true);
    await group.dispose();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  }, 60_000);

  it("extracts the head's input features without leaking", () => {
    const model = source();
    const before = tf.memory().numTensors;
    const { rows, d } = extractFeatures(model, target.val.images, 5);
    expect(d).toBe(3 * 3 * 16);
    expect(rows.length).toBe(5 * d);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
