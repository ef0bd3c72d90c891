// `npm run checkpoint -- cnn|unet`: trains a lesson's model with the lesson's default data and
// settings, longer than the page's default run, in node (wasm backend with the kit's gradient
// kernels), and writes the converged weights to data/pretrained/<name>/ (model.json, weights.bin,
// pretrain.json: settings, per-epoch history and final validation metrics). The page offers them
// as "Start from: the trained model". Seeded: the same command gives the same weights.
//
//   npm run checkpoint -- cnn     # → data/pretrained/cnn-nodules/
//   npm run checkpoint -- unet    # → data/pretrained/unet-nuclei/ (the U-Net with skips)
//   options: --epochs N (cnn 20, unet 16)
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type * as tf from "@tensorflow/tfjs";
import { setupBackend } from "../src/backend/setup";
import { makeNoduleDataset } from "../src/data/nodules";
import { makeNucleiDataset } from "../src/data/nuclei";
import { buildCnn, maxDepth } from "../src/models/cnn";
import { buildUNet } from "../src/models/unet";
import { modelToFiles } from "../src/models/weights";
import { segmentationTask } from "../src/train/segmentation";
import { Trainer } from "../src/train/trainer";
import { CHECKPOINTS, type CheckpointRecord } from "../src/ui/checkpoint";

const lesson = process.argv[2] as keyof typeof CHECKPOINTS;
if (!(lesson in CHECKPOINTS)) throw new Error(`usage: npm run checkpoint -- ${Object.keys(CHECKPOINTS).join("|")}`);
const option = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const spec = CHECKPOINTS[lesson];
const epochs = option("epochs", spec.epochs);

const backend = await setupBackend();
const started = Date.now();
let trainer: Trainer<unknown>;
// The lesson pages' defaults (lessons/cnn.md, lessons/unet.md), in one place each.
if (lesson === "cnn") {
  const data = makeNoduleDataset({ seed: 42 });
  const model = buildCnn({
    inputShape: data.imageShape,
    outputs: data.classNames.length,
    filters: 8,
    kernelSize: 3,
    depth: Math.min(3, maxDepth(data.imageShape)),
    dropout: 0.25,
    head: "softmax",
    seed: 1,
  });
  trainer = new Trainer(model, data, { batchSize: 32, epochs, learningRate: 0.005, seed: 1 }) as Trainer<unknown>;
} else {
  const data = makeNucleiDataset({ size: 64, seed: 7 });
  const prior = data.train.masks.reduce((a, b) => a + b, 0) / data.train.masks.length;
  const model = buildUNet({
    inputShape: data.imageShape,
    depth: 3,
    baseFilters: 8,
    upsample: "transpose",
    skips: true,
    foregroundPrior: prior,
    seed: 1,
  });
  trainer = new Trainer(model, segmentationTask(data, { loss: "both" }), {
    batchSize: 8,
    epochs,
    learningRate: 0.003,
    seed: 1,
  }) as Trainer<unknown>;
}
console.log(`${lesson}: ${trainer.totalSteps} steps (${epochs} epochs), backend ${backend.name}`);
trainer.on("epoch", (e) =>
  console.log(
    `epoch ${e.epoch}: train loss ${e.trainLoss.toFixed(3)}, ${Object.entries(e.metrics)
      .map(([k, v]) => `${k} ${v.toFixed(3)}`)
      .join(", ")}`,
  ),
);
await trainer.start();
if (trainer.state !== "done") throw new Error(`training ended ${trainer.state}: ${trainer.message}`);

const model: tf.LayersModel = trainer.model;
const files = await modelToFiles(model);
const out = resolve(join("data", "pretrained", spec.name));
const record: CheckpointRecord = {
  lesson,
  run: spec.run,
  epochs,
  steps: trainer.stepsTaken,
  seed: 1,
  backend: backend.name,
  settings: spec.settings,
  history: trainer.history.epochs.map((e) => ({
    epoch: e.epoch,
    step: e.step,
    trainLoss: e.trainLoss,
    valLoss: e.valLoss,
    metrics: e.metrics,
  })),
  final: trainer.history.epochs.at(-1)!.metrics,
  seconds: Math.round((Date.now() - started) / 1000),
};
mkdirSync(out, { recursive: true });
writeFileSync(join(out, "model.json"), JSON.stringify(files.modelJson));
writeFileSync(join(out, "weights.bin"), Buffer.from(files.weights));
writeFileSync(join(out, "pretrain.json"), JSON.stringify(record, null, 2) + "\n");
console.log(
  `wrote ${out}: ${(files.weights.byteLength / 1024).toFixed(0)} KB of weights, final ${JSON.stringify(record.final)}, ${record.seconds} s`,
);
await trainer.dispose();
