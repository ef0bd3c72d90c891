/**
 * What the CNN lesson quotes from its records (data/records/cnn-nodules.json and
 * cnn-medmnist.json, written by `npm run record -- --only cnn-nodules` / `cnn-medmnist`).
 * The page and the "what to expect" note call these on the records, so quotes and records cannot
 * drift; tests/records/cnn.test.ts checks the claims the prose makes about them.
 */

interface Stats {
  mean: number;
  sd: number;
  min: number;
  max: number;
  values: number[];
}

export interface CnnSettings {
  filters: number;
  kernelSize: number;
  depth: number;
  dropout: number;
  batchSize: number;
  epochs: number;
  learningRate: number;
  flip: boolean;
  rotate: boolean;
}

export interface NodulesRecord {
  settings: CnnSettings;
  seeds: number[];
  defaults: { seed: number; epochs: { epoch: number; step: number; accuracy: number; auc: number }[] }[];
  learningRateEpochs: number;
  chanceLoss: number;
  learningRates: {
    learningRate: number;
    seed: number;
    diverged: boolean;
    accuracy: number | null;
    auc: number | null;
    trainLoss: number;
  }[];
}

export interface MedmnistRun {
  label: string;
  settings: CnnSettings;
  valAuc: Stats;
  testAuc: Stats;
  testAccuracy: Stats;
}
export interface MedmnistRecord {
  seeds: number[];
  datasets: Record<string, { published: { acc: number; auc: number }; runs: MedmnistRun[]; recommended: string }>;
}

/** First epoch at which a run reaches a validation metric, or null. */
function firstEpoch(
  epochs: NodulesRecord["defaults"][number]["epochs"],
  metric: "accuracy" | "auc",
  level: number,
): number | null {
  return epochs.find((e) => e[metric] >= level)?.epoch ?? null;
}

/** The default run on the synthetic nodules, over seeds: when it passes 85% accuracy and 0.95 AUC, and where it ends. */
export function noduleDefaults(record: NodulesRecord | null | undefined) {
  if (!record?.defaults?.length) return null;
  const runs = record.defaults;
  return {
    seeds: runs.map((r) => r.seed),
    epochs: record.settings.epochs,
    firstAccuracy: runs.map((r) => r.epochs[0].accuracy),
    passAccuracy: runs.map((r) => firstEpoch(r.epochs, "accuracy", 0.85)),
    passAuc: runs.map((r) => firstEpoch(r.epochs, "auc", 0.95)),
    finalAccuracy: runs.map((r) => r.epochs.at(-1)!.accuracy),
    finalAuc: runs.map((r) => r.epochs.at(-1)!.auc),
  };
}

export type LearningRateOutcome = "learns" | "stalls" | "diverges";

/**
 * What each recorded learning rate did: "diverges" (training stopped on a diverging loss), "stalls"
 * (still at chance after the short run: validation accuracy ≤ 0.6 and the training loss within 0.05
 * of chance, ln 2: the dead-ReLU freeze), or "learns".
 */
export function learningRateOutcomes(record: NodulesRecord | null | undefined) {
  if (!record?.learningRates?.length) return null;
  const rates = [...new Set(record.learningRates.map((r) => r.learningRate))];
  return rates.map((learningRate) => {
    const runs = record.learningRates.filter((r) => r.learningRate === learningRate);
    const outcome = (r: NodulesRecord["learningRates"][number]): LearningRateOutcome =>
      r.diverged
        ? "diverges"
        : (r.accuracy ?? 0) <= 0.6 && Math.abs(r.trainLoss - record.chanceLoss) < 0.05
          ? "stalls"
          : "learns";
    const outcomes = runs.map(outcome);
    const count = (o: LearningRateOutcome) => outcomes.filter((x) => x === o).length;
    return {
      learningRate,
      runs: runs.length,
      learns: count("learns"),
      stalls: count("stalls"),
      diverges: count("diverges"),
      accuracy: runs.map((r) => r.accuracy),
    };
  });
}

/** "0.02 stalls in 2 of 3 seeds"-style words for the learning-rate record. */
export function learningRateSummary(record: NodulesRecord | null | undefined): string | null {
  const rows = learningRateOutcomes(record);
  if (!rows) return null;
  const part = (o: "learns" | "stalls" | "diverges", verb: string) => {
    const hit = rows.filter((r) => r[o] > 0);
    return hit.length
      ? `${verb} at ${hit.map((r) => `${r.learningRate}${r[o] < r.runs ? ` (${r[o]} of ${r.runs} seeds)` : ""}`).join(", ")}`
      : null;
  };
  return [
    part("learns", "it learned"),
    part("stalls", "it stalled at chance (the loss frozen near ln 2 ≈ 0.69: every ReLU stuck at zero)"),
    part("diverges", "it diverged and stopped with a message"),
  ]
    .filter(Boolean)
    .join("; ");
}

/** The recorded settings the page offers for a MedMNIST file (chosen by validation AUC), or null. */
export function medmnistRecommendation(record: MedmnistRecord | null | undefined, id: string) {
  const entry = record?.datasets?.[id];
  if (!entry) return null;
  const run = entry.runs.find((r) => r.label === entry.recommended) ?? entry.runs[0];
  const defaults = entry.runs[0]; // the first candidate is always the page's own defaults
  // The page's model trained longer (same filters, augmentation and learning rate, more epochs), if recorded.
  const same = (a: CnnSettings, b: CnnSettings) =>
    a.filters === b.filters &&
    a.flip === b.flip &&
    a.rotate === b.rotate &&
    a.learningRate === b.learningRate &&
    a.dropout === b.dropout;
  const longer =
    entry.runs.find((r) => same(r.settings, defaults.settings) && r.settings.epochs > defaults.settings.epochs) ?? null;
  return {
    ...run,
    published: entry.published,
    seeds: record!.seeds,
    candidates: entry.runs.length,
    defaults,
    longer,
    matchesPublished: run.testAuc.mean >= entry.published.auc - 0.0005,
  };
}

/** Mean ± sd as text. */
export function meanSd(s: Stats, digits = 3): string {
  return `${s.mean.toFixed(digits)} ± ${s.sd.toFixed(digits)}`;
}
