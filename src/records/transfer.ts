/**
 * What the transfer lesson quotes from its records: the sweep recorded with the shipped source
 * (data/pretrained/shapes/sweep.json, `npm run sweep`) and the real-data run PneumoniaMNIST →
 * BreastMNIST (data/records/transfer-real.json, `npm run record -- --only transfer-real`).
 * The page calls these on the records, so quotes and records cannot drift;
 * tests/records/transfer.test.ts checks the claims the prose makes about them.
 */
import type { Strategy } from "../models/transfer";
import { ROUND_IMAGES } from "../train/sweep";

/**
 * Training steps in one round at N images: the N images are repeated until there are at least
 * ROUND_IMAGES of them, and a round is one pass in batches (the last, partial batch dropped).
 * So N = 10 and 25 give 8 steps a round, 50 and 100 give 9, 200 gives 12, 600 gives 18.
 */
export function stepsPerRound(n: number, batchSize = 32): number {
  const images = n * Math.max(1, Math.ceil(ROUND_IMAGES / n));
  return Math.floor(images / Math.min(batchSize, images));
}

interface SweepRecordPoint {
  strategy: Strategy;
  n: number;
  seed: number;
  auc: number;
  curve: { step: number; ms: number }[];
}
export interface SweepRecord {
  settings: { rounds: number; seeds: number[]; sizes: number[]; finetuneFactor: number; learningRate: number };
  summary: { strategy: Strategy; n: number; runs: number; mean: number; sd: number; min: number; max: number }[];
  points: SweepRecordPoint[];
}

/** One row per N: each strategy's mean ± sd, and which strategy has the best mean. */
export function sweepTable(record: SweepRecord, strategies: Strategy[] = ["scratch", "frozen", "finetune"]) {
  return record.settings.sizes.map((n) => {
    const cells = strategies.map((strategy) => record.summary.find((s) => s.n === n && s.strategy === strategy)!);
    const best = cells.reduce((a, b) => (b.mean > a.mean ? b : a)).strategy;
    return { n, cells, best };
  });
}

/** The AUC of one recorded run (strategy, N, seed). */
export function sweepRun(record: SweepRecord, strategy: Strategy, n: number, seed: number): number {
  return record.points.find((p) => p.strategy === strategy && p.n === n && p.seed === seed)!.auc;
}

/**
 * Whether every run of `winner` beat every run of `loser` at N (ranges that do not overlap).
 * With three seeds each, two equally good strategies would do this by chance in 1 case in 20
 * (3!·3!/6!): some evidence, not proof. Overlapping ranges show nothing either way.
 */
export function separated(record: SweepRecord, winner: Strategy, loser: Strategy, n: number): boolean {
  const runs = (s: Strategy) => record.points.filter((p) => p.strategy === s && p.n === n).map((p) => p.auc);
  return Math.min(...runs(winner)) > Math.max(...runs(loser));
}

/** Chance that all k runs of one strategy land above all k of another when both are equally good. */
export function chanceAllAbove(k: number): number {
  let p = 1;
  for (let i = 1; i <= k; i++) p *= i / (k + i); // k!·k!/(2k)!
  return p;
}

/** Every (winner, loser, N) whose recorded ranges do not overlap. */
export function separations(record: SweepRecord, strategies: Strategy[] = ["scratch", "frozen", "finetune"]) {
  return record.settings.sizes.flatMap((n) =>
    strategies.flatMap((winner) =>
      strategies
        .filter((loser) => loser !== winner && separated(record, winner, loser, n))
        .map((loser) => ({ n, winner, loser })),
    ),
  );
}

/** Training milliseconds per step of a strategy, over all its recorded runs. */
export function msPerStep(record: SweepRecord, strategy: Strategy): number {
  const runs = record.points.filter((p) => p.strategy === strategy);
  const ms = runs.reduce((a, p) => a + p.curve.at(-1)!.ms, 0);
  const steps = runs.reduce((a, p) => a + p.curve.at(-1)!.step, 0);
  return ms / steps;
}

interface Stats {
  mean: number;
  sd: number;
  min: number;
  max: number;
}
export interface RealTransferRecord {
  settings: { rounds: number; learningRate: number; finetuneFactor: number; sourceEpochs: number; sizes: number[] };
  seeds: number[];
  summary: { n: number; strategy: Strategy; valAuc: Stats; testAuc: Stats }[];
}

/** The real-data summary at one N: each strategy's test AUC (mean, sd, range over seeds). */
export function realTransferAt(record: RealTransferRecord, n: number) {
  const at = (strategy: Strategy) => record.summary.find((s) => s.n === n && s.strategy === strategy)!.testAuc;
  return { scratch: at("scratch"), frozen: at("frozen"), finetune: at("finetune") };
}

export type Verdict = "above" | "below" | "overlap";

/**
 * For the real-data record: at each N, whether every run of frozen features (and of fine-tuning)
 * scored above every scratch run on the test set, below every one, or overlapped.
 */
export function realTransferVerdicts(
  record: RealTransferRecord & { points: { strategy: Strategy; n: number; testAuc: number }[] },
) {
  const runs = (s: Strategy, n: number) =>
    record.points.filter((p) => p.strategy === s && p.n === n).map((p) => p.testAuc);
  const verdict = (s: Strategy, n: number): Verdict => {
    const a = runs(s, n),
      b = runs("scratch", n);
    return Math.min(...a) > Math.max(...b) ? "above" : Math.max(...a) < Math.min(...b) ? "below" : "overlap";
  };
  return record.settings.sizes.map((n) => ({ n, frozen: verdict("frozen", n), finetune: verdict("finetune", n) }));
}

/** Words for one verdict. */
export function verdictWords(v: Verdict): string {
  return v === "above"
    ? "above scratch in every seed"
    : v === "below"
      ? "below scratch in every seed"
      : "within the seeds' spread of scratch";
}
