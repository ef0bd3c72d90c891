/**
 * The CNN lesson's "Try this" exercises, one box per main section: the model and its training,
 * the learning curves, the predictions. Every answer is what the records show
 * (data/records/cnn-nodules.json, cnn-depth.json, cnn-medmnist.json; `npm run record`), and
 * tests/lessons/exercises-cnn.test.ts fails if a re-recorded result stops supporting it.
 */
import type { Exercise } from "../../ui/exercise";
import { learningRateOutcomes, noduleDefaults, type MedmnistRecord, type NodulesRecord } from "../../records/cnn";
import { applyOrSay, listed, meanSd, reveal, setControl, type SetControl } from "./common";

/** data/records/cnn-depth.json: the page defaults with fewer conv blocks, over seeds. */
export interface CnnDepthRecord {
  seeds: number[];
  runs: { depth: number; seed: number; state: string; accuracy: number | null; auc: number | null }[];
}

export interface CnnExerciseRecords {
  nodules?: (NodulesRecord & { dataset: { val: number } }) | null;
  depth?: CnnDepthRecord | null;
  medmnist?: MedmnistRecord | null;
}

export interface CnnExercises {
  /** Section 3: the model and its training. */
  model: Exercise[];
  /** Section 4: the learning curves. */
  curves: Exercise[];
  /** Section 7: the predictions. */
  predictions: Exercise[];
}

/** The recorded learning rates the exercise uses: one that freezes the ReLUs, one that explodes. */
export const STALL_RATE = 0.05;
export const DIVERGE_RATE = 0.3;

const pct = (x: number) => `${Math.round(100 * x)}%`;

export function cnnExercises(records: CnnExerciseRecords, { set = setControl }: { set?: SetControl } = {}): CnnExercises {
  const out: CnnExercises = { model: [], curves: [], predictions: [] };
  const defaults = noduleDefaults(records.nodules);
  const nodulesSource = "npm run record -- --only cnn-nodules, the built-in synthetic nodules";

  // 3 · the model: fewer blocks, and too large a learning rate.
  const depth1 = records.depth?.runs.filter((r) => r.depth === 1 && r.auc !== null) ?? [];
  if (defaults && depth1.length)
    out.model.push({
      id: "cnn-depth-1",
      change: "Set Depth (conv blocks) to 1, keep everything else at the defaults, and train for the full 10 epochs.",
      question: "What will the validation AUC be at the end, compared with the default depth of 3?",
      choices: [
        "Higher: a smaller network overfits less",
        "About the same: the first layer does most of the work",
        "Clearly lower: one block cannot take in a whole nodule",
      ],
      answer: 2,
      reveal: reveal(
        "One block of 3×3 filters finds dots and edges, and the dense layer must decide from those small views alone. " +
          "Each further conv–pool block sees a region twice as wide, so at depth 3 the last filters can respond to a whole " +
          "nodule's size and round shape: what separates it from a vessel cut across, which is just as bright.",
        `after 10 epochs, depth 1 ended at validation AUC ${listed(depth1.map((r) => r.auc!))} (seeds ${listed(depth1.map((r) => r.seed), String)}); ` +
          `the default depth 3 at ${listed(defaults.finalAuc)} (seeds ${listed(defaults.seeds, String)}).`,
        "npm run record -- --only cnn-depth and cnn-nodules",
      ),
      apply: applyOrSay("cnn-depth-1", () => set("Depth (conv blocks)", 1)),
      applyLabel: "Set depth to 1",
    });

  const rates = learningRateOutcomes(records.nodules);
  const stall = rates?.find((r) => r.learningRate === STALL_RATE);
  const diverge = rates?.find((r) => r.learningRate === DIVERGE_RATE);
  const base = rates?.find((r) => r.learningRate === records.nodules?.settings.learningRate);
  if (records.nodules && stall && diverge && base)
    out.model.push({
      id: "cnn-learning-rate",
      change: `Raise the Learning rate to ${STALL_RATE}, press Reset, and train for ${records.nodules.learningRateEpochs} epochs.`,
      question: "What will the training loss do?",
      choices: [
        `Fall faster than at the default ${records.nodules.settings.learningRate}`,
        "Stay flat near ln 2 ≈ 0.69: the network stays at chance",
        "Explode: the page stops training with a message",
      ],
      answer: 1,
      reveal: reveal(
        "A step that large pushes most ReLUs' inputs below zero at once. A ReLU that outputs zero for every image also gets " +
          "zero gradient, so it never comes back; with the units dead, the output is the same for every image and the loss " +
          `sits at ln 2, a coin toss. Larger still (${DIVERGE_RATE}), the loss overflows instead and the page stops training and says so.`,
        `after ${records.nodules.learningRateEpochs} epochs from the page's start, learning rate ${STALL_RATE} stalled at chance in ${stall.stalls} of ${stall.runs} seeds ` +
          `(validation accuracy ${listed(stall.accuracy.map((a) => a ?? NaN), (a) => a.toFixed(2))}); ${DIVERGE_RATE} diverged in ${diverge.diverges} of ${diverge.runs}; ` +
          `the default ${base.learningRate} learned in ${base.learns} of ${base.runs}.`,
        nodulesSource,
      ),
      apply: applyOrSay("cnn-learning-rate", () => set("Learning rate", STALL_RATE)),
      applyLabel: `Set the learning rate to ${STALL_RATE}`,
    });

  // 4 · the learning curves: when does validation AUC get good?
  if (defaults && defaults.passAuc.every((e) => e !== null))
    out.curves.push({
      id: "cnn-auc-epoch",
      change: "Train with the defaults (10 epochs) and watch the validation AUC (the dots) in the second chart.",
      question: "At which epoch will the validation AUC first pass 0.95?",
      choices: ["In the first 2 epochs", "Between epochs 3 and 8", "Only at epoch 9 or 10", "Never, in 10 epochs"],
      answer: 1,
      reveal: reveal(
        "In the first epochs the filters are still taking shape (watch them in section 5), and validation accuracy is modest. " +
          "Once blob and edge detectors have formed, AUC climbs fast and then flattens, while the training loss keeps falling.",
        `validation accuracy after epoch 1 was ${listed(defaults.firstAccuracy, pct)}; AUC passed 0.95 at epoch ${listed(defaults.passAuc as number[], String)} ` +
          `and ended at ${listed(defaults.finalAuc)} (seeds ${listed(defaults.seeds, String)}; the page trains seed 1).`,
        nodulesSource,
      ),
    });

  const breast = records.medmnist?.datasets?.breastmnist;
  const short = breast?.runs.find((r) => r.label === "page defaults, 10 epochs");
  const long = breast?.runs.find((r) => r.label === "page defaults, 30 epochs");
  if (breast && short && long)
    out.curves.push({
      id: "cnn-breast-epochs",
      change: `With BreastMNIST loaded (section 2; real data, a file you provide), set Epochs to ${long.settings.epochs} instead of ${short.settings.epochs}, train, then evaluate on the test set (section 9).`,
      question: "Will the extra epochs raise the test AUC, or will the model start memorising its few training images?",
      choices: ["The test AUC rises", "The test AUC falls: it overfits", "No change"],
      answer: 0,
      reveal: reveal(
        "BreastMNIST has only a few hundred training images, so an epoch is a handful of steps: after 10 epochs the model " +
          "is still learning, and 20 more improve it on images it never saw. Watch the gap between the training loss and the " +
          "validation dots: when it opens wide, more epochs stop helping.",
        `test AUC over seeds ${listed(records.medmnist!.seeds, String)}: ${meanSd(short.testAuc)} after ${short.settings.epochs} epochs, ` +
          `${meanSd(long.testAuc)} after ${long.settings.epochs} (every seed's run above every ${short.settings.epochs}-epoch run: ${listed(long.testAuc.values)} against ${listed(short.testAuc.values)}).`,
        "npm run record -- --only cnn-medmnist, on BreastMNIST",
      ),
      apply: applyOrSay("cnn-breast-epochs", () => set("Epochs", long.settings.epochs)),
      applyLabel: `Set epochs to ${long.settings.epochs}`,
    });

  // 7 · the predictions: how many mistakes to expect.
  if (defaults && records.nodules)
    out.predictions.push({
      id: "cnn-mistakes",
      change: "Train with the defaults to the end, then count the tiles marked ✗ above.",
      question: "What share of the validation images will the trained model get wrong?",
      choices: ["About half", "About a quarter", "Fewer than one in ten"],
      answer: 2,
      reveal: reveal(
        "After 10 epochs the network sorts most nodules from look-alikes, so the ✗ tiles are few. That is why they are worth " +
          "a look: are the misses the small, faint nodules, and the false alarms vessels cut across? Those are the cases the data were built to make hard.",
        `final validation accuracy ${listed(defaults.finalAccuracy, pct)} (seeds ${listed(defaults.seeds, String)}): ` +
          `${listed(defaults.finalAccuracy.map((a) => Math.round((1 - a) * records.nodules!.dataset.val)), String)} wrong of ${records.nodules.dataset.val} validation images.`,
        nodulesSource,
      ),
    });

  return out;
}
