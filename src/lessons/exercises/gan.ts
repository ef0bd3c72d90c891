/**
 * The GAN lesson's "Try this" exercises: the two denoisers side by side (section 3), the numbers
 * and the texture (sections 5–6), and the λ and discriminator experiments (section 8, which used
 * to be a list in prose). Answers come from the shipped generators' training record
 * (data/pretrained/gan-ct-*\/pretrain.json, `npm run pretrain:gan`: both runs from one warm start
 * and one seed), and tests/lessons/exercises-gan.test.ts checks that it supports them.
 */
import { ganRecordFacts, type GanRecord } from "../../records/gan";
import type { Exercise } from "../../ui/exercise";
import { applyOrSay, reveal, setControl, type SetControl } from "./common";

export interface GanHistoryPoint {
  phase: "warm" | "pixel" | "adversarial";
  step: number;
  psnr: number;
  realScore: number;
  fakeScore: number;
}
export type GanExerciseRecord = GanRecord & { history?: GanHistoryPoint[] };

interface DoseScores {
  psnr: number;
  ssim: number;
  hfRatio: number;
}
/** data/records/gan-dose.json: the shipped generators applied, untrained, at the doses compared. */
export interface GanDoseRecord {
  trainedAt: number;
  doses: { dose: number; input: DoseScores; pixel: DoseScores; adversarial: DoseScores }[];
  skipped?: string;
}

export interface GanExercises {
  /** Section 3: the two denoisers, from scratch. */
  denoisers: Exercise[];
  /** Sections 5–6: PSNR, SSIM and the spectrum. */
  numbers: Exercise[];
  /** Section 8: λ and the discriminator. */
  game: Exercise[];
}

/** The warm-start checkpoint the "from scratch" exercise asks about. */
export const EARLY_STEP = 100;
/** The spectrum point (cycles per pixel) the texture exercises quote. */
export const FINE_FREQUENCY = 0.4375;

const SOURCE = "npm run pretrain:gan: the shipped generators, on their validation phantoms";
const f2 = (x: number) => x.toFixed(2);

/** The last validation point of one run in the record's history. */
function lastOf(history: GanHistoryPoint[], phase: "pixel" | "adversarial"): GanHistoryPoint | undefined {
  return history.filter((h) => h.phase === phase).at(-1);
}

export function ganExercises(
  record: GanExerciseRecord | null | undefined,
  { set = setControl, dose = null }: { set?: SetControl; dose?: GanDoseRecord | null } = {},
): GanExercises {
  const out: GanExercises = { denoisers: [], numbers: [], game: [] };
  const facts = ganRecordFacts(record);
  if (!facts || !record) return out;
  const history = record.history ?? [];
  const lambda = facts.lambda ?? record.options?.lambda;
  const fine = facts.fine.find((f) => f.frequency === FINE_FREQUENCY);

  // 3 · from random weights: how quickly the noise goes.
  const early = history.find((h) => h.phase === "warm" && h.step === EARLY_STEP);
  if (early)
    out.denoisers.push({
      id: "gan-from-scratch",
      change: `Set Start from to random weights (from scratch), then train for ${EARLY_STEP} steps.`,
      question: "Where will the PSNR be after those first pixel-loss steps?",
      choices: [
        "Still near the noisy input's",
        "Most of the way to the shipped generators'",
        "Already above the shipped generators'",
      ],
      answer: 1,
      reveal: reveal(
        "Most of the low-dose noise is fine grain, and a few 3×3 filters that learn to smooth it remove most of the error " +
          "fast. The last fraction of a decibel, and any difference between the two runs' texture, takes many hundreds of steps more.",
        `the input scored ${f2(facts.input.psnr)} dB; after ${EARLY_STEP} pixel-loss steps from random weights ${f2(early.psnr)} dB; ` +
          `the shipped pixel-loss generator, after ${facts.steps?.total ?? "all its"} steps, ${f2(facts.pixel.psnr)} dB.`,
        SOURCE,
      ),
      apply: applyOrSay("gan-from-scratch", () => set("Start from", "scratch")),
      applyLabel: "Start from random weights",
    });

  // 3 · a lower dose than the shipped generators learnt at.
  const trained = dose && !dose.skipped ? dose.doses.find((d) => d.dose === dose.trainedAt) : undefined;
  const lower = dose && !dose.skipped ? dose.doses.find((d) => d.dose < dose.trainedAt) : undefined;
  if (dose && trained && lower)
    out.denoisers.push({
      id: "gan-lower-dose",
      change: `Lower the Dose to ${lower.dose} photons per detector cell (the shipped generators learnt at ${dose.trainedAt.toLocaleString("en")}); look before training on.`,
      question: "What does the shipped pixel-loss generator make of the noisier scans?",
      choices: [
        "It cleans them as well as before",
        "It still helps, but its output is clearly worse than at the dose it learnt",
        "It makes them worse than the noisy input",
      ],
      answer: 1,
      reveal: reveal(
        "Fewer photons mean more Poisson noise in every measurement, and filtered back-projection's ramp filter lifts it most " +
          "at the finest scales. The generator learnt to take away the noise of the dose it was trained at: it removes a good " +
          "part of the new, stronger noise, not all of it. Train on from it at the new dose to adapt it.",
        `on the record's validation phantoms, the noisy input scored ${f2(lower.input.psnr)} dB at dose ${lower.dose} against ${f2(trained.input.psnr)} dB at ${trained.dose} ` +
          `(high-frequency ratio ${f2(lower.input.hfRatio)} against ${f2(trained.input.hfRatio)}); the pixel-loss generator's output ${f2(lower.pixel.psnr)} dB against ${f2(trained.pixel.psnr)} dB, ` +
          `the adversarial one's ${f2(lower.adversarial.psnr)} against ${f2(trained.adversarial.psnr)} dB.`,
        "npm run record -- --only gan-dose: the shipped generators, not trained at the lower dose",
      ),
      apply: applyOrSay("gan-lower-dose", () => set("Dose (photons per detector cell)", lower.dose)),
      applyLabel: `Set the dose to ${lower.dose}`,
    });

  // 5–6 · the numbers, then the texture they miss.
  out.numbers.push({
    id: "gan-psnr",
    change: "Read the scoreboard (section 5) for the two shipped generators, before and after training on.",
    question: "Which run has the higher PSNR and SSIM?",
    choices: ["Pixel loss only", `Pixel + ${lambda} × adversarial`, "They tie"],
    answer: 0,
    reveal: reveal(
      "PSNR and SSIM reward the answer that is closest on average, and a pixel loss trains for exactly that. The adversarial " +
        "term pulls the output away from that average, towards texture that looks real, and pays for it in these scores.",
      `pixel loss only ${f2(facts.pixel.psnr)} dB, SSIM ${facts.pixel.ssim.toFixed(3)}; pixel + ${lambda} × adversarial ${f2(facts.adversarial.psnr)} dB, SSIM ${facts.adversarial.ssim.toFixed(3)} ` +
        `(the noisy input ${f2(facts.input.psnr)} dB, ${facts.input.ssim.toFixed(3)}).`,
      SOURCE,
    ),
  });
  if (fine)
    out.numbers.push({
      id: "gan-texture",
      change: "Switch the display window to soft tissue and zoom in (section 4), then read the spectrum ratio (section 6) right of 0.3 cycles per pixel.",
      question: "Which run keeps more of the target's fine texture there?",
      choices: ["Pixel loss only", `Pixel + ${lambda} × adversarial`, "Both keep all of it: the ratios sit at 1"],
      answer: 1,
      reveal: reveal(
        "Where the network cannot know the exact noise, a pixel loss is lowest for a summary of every clean image that could " +
          "lie under it, and fine texture averages away. The discriminator spots that smoothness, so the adversarial run is pushed to keep some texture; " +
          "some of what it keeps at the very finest scale is noise, which is why PSNR drops.",
        `at ${FINE_FREQUENCY} cycles per pixel, the pixel-only run kept ${f2(fine.pixel)} of the target's power and the adversarial run ${f2(fine.adversarial)}; ` +
          `at ${facts.fine.map((f) => f.frequency).join(", ")}: ${facts.fine.map((f) => f2(f.pixel)).join(", ")} against ${facts.fine.map((f) => f2(f.adversarial)).join(", ")}.`,
        SOURCE,
      ),
      apply: applyOrSay("gan-texture", () => {
        set("Display window", "soft");
        set("Region", 32);
      }),
      applyLabel: "Soft-tissue window, zoomed",
    });

  // 8 · λ and the discriminator.
  if (fine)
    out.game.push({
      id: "gan-lambda-0",
      change: "Set λ to 0 while training on from the shipped generators.",
      question: "What will the adversarial run's spectrum do at the finest scales?",
      choices: [
        "Keep its texture: it has already learnt it",
        "Drift back down towards the pixel-only run's",
        "Rise further above the target's",
      ],
      answer: 1,
      reveal: reveal(
        "At λ = 0 the adversarial run's generator is updated by the pixel loss alone: it has become a second pixel-only run, " +
          "and the pixel loss pulls it back towards the smooth average. The change is gradual: keep training and watch the spectrum.",
        `the record's pixel-only run is exactly that, λ = 0 after the same warm start and seed: at ${FINE_FREQUENCY} cycles per pixel it keeps ${f2(fine.pixel)} of the target's power, ` +
          `against ${f2(fine.adversarial)} for the run trained with λ = ${lambda}.`,
        SOURCE,
      ),
      apply: applyOrSay("gan-lambda-0", () => set("λ (adversarial weight)", 0)),
      applyLabel: "Set λ to 0",
    });
  const pixelEnd = lastOf(history, "pixel"),
    adversarialEnd = lastOf(history, "adversarial");
  if (pixelEnd && adversarialEnd)
    out.game.push({
      id: "gan-discriminator",
      change: "Train on and watch the discriminator's outputs (section 7): its score for real images and for denoised ones, in each run.",
      question: "In which run will the two scores end further apart?",
      choices: [
        "The pixel-only run: its generator does not try to fool the discriminator",
        "The adversarial run: its discriminator gets more practice",
        "Neither: both stay at a coin toss",
      ],
      answer: 0,
      reveal: reveal(
        "In the pixel-only run the discriminator watches without a say, so it learns to spot the smooth outputs undisturbed. " +
          "In the adversarial run the generator is trained to fool it, which keeps the two scores closer. (The page's discriminators " +
          "start from random weights, so the gap opens only as they learn.)",
        `at the end of pretraining (step ${pixelEnd.step}), the pixel-only run's discriminator scored real images ${f2(pixelEnd.realScore)} and denoised ones ${f2(pixelEnd.fakeScore)}; ` +
          `the adversarial run's ${f2(adversarialEnd.realScore)} and ${f2(adversarialEnd.fakeScore)}.`,
        SOURCE,
      ),
    });
  return out;
}
