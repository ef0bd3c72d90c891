/**
 * What the U-Net lesson quotes from its records (data/records/unet-nuclei.json and
 * unet-bbbc039.json, written by `npm run record -- --only unet-nuclei` / `unet-bbbc039`).
 * The page calls these on the records, so quotes and records cannot drift;
 * tests/records/unet.test.ts checks the claims the prose makes about them.
 */

interface EpochScores {
  epoch: number;
  step: number;
  dice: number;
  iou: number;
  boundaryDice: number;
}
interface Run {
  state: string;
  epochs: EpochScores[];
}
interface SkipsRun {
  seed: number;
  withSkips: Run;
  withoutSkips: Run;
}
interface Scores {
  dice: number;
  iou: number;
  boundaryDice: number;
}
export interface UnetRecord {
  settings: { depth: number; baseFilters: number; size: number; epochs: number; batchSize: number };
  seeds: number[];
  baselines: { globalThreshold: Scores & { threshold: number }; otsu: Scores };
  depth3: SkipsRun[];
  depth4Settings?: { depth: number };
  depth4?: SkipsRun[];
  resizeCost?: { ratio: number; msPerStep: { transpose: number; resize: number } };
}

const last = (run: Run) => run.epochs.at(-1)!;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** The first validation (its step) at which a run's Dice is above both threshold baselines, or null. */
export function stepPassingBaselines(run: Run, baselines: UnetRecord["baselines"]): number | null {
  const bar = Math.max(baselines.globalThreshold.dice, baselines.otsu.dice);
  return run.epochs.find((e) => e.dice > bar)?.step ?? null;
}

/** One experiment (depth 3 or 4) summed up over its seeds. */
function skipsSummary(runs: SkipsRun[], baselines: UnetRecord["baselines"]) {
  const end = (key: "withSkips" | "withoutSkips", metric: keyof Scores) => runs.map((r) => last(r[key])[metric]);
  const passing = runs.map((r) => stepPassingBaselines(r.withSkips, baselines));
  const passingWithout = runs.map((r) => stepPassingBaselines(r.withoutSkips, baselines));
  return {
    seeds: runs.map((r) => r.seed),
    steps: last(runs[0].withSkips).step,
    /** Validation checks come once per epoch: a crossing is known to within this many steps. */
    stepsPerCheck: runs[0].withSkips.epochs[0].step,
    passing,
    passingWithout,
    dice: { withSkips: end("withSkips", "dice"), withoutSkips: end("withoutSkips", "dice") },
    boundaryDice: { withSkips: end("withSkips", "boundaryDice"), withoutSkips: end("withoutSkips", "boundaryDice") },
    /** Mean over seeds of (with − without) at the end, for Dice and boundary Dice. */
    gap: mean(runs.map((r) => last(r.withSkips).dice - last(r.withoutSkips).dice)),
    boundaryGap: mean(runs.map((r) => last(r.withSkips).boundaryDice - last(r.withoutSkips).boundaryDice)),
  };
}

/** The numbers the U-Net lesson quotes about the built-in nuclei, or null without a record. */
export function unetFacts(record: UnetRecord | null | undefined) {
  if (!record?.depth3?.length) return null;
  const { baselines, settings } = record;
  return {
    settings,
    baselines,
    depth3: skipsSummary(record.depth3, baselines),
    depth4: record.depth4?.length
      ? { depth: record.depth4Settings?.depth ?? 4, ...skipsSummary(record.depth4, baselines) }
      : null,
    resizeCost: record.resizeCost ?? null,
  };
}

export interface Bbbc039Record {
  skipped?: string;
  baselines?: UnetRecord["baselines"];
  depth3?: SkipsRun[];
  settings?: UnetRecord["settings"];
}

/** The numbers the U-Net lesson quotes about real BBBC039 tiles, or null without a record. */
export function bbbc039Facts(record: Bbbc039Record | null | undefined) {
  if (!record?.baselines || !record.depth3?.length) return null;
  const run = record.depth3[0];
  return {
    settings: record.settings!,
    threshold: record.baselines.globalThreshold.dice,
    otsu: record.baselines.otsu.dice,
    withSkips: last(run.withSkips).dice,
    withoutSkips: last(run.withoutSkips).dice,
    steps: last(run.withSkips).step,
  };
}

/** A list of numbers as words: "0.81 and 0.84", or "0.81, 0.83 and 0.84". */
export function listOf(values: (number | null)[], digits = 2): string {
  const words = values.map((v) => (v === null ? "never" : Number.isInteger(v) ? String(v) : v.toFixed(digits)));
  return words.length < 2 ? words.join("") : `${words.slice(0, -1).join(", ")} and ${words.at(-1)}`;
}
