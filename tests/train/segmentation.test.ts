import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { makeNucleiDataset } from "../../src/data/nuclei";
import { buildUNet } from "../../src/models/unet";
import { TrainerPair } from "../../src/train/pair";
import { hardDice, segmentationTask, softDiceLoss } from "../../src/train/segmentation";
import { Trainer } from "../../src/train/trainer";
import { useBackend } from "../helpers/backend";

beforeAll(() => useBackend("wasm"));

const data = makeNucleiDataset({ trainCount: 48, valCount: 16, seed: 2 });
const prior = data.train.masks.reduce((a, b) => a + b, 0) / data.train.masks.length;

function unetTrainer(skips = true, epochs = 10): Trainer<{ probs: Float32Array }> {
  const model = buildUNet({ inputShape: data.imageShape, depth: 2, baseFilters: 8, skips, foregroundPrior: prior });
  return new Trainer(model, segmentationTask(data), { batchSize: 8, epochs, learningRate: 0.003 });
}

describe("segmentation losses", () => {
  it("soft Dice loss is 0 for a perfect prediction and near 1 for a disjoint one; hard Dice matches", () => {
    tf.tidy(() => {
      const y = tf.tensor4d([1, 1, 0, 0], [1, 2, 2, 1]);
      expect(softDiceLoss(y, y).dataSync()[0]).toBeCloseTo(0, 5);
      expect(softDiceLoss(y, tf.tensor4d([0, 0, 1, 1], [1, 2, 2, 1])).dataSync()[0]).toBeCloseTo(1 - 1 / 5, 5);
      expect(hardDice(y, tf.tensor4d([0.9, 0.2, 0.1, 0.1], [1, 2, 2, 1])).dataSync()[0]).toBeCloseTo(2 / 3, 5);
    });
  });
});

describe("U-Net training", () => {
  it("raises validation Dice well above the start and keeps numTensors flat", async () => {
    const trainer = unetTrainer(true, 8);
    const counts: number[] = [];
    trainer.on("batch", () => counts.push(tf.memory().numTensors));
    await trainer.start();
    const dice = trainer.history.epochs.map((e) => e.metrics.dice);
    console.log(`U-Net validation Dice by epoch: ${dice.map((d) => d.toFixed(3)).join(", ")}`);
    expect(Math.max(...dice.slice(-2))).toBeGreaterThan(dice[0] + 0.2);
    expect(trainer.history.epochs.at(-1)!.metrics.boundaryDice).toBeGreaterThan(0.3);
    expect(trainer.validation!.probs.length).toBe(16 * 64 * 64);
    expect(new Set(counts.slice(2)).size).toBe(1);
    await trainer.dispose();
  });

  it("a pair trains in lockstep, from the same seed, and frees everything", async () => {
    const before = tf.memory().numTensors;
    const pair = new TrainerPair(unetTrainer(true, 1), unetTrainer(false, 1), ["with skips", "without skips"]);
    await pair.step();
    await pair.step();
    expect(pair.first.stepsTaken).toBe(2);
    expect(pair.second.stepsTaken).toBe(2);
    expect(pair.state).toBe("paused");
    await pair.resume();
    expect(pair.state).toBe("done");
    expect(pair.second.history.epochs).toHaveLength(1);
    await pair.reset();
    expect(pair.first.stepsTaken).toBe(0);
    await pair.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
