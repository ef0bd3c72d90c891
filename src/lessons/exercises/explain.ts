/**
 * "Try this" exercises for the black-box lesson (lessons/explain.md). Every reveal quotes
 * data/records/explain.json (scripts/record-explain.ts); the answers are checked against that
 * record by tests/lessons/exercises-explain.test.ts.
 */
import type { Exercise } from "../../ui/exercise";
import type { ExplainRecord } from "../explain";
import { setPageControl, type SetControl } from "./pageControls";

/** The record as the script writes it, with the planted shortcut's settings. */
export type ExplainExerciseRecord = ExplainRecord & {
  settings: { mcPasses: number; shortcut: { fraction: number; taggedClass: string; validation: string } };
  /**
   * Section 5's sanity check on the clean models: the rank correlation of each map with the trained
   * network's, after `randomized` weighted layers are randomised from the top (mean over `images`).
   */
  sanity?: { images: number; steps: { randomized: number; saliency: Stat; gradCam: Stat }[] };
};

interface Stat { mean: number; sd: number; min: number; max: number }

export interface ExplainExercises {
  /** Section 3, training (with or without the shortcut). */
  training: Exercise[];
  /** Section 5, the sanity check. */
  sanity: Exercise[];
  /** Section 6, the shortcut caught by the maps. */
  shortcut: Exercise[];
  /** Section 7, uncertainty and calibration. */
  uncertainty: Exercise[];
}

const pct = (x: number) => `${(100 * x).toFixed(0)}%`;
const SHORTCUT_GROUP = { group: "Planted shortcut" };

export function explainExercises(
  record: ExplainExerciseRecord,
  { setControl = setPageControl }: { setControl?: SetControl } = {},
): ExplainExercises {
  const { clean, shortcut } = record.summary;
  const planted = record.settings.shortcut;
  const seeds = record.settings.seeds.length;
  const plant = () => setControl("Plant the shortcut", true, SHORTCUT_GROUP);
  const training: Exercise[] = [{
    id: "explain-shortcut-accuracy",
    change: `Tick “Plant the shortcut” in section 2 (a tag on ${pct(planted.fraction)} of the ${planted.taggedClass} training images, none in validation) and train.`,
    question: "Compared with clean data, what happens to the training and the validation accuracy?",
    choices: [
      "Both rise: the tag is one more clue",
      "Training accuracy rises; validation accuracy falls towards a coin toss",
      "Both fall: the tag is just noise",
    ],
    answer: 1,
    reveal:
      `Over ${seeds} seeds on the synthetic patches (${record.settings.epochs} epochs): training accuracy ${pct(shortcut.trainAccuracy.mean)} with the tag against ${pct(clean.trainAccuracy.mean)} on clean data, ` +
      `validation accuracy ${pct(shortcut.valAccuracy.mean)} against ${pct(clean.valAccuracy.mean)}. The bright corner is far easier to see than a faint nodule, ` +
      "so the network learns the tag. In validation (a new hospital, no tags) the cue it relies on is gone, and it is left guessing.",
    apply: plant,
    applyLabel: "Plant the shortcut",
  }];
  const sanity: Exercise[] = [];
  const top = record.sanity?.steps[0], all = record.sanity?.steps.at(-1);
  if (record.sanity && top && all && all !== top) {
    sanity.push({
      id: "explain-sanity-top",
      change: "Train, pick an image in section 4, and look at the sanity check's second column, where only the output layer has random weights (Grad-CAM at the last conv layer, the default).",
      question: "Which map still looks like the trained network's map?",
      choices: ["Saliency", "Grad-CAM", "Neither: both change completely"],
      answer: 0,
      reveal:
        `Saliency. Over ${seeds} seeds and ${record.sanity.images} validation images each, its rank correlation with the trained map is still ${top.saliency.mean.toFixed(2)} ` +
        `with the output layer random, while Grad-CAM's falls to ${top.gradCam.mean.toFixed(2)}. Grad-CAM weighs the maps by the output's gradient, so a random output scrambles it; ` +
        "saliency's gradient still runs through the trained convolutions and follows the image's edges and bright spots. " +
        `With all ${all.randomized} layers random both are gone (${all.saliency.mean.toFixed(2)} and ${all.gradCam.mean.toFixed(2)}): this small network passes the full test, ` +
        "but a map that outlives a destroyed output layer shows the image as much as the model's reasons.",
    });
  }
  const shortcutExercises: Exercise[] = [{
    id: "explain-which-map",
    change: "With the shortcut planted, set “In validation” to “the tag on the other class”, train, and click a no-nodule image with the tag in section 4.",
    question: "Which map puts the largest share of its weight on the tag?",
    choices: ["Saliency", "Grad-CAM at the last conv layer", "HiResCAM"],
    answer: 2,
    reveal:
      `HiResCAM: with the tag painted into validation images, the shortcut model puts ${pct(shortcut.hiResCamOnTag.mean)} of its HiResCAM on it, ${pct(shortcut.saliencyOnTag.mean)} of its saliency ` +
      `and ${pct(shortcut.gradCamOnTag.mean)} of its Grad-CAM (means over ${seeds} seeds; the tag covers ${pct(record.tagArea)} of the image). Grad-CAM also swings most from seed to seed, ` +
      `from ${pct(shortcut.gradCamOnTag.min)} to ${pct(shortcut.gradCamOnTag.max)}: it averages each map's gradient over all positions, and evidence that sits in one corner can cancel out. ` +
      "HiResCAM weighs each position by its own gradient, so it keeps it.",
    apply: () => {
      plant();
      setControl("In validation", "swapped", SHORTCUT_GROUP);
    },
    applyLabel: "Plant it, tag the other class in validation",
  }];
  const c = record.calibration;
  const uncertainty: Exercise[] = [
    {
      id: "explain-referral",
      change: `Train with the defaults, then read the referral curve where ${pct(c.referAt)} of the images go to a radiologist.`,
      question: "Which ranking of “unsure” lifts the accuracy on the kept images more: MC-dropout entropy or plain softmax confidence?",
      choices: [
        "MC dropout, by a wide margin",
        "About the same: both lift accuracy by several points",
        "Neither: the kept images are no more accurate",
      ],
      answer: 1,
      reveal:
        `About the same. Over ${seeds} seeds the clean model is ${pct(clean.valAccuracy.mean)} accurate on all validation images; referring the ${pct(c.referAt)} it is least sure of ` +
        `leaves ${pct(c.accuracyKeptMcDropout.mean)} right by MC dropout and ${pct(c.accuracyKeptSoftmax.mean)} by softmax confidence. Both rankings carry real information, ` +
        `and for this small network, trained briefly, ${record.settings.mcPasses} dropout passes add little to what one pass's confidence already says.`,
    },
    {
      id: "explain-temperature",
      change: "After training with the defaults, look at the reliability diagram and the fitted temperature T.",
      question: "Is this small, briefly trained network over-confident (T > 1) or under-confident (T < 1)?",
      choices: [
        "Over-confident (T > 1), like large networks trained long",
        "Under-confident (T < 1): its scores need sharpening",
        "Calibrated already (T = 1)",
      ],
      answer: 1,
      reveal:
        `Under-confident on every seed: T from ${c.temperature.min.toFixed(2)} to ${c.temperature.max.toFixed(2)} (mean ${c.temperature.mean.toFixed(2)}), and dividing the scores by it lowers ` +
        `the expected calibration error from ${c.eceBefore.mean.toFixed(3)} to ${c.eceAfter.mean.toFixed(3)}. Guo et al. found modern networks over-confident; that is a finding about large ` +
        "networks trained long, not a law. Measure your own model before you correct it (and on images the fit did not see).",
    },
  ];
  return { training, sanity, shortcut: shortcutExercises, uncertainty };
}
