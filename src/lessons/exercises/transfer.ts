/**
 * The transfer lesson's "Try this" exercises: the three strategies side by side (section 4) and
 * the sweep over N (section 5). Answers come from the sweep recorded with the shipped source
 * (data/pretrained/shapes/sweep.json, `npm run sweep`) and the real-data record
 * (data/records/transfer-real.json); tests/lessons/exercises-transfer.test.ts checks them.
 */
import type { Strategy } from "../../models/transfer";
import {
  msPerStep,
  realTransferAt,
  realTransferVerdicts,
  separated,
  sweepTable,
  type RealTransferRecord,
  type SweepRecord,
} from "../../records/transfer";
import type { Exercise } from "../../ui/exercise";
import { applyOrSay, listed, meanSd, reveal, setControl, type SetControl } from "./common";

export interface TransferExerciseRecords {
  sweep?: SweepRecord | null;
  real?: (RealTransferRecord & { points: { strategy: Strategy; n: number; testAuc: number }[]; skipped?: unknown }) | null;
}

export interface TransferExercises {
  /** Section 4: three strategies side by side. */
  strategies: Exercise[];
  /** Section 5: the sweep, and the real-data experiment. */
  sweep: Exercise[];
}

/** The control that picks N (lessons/transfer.md). */
export const N_LABEL = "Target training images (N)";
/** The N the real-data exercise asks about. */
export const REAL_N = 100;

const NAMES: Record<Strategy, string> = { scratch: "from scratch", frozen: "frozen features", finetune: "fine-tuned" };
const SWEEP_SOURCE = "npm run sweep: the shipped source, the built-in synthetic target, validation AUC";

/** "from scratch 0.515 ± 0.052, frozen features …" for one N of the sweep. */
function row(sweep: SweepRecord, n: number): string {
  const r = sweepTable(sweep).find((t) => t.n === n)!;
  return r.cells.map((c) => `${NAMES[c.strategy]} ${meanSd(c)}`).join(", ");
}

export function transferExercises(
  records: TransferExerciseRecords,
  { set = setControl }: { set?: SetControl } = {},
): TransferExercises {
  const out: TransferExercises = { strategies: [], sweep: [] };
  const sweep = records.sweep;
  const seeds = sweep ? `${sweep.settings.seeds.length} seeds` : "";

  if (sweep) {
    const all = sweep.settings.sizes.at(-1)!;
    // 4 · with every image, scratch catches up.
    out.strategies.push({
      id: "transfer-all-images",
      change: `Set N to all (${all} images) and train the three strategies again.`,
      question: "Does pretraining still win with every target image?",
      choices: [
        "Yes: frozen features still beat scratch",
        "Yes: fine-tuning wins by a wide margin",
        "No: scratch catches up with fine-tuning and beats frozen features",
      ],
      answer: 2,
      reveal: reveal(
        "With enough target images, training from scratch can learn filters made for ultrasound speckle and margins, " +
          "not for shapes. Frozen features are stuck with the source's filters, so they fall behind; fine-tuning can adapt them, so it keeps up.",
        `at N = ${all} over ${seeds}: ${row(sweep, all)}; every scratch run beat every frozen run${separated(sweep, "finetune", "scratch", all) ? ", and every fine-tuned run beat every scratch run" : ", while scratch and fine-tuning overlap"}.`,
        SWEEP_SOURCE,
      ),
      apply: applyOrSay("transfer-all-images", () => set(N_LABEL, all)),
      applyLabel: `Set N to ${all}`,
    });
    // 4 · speed: what frozen features reliably buy.
    const speedup = msPerStep(sweep, "scratch") / msPerStep(sweep, "frozen");
    out.strategies.push({
      id: "transfer-speed",
      change: "Train the three strategies and read the speed chart and table (AUC against seconds).",
      question: "How fast does one training step of the frozen network run, against scratch?",
      choices: [
        "About as fast: it is the same network",
        "Several times faster: no gradient flows back through its convolutions",
        "Slower: it carries the pretrained weights",
      ],
      answer: 1,
      reveal: reveal(
        "A frozen network only trains its head: the backward pass stops at the head instead of running back through " +
          "every convolution, and no convolution weights are updated. Same network, a fraction of the work per step.",
        `over every run of the sweep, a scratch step took ${msPerStep(sweep, "scratch").toFixed(0)} ms and a frozen step ${msPerStep(sweep, "frozen").toFixed(0)} ms: ` +
          `${speedup.toFixed(1)} times faster (fine-tuning ${msPerStep(sweep, "finetune").toFixed(0)} ms).`,
        "npm run sweep, in node with wasm",
      ),
    });
    // 5 · with ten images nothing works.
    const fewest = sweep.settings.sizes[0];
    out.sweep.push({
      id: "transfer-ten-images",
      change: `Set N to ${fewest} and train (or read the sweep's first column).`,
      question: "Which strategy will end highest?",
      choices: [
        "From scratch",
        "Frozen features",
        "Fine-tuning",
        "None clearly: all three stay near chance, within each other's spread",
      ],
      answer: 3,
      reveal: reveal(
        `${fewest} images are too few even for a head on top of good features: which ${fewest} images a seed draws moves the result ` +
          "more than the strategy does. A single run may seem to pick a winner; the seeds show it is noise.",
        `at N = ${fewest} over ${seeds}: ${row(sweep, fewest)}; no strategy's runs all beat another's.`,
        SWEEP_SOURCE,
      ),
      apply: applyOrSay("transfer-ten-images", () => set(N_LABEL, fewest)),
      applyLabel: `Set N to ${fewest}`,
    });
  }

  // 5 · real data: chest X-rays → breast ultrasound.
  const real = records.real && !records.real.skipped ? records.real : null;
  if (real && real.settings.sizes.includes(REAL_N)) {
    const at = realTransferAt(real, REAL_N);
    const verdicts = realTransferVerdicts(real);
    out.sweep.push({
      id: "transfer-real",
      change: `With both MedMNIST files (real data), pretrain on PneumoniaMNIST in section 2, pick BreastMNIST as the target, N = ${REAL_N}, and train.`,
      question: "Does pretraining on chest X-rays help breast ultrasound?",
      choices: [
        "Yes: both are grey medical images, so the features carry over",
        "No: at no N did a pretrained strategy beat scratch in every seed",
      ],
      answer: 1,
      reveal: reveal(
        "The features a network learns for pneumonia (diffuse opacities across the lung field) are not the ones a lesion's " +
          "margin in speckled ultrasound needs. Being medical and grey is not enough: the source must teach what the target needs.",
        `test AUC at N = ${REAL_N} over seeds ${listed(real.seeds, String)}: from scratch ${meanSd(at.scratch)}, frozen features ${meanSd(at.frozen)}, fine-tuned ${meanSd(at.finetune)}; ` +
          `at N = ${listed(verdicts.map((v) => v.n), String)} neither pretrained strategy was above scratch in every seed.`,
        "npm run record -- --only transfer-real",
      ),
    });
  }
  return out;
}
