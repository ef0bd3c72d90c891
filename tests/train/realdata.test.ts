/**
 * Training on real and on unusual datasets: PneumoniaMNIST from ../shared/data (skipped, with a
 * message, when absent), plus crafted RGB multi-class and multi-label sets.
 */
import { readFileSync } from "node:fs";
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { medmnistFromFile } from "../../src/data/medmnist";
import { mulberry32 } from "../../src/data/random";
import type { ClassificationDataset, Split } from "../../src/data/types";
import { buildCnn } from "../../src/models/cnn";
import { Trainer } from "../../src/train/trainer";
import { rocSeries, scoreSplit } from "../../src/ui/evaluation";
import { useBackend } from "../helpers/backend";
import { sharedFile } from "../helpers/data";

beforeAll(() => useBackend("wasm"));

const { file: pneumonia, exists: hasPneumonia } = sharedFile("medmnist/pneumoniamnist.npz");
if (!hasPneumonia)
  console.warn(
    `Skipping the PneumoniaMNIST training test: ${pneumonia} is absent (a fresh clone has no ../shared/data).`,
  );

describe.skipIf(!hasPneumonia)("PneumoniaMNIST (real copy)", () => {
  it("one epoch of the lesson's CNN beats chance clearly on validation, and scores the test split", async () => {
    const ds = medmnistFromFile(readFileSync(pneumonia), "pneumoniamnist.npz");
    const model = buildCnn({ inputShape: ds.imageShape, outputs: 2, filters: 8, depth: 3 });
    const trainer = new Trainer(model, ds, { epochs: 1, learningRate: 0.005 });
    await trainer.start();
    const { auc: valAuc, accuracy: valAccuracy } = trainer.history.epochs[0].metrics;
    const test = scoreSplit(await trainer.predictSplit(ds.test!), ds.test!, ds);
    console.log(
      `PneumoniaMNIST after 1 epoch: val AUC ${valAuc.toFixed(3)}, val acc ${valAccuracy.toFixed(3)}, test AUC ${test.auc.toFixed(3)}`,
    );
    expect(valAuc).toBeGreaterThan(0.85);
    expect(test.auc).toBeGreaterThan(0.75);
    await trainer.dispose();
  });
});

/** Images whose class sets a bright square in one of K corners / channels: learnable in a few steps. */
function craft(
  { n, k, channels, multilabel }: { n: number; k: number; channels: 1 | 3; multilabel: boolean },
  seed: number,
): Split {
  const rand = mulberry32(seed);
  const size = 16;
  const images = new Float32Array(n * size * size * channels).map(() => 0.2 * rand());
  const labels = new Int32Array(multilabel ? n * k : n);
  for (let i = 0; i < n; i++) {
    const on = multilabel
      ? Array.from({ length: k }, () => rand() < 0.4)
      : Array.from({ length: k }, (_, j) => j === i % k);
    on.forEach((yes, j) => {
      if (multilabel) labels[i * k + j] = yes ? 1 : 0;
      else if (yes) labels[i] = j;
      if (!yes) return;
      const [oy, ox] = [(j >> 1) * 8, (j & 1) * 8];
      for (let y = oy + 2; y < oy + 6; y++)
        for (let x = ox + 2; x < ox + 6; x++) images[((i * size + y) * size + x) * channels + (j % channels)] = 1;
    });
  }
  return { images, labels, count: n };
}

function crafted(task: "multiclass" | "multilabel", channels: 1 | 3): ClassificationDataset {
  const k = 4,
    multilabel = task === "multilabel";
  return {
    id: `crafted-${task}`,
    title: "crafted",
    description: "crafted in the test",
    synthetic: true,
    task,
    classNames: ["a", "b", "c", "d"],
    imageShape: [16, 16, channels],
    train: craft({ n: 256, k, channels, multilabel }, 1),
    val: craft({ n: 64, k, channels, multilabel }, 2),
  };
}

describe("other shapes of data", () => {
  it("RGB, 4 classes: softmax head trains and one-vs-rest AUC is high", async () => {
    const ds = crafted("multiclass", 3);
    const trainer = new Trainer(buildCnn({ inputShape: ds.imageShape, outputs: 4, filters: 4, depth: 2 }), ds, {
      epochs: 4,
      batchSize: 16,
      learningRate: 0.01,
    });
    await trainer.start();
    const last = trainer.history.epochs.at(-1)!;
    expect(last.metrics.auc).toBeGreaterThan(0.9);
    expect(rocSeries(trainer.validation!.probs, ds.val.labels, ds).map((s) => s.name)).toEqual(["a", "b", "c", "d"]);
    await trainer.dispose();
  });

  it("multi-label: a sigmoid head with binary cross-entropy, per-label ROC, no tensor leak", async () => {
    const ds = crafted("multilabel", 1);
    const model = buildCnn({ inputShape: ds.imageShape, outputs: 4, filters: 4, depth: 2, head: "sigmoid" });
    const trainer = new Trainer(model, ds, { epochs: 4, batchSize: 16, learningRate: 0.01 });
    const counts: number[] = [];
    trainer.on("batch", () => counts.push(tf.memory().numTensors));
    await trainer.start();
    const losses = trainer.history.batches.map((b) => b.loss);
    expect(losses.at(-1)!).toBeLessThan(losses[0]);
    expect(trainer.history.epochs.at(-1)!.metrics.auc).toBeGreaterThan(0.8);
    expect(rocSeries(trainer.validation!.probs, ds.val.labels, ds)).toHaveLength(4);
    expect(new Set(counts.slice(2)).size).toBe(1);
    await trainer.dispose();
  });
});
