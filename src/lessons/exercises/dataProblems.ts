/**
 * "Try this" exercises for the data-problems lesson (lessons/data-problems.md). Every reveal quotes
 * data/records/data-problems.json (scripts/record-data-problems.ts); the answers are checked
 * against that record by tests/lessons/exercises-data-problems.test.ts.
 */
import type { Exercise } from "../../ui/exercise";
import { setPageControl, type SetControl } from "./pageControls";

/** One row of the imbalance summary: means over seeds for one positive fraction and remedy. */
export interface ImbalanceRow {
  fraction: number;
  remedy: string;
  baseline: number;
  accuracy: number;
  auc: number;
  balancedAccuracy: number;
  sensitivity: number;
  specificity: number;
}

/** The parts of data/records/data-problems.json the exercises read. */
export interface DataProblemsRecord {
  seeds: number[];
  imbalance: { settings: { fraction: number; fractions: number[]; epochs: number }; summary: ImbalanceRow[] };
  noise: {
    settings: { fraction: number; kind: string; epochs: number; trainCount: number };
    summary: {
      bestEpoch: number; bestAccuracy: number; finalAccuracy: number; finalTrainAccuracy: number;
      finalMemorised: number; bestMemorised: number; cleanFinalAccuracy: number;
    };
  };
  augment: { settings: { rounds: number; sizes: number[] }; gains: { n: number; plain: number; augmented: number; gain: number }[] };
}

export interface DataProblemsExercises {
  /** Section 3, class imbalance. */
  imbalance: Exercise[];
  /** Section 4, noisy labels. */
  noise: Exercise[];
  /** Section 5, few labels and augmentation. */
  fewLabels: Exercise[];
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const percent = (fraction: number) => `${Math.round(100 * fraction)}%`;
const f3 = (x: number) => x.toFixed(3);

/** The imbalance summary row for a positive fraction and remedy (throws when the record lacks it). */
export function imbalanceRow(record: DataProblemsRecord, fraction: number, remedy: string): ImbalanceRow {
  const row = record.imbalance.summary.find((s) => s.fraction === fraction && s.remedy === remedy);
  if (!row) throw new Error(`the data-problems record has no imbalance run at ${fraction} with remedy ${remedy}`);
  return row;
}

export function dataProblemsExercises(
  record: DataProblemsRecord,
  { setControl = setPageControl }: { setControl?: SetControl } = {},
): DataProblemsExercises {
  const seeds = record.seeds.length;
  const rarest = Math.min(...record.imbalance.settings.fractions);
  const usual = record.imbalance.settings.fraction;
  const rare = imbalanceRow(record, rarest, "none");
  const none = imbalanceRow(record, usual, "none"), weighted = imbalanceRow(record, usual, "weighted");
  const setPositives = (fraction: number) => () =>
    setControl("Positives in the training set (%)", Math.round(100 * fraction), { group: "Class imbalance" });
  const imbalance: Exercise[] = [
    {
      id: "data-problems-one-percent",
      change: `Slide “Positives in the training set” down to ${percent(rarest)} and train.`,
      question: "Without a remedy, how accurate is the network, and how many nodules does it find?",
      choices: [
        "Very accurate, and it finds almost no nodules",
        "Around 50%: it cannot learn from so few",
        "Very accurate, and it finds most nodules",
      ],
      answer: 0,
      reveal:
        `Accuracy ${pct(rare.accuracy)}, the same as always answering “no nodule” scores (${pct(rare.baseline)}), with a sensitivity of ${pct(rare.sensitivity)} and a balanced accuracy of ` +
        `${rare.balancedAccuracy.toFixed(2)} (means over ${seeds} seeds on the synthetic nodules). The loss is lowest when the network says “no nodule” to everything, so that is what it learns: ` +
        "accuracy rewards the majority class and says nothing about the findings.",
      apply: setPositives(rarest),
      applyLabel: `Set positives to ${percent(rarest)}`,
    },
    {
      id: "data-problems-weighting",
      change: `Back at ${percent(usual)} positives, compare the class-weighted run with the one without a remedy.`,
      question: "What does weighting the loss by class do to sensitivity and to accuracy?",
      choices: ["Raises both", "Raises sensitivity, lowers accuracy", "Lowers sensitivity, raises accuracy"],
      answer: 1,
      reveal:
        `Sensitivity rises from ${pct(none.sensitivity)} to ${pct(weighted.sensitivity)}; accuracy falls from ${pct(none.accuracy)} to ${pct(weighted.accuracy)} ` +
        `(specificity ${pct(none.specificity)} → ${pct(weighted.specificity)}). The weights make the few positives count as much, in total, as the many negatives, ` +
        "so the network starts saying “nodule” more often: it finds more, and raises more false alarms, which accuracy (counting mostly negatives) punishes.",
      apply: setPositives(usual),
      applyLabel: `Set positives to ${percent(usual)}`,
    },
  ];
  const n = record.noise.summary, ns = record.noise.settings;
  const noise: Exercise[] = [{
    id: "data-problems-memorise",
    change: `Flip ${percent(ns.fraction)} of the ${ns.trainCount} training labels (symmetric noise) and train all ${ns.epochs} epochs.`,
    question: "By the last epoch, what has the noisy network done with the flipped labels?",
    choices: [
      "Ignored them: it learned the pattern and calls flipped images by their true class",
      "Learned them by heart: it agrees with nearly every wrong label, and its validation accuracy has fallen back from its peak",
      `Nothing: its training accuracy stays near ${percent(1 - ns.fraction)}, the share of labels that are right`,
    ],
    answer: 1,
    reveal:
      `By heart. At the end it agrees with ${pct(n.finalTrainAccuracy)} of its noisy training labels and reproduces ${pct(n.finalMemorised)} of the flipped ones. ` +
      `Its clean validation accuracy peaked at ${pct(n.bestAccuracy)} around epoch ${n.bestEpoch.toFixed(0)}, when it reproduced only ${pct(n.bestMemorised)} of them, and ended at ${pct(n.finalAccuracy)}; ` +
      `the clean-label network ended at ${pct(n.cleanFinalAccuracy)} (means over ${seeds} seeds). A network learns the pattern most labels agree on first, then memorises the exceptions: ` +
      "early stopping on a clean validation set keeps the weights from before, but it cannot give back what the noise took.",
    apply: () => {
      setControl("Noise", "symmetric", { group: "Noisy labels" });
      setControl("Training labels flipped (%)", Math.round(100 * ns.fraction), { group: "Noisy labels" });
    },
    applyLabel: `Flip ${percent(ns.fraction)}, symmetric`,
  }];
  const gains = record.augment.gains;
  const fewest = gains[0], most = gains[gains.length - 1];
  const setN = (size: number) => () => setControl("Training images (N)", size, { group: "Few labels" });
  const fewLabels: Exercise[] = [
    {
      id: "data-problems-augment-few",
      change: `Set N to ${fewest.n} and train the pair, with and without augmentation.`,
      question: `With only ${fewest.n} labelled images, what does augmentation do to the validation AUC?`,
      choices: [
        `Nothing: ${fewest.n} images stay ${fewest.n} images, however you turn them`,
        "Raises it clearly",
        "Lowers it: the network learns the distortions",
      ],
      answer: 1,
      reveal:
        `It raises it from ${f3(fewest.plain)} to ${f3(fewest.augmented)} after ${record.augment.settings.rounds} rounds (means over ${seeds} seeds). Without augmentation the network ` +
        "sees the same few images over and over and learns them by heart; every augmented copy is a new, label-preserving view of the same nodule, which is close to new data.",
      apply: setN(fewest.n),
      applyLabel: `Set N to ${fewest.n}`,
    },
    {
      id: "data-problems-augment-all",
      change: `Now set N to all ${most.n} training images.`,
      question: "Does augmentation still help as much?",
      choices: ["Yes, as much as with few images", "Hardly: the gain shrinks to almost nothing", "It now hurts a lot"],
      answer: 1,
      reveal:
        `Hardly: ${f3(most.plain)} without and ${f3(most.augmented)} with augmentation, a gain of ${f3(most.gain)}, against ${f3(fewest.gain)} at N = ${fewest.n}. ` +
        "With plenty of real images the network already sees much of the variety augmentation imitates, and its AUC is already close to the ceiling of 1, " +
        "so there is little left to gain. Augmentation is the cheapest data there is when data is scarce.",
      apply: setN(most.n),
      applyLabel: `Set N to ${most.n}`,
    },
  ];
  return { imbalance, noise, fewLabels };
}
