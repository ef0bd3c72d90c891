// `npm run sweep`: the transfer lesson's sweep in node (wasm backend with the kit's kernels), with
// the shipped source weights and the page's default settings. It writes
// data/pretrained/shapes/sweep.json, which the page shows until the learner runs a sweep.
//
//   npm run sweep                  # the defaults: N = 10…all, seeds 1–5
//   options: --seeds N --rounds N --out FILE
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setupBackend } from "../src/backend/setup";
import { makeLesionDataset } from "../src/data/lesions";
import { modelFromFiles } from "../src/models/weights";
import { runSweep, summarizeSweep, TRANSFER_DEFAULTS } from "../src/train/sweep";
import { targetSizes } from "../src/lessons/transfer";

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const dir = join("data", "pretrained", "shapes");
const seeds = Array.from({ length: Number(option("seeds", "5")) }, (_, i) => i + 1);
const rounds = Number(option("rounds", String(TRANSFER_DEFAULTS.rounds)));
const out = option("out", join(dir, "sweep.json"));

const backend = await setupBackend();
const bytes = readFileSync(join(dir, "weights.bin"));
const source = await modelFromFiles({
  modelJson: JSON.parse(readFileSync(join(dir, "model.json"), "utf8")),
  weights: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
});
const target = makeLesionDataset();
const sizes = targetSizes(target);
const strategies = ["scratch", "frozen", "finetune"] as const;
console.log(`sweep on ${backend.name}: N = ${sizes.join(", ")}; seeds ${seeds.join(", ")}; ${rounds} rounds`);
const started = Date.now();
const points = await runSweep(source, target, {
  sizes,
  seeds,
  strategies: [...strategies],
  rounds,
  onRun: (p, done, total) =>
    console.log(
      `  ${done}/${total} ${p.strategy.padEnd(8)} N=${String(p.n).padStart(3)} seed ${p.seed}: AUC ${p.auc.toFixed(3)} (${(p.curve.at(-1)!.ms / 1000).toFixed(1)} s)`,
    ),
});
const summary = summarizeSweep(points);
for (const s of summary)
  console.log(
    `${s.strategy.padEnd(8)} N=${String(s.n).padStart(3)}: ${s.mean.toFixed(3)} ± ${s.sd.toFixed(3)} [${s.min.toFixed(3)}, ${s.max.toFixed(3)}]`,
  );
const settings = { ...TRANSFER_DEFAULTS, rounds, sizes, seeds, target: target.id, source: "data/pretrained/shapes" };
// Curves are kept per round (AUC and training ms), rounded, so the file stays small.
const slim = points.map((p) => ({
  ...p,
  auc: +p.auc.toFixed(4),
  curve: p.curve.map((c) => ({ round: c.round, step: c.step, auc: +c.auc.toFixed(4), ms: Math.round(c.ms) })),
}));
writeFileSync(
  out,
  JSON.stringify({
    settings,
    backend: backend.name,
    seconds: Math.round((Date.now() - started) / 1000),
    summary,
    points: slim,
  }) + "\n",
);
console.log(`wrote ${out} · ${Math.round((Date.now() - started) / 1000)} s`);
