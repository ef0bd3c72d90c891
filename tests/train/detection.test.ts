import * as tf from "@tensorflow/tfjs";
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { CHEST_SLICE_DEFAULTS, makeChestSlices } from "../../src/data/chestSlices";
import { mulberry32 } from "../../src/data/random";
import {
  buildDetectionComparison,
  buildDetector,
  compareDetectors,
  DETECTION_LESSON_DEFAULTS,
  type DetectionRecord,
} from "../../src/lessons/detection";
import { cutPatch, patchSet, positiveLocations, randomNegatives } from "../../src/train/detection";
import { useBackend } from "../helpers/backend";

beforeAll(() => useBackend("wasm"));

const data = makeChestSlices({ size: 96, trainCount: 12, valCount: 6, seed: 4 });
const small = { ...DETECTION_LESSON_DEFAULTS, positivesPerRound: 32, rounds: 3, filters: 4 };

describe("patch sampling", () => {
  it("cuts the patch centred where asked, repeating edge pixels outside the image, under any of the 8 flips/rotations", () => {
    const split = { images: Float32Array.from({ length: 16 }, (_, i) => i + 1), count: 1, objects: [[]] };
    const out = new Float32Array(16);
    cutPatch(split, [4, 4], 0, 1, 1, 4, out, 0); // top-left at (-1, -1)
    expect(Array.from(out.subarray(0, 4))).toEqual([1, 1, 2, 3]);
    expect(Array.from(out.subarray(4, 8))).toEqual([1, 1, 2, 3]);
    expect(Array.from(out.subarray(8, 12))).toEqual([5, 5, 6, 7]);
    const sums = Array.from({ length: 8 }, (_, turn) => {
      cutPatch(split, [4, 4], 0, 2, 2, 4, out, 0, turn);
      return out.reduce((a, b) => a + b, 0);
    });
    expect(new Set(sums).size).toBe(1); // same pixels, moved around
  });

  it("labels positives at nodules and negatives away from them", () => {
    const rand = mulberry32(1);
    const pos = positiveLocations(data, data.train, 20, rand),
      neg = randomNegatives(data, data.train, 60, rand);
    for (const p of pos)
      expect(
        data.train.objects[p.image].some(
          (o) => Math.hypot(o.x - p.x, o.y - p.y) <= Math.max(1, o.r / 4) * Math.SQRT2 + 1e-9,
        ),
      ).toBe(true);
    for (const n of neg)
      expect(
        data.train.objects[n.image].every((o) => Math.hypot(o.x - n.x, o.y - n.y) > Math.max(o.r, data.minMatchRadius)),
      ).toBe(true);
    const set = patchSet(data, data.train, pos, neg, rand);
    expect(set.count).toBe(80);
    expect(Array.from(set.labels).filter((l) => l === 1)).toHaveLength(20);
  });
});

describe("detection training", () => {
  it("the loss falls, CPM is measured each round, and tfjs memory stays flat across steps and validations", async () => {
    const trainer = buildDetector(data, { ...small, rounds: 4 }, true);
    await trainer.step(); // first step and validation allocate the optimizer's slots
    const batches = trainer.batchesPerEpoch;
    for (let i = 1; i < batches; i++) await trainer.step(); // finishes round 1 (validation + mining)
    const before = tf.memory().numTensors;
    for (let i = 0; i < 2 * batches; i++) await trainer.step(); // two more rounds, each with validation and mining
    expect(tf.memory().numTensors).toBe(before);
    expect(trainer.history.epochs).toHaveLength(3);
    expect(trainer.mined.length).toBeGreaterThan(0);
    await trainer.resume(); // runs to the end
    expect(trainer.state).toBe("done");
    expect(trainer.history.epochs.every((e) => e.metrics.cpm >= 0 && e.metrics.cpm <= 1)).toBe(true);
    const losses = trainer.history.epochs.map((e) => e.trainLoss);
    expect(losses.at(-1)!).toBeLessThan(losses[0]);
    // Timing both detectors on a slice leaves no tensor behind either, and they agree.
    const beforeTiming = tf.memory().numTensors;
    const speed = await compareDetectors(trainer, data, 0);
    expect(tf.memory().numTensors).toBe(beforeTiming);
    expect(speed.maxDifference).toBeLessThan(1e-5);
    const v = trainer.validation!;
    expect(v.heatmaps).toHaveLength(data.val.count);
    expect(v.froc[0]).toMatchObject({ fpPerImage: 0, sensitivity: 0 });
    await trainer.dispose();
  });

  it("the two runs start from the same weights, differ only by mining, and reset to the start", async () => {
    const pair = buildDetectionComparison(data, small);
    const [a, b] = pair.runs;
    expect(a.options.mining).toBe(false);
    expect(b.options.mining).toBe(true);
    expect(Array.from(a.model.getWeights()[0].dataSync())).toEqual(Array.from(b.model.getWeights()[0].dataSync()));
    const start = Array.from(a.model.getWeights()[0].dataSync());
    for (let i = 0; i < 3; i++) await pair.step();
    expect(a.stepsTaken).toBe(3);
    expect(b.stepsTaken).toBe(3);
    await pair.reset();
    expect(Array.from(a.model.getWeights()[0].dataSync())).toEqual(start);
    expect(a.history.batches).toHaveLength(0);
    await pair.dispose();
    const alone = buildDetectionComparison(data, small, { mining: false });
    expect(alone.runs.map((r) => r.options.mining)).toEqual([false]);
    await alone.dispose();
  });

  it("refuses absurd settings with a readable message", () => {
    expect(() => buildDetector(data, { ...small, negativeRatio: NaN }, false)).toThrow(/negativeRatio/);
    expect(() => buildDetector(data, { ...small, rounds: 0 }, false)).toThrow(/rounds/);
    expect(() => buildDetector(data, { ...small, learningRate: 5 }, false)).toThrow(/learning rate/);
    const empty = { ...data, train: { ...data.train, objects: data.train.objects.map(() => []) } };
    expect(() => buildDetector(empty, small, false)).toThrow(/nothing to learn/);
  });
});

describe("the record the page quotes", () => {
  const record = JSON.parse(readFileSync("data/records/detection.json", "utf8")) as DetectionRecord;

  it("was measured on the page's defaults over at least 5 seeds", () => {
    expect(record.summary.seeds).toBeGreaterThanOrEqual(5);
    expect(record.runs).toHaveLength(record.summary.seeds);
    const { seeds, dataSeed, ...settings } = record.settings as Record<string, unknown>;
    expect(settings).toEqual({ ...DETECTION_LESSON_DEFAULTS, seed: 1 });
    expect(dataSeed).toBe(CHEST_SLICE_DEFAULTS.seed);
    expect(seeds).toEqual(record.runs.map((r) => r.seed));
  });

  it("supports the page's claim: mining raises sensitivity at ≤ 1 false positive per slice, on every seed", () => {
    const gains = record.runs.map((r) => r.mining.lowFpSensitivity - r.plain.lowFpSensitivity);
    expect(record.summary.miningBetterSeeds).toBe(gains.filter((g) => g > 0).length);
    expect(record.summary.miningBetterSeeds).toBe(record.summary.seeds);
    expect(record.summary.meanGain).toBeGreaterThan(0);
    expect(record.summary.miningLowFp).toBeGreaterThan(record.summary.plainLowFp);
  });
});
