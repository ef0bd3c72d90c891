/**
 * "Try this" exercises for the detection lesson (lessons/detection.md). Every reveal quotes
 * data/records/detection.json (scripts/record-detection.ts); the answers are checked against that
 * record by tests/lessons/exercises-detection.test.ts.
 */
import { CPM_FP_RATES } from "../../metrics/detection";
import type { Exercise } from "../../ui/exercise";
import { roundMiningLeads, type DetectionRecord } from "../detection";
import { setPageControl, type SetControl } from "./pageControls";

/** The round count of the "stop early" exercise: before hard-negative mining has paid off. */
export const EARLY_ROUNDS = 3;

/** The score threshold the slice exercise suggests (the slice panel's own slider). */
export const LOW_THRESHOLD = 0.2;

export interface DetectionExercises {
  /** Section 4, FROC and pixel accuracy. */
  froc: Exercise[];
  /** Section 5, the slices with their marks. */
  slices: Exercise[];
  /** Section 7, learning curves. */
  curves: Exercise[];
}

const pct = (x: number) => `${(100 * x).toFixed(0)}%`;
/** Pixel accuracies sit close to 100%: one decimal keeps them apart. */
const pct1 = (x: number) => `${(100 * x).toFixed(1)}%`;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const fpLabel = (rate: number) => (rate < 1 ? `1/${Math.round(1 / rate)}` : String(rate));

/** Mean CPM over the record's seeds after `rounds` rounds, for one run. */
export function cpmAfter(record: DetectionRecord, run: "plain" | "mining", rounds: number): number {
  return mean(record.runs.map((r) => r[run].cpmByRound[rounds - 1]));
}

export function detectionExercises(
  record: DetectionRecord,
  { setControl = setPageControl }: { setControl?: SetControl } = {},
): DetectionExercises {
  const s = record.summary;
  const lowest = CPM_FP_RATES[0], highest = CPM_FP_RATES[CPM_FP_RATES.length - 1];
  const froc: Exercise[] = [
    {
      id: "detection-mining",
      change: "Keep “Hard-negative mining” ticked, so two runs train side by side, and train all the rounds.",
      question: "At a few false alarms per slice (1/8 to 1), which run finds more nodules?",
      choices: [
        "Random negatives: mining shows it only the hardest patches, so it learns less",
        "Hard-negative mining, by a wide margin",
        "Both about the same: they see the same number of patches",
      ],
      answer: 1,
      reveal:
        `Mining, on every seed the record holds (${s.miningBetterSeeds} of ${s.seeds}, on the built-in synthetic slices): ${pct(s.miningLowFp)} of the nodules found on average at 1/8 to 1 false alarm per slice, ` +
        `against ${pct(s.plainLowFp)} with random negatives (CPM ${s.miningCpm.toFixed(2)} against ${s.plainCpm.toFixed(2)}). ` +
        "Random negatives are mostly empty lung, which the detector already rejects; the mined ones are the vessel crossings it still mistakes for nodules, " +
        "exactly the false alarms that cost sensitivity at a low false-alarm rate.",
      apply: () => setControl("Hard-negative mining: train a second run with it, side by side", true),
      applyLabel: "Tick hard-negative mining",
    },
    {
      id: "detection-pixel-accuracy",
      change: "After training, read the pixel-accuracy table beside the FROC.",
      question: `The run with random negatives finds only about ${pct(s.plainLowFp)} of the nodules at a low false-alarm rate. What is its pixel accuracy?`,
      choices: ["About the same as its sensitivity", "Well above 90%", "About 50%: a coin toss per pixel"],
      answer: 1,
      reveal:
        `${pct1(s.plainPixelAccuracy)} (mean over ${s.seeds} seeds), and the mining run's is higher still (${pct1(mean(record.runs.map((r) => r.mining.pixelAccuracy)))}). ` +
        "Nodules cover a tiny fraction of a slice, so a heatmap that says “background” nearly everywhere is nearly always right. " +
        "Pixel accuracy cannot tell a detector that finds half the nodules from one that finds most: FROC can.",
    },
  ];
  const slices: Exercise[] = [{
    id: "detection-threshold",
    change: `Lower the score threshold of the marks (“…or those scoring at least”) to ${LOW_THRESHOLD}.`,
    question: "What happens to the hits, the misses and the false alarms on the slice?",
    choices: [
      "More nodules are found, and more false alarms come with them",
      "The same nodules are found; only false alarms are added",
      "Fewer nodules are found: low scores are noise",
    ],
    answer: 0,
    reveal:
      `More hits, and many more false alarms. Lowering the threshold walks along the FROC curve: with random negatives the detector finds ${pct(s.plainSensitivities[0])} of the nodules ` +
      `at ${fpLabel(lowest)} false alarm per slice and ${pct(s.plainSensitivities[s.plainSensitivities.length - 1])} at ${fpLabel(highest)} (with mining: ${pct(s.miningSensitivities[0])} and ` +
      `${pct(s.miningSensitivities[s.miningSensitivities.length - 1])}). There is no free threshold: every nodule gained is paid for in false alarms, and a screening tool has to choose its point on the curve.`,
    apply: () => setControl("…or those scoring at least", LOW_THRESHOLD),
    applyLabel: `Set the threshold to ${LOW_THRESHOLD}`,
  }];
  const early = { plain: cpmAfter(record, "plain", EARLY_ROUNDS), mining: cpmAfter(record, "mining", EARLY_ROUNDS) };
  const rounds = record.runs[0]?.plain.cpmByRound.length ?? 0;
  const last = { plain: cpmAfter(record, "plain", rounds), mining: cpmAfter(record, "mining", rounds) };
  const lead = roundMiningLeads(record);
  const curves: Exercise[] = [{
    id: "detection-early-rounds",
    change: `Set “Rounds” to ${EARLY_ROUNDS} and train both runs.`,
    question: `After ${EARLY_ROUNDS} rounds, which run has the higher validation CPM?`,
    choices: [
      "Hard-negative mining, already clearly ahead",
      "Random negatives, slightly: mining has not paid off yet",
      "Exactly level: both start from the same weights",
    ],
    answer: 1,
    reveal:
      `Averaged over the record's ${record.runs.length} seeds, the CPM after ${EARLY_ROUNDS} rounds is ${early.plain.toFixed(2)} with random negatives and ${early.mining.toFixed(2)} with mining; ` +
      `after all ${rounds}, ${last.plain.toFixed(2)} against ${last.mining.toFixed(2)}` +
      (lead ? `, with mining ahead from round ${lead} on. ` : ". ") +
      "In the first rounds there is little to mine: a young detector's surest false alarms are scattered over plain lung, so the mined patches teach little that random ones do not. " +
      "Once it rejects plain lung, its remaining mistakes are the look-alikes, and training on those is what lifts sensitivity.",
    apply: () => setControl("Rounds", EARLY_ROUNDS, { group: "Patches and rounds" }),
    applyLabel: `Set rounds to ${EARLY_ROUNDS}`,
  }];
  return { froc, slices, curves };
}
