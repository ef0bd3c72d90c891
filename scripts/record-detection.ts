// `npm run record:detection`: does hard-negative mining raise sensitivity at low false-positive
// rates on the detection lesson's defaults? Trains the page's two runs (random negatives only, and
// with hard-negative mining) from the same seed, for several seeds, in node (wasm backend with the
// kit's kernels), and writes data/records/detection.json, which the page quotes.
//
//   npm run record:detection                 # seeds 1–5, the page's defaults
//   options: --seeds N --rounds N --out FILE
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { setupBackend } from "../src/backend/setup";
import { CHEST_SLICE_DEFAULTS, makeChestSlices } from "../src/data/chestSlices";
import { runDetectionComparison, summarizeDetectionRecord, DETECTION_LESSON_DEFAULTS } from "../src/lessons/detection";

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const seeds = Array.from({ length: Number(option("seeds", "5")) }, (_, i) => i + 1);
const rounds = Number(option("rounds", String(DETECTION_LESSON_DEFAULTS.rounds)));
const out = option("out", join("data", "records", "detection.json"));

const backend = await setupBackend();
const data = makeChestSlices();
console.log(
  `detection record on ${backend.name}: seeds ${seeds.join(", ")}; ${rounds} rounds; ${data.train.count} training and ${data.val.count} validation slices`,
);
const runs = [];
for (const seed of seeds) {
  const started = Date.now();
  const run = await runDetectionComparison(data, { ...DETECTION_LESSON_DEFAULTS, rounds, seed });
  runs.push(run);
  const fmt = (r: typeof run.plain) =>
    `CPM ${r.cpm.toFixed(3)}, sensitivity at ≤1 FP/slice ${r.lowFpSensitivity.toFixed(3)}`;
  console.log(
    `  seed ${seed}: random negatives ${fmt(run.plain)} | with mining ${fmt(run.mining)} (${((Date.now() - started) / 1000).toFixed(0)} s)`,
  );
}
const record = summarizeDetectionRecord(runs, {
  backend: backend.name,
  settings: { ...DETECTION_LESSON_DEFAULTS, rounds, dataSeed: CHEST_SLICE_DEFAULTS.seed, seeds },
});
console.log(JSON.stringify(record.summary, null, 2));
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(record, null, 1)}\n`);
console.log(`wrote ${out}`);
