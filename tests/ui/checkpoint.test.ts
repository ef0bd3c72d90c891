// @vitest-environment jsdom
/**
 * The shipped checkpoints (npm run checkpoint): their records say they converged, and their
 * weights go into the lesson's default model (same architecture), giving the recorded quality;
 * other settings get a message naming the difference and keep random weights; memory is flat.
 */
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error a plain .mjs build-time helper, no types
import { pretrainedBundle } from "../../data/pretrained.mjs";
import { makeNoduleDataset } from "../../src/data/nodules";
import { makeNucleiDataset } from "../../src/data/nuclei";
import { buildCnn } from "../../src/models/cnn";
import { buildUNet } from "../../src/models/unet";
import type { WeightsBundle } from "../../src/models/weights";
import { segmentationTask } from "../../src/train/segmentation";
import { Trainer } from "../../src/train/trainer";
import { CHECKPOINTS, startChoice, startFromCheckpoint, type CheckpointRecord } from "../../src/ui/checkpoint";
import { stubCanvas } from "../helpers/dom";

beforeAll(async () => {
  stubCanvas();
  await tf.setBackend("cpu");
});

const bundleOf = (lesson: keyof typeof CHECKPOINTS) =>
  pretrainedBundle(CHECKPOINTS[lesson].name) as WeightsBundle<CheckpointRecord>;

describe("shipped checkpoints", () => {
  it("CNN: converged (record), loads into the page's default model and scores as recorded; other settings refused", async () => {
    const bundle = bundleOf("cnn");
    const record = bundle.record!;
    expect(record.final.auc).toBeGreaterThan(0.95);
    expect(record.history.at(-1)!.trainLoss).toBeLessThan(record.history[0].trainLoss / 3);
    const data = makeNoduleDataset({ seed: 42 });
    const model = buildCnn({
      inputShape: data.imageShape,
      outputs: 2,
      filters: 8,
      kernelSize: 3,
      depth: 3,
      dropout: 0.25,
      seed: 1,
    });
    const before = tf.memory().numTensors;
    expect(await startFromCheckpoint(model, bundle)).toBeNull();
    expect(tf.memory().numTensors).toBe(before);
    // Validation with the loaded weights reproduces the recorded AUC (same data, same weights).
    const trainer = new Trainer(model, data, { epochs: 1, seed: 1 });
    const probs = await trainer.predictSplit(trainer.task.val);
    const scored = trainer.task.scoreValidation(probs);
    expect(scored.metrics.auc).toBeCloseTo(record.final.auc, 3);
    await trainer.dispose();

    const other = buildCnn({ inputShape: data.imageShape, outputs: 2, filters: 4, seed: 1 });
    const kept = other.getWeights()[0].dataSync().slice();
    const message = await startFromCheckpoint(other, bundle);
    expect(message).toMatch(
      /made with other settings.*Conv2D \[3,3,1,8\] \[8\] in the file but Conv2D \[3,3,1,4\] \[4\] here.*random weights/,
    );
    expect(other.getWeights()[0].dataSync()).toEqual(kept);
    other.dispose();
    // The page's menu offers it, with its recorded score.
    expect([...startChoice(bundle).querySelectorAll("option")].map((o) => o.textContent)).toEqual([
      "random weights (watch it learn)",
      `the trained model (20 epochs; validation accuracy ${record.final.accuracy.toFixed(3)}, auc ${record.final.auc.toFixed(3)})`,
    ]);
  });

  it("U-Net: converged (record), loads into the U-Net with skips (not the one without), and scores as recorded", async () => {
    const bundle = bundleOf("unet");
    const record = bundle.record!;
    expect(record.run).toBe("with skips (U-Net)");
    expect(record.final.dice).toBeGreaterThan(0.8);
    expect(record.final.dice).toBeGreaterThan(record.history[0].metrics.dice);
    const data = makeNucleiDataset({ size: 64, seed: 7 });
    const prior = data.train.masks.reduce((a, b) => a + b, 0) / data.train.masks.length;
    const build = (skips: boolean) =>
      buildUNet({
        inputShape: data.imageShape,
        depth: 3,
        baseFilters: 8,
        upsample: "transpose",
        skips,
        foregroundPrior: prior,
        seed: 1,
      });
    const noSkips = build(false);
    expect(await startFromCheckpoint(noSkips, bundle)).toMatch(/made with other settings/);
    noSkips.dispose();
    const unet = build(true);
    expect(await startFromCheckpoint(unet, bundle)).toBeNull();
    const trainer = new Trainer(unet, segmentationTask(data, { loss: "both" }), { epochs: 1, seed: 1, batchSize: 8 });
    const scored = trainer.task.scoreValidation(await trainer.predictSplit(trainer.task.val));
    expect(scored.metrics.dice).toBeCloseTo(record.final.dice, 3);
    await trainer.dispose();
  });
});
