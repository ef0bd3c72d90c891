// `npm run pretrain:gan`: trains the GAN lesson's two low-dose CT denoisers in node (wasm backend
// with the kit's gradient kernels): a pixel-loss warm start, then pixel loss only and pixel +
// λ·adversarial for the same number of further steps (see src/train/ganPretrain.ts). Writes each
// generator in tfjs format to <out>-pixel/ and <out>-adversarial/: model.json, weights.bin and
// pretrain.json (the settings and the validation scores of both models and of the noisy input;
// `model` says which of the two the folder holds). Seeded: the same command gives the same weights.
//
//   npm run pretrain:gan                   # the shipped weights (data/pretrained/gan-ct-*)
//   options: --seed N --warm-steps N --adv-steps N (or --steps N: half warm, half adversarial)
//            --train-count N --val-count N --dose I0 --texture STD --lambda λ --d-lr LR --g-lr LR --d-steps K
//            --size PX --history-every N --pixel-loss l1|mse --out DIR (default data/pretrained/gan-ct)
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { setupBackend } from "../src/backend/setup";
import { modelToFiles } from "../src/models/weights";
import { GAN_PRETRAIN_DEFAULTS, pretrainGan, type GanPretrainOptions } from "../src/train/ganPretrain";

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : undefined;
}

function numberOption(name: string): number | undefined {
  const text = option(name);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value)) throw new Error(`--${name} must be a number, got "${text}"`);
  return value;
}

const steps = numberOption("steps");
const options: GanPretrainOptions = {
  seed: numberOption("seed"),
  trainCount: numberOption("train-count"),
  valCount: numberOption("val-count"),
  size: numberOption("size"),
  dose: numberOption("dose"),
  texture: numberOption("texture"),
  warmSteps: numberOption("warm-steps") ?? (steps === undefined ? undefined : Math.max(1, Math.round(steps / 2))),
  adversarialSteps:
    numberOption("adv-steps") ?? (steps === undefined ? undefined : Math.max(1, steps - Math.round(steps / 2))),
  lambda: numberOption("lambda"),
  generatorLearningRate: numberOption("g-lr"),
  discriminatorLearningRate: numberOption("d-lr"),
  discriminatorSteps: numberOption("d-steps"),
  historyEvery: numberOption("history-every"),
  pixelLoss: option("pixel-loss") as GanPretrainOptions["pixelLoss"],
};
for (const key of Object.keys(options) as (keyof GanPretrainOptions)[])
  if (options[key] === undefined) delete options[key];
const out = resolve(option("out") ?? join("data", "pretrained", "gan-ct"));

const backend = await setupBackend();
const o = { ...GAN_PRETRAIN_DEFAULTS, ...options };
console.log(
  `pretraining the CT denoisers: ${o.trainCount} training pairs (tissue texture ${o.texture}) at I0 = ${o.dose}, ${o.warmSteps} warm-start steps + ${o.adversarialSteps} steps ` +
    `(pixel only; pixel + ${o.lambda}·adversarial), D lr ${o.discriminatorLearningRate} × ${o.discriminatorSteps}, seed ${o.seed}, backend ${backend.name}`,
);
const started = Date.now();
let lastPrint = 0;
const { pixel, adversarial, record } = await pretrainGan({
  ...options,
  onStep: ({ phase, step, totalSteps, record: r }) => {
    if (Date.now() - lastPrint > 5000) {
      lastPrint = Date.now();
      console.log(
        `  ${phase} step ${step}/${totalSteps}: pixel loss ${r.pixelLoss.toFixed(4)}, D loss ${r.discriminatorLoss.toFixed(3)} (real ${r.realScore.toFixed(2)}, fake ${r.fakeScore.toFixed(2)}) · ${Math.round((Date.now() - started) / 1000)} s`,
      );
    }
  },
  onValidation: (p) =>
    console.log(
      `${p.phase.padEnd(11)} step ${String(p.step).padStart(5)}: val PSNR ${p.psnr.toFixed(2)} dB, hf ratio ${p.hfRatio.toFixed(3)}, D loss ${p.discriminatorLoss.toFixed(3)} (real ${p.realScore.toFixed(2)}, fake ${p.fakeScore.toFixed(2)})`,
    ),
});

for (const [name, metrics] of Object.entries(record.val)) {
  console.log(
    `${name.padEnd(11)} PSNR ${metrics.psnr.toFixed(2)} dB, SSIM ${metrics.ssim.toFixed(4)}, hf ratio ${metrics.hfRatio.toFixed(3)}`,
  );
}
for (const [name, model] of [
  ["pixel", pixel],
  ["adversarial", adversarial],
] as const) {
  const dir = `${out}-${name}`;
  const files = await modelToFiles(model);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "model.json"), JSON.stringify(files.modelJson));
  writeFileSync(join(dir, "weights.bin"), Buffer.from(files.weights));
  writeFileSync(join(dir, "pretrain.json"), JSON.stringify({ model: name, ...record }, null, 2) + "\n");
  console.log(
    `wrote ${dir}/model.json, weights.bin (${(files.weights.byteLength / 1024).toFixed(0)} KB), pretrain.json`,
  );
  model.dispose();
}
console.log(`done in ${Math.round((Date.now() - started) / 1000)} s`);
