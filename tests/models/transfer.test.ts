import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { makeNoduleDataset } from "../../src/data/nodules";
import { buildCnn } from "../../src/models/cnn";
import { cnnArchitecture, trainableLayerNames, transferModel } from "../../src/models/transfer";
import { Trainer } from "../../src/train/trainer";
import { useBackend } from "../helpers/backend";

beforeAll(() => useBackend("wasm"));

const data = makeNoduleDataset({ size: 16, trainCount: 64, valCount: 16 });
const weightsOf = (m: tf.LayersModel, name: string) =>
  m
    .getLayer(name)
    .getWeights()
    .map((w) => Array.from(w.dataSync()));

describe("transfer strategies", () => {
  let source: tf.LayersModel;
  beforeAll(() => {
    source = buildCnn({ inputShape: [16, 16, 1], outputs: 10, filters: 4, depth: 2, seed: 9 });
  });

  it("reads the source architecture back and copies its filters, with a new head", () => {
    expect(cnnArchitecture(source)).toEqual({
      inputShape: [16, 16, 1],
      filters: 4,
      kernelSize: 3,
      depth: 2,
      dropout: 0.25,
    });
    const frozen = transferModel(source, { strategy: "frozen", outputs: 2 });
    expect(weightsOf(frozen, "conv1")).toEqual(weightsOf(source, "conv1"));
    expect(frozen.outputShape).toEqual([null, 2]);
    const scratch = transferModel(source, { strategy: "scratch", outputs: 2, seed: 3 });
    expect(weightsOf(scratch, "conv1")).not.toEqual(weightsOf(source, "conv1"));
    expect(trainableLayerNames(frozen)).toEqual(["scores"]);
    expect(trainableLayerNames(scratch)).toEqual(["conv1", "conv2", "scores"]);
    expect(
      trainableLayerNames(transferModel(source, { strategy: "finetune", outputs: 2, unfrozen: ["conv2"] })),
    ).toEqual(["conv2", "scores"]);
    [frozen, scratch].forEach((m) => m.dispose());
  });

  it("training keeps frozen weights exactly, fine-tuning changes them, and the source never changes", async () => {
    const sourceBefore = weightsOf(source, "conv1");
    const runs = await Promise.all(
      (["frozen", "finetune"] as const).map(async (strategy) => {
        const model = transferModel(source, { strategy, outputs: 2 });
        const before = { conv1: weightsOf(model, "conv1"), scores: weightsOf(model, "scores") };
        const trainer = new Trainer(model, data, { batchSize: 16, epochs: 2, learningRate: 0.01 });
        await trainer.start();
        const after = { conv1: weightsOf(model, "conv1"), scores: weightsOf(model, "scores") };
        await trainer.dispose();
        return { strategy, before, after };
      }),
    );
    const [frozen, finetune] = runs;
    expect(frozen.after.conv1).toEqual(frozen.before.conv1);
    expect(frozen.after.scores).not.toEqual(frozen.before.scores);
    expect(finetune.after.conv1).not.toEqual(finetune.before.conv1);
    expect(weightsOf(source, "conv1")).toEqual(sourceBefore);
  });
});
