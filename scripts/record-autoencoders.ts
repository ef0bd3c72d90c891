// `npm run record:autoencoders`: measures what the auto-encoder lesson claims, with the page's own
// defaults, over several seeds (wasm backend with the kit's kernels), and writes
// data/records/autoencoders.json, which the page quotes:
//   - a denoising auto-encoder's validation PSNR (output against its corrupted input);
//   - whether the classes separate in code space (silhouette, linear probe), against raw pixels;
//   - whether its encoder helps a classifier with few labels (the transfer sweep: scratch, frozen, fine-tuned);
//   - the anomaly AUC of an auto-encoder trained on normal images only, against plain brightness;
//   - a VAE's PSNR and KL at a few β;
//   - the denoising auto-encoder's PSNR with a bottleneck of 2 (the page's "try this" exercise).
//   options: --seeds N (3) --epochs N --rounds N --out FILE
//            --only bottleneck   measures only the bottleneck of 2 and adds it to the existing record
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { setupBackend } from "../src/backend/setup";
import { makeNoduleDataset } from "../src/data/nodules";
import { auc } from "../src/metrics/classification";
import { linearProbe, silhouette } from "../src/metrics/codes";
import { meanSquaredError, perImageError, psnrFromMse } from "../src/metrics/reconstruction";
import { encodeImages, reconstruct } from "../src/models/autoencoder";
import { AUTOENCODER_LESSON as L, spread } from "../src/lessons/autoencoders";
import { TIGHT_BOTTLENECK, type AutoencoderExerciseRecord } from "../src/lessons/exercises/autoencoders";
import { trainReconstruction, unlabelled, klDivergence } from "../src/train/reconstruction";
import { runSweep, summarizeSweep, type SweepPoint } from "../src/train/sweep";
import * as tf from "@tensorflow/tfjs";

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const seeds = Array.from({ length: Number(option("seeds", "3")) }, (_, i) => i + 1);
const epochs = Number(option("epochs", String(L.epochs)));
const rounds = Number(option("rounds", String(L.rounds)));
const out = option("out", join("data", "records", "autoencoders.json"));
const betas = [0.02, L.beta, 1];

const backend = await setupBackend();
const started = Date.now();
const elapsed = () => `${Math.round((Date.now() - started) / 1000)} s`;
const ds = makeNoduleDataset({ seed: 42 }); // the page's built-in data
const [h, w, c] = ds.imageShape;
const pixels = h * w * c;
const data = unlabelled(ds);
const normalOnly = unlabelled(ds, { keep: (i) => ds.train.labels[i] === L.normalClass });
const abnormal = Array.from(ds.val.labels, (label) => (label !== L.normalClass ? 1 : 0));
const round = (x: number) => +x.toFixed(4);
const roundSpread = (s: ReturnType<typeof spread>) => ({
  mean: round(s.mean),
  sd: round(s.sd),
  min: round(s.min),
  max: round(s.max),
  runs: s.runs,
});

/** Validation PSNR of the page's denoising auto-encoder with its code squeezed to TIGHT_BOTTLENECK numbers. */
async function tightBottleneckPsnr(seed: number): Promise<number> {
  const tight = await trainReconstruction(data, {
    architecture: { ...L.architecture, codeSize: TIGHT_BOTTLENECK },
    corruption: L.corruption,
    epochs,
    batchSize: L.batchSize,
    learningRate: L.learningRate,
    seed,
  });
  const psnr = psnrFromMse(meanSquaredError(ds.val.images, tight.validation!.reconstructions));
  tight.autoencoder.model.dispose();
  console.log(
    `seed ${seed}: bottleneck of ${TIGHT_BOTTLENECK}, ${tight.state}, PSNR ${psnr.toFixed(2)} dB · ${elapsed()}`,
  );
  return psnr;
}

if (option("only", "all") === "bottleneck") {
  // Adds just this measurement to the existing record (the rest takes several minutes more).
  const existing = JSON.parse(readFileSync(out, "utf8")) as AutoencoderExerciseRecord;
  const psnrs = [];
  for (const seed of seeds) psnrs.push(await tightBottleneckPsnr(seed));
  existing.bottleneck = { codeSize: TIGHT_BOTTLENECK, psnr: roundSpread(spread(psnrs)) };
  writeFileSync(out, JSON.stringify(existing, null, 1) + "\n");
  console.log(`added the bottleneck of ${TIGHT_BOTTLENECK} to ${out} · ${elapsed()}`);
  process.exit(0);
}

console.log(
  `record:autoencoders on ${backend.name}: seeds ${seeds.join(", ")}; ${epochs} epochs; sweep N = ${L.sizes.join(", ")}, ${rounds} rounds`,
);

// Baselines that need no training: raw pixels, and brightness as an anomaly score.
const silhouettePixels = silhouette(ds.val.images, ds.val.count, pixels, ds.val.labels);
const probePixels = linearProbe(
  { rows: ds.train.images, labels: ds.train.labels, count: ds.train.count },
  { rows: ds.val.images, labels: ds.val.labels, count: ds.val.count },
  pixels,
  2,
).auc;
const brightness = Float32Array.from({ length: ds.val.count }, (_, i) =>
  ds.val.images.subarray(i * pixels, (i + 1) * pixels).reduce((a, b) => a + b, 0),
);
const brightnessAuc = auc(brightness, abnormal);
console.log(
  `pixels: silhouette ${silhouettePixels.toFixed(3)}, linear probe AUC ${probePixels.toFixed(3)}; brightness anomaly AUC ${brightnessAuc.toFixed(3)} · ${elapsed()}`,
);

const rows = {
  output: [] as number[],
  input: [] as number[],
  silCodes: [] as number[],
  probeCodes: [] as number[],
  anomaly: [] as number[],
  denoisingAnomaly: [] as number[],
  tight: [] as number[],
};
const vaeRows = betas.map(() => ({ psnr: [] as number[], kl: [] as number[] }));
const points: SweepPoint[] = [];
for (const seed of seeds) {
  // 1. The denoising auto-encoder, on every training image, labels unseen.
  const dae = await trainReconstruction(data, {
    architecture: L.architecture,
    corruption: L.corruption,
    epochs,
    batchSize: L.batchSize,
    learningRate: L.learningRate,
    seed,
  });
  const inputs = dae.validation!.inputs;
  rows.output.push(psnrFromMse(meanSquaredError(ds.val.images, dae.validation!.reconstructions)));
  rows.input.push(psnrFromMse(meanSquaredError(ds.val.images, inputs)));
  const trainCodes = encodeImages(dae.autoencoder, ds.train.images, ds.train.count);
  const valCodes = encodeImages(dae.autoencoder, ds.val.images, ds.val.count);
  const k = dae.autoencoder.codeSize;
  rows.silCodes.push(silhouette(valCodes, ds.val.count, k, ds.val.labels));
  rows.probeCodes.push(
    linearProbe(
      { rows: trainCodes, labels: ds.train.labels, count: ds.train.count },
      { rows: valCodes, labels: ds.val.labels, count: ds.val.count },
      k,
      2,
    ).auc,
  );
  console.log(
    `seed ${seed}: DAE ${dae.state}, PSNR ${rows.input.at(-1)!.toFixed(2)} → ${rows.output.at(-1)!.toFixed(2)} dB; silhouette ${rows.silCodes.at(-1)!.toFixed(3)}, probe AUC ${rows.probeCodes.at(-1)!.toFixed(3)} · ${elapsed()}`,
  );

  // 2. Few labels: the encoder as a pretrained source for the transfer lesson's strategies.
  const sweep = await runSweep(dae.autoencoder.encoder, ds, {
    sizes: L.sizes,
    seeds: [seed],
    strategies: L.strategies,
    rounds,
    onRun: (p, done, total) =>
      console.log(
        `  sweep ${done}/${total} ${p.strategy.padEnd(8)} N=${String(p.n).padStart(3)}: AUC ${p.auc.toFixed(3)}`,
      ),
  });
  points.push(...sweep);
  dae.autoencoder.model.dispose();
  rows.tight.push(await tightBottleneckPsnr(seed));

  // 3. Anomaly detection: trained on normal images only, scored by reconstruction error; the
  //    page's detector (no corruption), and the same trained as a denoiser.
  for (const [corruption, list] of [
    [L.anomaly.corruption, rows.anomaly],
    [L.corruption, rows.denoisingAnomaly],
  ] as const) {
    const normal = await trainReconstruction(normalOnly, {
      architecture: { ...L.architecture, codeSize: L.anomaly.codeSize },
      corruption,
      epochs,
      batchSize: L.batchSize,
      learningRate: L.learningRate,
      seed,
    });
    const errors = perImageError(
      ds.val.images,
      reconstruct(normal.autoencoder, ds.val.images, ds.val.count),
      ds.val.count,
    );
    list.push(auc(errors, abnormal));
    normal.autoencoder.model.dispose();
    console.log(`seed ${seed}: anomaly AUC ${list.at(-1)!.toFixed(3)} (${corruption.kind} corruption) · ${elapsed()}`);
  }

  // 4. The VAE at a few β: sharper reconstructions (small β) against a tidier code space (large β).
  for (const [b, beta] of betas.entries()) {
    const vae = await trainReconstruction(data, {
      architecture: { ...L.architecture, variational: true },
      beta,
      epochs,
      batchSize: L.batchSize,
      learningRate: L.learningRate,
      seed,
    });
    vaeRows[b].psnr.push(psnrFromMse(meanSquaredError(ds.val.images, vae.validation!.reconstructions)));
    const kl = tf.tidy(() => {
      const [mean, logVar] = vae.autoencoder.encoder.predict(
        tf.tensor4d(ds.val.images, [ds.val.count, h, w, c]),
      ) as tf.Tensor2D[];
      return tf.mean(klDivergence(mean, logVar)).dataSync()[0];
    });
    vaeRows[b].kl.push(kl);
    vae.autoencoder.model.dispose();
    console.log(
      `seed ${seed}: VAE β=${beta} ${vae.state}, PSNR ${vaeRows[b].psnr.at(-1)!.toFixed(2)} dB, KL ${kl.toFixed(2)} nats · ${elapsed()}`,
    );
  }
}

const summary = summarizeSweep(points);
for (const s of summary)
  console.log(`${s.strategy.padEnd(8)} N=${String(s.n).padStart(3)}: ${s.mean.toFixed(3)} ± ${s.sd.toFixed(3)}`);
const record: AutoencoderExerciseRecord = {
  settings: { ...L, epochs, rounds, dataset: ds.id, seeds, betas },
  backend: backend.name,
  seconds: Math.round((Date.now() - started) / 1000),
  psnr: { output: roundSpread(spread(rows.output)), input: roundSpread(spread(rows.input)) },
  separation: {
    silhouetteCodes: roundSpread(spread(rows.silCodes)),
    silhouettePixels: round(silhouettePixels),
    probeCodes: roundSpread(spread(rows.probeCodes)),
    probePixels: round(probePixels),
    codeSize: L.architecture.codeSize,
    pixels,
  },
  anomaly: {
    auc: roundSpread(spread(rows.anomaly)),
    denoisingAuc: roundSpread(spread(rows.denoisingAnomaly)),
    brightnessAuc: round(brightnessAuc),
  },
  vae: betas.map((beta, b) => ({
    beta,
    psnr: roundSpread(spread(vaeRows[b].psnr)),
    kl: roundSpread(spread(vaeRows[b].kl)),
  })),
  sweep: {
    summary: summary.map((s) => ({ ...s, mean: round(s.mean), sd: round(s.sd), min: round(s.min), max: round(s.max) })),
    points: points.map((p) => ({
      ...p,
      auc: round(p.auc),
      curve: p.curve.map((q) => ({ round: q.round, step: q.step, auc: round(q.auc), ms: Math.round(q.ms) })),
    })),
  },
  bottleneck: { codeSize: TIGHT_BOTTLENECK, psnr: roundSpread(spread(rows.tight)) },
};
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(record, null, 1) + "\n");
console.log(`wrote ${out} · ${elapsed()}`);
