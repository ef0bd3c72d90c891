// `npm run record:explain`: the black-box lesson's measured numbers, written to
// data/records/explain.json, which the page quotes. For several seeds it trains the page's default
// CNN on the synthetic nodule patches twice: clean, and with the planted corner tag (absent from
// validation). It records the train–validation accuracy gap, the share of Grad-CAM and saliency on
// the tag (with the tag painted into validation images), and for the clean model the calibration
// (ECE before/after temperature scaling) and the referral accuracies by MC dropout and by softmax.
//
//   npm run record:explain                    # seeds 1–5, the page's defaults
//   options: --seeds N --epochs N --out FILE
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { setupBackend } from "../src/backend/setup";
import { makeNoduleDataset } from "../src/data/nodules";
import { plantShortcut } from "../src/data/shortcut";
import { EXPLAIN_DEFAULTS, measureRun, type RunMeasurement } from "../src/lessons/explain";

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

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: number[]) => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));
const round = (x: number) => +x.toFixed(4);
const summarise = (xs: number[]) => ({
  mean: round(mean(xs)),
  sd: round(sd(xs)),
  min: round(Math.min(...xs)),
  max: round(Math.max(...xs)),
});
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
