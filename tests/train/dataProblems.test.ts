// @vitest-environment jsdom
import * as tf from "@tensorflow/tfjs";
import { existsSync, readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { medmnistFromFile } from "../../src/data/medmnist";
import { makeNoduleDataset } from "../../src/data/nodules";
import { positiveFraction } from "../../src/data/sampling";
import { imbalancePanel, noisePanel, fewLabelsPanel, namedRuns } from "../../src/lessons/dataProblems";
import {
  augmentOptions,
  datasetProblem,
  lessonCnn,
  earlyStoppingEpoch,
  fewLabelSizes,
  fewLabelsPair,
  imbalanceExperiment,
  noiseExperiment,
  REMEDIES,
  runAugmentSweep,
  scoreAtPrevalence,
} from "../../src/train/dataProblems";
import { weightedCrossEntropy } from "../../src/train/losses";
import { Trainer } from "../../src/train/trainer";
import type { EpochRecord } from "../../src/train/types";
import { useBackend } from "../helpers/backend";
import { sharedFile } from "../helpers/data";
import { stubCanvas } from "../helpers/dom";

beforeAll(async () => {
  stubCanvas();
  await useBackend("wasm");
});

const small = makeNoduleDataset({ size: 16, trainCount: 200, valCount: 40, seed: 5 });
const tiny = { filters: 4, depth: 2 };

describe("scoreAtPrevalence", () => {
  it("scores a model that answers 'negative' to all as the majority class at the given prevalence", () => {
    const probs = new Float32Array([0.9, 0.1, 0.8, 0.2, 0.7, 0.3, 0.6, 0.4]); // 4 images, all said negative
    const m = scoreAtPrevalence(probs, [0, 0, 1, 1], 0.01);
    expect(m.accuracy).toBeCloseTo(0.99);
    expect(m.sensitivity).toBe(0);
    expect(m.specificity).toBe(1);
    expect(m.balancedAccuracy).toBeCloseTo(0.5);
    expect(m.auc).toBeCloseTo(1); // it still ranks both positives above both negatives
  });
});

describe("Trainer's loss option", () => {
  it("trains on the loss it is given: a loss that weighs every class 0 is 0 and moves no weight", async () => {
    const model = lessonCnn(small, tiny, 1);
    const trainer = new Trainer(model, small, { epochs: 1, batchSize: 16, loss: weightedCrossEntropy([0, 0]) });
    const before = model.getWeights()[0].dataSync().slice();
    await trainer.step();
    expect(trainer.history.batches[0].loss).toBe(0);
    expect(model.getWeights()[0].dataSync()).toEqual(before);
    await trainer.dispose();
  });
});

describe("the data-problem experiments", () => {
  it("imbalance: four remedies on the same rare-positive set, same start, same steps; memory flat over training and charts", async () => {
    const ex = imbalanceExperiment(small, { fraction: 0.1, epochs: 2, network: tiny, batchSize: 16 });
    expect(ex.remedies).toEqual([...REMEDIES]);
    expect(ex.prevalence).toBeCloseTo(positiveFraction(ex.data.train));
    expect(Math.abs(ex.prevalence - 0.1)).toBeLessThan(0.01);
    // Same initial weights in every run.
    const first = ex.runs.trainers.map((t) => t.model.getWeights()[0].dataSync().slice(0, 8).join(","));
    expect(new Set(first).size).toBe(1);
    await ex.runs.step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) await ex.runs.step();
    const panel = imbalancePanel(ex);
    await ex.runs.start();
    await new Promise((r) => setTimeout(r, 50)); // let the throttled redraws run
    expect(tf.memory().numTensors).toBe(before);
    const steps = ex.runs.trainers.map((t) => t.stepsTaken);
    expect(Math.max(...steps) - Math.min(...steps)).toBeLessThanOrEqual(Math.ceil(steps[0] * 0.15)); // oversampling: about the same budget
    for (const t of ex.runs.trainers)
      expect(Object.keys(t.history.epochs.at(-1)!.metrics).sort()).toEqual([
        "accuracy",
        "auc",
        "balancedAccuracy",
        "sensitivity",
        "specificity",
      ]);
    expect(panel.querySelectorAll("svg").length).toBeGreaterThanOrEqual(5); // scoreboard + one curve chart per remedy
    expect(panel.querySelector(".meddl-paradox")).not.toBeNull();
    await ex.runs.dispose();
    expect(tf.memory().numTensors).toBeLessThan(before);
  }, 120_000);

  it("noise: the noisy run fits its flipped labels, scored against noisy and clean truth; memory flat", async () => {
    const ex = noiseExperiment(small, {
      fraction: 0.3,
      trainCount: 60,
      epochs: 12,
      network: { filters: 8, depth: 2 },
      batchSize: 10,
      learningRate: 0.01,
    });
    expect(ex.noisy.flipped.reduce((a, b) => a + b, 0)).toBe(18);
    await ex.runs.step();
    const before = tf.memory().numTensors;
    const panel = noisePanel(ex);
    await ex.runs.start();
    expect(tf.memory().numTensors).toBe(before);
    const [clean, noisy] = ex.runs.trainers.map((t) => t.history.epochs);
    const last = noisy.at(-1)!.metrics;
    console.log(
      `noisy run after 12 epochs: train acc on noisy labels ${last.trainAccuracy.toFixed(3)}, flipped reproduced ${last.memorised.toFixed(3)}, clean val ${last.accuracy.toFixed(3)}`,
    );
    expect(last.trainAccuracy).toBeGreaterThan(noisy[0].metrics.trainAccuracy); // it fits its labels…
    expect(last.memorised).toBeGreaterThan(0.3); // …flipped ones included
    expect(clean.at(-1)!.metrics.memorised).toBeUndefined(); // nothing was flipped in the clean run
    expect(clean.at(-1)!.metrics.trainAccuracy).toBe(clean.at(-1)!.metrics.trainCleanAccuracy);
    await new Promise((r) => setTimeout(r, 600)); // longer than live()'s 400 ms throttle: the last redraw has landed
    expect(panel.querySelector("svg")).not.toBeNull();
    expect(panel.querySelector(".meddl-stopping")?.getAttribute("data-best-epoch")).toBe(
      String(earlyStoppingEpoch(noisy)!.epoch),
    );
    expect(panel.querySelector(".meddl-stopping")?.textContent).toContain("now (epoch 12)"); // the last epoch is drawn
    await ex.runs.dispose();
  }, 120_000);

  it("few labels: plain and augmented runs on the same N images; the sweep covers every N, seed and arm and frees its tensors", async () => {
    const augment = augmentOptions({ flipRotate: true, elastic: true, intensity: true });
    expect(augmentOptions({ flipRotate: false, elastic: false, intensity: false })).toBe(false);
    const pair = fewLabelsPair(small, { n: 10, rounds: 1, augment, network: tiny });
    expect(pair.trainers.map((t) => t.task.train.count)).toEqual([260, 260]); // 10 images, repeated to a round
    const panel = fewLabelsPanel(pair);
    await pair.start();
    expect(namedRuns(pair).map((r) => r.history.epochs.length)).toEqual([1, 1]);
    expect(panel.querySelector("svg")).not.toBeNull();
    await pair.dispose();

    const before = tf.memory().numTensors;
    const points = await runAugmentSweep(small, { sizes: [10, 20], seeds: [1, 2], rounds: 1, augment, network: tiny });
    expect(tf.memory().numTensors).toBe(before);
    expect(points).toHaveLength(8);
    expect(new Set(points.map((p) => `${p.strategy}|${p.n}|${p.seed}`)).size).toBe(8);
    const again = await runAugmentSweep(small, { sizes: [10], seeds: [1], rounds: 1, augment, network: tiny });
    expect(again[1].auc).toBe(points[1].auc); // seeded end to end
    expect(fewLabelSizes(small)).toEqual([10, 25, 50, 100, 200]);
  }, 120_000);

  it("refuses data it cannot use, with a reason", () => {
    expect(datasetProblem({ ...small, task: "multilabel" })).toMatch(/several labels/);
    expect(datasetProblem({ ...small, classNames: ["a", "b", "c"] }, { binary: true })).toMatch(/needs two/);
    expect(datasetProblem(small, { binary: true })).toBeNull();
  });

  it("early stopping picks the best clean-validation epoch, the first on ties", () => {
    const e = (epoch: number, accuracy: number) =>
      ({ epoch, step: epoch * 10, trainLoss: 0, trainScore: 0, valLoss: 0, metrics: { accuracy } }) as EpochRecord;
    expect(earlyStoppingEpoch([e(1, 0.6), e(2, 0.8), e(3, 0.8), e(4, 0.7)])!.epoch).toBe(2);
    expect(earlyStoppingEpoch([])).toBeNull();
  });
});

describe("the record the page quotes (data/records/data-problems.json)", () => {
  const file = "data/records/data-problems.json";
  const record = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : null;

  it.skipIf(!record)("measured over several seeds, shows the three effects the page claims", () => {
    expect(record.seeds.length).toBeGreaterThanOrEqual(3);
    // 1. The accuracy paradox at 1% positives: accuracy at the majority baseline, almost no positive found.
    const at = (fraction: number, remedy: string) =>
      record.imbalance.summary.find(
        (s: { fraction: number; remedy: string }) => s.fraction === fraction && s.remedy === remedy,
      );
    const paradox = at(0.01, "none");
    expect(paradox.accuracy).toBeGreaterThan(0.97);
    expect(Math.abs(paradox.accuracy - paradox.baseline)).toBeLessThan(0.02);
    expect(paradox.sensitivity).toBeLessThan(0.1);
    expect(paradox.balancedAccuracy).toBeLessThan(0.6);
    expect(at(0.05, "none").sensitivity).toBeLessThan(0.2);
    // The remedies buy sensitivity at 5% (the page says so), and balanced classes learn.
    expect(at(0.05, "weighted").sensitivity).toBeGreaterThan(at(0.05, "none").sensitivity);
    expect(at(0.05, "oversample").sensitivity).toBeGreaterThan(at(0.05, "none").sensitivity);
    expect(at(0.05, "weighted").auc).toBeGreaterThan(at(0.05, "none").auc);
    expect(at(0.05, "oversample").auc).toBeGreaterThan(at(0.05, "none").auc);
    // …paid for in accuracy.
    expect(at(0.05, "weighted").accuracy).toBeLessThan(at(0.05, "none").accuracy);
    expect(at(0.05, "oversample").accuracy).toBeLessThan(at(0.05, "none").accuracy);
    expect(at(0.5, "none").auc).toBeGreaterThan(0.8);
    // 2. Memorisation: training accuracy on noisy labels near 100%, most flips reproduced, validation below its peak.
    const n = record.noise.summary;
    expect(n.finalTrainAccuracy).toBeGreaterThan(0.95);
    expect(n.finalMemorised).toBeGreaterThan(0.8);
    expect(n.finalMemorised).toBeGreaterThan(n.bestMemorised);
    expect(n.bestAccuracy).toBeGreaterThan(n.finalAccuracy);
    expect(n.cleanFinalAccuracy).toBeGreaterThan(n.finalAccuracy);
    // 3. Augmentation helps at small N (the page quotes N = 25 and 100).
    for (const size of [25, 100]) {
      const g = record.augment.gains.find((x: { n: number }) => x.n === size);
      expect(g.augmented).toBeGreaterThan(g.plain);
    }
  });
});

describe("real-data mode: PneumoniaMNIST, imbalanced by nature", () => {
  const { file, exists } = sharedFile("medmnist/pneumoniamnist.npz");
  if (!exists)
    console.warn(
      `Skipping the PneumoniaMNIST imbalance check: ${file} is absent (a fresh clone has no ../shared/data).`,
    );

  it.skipIf(!exists)(
    "the dataset's own mix is about 3:1, and the imbalance experiment runs on it: one step of each remedy, no leak",
    async () => {
      const ds = medmnistFromFile(readFileSync(file), "pneumoniamnist.npz");
      expect(datasetProblem(ds, { binary: true })).toBeNull();
      const prevalence = positiveFraction(ds.train);
      expect(prevalence).toBeGreaterThan(0.7);
      expect(prevalence).toBeLessThan(0.78);
      const ex = imbalanceExperiment(ds, { fraction: "natural", epochs: 1, network: tiny });
      expect(ex.prevalence).toBe(prevalence);
      await ex.runs.step();
      const before = tf.memory().numTensors;
      await ex.runs.step();
      expect(tf.memory().numTensors).toBe(before);
      await ex.runs.dispose();
      // The slider's mixes work on it too: 5% pneumonia among (at most) 600 normal images.
      const rare = imbalanceExperiment(ds, { fraction: 0.05, epochs: 1, network: tiny });
      expect(rare.data.train.count - Array.from(rare.data.train.labels).filter((l) => l === 1).length).toBe(600);
      expect(rare.prevalence).toBeCloseTo(0.05, 2);
      await rare.runs.dispose();
    },
    120_000,
  );
});
