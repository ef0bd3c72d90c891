// `npm run pretrain`: trains the transfer lesson's source CNN in node (wasm backend with the kit's
// gradient kernels) and writes its weights in tfjs format to data/pretrained/<source>/:
// model.json, weights.bin and pretrain.json (what was trained, how, and the validation accuracy).
// Seeded: the same command gives the same weights.
//
//   npm run pretrain                       # built-in synthetic shapes source (the shipped weights)
//   npm run pretrain -- --source pneumoniamnist   # PneumoniaMNIST from data/ or ../shared/data
//   options: --epochs N --seed N --train-count N --out DIR
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { setupBackend } from "../src/backend/setup";
import { medmnistFromFile } from "../src/data/medmnist";
import { makeShapesDataset } from "../src/data/shapes";
import type { ClassificationDataset } from "../src/data/types";
import { modelToFiles } from "../src/models/weights";
import { pretrainSource } from "../src/train/pretrain";

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const source = option("source", "shapes");
const epochs = Number(option("epochs", "5"));
const seed = Number(option("seed", "1"));
const trainCount = Number(option("train-count", "20000"));
const out = resolve(option("out", join("data", "pretrained", source)));

function loadSource(): ClassificationDataset {
  if (source === "shapes") return makeShapesDataset({ trainCount, seed: 11 });
  if (source === "pneumoniamnist") {
    const file = [process.env.MEDDL_DATA_DIR ?? "data", "data", "data/medmnist", "../shared/data/medmnist"]
      .map((d) => resolve(d, "pneumoniamnist.npz"))
      .find(existsSync);
    if (!file) throw new Error("pneumoniamnist.npz not found in data/ (run `npm run data -- pneumoniamnist` first)");
    return medmnistFromFile(readFileSync(file), "pneumoniamnist.npz");
  }
  throw new Error(`unknown source "${source}"; use shapes or pneumoniamnist`);
}

const backend = await setupBackend();
const data = loadSource();
console.log(
  `pretraining on ${data.title}: ${data.train.count} training images, ${epochs} epochs, seed ${seed}, backend ${backend.name}`,
);
const started = Date.now();
let lastPrint = 0;
const { model, record } = await pretrainSource(data, {
  epochs,
  seed,
  onBatch: (step, total, loss) => {
    if (Date.now() - lastPrint > 2000 || step === total) {
      lastPrint = Date.now();
      console.log(`  step ${step}/${total} (${((100 * step) / total).toFixed(0)}%), loss ${loss.toFixed(3)}`);
    }
  },
  onEpoch: (e) =>
    console.log(
      `epoch ${e.epoch}: train loss ${e.trainLoss.toFixed(3)}, val accuracy ${(100 * e.metrics.accuracy).toFixed(1)}%`,
    ),
});
const files = await modelToFiles(model);
mkdirSync(out, { recursive: true });
writeFileSync(join(out, "model.json"), JSON.stringify(files.modelJson));
writeFileSync(join(out, "weights.bin"), Buffer.from(files.weights));
writeFileSync(
  join(out, "pretrain.json"),
  JSON.stringify({ ...record, seconds: Math.round((Date.now() - started) / 1000) }, null, 2) + "\n",
);
console.log(
  `wrote ${out}/model.json, weights.bin (${(files.weights.byteLength / 1024).toFixed(0)} KB), pretrain.json · ${Math.round((Date.now() - started) / 1000)} s`,
);
