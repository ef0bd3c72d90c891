// `npm run record:data-problems`: measures, over several seeds, the three effects the data-problems
// lesson claims, with the page's default settings and the CNN lesson's synthetic nodule data, and
// writes data/records/data-problems.json, which the page quotes (and shows as the recorded sweep).
//
//   1. the accuracy paradox: accuracy, AUC, balanced accuracy and sensitivity at 50%, 5% and 1%
//      positives, for each remedy;
//   2. memorisation of noisy labels: training accuracy on the noisy labels, validation accuracy on
//      clean ones, and where early stopping would stop;
//   3. the gain from augmentation at small N: validation AUC against N, with and without.
//
//   options: --seeds N (3)   --only imbalance|noise|augment   --out FILE
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setupBackend } from "../src/backend/setup";
import { makeNoduleDataset } from "../src/data/nodules";
import { majorityBaseline } from "../src/metrics/classification";
import {
  AUGMENT_STRENGTHS,
  augmentOptions,
  earlyStoppingEpoch,
  FEW_LABELS_DEFAULTS,
  fewLabelSizes,
  IMBALANCE_DEFAULTS,
  imbalanceExperiment,
  NETWORK_DEFAULTS,
  NOISE_DEFAULTS,
  noiseExperiment,
  REMEDIES,
  runAugmentSweep,
} from "../src/train/dataProblems";
import { summarizeSweep } from "../src/train/sweep";

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const seeds = Array.from({ length: Number(option("seeds", "3")) }, (_, i) => i + 1);
const only = option("only", "all");
const out = option("out", join("data", "records", "data-problems.json"));
const round = (v: number) => (Number.isFinite(v) ? +v.toFixed(4) : null);
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const sd = (values: number[]) => {
  const m = mean(values);
  return values.length > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - m) ** 2, 0) / (values.length - 1)) : 0;
};
/** Mean and sd of every numeric field over the rows, rounded. */
function average<T extends Record<string, number>>(rows: T[], keys: (keyof T)[]) {
  return Object.fromEntries(
    keys.flatMap((k) => {
      const values = rows.map((r) => r[k]).filter(Number.isFinite);
      return [
        [k, round(mean(values))],
        [`${String(k)}Sd`, round(sd(values))],
      ];
    }),
  );
}

const backend = await setupBackend();
const ds = makeNoduleDataset({ seed: 42 });
// Re-running one part keeps the others from the existing record.
const record: Record<string, unknown> = only !== "all" && existsSync(out) ? JSON.parse(readFileSync(out, "utf8")) : {};
record.backend = backend.name;
record.dataset = { id: ds.id, train: ds.train.count, val: ds.val.count, size: ds.imageShape[0] };
record.network = NETWORK_DEFAULTS;
record.seeds = seeds;
const started = Date.now();
const elapsed = () => `${Math.round((Date.now() - started) / 1000)} s`;

// ── 1 · The accuracy paradox, and the remedies ───────────────────────────────────────────────
if (only === "all" || only === "imbalance") {
  const fractions = [0.5, 0.05, 0.01];
  const runs: Record<string, number | string>[] = [];
  for (const fraction of fractions) {
    for (const seed of seeds) {
      const ex = imbalanceExperiment(ds, { fraction, seed });
      await ex.runs.start();
      ex.runs.trainers.forEach((t, i) => {
        const m = t.history.epochs.at(-1)!.metrics;
        runs.push({ fraction, seed, remedy: ex.remedies[i], prevalence: ex.prevalence, steps: t.stepsTaken, ...m });
      });
      await ex.runs.dispose();
      console.log(
        `imbalance ${fraction} seed ${seed}: ${ex.remedies.map((r, i) => `${r} acc ${runs.at(-4 + i)!.accuracy} sens ${runs.at(-4 + i)!.sensitivity}`).join(" · ")} (${elapsed()})`,
      );
    }
  }
  const keys = ["accuracy", "auc", "balancedAccuracy", "sensitivity", "specificity"];
  const summary = fractions.flatMap((fraction) =>
    REMEDIES.map((remedy) => {
      const rows = runs.filter((r) => r.fraction === fraction && r.remedy === remedy) as Record<string, number>[];
      return {
        fraction,
        remedy,
        runs: rows.length,
        baseline: round(majorityBaseline(mean(rows.map((r) => r.prevalence)))),
        ...average(rows, keys),
      };
    }),
  );
  record.imbalance = {
    settings: { ...IMBALANCE_DEFAULTS, fractions },
    summary,
    runs: runs.map((r) =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === "number" ? round(v) : v])),
    ),
  };
}

// ── 2 · Noisy labels: learn, then memorise ───────────────────────────────────────────────────
if (only === "all" || only === "noise") {
  const runs = [];
  for (const seed of seeds) {
    const ex = noiseExperiment(ds, { fraction: NOISE_DEFAULTS.fraction, seed });
    await ex.runs.start();
    const [clean, noisy] = ex.runs.trainers.map((t) => t.history.epochs);
    const best = earlyStoppingEpoch(noisy)!;
    const last = noisy.at(-1)!;
    const curve = noisy.map((e) => ({
      epoch: e.epoch,
      step: e.step,
      trainAccuracy: round(e.metrics.trainAccuracy),
      accuracy: round(e.metrics.accuracy),
      memorised: round(e.metrics.memorised),
    }));
    runs.push({
      seed,
      bestEpoch: best.epoch,
      bestAccuracy: best.metrics.accuracy,
      finalAccuracy: last.metrics.accuracy,
      drop: best.metrics.accuracy - last.metrics.accuracy,
      finalTrainAccuracy: last.metrics.trainAccuracy,
      finalMemorised: last.metrics.memorised,
      cleanFinalAccuracy: clean.at(-1)!.metrics.accuracy,
      bestMemorised: best.metrics.memorised,
      curve,
    });
    await ex.runs.dispose();
    const r = runs.at(-1)!;
    console.log(
      `noise seed ${seed}: best val ${r.bestAccuracy.toFixed(3)} @ epoch ${r.bestEpoch}, final ${r.finalAccuracy.toFixed(3)}, train on noisy ${r.finalTrainAccuracy.toFixed(3)}, memorised ${r.finalMemorised.toFixed(3)}, clean run ${r.cleanFinalAccuracy.toFixed(3)} (${elapsed()})`,
    );
  }
  const keys = [
    "bestEpoch",
    "bestAccuracy",
    "finalAccuracy",
    "drop",
    "finalTrainAccuracy",
    "finalMemorised",
    "bestMemorised",
    "cleanFinalAccuracy",
  ] as const;
  record.noise = {
    settings: NOISE_DEFAULTS,
    summary: { runs: runs.length, ...average(runs as unknown as Record<string, number>[], [...keys]) },
    runs: runs.map((r) => ({ ...Object.fromEntries(keys.map((k) => [k, round(r[k])])), seed: r.seed, curve: r.curve })),
  };
}

// ── 3 · Few labels: the gain from augmentation ───────────────────────────────────────────────
if (only === "all" || only === "augment") {
  const sizes = fewLabelSizes(ds);
  const augment = augmentOptions({ flipRotate: true, elastic: true, intensity: true });
  const points = await runAugmentSweep(ds, {
    sizes,
    seeds,
    augment,
    onRun: (p, done, total) =>
      console.log(
        `  ${done}/${total} ${p.strategy.padEnd(9)} N=${String(p.n).padStart(4)} seed ${p.seed}: AUC ${p.auc.toFixed(3)} (${elapsed()})`,
      ),
  });
  const summary = summarizeSweep(points).map((s) => ({
    ...s,
    mean: round(s.mean),
    sd: round(s.sd),
    min: round(s.min),
    max: round(s.max),
  }));
  const gains = sizes.map((n) => {
    const at = (arm: string) => summary.find((s) => s.n === n && s.strategy === arm)!.mean!;
    return { n, plain: at("plain"), augmented: at("augmented"), gain: round(at("augmented") - at("plain")) };
  });
  record.augment = {
    settings: { ...FEW_LABELS_DEFAULTS, sizes, augment: AUGMENT_STRENGTHS },
    summary,
    gains,
    points: points.map((p) => ({ ...p, auc: round(p.auc) })),
  };
}

record.seconds = Math.round((Date.now() - started) / 1000);
writeFileSync(out, JSON.stringify(record) + "\n");
console.log(`wrote ${out} · ${elapsed()}`);
