import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { makeNoduleDataset } from "../../src/data/nodules";
import type { ClassificationDataset } from "../../src/data/types";
import { buildCnn } from "../../src/models/cnn";
import { Trainer, type TrainerOptions } from "../../src/train/trainer";
import type { TrainerState } from "../../src/train/types";
import { useBackend } from "../helpers/backend";

beforeAll(() => useBackend("wasm"));

const small = makeNoduleDataset({ size: 16, trainCount: 96, valCount: 32, seed: 5 });

function makeTrainer(data: ClassificationDataset = small, options: TrainerOptions = {}, seed = 1): Trainer {
  const model = buildCnn({ inputShape: data.imageShape, outputs: data.classNames.length, filters: 4, depth: 2, seed });
  return new Trainer(model, data, { batchSize: 16, epochs: 3, learningRate: 0.005, ...options });
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** Resolves when the trainer reaches one of the states. */
function until(trainer: Trainer, ...states: TrainerState[]): Promise<void> {
  return new Promise((resolve) => {
    if (states.includes(trainer.state)) return resolve();
    const off = trainer.on("state", ({ state }) => states.includes(state) && (off(), resolve()));
  });
}

describe("Trainer", () => {
  it("lowers the loss on the nodule data and scores validation each epoch", async () => {
    const data = makeNoduleDataset({ seed: 11 }); // the lesson's default data
    const model = buildCnn({ inputShape: data.imageShape, outputs: 2, filters: 8, depth: 3 });
    const trainer = new Trainer(model, data, { epochs: 6, learningRate: 0.005 });
    const epochs: number[] = [];
    trainer.on("epoch", (e) => epochs.push(e.epoch));
    await trainer.start();
    const losses = trainer.history.batches.map((b) => b.loss);
    console.log(
      `first 10 batches mean loss ${mean(losses.slice(0, 10)).toFixed(3)}, last 10 ${mean(losses.slice(-10)).toFixed(3)}, val acc ${trainer.history.epochs.at(-1)!.metrics.accuracy.toFixed(3)}`,
    );
    expect(trainer.state).toBe("done");
    expect(epochs).toEqual([1, 2, 3, 4, 5, 6]);
    expect(mean(losses.slice(-10))).toBeLessThan(mean(losses.slice(0, 10)) - 0.15);
    const last = trainer.history.epochs.at(-1)!;
    expect(last.metrics.accuracy).toBeGreaterThan(0.75);
    expect(last.metrics.auc).toBeGreaterThan(0.85);
    expect(trainer.validation!.probs.length).toBe(data.val.count * 2);
    await trainer.dispose();
  });

  it("keeps tf.memory().numTensors flat across 200 steps", async () => {
    const trainer = makeTrainer(small, { epochs: 1000, augment: { flip: true, maxRotation: 10 } });
    const counts: number[] = [];
    trainer.on("batch", (b) => {
      if (b.step === 10 || b.step % 50 === 0) counts.push(tf.memory().numTensors);
      if (b.step === 200) trainer.pause();
    });
    await trainer.start();
    expect(trainer.stepsTaken).toBe(200);
    console.log(`numTensors at steps 10, 50, …, 200: ${counts.join(", ")}`);
    expect(new Set(counts).size).toBe(1);
    await trainer.dispose();
  });

  it("keeps memory flat across 20 stop/restart cycles, and dispose frees everything", async () => {
    const before = tf.memory().numTensors;
    const trainer = makeTrainer();
    let after1 = 0;
    for (let cycle = 0; cycle < 20; cycle++) {
      const off = trainer.on("batch", (b) => b.step === 3 && void trainer.stop());
      await trainer.start();
      off();
      expect(trainer.state).toBe("stopped");
      if (cycle === 0) after1 = tf.memory().numTensors;
    }
    expect(tf.memory().numTensors).toBe(after1);
    await trainer.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("pause, resume and single step move exactly as asked", async () => {
    const trainer = makeTrainer();
    await trainer.step();
    expect(trainer.stepsTaken).toBe(1);
    expect(trainer.state).toBe("paused");
    await trainer.step();
    expect(trainer.stepsTaken).toBe(2);
    const off = trainer.on("batch", (b) => b.step === 5 && trainer.pause());
    await trainer.resume();
    off();
    expect(trainer.state).toBe("paused");
    expect(trainer.stepsTaken).toBe(5);
    const running = trainer.resume();
    expect(trainer.state).toBe("running");
    await running;
    expect(trainer.state).toBe("done");
    expect(trainer.stepsTaken).toBe(trainer.totalSteps);
    await trainer.dispose();
  });

  it("reset returns to the same initial weights, and a restart repeats the run exactly", async () => {
    const trainer = makeTrainer(small, { augment: { flip: true, maxRotation: 15 } });
    const initial = trainer.model.getWeights().map((w) => Array.from(w.dataSync()));
    await trainer.start();
    const firstRun = trainer.history.batches.map((b) => b.loss);
    expect(trainer.model.getWeights()[0].dataSync()[0]).not.toBe(initial[0][0]);
    await trainer.reset();
    expect(trainer.state).toBe("idle");
    expect(trainer.history.batches).toHaveLength(0);
    expect(trainer.model.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(initial);
    await trainer.start();
    expect(trainer.history.batches.map((b) => b.loss)).toEqual(firstRun); // same batches, augmentation and dropout
    await trainer.dispose();
  });

  it("warmUp changes no weight and leaks no tensor", async () => {
    const trainer = makeTrainer();
    const before = tf.memory().numTensors;
    const weights = trainer.model.getWeights().map((w) => Array.from(w.dataSync()));
    await trainer.warmUp();
    expect(tf.memory().numTensors).toBe(before);
    expect(trainer.model.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(weights);
    expect(trainer.stepsTaken).toBe(0);
    await trainer.dispose();
  });

  it("changes the learning rate live, without a reset", async () => {
    const trainer = makeTrainer();
    await trainer.step();
    const weights = () => Array.from(trainer.model.getWeights()[0].dataSync());
    trainer.setLearningRate(1e-6);
    const w0 = weights();
    await trainer.step();
    const tinyChange = Math.max(...weights().map((v, i) => Math.abs(v - w0[i])));
    trainer.setLearningRate(0.05);
    const w1 = weights();
    await trainer.step();
    const bigChange = Math.max(...weights().map((v, i) => Math.abs(v - w1[i])));
    expect(trainer.stepsTaken).toBe(3); // no reset happened
    expect(trainer.history.batches.map((b) => b.learningRate)).toEqual([0.005, 1e-6, 0.05]);
    expect(bigChange).toBeGreaterThan(1000 * tinyChange);
    expect(() => trainer.setLearningRate(NaN)).toThrow(/learning rate/);
    expect(() => trainer.setLearningRate(50)).toThrow(/between/);
    await trainer.dispose();
  });

  it("stops a diverging run with a plain message and can train again after a reset", async () => {
    // A huge learning rate throws the weights far off: the loss pins high above chance.
    const trainer = makeTrainer(small, { learningRate: 1 });
    const messages: string[] = [];
    trainer.on("state", (s) => s.message && messages.push(s.message));
    await trainer.start();
    expect(trainer.state).toBe("diverged");
    expect(trainer.message).toMatch(/the loss diverged; try a lower learning rate/);
    expect(messages).toContain(trainer.message);
    expect(trainer.stepsTaken).toBeLessThan(trainer.totalSteps);
    trainer.setLearningRate(0.001);
    await trainer.step(); // restarts from the initial weights
    expect(trainer.state).toBe("paused");
    expect(trainer.stepsTaken).toBe(1);
    expect(Number.isFinite(trainer.history.batches[0].loss)).toBe(true);
    await trainer.dispose();
  });

  it("stops at once on a NaN loss (a corrupt pixel in the data)", async () => {
    const images = small.train.images.slice();
    images.fill(NaN, 0, 10);
    const trainer = makeTrainer({ ...small, train: { ...small.train, images } }, { epochs: 1 });
    trainer.on("batch", () => undefined);
    await trainer.start();
    expect(trainer.state).toBe("diverged");
    expect(trainer.message).toMatch(/the loss diverged; try a lower learning rate/);
    expect(trainer.stepsTaken).toBeLessThan(trainer.batchesPerEpoch);
    await trainer.dispose();
  });

  it("rejects absurd hyperparameters with readable errors", () => {
    const model = buildCnn({ inputShape: small.imageShape, outputs: 2, filters: 4, depth: 1 });
    expect(() => new Trainer(model, small, { learningRate: -1 })).toThrow(/learning rate/);
    expect(() => new Trainer(model, small, { batchSize: 0 })).toThrow(/batch size/);
    expect(() => new Trainer(model, small, { epochs: 2.5 })).toThrow(/epochs/);
    model.dispose();
  });

  it("emits a state event for each transition, in order", async () => {
    const trainer = makeTrainer(small, { epochs: 1 });
    const states: TrainerState[] = [];
    trainer.on("state", (s) => states.push(s.state));
    const done = until(trainer, "done");
    void trainer.start();
    await done;
    expect(states).toEqual(["running", "done"]);
    await trainer.dispose();
  });
});
