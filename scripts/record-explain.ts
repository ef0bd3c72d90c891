// `npm run record:explain`: the black-box lesson's measured numbers, written to
// data/records/explain.json, which the page quotes. For several seeds it trains the page's default
// CNN on the synthetic nodule patches twice: clean, and with the planted corner tag (absent from
// validation). It records the train–validation accuracy gap, the share of Grad-CAM and saliency on
// the tag (with the tag painted into validation images), and for the clean model the calibration
// (ECE before/after temperature scaling) and the referral accuracies by MC dropout and by softmax.
// Then the sanity check of section 5 (Adebayo et al.): how much saliency and Grad-CAM still look
// like the trained model's maps as its layers are randomised from the top (the page's exercise).
//
//   npm run record:explain                    # seeds 1–5, the page's defaults
//   options: --seeds N --epochs N --out FILE
//            --only sanity   measures only the sanity check and adds it to the existing record
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { setupBackend } from "../src/backend/setup";
import { makeNoduleDataset } from "../src/data/nodules";
import { plantShortcut } from "../src/data/shortcut";
import { EXPLAIN_DEFAULTS, measureRun, type RunMeasurement } from "../src/lessons/explain";
import { imageAt } from "../src/data/types";
import { gradCam } from "../src/explain/gradCam";
import { saliencyMap } from "../src/explain/saliency";
import { cascadingRandomization, rankCorrelation } from "../src/explain/sanity";
import { buildCnn } from "../src/models/cnn";
import { Trainer } from "../src/train/trainer";

/** Validation images the sanity check is averaged over, per seed. */
const SANITY_IMAGES = 20;

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const seeds = Array.from({ length: Number(option("seeds", "5")) }, (_, i) => i + 1);
const epochs = Number(option("epochs", String(EXPLAIN_DEFAULTS.epochs)));
const out = option("out", join("data", "records", "explain.json"));

const backend = await setupBackend();
const started = Date.now();
const clean = makeNoduleDataset({ seed: EXPLAIN_DEFAULTS.dataSeed });

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: number[]) => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));
const round = (x: number) => +x.toFixed(4);
const summarise = (xs: number[]) => ({
  mean: round(mean(xs)),
  sd: round(sd(xs)),
  min: round(Math.min(...xs)),
  max: round(Math.max(...xs)),
});

/**
 * The page's sanity check on a clean model (seeded, the page's defaults): for each validation
 * image, the rank correlation of saliency and of Grad-CAM (last conv layer) with the trained
 * network's map, after 1, 2, … weighted layers are randomised from the top. Mean over the images.
 */
async function sanityCorrelations(seed: number): Promise<{ randomized: number; saliency: number; gradCam: number }[]> {
  const d = EXPLAIN_DEFAULTS,
    shape = clean.imageShape;
  const model = buildCnn({
    inputShape: shape,
    outputs: clean.classNames.length,
    filters: d.filters,
    kernelSize: d.kernelSize,
    depth: d.depth,
    dropout: d.dropout,
    seed,
  });
  const trainer = new Trainer(model, clean, { batchSize: d.batchSize, epochs, learningRate: d.learningRate, seed });
  await trainer.start();
  const sums: { randomized: number; saliency: number[]; gradCam: number[] }[] = [];
  for (let i = 0; i < Math.min(SANITY_IMAGES, clean.val.count); i++) {
    const image = imageAt(clean.val, shape, i);
    const c = saliencyMap(model, image, shape).classIndex;
    const steps = cascadingRandomization(
      model,
      () => ({
        saliency: saliencyMap(model, image, shape, { classIndex: c }).map,
        gradCam: gradCam(model, image, shape, { classIndex: c }).map,
      }),
      { seed: 1 },
    ); // the page's seed
    steps.slice(1).forEach((step, j) => {
      sums[j] ??= { randomized: step.randomized.length, saliency: [], gradCam: [] };
      sums[j].saliency.push(rankCorrelation(steps[0].result.saliency, step.result.saliency));
      sums[j].gradCam.push(rankCorrelation(steps[0].result.gradCam, step.result.gradCam));
    });
  }
  await trainer.dispose();
  return sums.map((s) => ({ randomized: s.randomized, saliency: mean(s.saliency), gradCam: mean(s.gradCam) }));
}

/** The sanity check over the seeds, as the record holds it: one line per cascade step. */
async function sanityRecord() {
  const perSeed: Awaited<ReturnType<typeof sanityCorrelations>>[] = [];
  for (const seed of seeds) {
    perSeed.push(await sanityCorrelations(seed));
    const last = perSeed.at(-1)!.at(-1)!;
    console.log(
      `  sanity seed ${seed}: all ${last.randomized} layers random → rank corr. saliency ${last.saliency.toFixed(2)}, Grad-CAM ${last.gradCam.toFixed(2)} · ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
  }
  return {
    images: SANITY_IMAGES,
    steps: perSeed[0].map((step, j) => ({
      randomized: step.randomized,
      saliency: summarise(perSeed.map((s) => s[j].saliency)),
      gradCam: summarise(perSeed.map((s) => s[j].gradCam)),
    })),
  };
}

if (option("only", "all") === "sanity") {
  const existing = JSON.parse(readFileSync(out, "utf8"));
  existing.sanity = await sanityRecord();
  writeFileSync(out, JSON.stringify(existing, null, 1) + "\n");
  console.log(`added the sanity check to ${out}`);
  process.exit(0);
}

console.log(`record:explain on ${backend.name}: seeds ${seeds.join(", ")}, ${epochs} epochs`);
const runs: (RunMeasurement & { seed: number; condition: "clean" | "shortcut" })[] = [];
for (const seed of seeds) {
  for (const condition of ["clean", "shortcut"] as const) {
    const t0 = Date.now();
    const data = plantShortcut(clean, { seed }); // the tag region and probe are the same for both conditions
    const run = await measureRun(condition === "clean" ? clean : data, data.shortcut, {
      seed,
      epochs,
      calibration: condition === "clean",
    });
    runs.push({ seed, condition, ...run });
    console.log(
      `  seed ${seed} ${condition.padEnd(8)} train ${(100 * run.trainAccuracy).toFixed(1)}% val ${(100 * run.valAccuracy).toFixed(1)}% ` +
        `gap ${(100 * run.gap).toFixed(1)} pts · on the tag: Grad-CAM ${(100 * run.tag.gradCam).toFixed(1)}%, HiResCAM ${(100 * run.tag.hiResCam).toFixed(1)}%, saliency ${(100 * run.tag.saliency).toFixed(1)}% (area ${(100 * run.tag.area).toFixed(1)}%) · ${((Date.now() - t0) / 1000).toFixed(0)} s`,
    );
  }
}

const of = (condition: string) => runs.filter((r) => r.condition === condition);
const summary = Object.fromEntries(
  ["clean", "shortcut"].map((c) => [
    c,
    {
      trainAccuracy: summarise(of(c).map((r) => r.trainAccuracy)),
      valAccuracy: summarise(of(c).map((r) => r.valAccuracy)),
      gap: summarise(of(c).map((r) => r.gap)),
      gradCamOnTag: summarise(of(c).map((r) => r.tag.gradCam)),
      hiResCamOnTag: summarise(of(c).map((r) => r.tag.hiResCam)),
      saliencyOnTag: summarise(of(c).map((r) => r.tag.saliency)),
    },
  ]),
);
const calibrated = of("clean").map((r) => r.calibration!);
const record = {
  name: "explain",
  script: "scripts/record-explain.ts",
  settings: {
    ...EXPLAIN_DEFAULTS,
    epochs,
    seeds,
    dataset: clean.id,
    shortcut: { fraction: 0.9, taggedClass: clean.classNames[1], validation: "absent" },
  },
  backend: backend.name,
  seconds: Math.round((Date.now() - started) / 1000),
  tagArea: round(runs[0].tag.area),
  summary,
  calibration: {
    eceBefore: summarise(calibrated.map((c) => c.eceBefore)),
    eceAfter: summarise(calibrated.map((c) => c.eceAfter)),
    temperature: summarise(calibrated.map((c) => c.temperature)),
    referAt: calibrated[0].referAt,
    accuracyKeptMcDropout: summarise(calibrated.map((c) => c.keptAccuracyMc)),
    accuracyKeptSoftmax: summarise(calibrated.map((c) => c.keptAccuracySoftmax)),
  },
  runs: runs.map((r) => JSON.parse(JSON.stringify(r, (_, v) => (typeof v === "number" ? round(v) : v)))),
  sanity: await sanityRecord(),
};
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(record, null, 1) + "\n");
console.log(
  `shortcut: gap ${(100 * summary.shortcut.gap.mean).toFixed(1)} ± ${(100 * summary.shortcut.gap.sd).toFixed(1)} pts (clean ${(100 * summary.clean.gap.mean).toFixed(1)}); ` +
    `on the tag (shortcut vs clean): Grad-CAM ${(100 * summary.shortcut.gradCamOnTag.mean).toFixed(1)}% vs ${(100 * summary.clean.gradCamOnTag.mean).toFixed(1)}%, ` +
    `HiResCAM ${(100 * summary.shortcut.hiResCamOnTag.mean).toFixed(1)}% vs ${(100 * summary.clean.hiResCamOnTag.mean).toFixed(1)}%, ` +
    `saliency ${(100 * summary.shortcut.saliencyOnTag.mean).toFixed(1)}% vs ${(100 * summary.clean.saliencyOnTag.mean).toFixed(1)}% (area ${(100 * record.tagArea).toFixed(1)}%)`,
);
console.log(`wrote ${out} · ${record.seconds} s`);
