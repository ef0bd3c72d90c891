/**
 * "Try this" exercises for the auto-encoder lesson (lessons/autoencoders.md). Every reveal quotes
 * data/records/autoencoders.json (scripts/record-autoencoders.ts); the answers are checked against
 * that record by tests/lessons/exercises-autoencoders.test.ts.
 */
import { CORRUPTION_NAMES } from "../../data/corrupt";
import { AUTOENCODER_LESSON as L, type AutoencoderRecord, type Spread } from "../autoencoders";
import type { Exercise } from "../../ui/exercise";
import { setPageControl, type SetControl } from "./pageControls";

/** The code size of the "shrink the bottleneck" exercise; the record script measures it. */
export const TIGHT_BOTTLENECK = 2;

/** The lesson's record, with the measurement this exercise added. */
export type AutoencoderExerciseRecord = AutoencoderRecord & {
  /** The page's denoising auto-encoder with its code squeezed to `codeSize` numbers. */
  bottleneck?: { codeSize: number; psnr: Spread };
};

export interface AutoencoderExercises {
  /** Section 4, watching it learn. */
  learn: Exercise[];
  /** Section 5, the learned space. */
  codes: Exercise[];
  /** Section 6, the VAE. */
  vae: Exercise[];
  /** Section 8, anomaly detection. */
  anomaly: Exercise[];
}

const db = (x: number) => `${x.toFixed(1)} dB`;
const f3 = (x: number) => x.toFixed(3);
/** How many times smaller the squared error is at `better` dB than at `worse` dB. */
const errorRatio = (better: number, worse: number) => (10 ** ((better - worse) / 10)).toFixed(1);

export function autoencoderExercises(
  record: AutoencoderExerciseRecord,
  { setControl = setPageControl }: { setControl?: SetControl } = {},
): AutoencoderExercises {
  const s = record.settings;
  const seeds = s.seeds.length;
  const output = record.psnr.output.mean, input = record.psnr.input.mean;
  const learn: Exercise[] = [];
  if (record.bottleneck) {
    const tight = record.bottleneck.psnr.mean;
    learn.push({
      id: "autoencoders-bottleneck-2",
      change: `Shrink the bottleneck (code size) from ${s.architecture.codeSize} to ${record.bottleneck.codeSize} and train again.`,
      question: "What happens to the validation PSNR of the reconstructions?",
      choices: [
        "It rises: a smaller code is easier to learn",
        "It falls: two numbers cannot describe a patch, so the reconstructions blur",
        "It stays the same: the decoder makes up for the small code",
      ],
      answer: 1,
      reveal:
        `It falls. Measured on the built-in patches over ${seeds} seeds (${s.epochs} epochs, the default corruption): ${db(tight)} with a code of ${record.bottleneck.codeSize} numbers, ` +
        `against ${db(output)} with ${s.architecture.codeSize}, so the squared error is ${errorRatio(output, tight)} times larger. ` +
        "Two numbers can say roughly how bright a patch is and where its biggest structure lies, no more: the decoder draws the average patch of that kind, and vessels and nodules blur away.",
      apply: () => setControl("Bottleneck (code size)", record.bottleneck!.codeSize, { group: "Model" }),
      applyLabel: `Set the bottleneck to ${record.bottleneck.codeSize}`,
    });
  }
  learn.push({
    id: "autoencoders-denoise",
    change: `Keep the defaults: every input is corrupted (${CORRUPTION_NAMES[s.corruption.kind]}: ${s.corruption.level}) before the network sees it. Train.`,
    question: "On validation images it never trained on, is the reconstruction closer to the clean image than the noisy input it was given?",
    choices: [
      "Yes: it removes much of the noise",
      "No: at best it copies its input, noise and all",
      "Only on its training images, not on new ones",
    ],
    answer: 0,
    reveal:
      `Yes. Over ${seeds} seeds the noisy inputs score ${db(input)} against the clean images and the reconstructions ${db(output)}: ` +
      `the squared error is ${errorRatio(output, input)} times smaller. The network never saw these images, so it cannot have memorised them: ` +
      "it learned what lung texture and vessels look like, and noise does not look like that. This is why a denoising auto-encoder cannot simply copy.",
  });

  const sep = record.separation;
  const codes: Exercise[] = [{
    id: "autoencoders-code-space",
    change: "Train, then look at the code-space scatter: each dot is shaped and coloured by the label the auto-encoder never saw.",
    question: "Do the patches with and without a nodule form two separate clouds?",
    choices: [
      "Yes: two clean clouds",
      `No, they overlap heavily; yet a straight cut through the ${sep.codeSize} code numbers separates the classes better than one through the ${sep.pixels} pixels`,
      "No, and the code holds nothing about nodules at all",
    ],
    answer: 1,
    reveal:
      `They overlap: the silhouette score is ${f3(sep.silhouetteCodes.mean)} in code space (${f3(sep.silhouettePixels)} on pixels; 1 would be two tight, distant clouds, 0 no clusters at all). ` +
      `Yet a linear classifier on the ${sep.codeSize}-number codes reaches a validation AUC of ${f3(sep.probeCodes.mean)}, against ${f3(sep.probePixels)} on the raw pixels (${sep.probeCodes.runs} seeds). ` +
      "The biggest directions of variation (brightness, texture, vessels) are not the nodule, but the code does carry it, in directions the scatter's two axes do not show.",
  }];

  const at = (beta: number) => record.vae.find((v) => v.beta === beta);
  const base = at(L.beta), high = at(Math.max(...record.vae.map((v) => v.beta)));
  const vae: Exercise[] = [];
  if (base && high && high !== base) {
    vae.push({
      id: "autoencoders-vae-beta",
      change: `Tick “Variational (VAE)” and raise β from ${base.beta} to ${high.beta}. Train.`,
      question: `Compared with β = ${base.beta}, what happens to the reconstructions and to the KL term?`,
      choices: [
        "Sharper reconstructions and a larger KL",
        "Blurrier reconstructions (lower PSNR) and a code that carries less (smaller KL)",
        "Nothing changes: β only matters when sampling",
      ],
      answer: 1,
      reveal:
        `Over ${high.psnr.runs} seeds: PSNR ${db(base.psnr.mean)} at β = ${base.beta}, ${db(high.psnr.mean)} at β = ${high.beta}; ` +
        `KL ${base.kl.mean.toFixed(1)} nats per image, then ${high.kl.mean.toFixed(1)}. A heavier KL term pulls every image's code towards the same ` +
        "standard normal distribution, so the codes say less about each image and the decoder falls back on the average: a smoother code space, paid for in sharpness.",
      apply: () => {
        setControl("β (weight of the KL term, VAE only)", high.beta);
        setControl("Variational (VAE): the code is a distribution", true, { group: "Model" });
      },
      applyLabel: `Tick VAE, set β to ${high.beta}`,
    });
  }

  const a = record.anomaly;
  const anomaly: Exercise[] = [{
    id: "autoencoders-anomaly",
    change: `Train this section's anomaly detector on the normal patches only (bottleneck of ${s.anomaly.codeSize}, no corruption).`,
    question: "How well does its reconstruction error pick out the nodule patches, which it never saw, compared with plain brightness (no network at all)?",
    choices: [
      "Almost perfectly: nodules are rebuilt so badly they stand out",
      "Better than brightness, but only modestly",
      "No better than a coin toss",
    ],
    answer: 1,
    reveal:
      `Better, modestly: an AUC of ${f3(a.auc.mean)} (from ${f3(a.auc.min)} to ${f3(a.auc.max)} over ${a.auc.runs} seeds) against ${f3(a.brightnessAuc)} for “brighter is more suspicious”. ` +
      "A small code rebuilds vessels only roughly in every patch, normal or not, and that shared error from normal anatomy hides much of the nodule's. Look at the error maps.",
  }];
  return { learn, codes, vae, anomaly };
}
