/**
 * The U-Net lesson's "Try this" exercises: the central experiment with and without skips
 * (section 4) and the checkerboard artifacts of transposed convolution (section 7). Answers come
 * from data/records/unet-nuclei.json and unet-checkerboard.json (`npm run record`), and
 * tests/lessons/exercises-unet.test.ts checks that the records support them.
 */
import { unetFacts, type UnetRecord } from "../../records/unet";
import type { Exercise } from "../../ui/exercise";
import { applyOrSay, listed, reveal, setControl, type SetControl } from "./common";

/** data/records/unet-checkerboard.json: the page's 10-step checkerboard experiment over seeds. */
export interface CheckerboardRecord {
  settings: { steps: number; images: number };
  seeds: number[];
  runs: { seed: number; transpose: { first: number; mean: number }; resize: { first: number; mean: number } }[];
}

export interface UnetExerciseRecords {
  nuclei?: UnetRecord | null;
  checkerboard?: CheckerboardRecord | null;
}

export interface UnetExercises {
  /** Section 4: with and without skips. */
  skips: Exercise[];
  /** Section 7: checkerboard artifacts. */
  checkerboard: Exercise[];
}

const NUCLEI_SOURCE = "npm run record -- --only unet-nuclei, the built-in synthetic nuclei";

export function unetExercises(records: UnetExerciseRecords, { set = setControl }: { set?: SetControl } = {}): UnetExercises {
  const out: UnetExercises = { skips: [], checkerboard: [] };
  const facts = unetFacts(records.nuclei);

  if (facts) {
    const d3 = facts.depth3;
    out.skips.push({
      id: "unet-skips",
      change: `Train both networks with the defaults (depth ${facts.settings.depth}, ${d3.steps} steps) and watch the two Dice curves above.`,
      question: "Which network will end with the higher validation Dice?",
      choices: [
        "Without skips: fewer connections, less to learn",
        "About the same: skips only sharpen the edges",
        "The U-Net with skips, clearly",
      ],
      answer: 2,
      reveal: reveal(
        "Without skips, everything the decoder draws must pass through the small bottleneck, so positions come back only " +
          "roughly: edges blur and the thin gap between touching nuclei is lost. The skips hand the decoder the encoder's " +
          "full-resolution maps, so it can put each edge on the right pixel; it also learns faster.",
        `final Dice with skips ${listed(d3.dice.withSkips)}, without ${listed(d3.dice.withoutSkips)} (seeds ${listed(d3.seeds, String)}); ` +
          `boundary Dice ${listed(d3.boundaryDice.withSkips)} against ${listed(d3.boundaryDice.withoutSkips)}. ` +
          `The U-Net passed both thresholds after ${listed(d3.passing.map((s) => s ?? NaN), String)} steps, the network without skips after ${listed(d3.passingWithout.map((s) => (s === null ? "never" : s)), String)}.`,
        NUCLEI_SOURCE,
      ),
    });
    const d4 = facts.depth4;
    if (d4) {
      const bottleneck = facts.settings.size / 2 ** d4.depth;
      out.skips.push({
        id: "unet-depth-4",
        change: `Set Depth (levels) to ${d4.depth} and train both networks again.`,
        question: "What happens to the network without skips?",
        choices: [
          "It catches up: one more level gives it more capacity",
          "It does a little worse than at depth 3",
          "It fails: it never gets above the threshold baselines",
        ],
        answer: 2,
        reveal: reveal(
          `At depth ${d4.depth}, a ${facts.settings.size}×${facts.settings.size} image is squeezed to a ${bottleneck}×${bottleneck} bottleneck. ` +
            "Without skips, the decoder has nothing else to draw nuclei from, and in the same number of steps it does not learn to. " +
            "The U-Net hardly notices: its skips still carry the sharp maps across.",
          `at depth ${d4.depth} (seed ${listed(d4.seeds, String)}, ${d4.steps} steps) the U-Net ended at Dice ${listed(d4.dice.withSkips)}, ` +
            `the network without skips at ${listed(d4.dice.withoutSkips)}, against ${facts.baselines.globalThreshold.dice.toFixed(3)} for the global threshold` +
            `${d4.dice.withoutSkips.every((d) => d === 0) ? " (Dice 0: not one nucleus pixel found)" : ""}.`,
          NUCLEI_SOURCE,
        ),
        apply: applyOrSay("unet-depth-4", () => set("Depth (levels)", d4.depth)),
        applyLabel: `Set depth to ${d4.depth}`,
      });
    }
  }

  const cb = records.checkerboard;
  if (cb?.runs.length)
    out.checkerboard.push({
      id: "unet-checkerboard",
      change: `Press “Train both for ${cb.settings.steps} steps and compare” above.`,
      question: "Which raw probability map will show the stronger 2-pixel grid?",
      choices: ["Transposed convolution", "Resize + convolution", `Neither: ${cb.settings.steps} steps are too few`],
      answer: 0,
      reveal: reveal(
        "The transposed convolution's 3×3 kernel moves in steps of 2, so some output pixels get four kernel taps and their " +
          "neighbours one or two: a grid printed into the output from the first step, before training can iron it out. " +
          "Resizing first spreads every input pixel evenly, then an ordinary convolution runs: no uneven overlap, no grid.",
        `checkerboard strength of the first validation image after ${cb.settings.steps} steps (0: none, 1: a pure checkerboard): ` +
          `transposed ${listed(cb.runs.map((r) => r.transpose.first))}, resize ${listed(cb.runs.map((r) => r.resize.first))} (seeds ${listed(cb.seeds, String)}; ` +
          "the page's button draws its weights and batches from other seeds, so its numbers differ a little).",
        "npm run record -- --only unet-checkerboard",
      ),
    });
  if (facts?.resizeCost)
    out.checkerboard.push({
      id: "unet-resize-cost",
      change: "Switch Upsampling to resize + convolution (both networks are rebuilt) and train.",
      question: "What does the grid-free upsampling cost per training step?",
      choices: [
        "Nothing: it is cheaper, resizing has no weights",
        "More time: its 3×3 convolution runs on the already doubled map",
        "The same",
      ],
      answer: 1,
      reveal: reveal(
        "The transposed convolution computes the doubled map in one go from the small one. Resize + convolution first " +
          "doubles the map, then convolves at the large size: about four times the positions for that layer. " +
          "The multiply-adds are counted in this section; the record timed it.",
        `one training step took ${facts.resizeCost.msPerStep.transpose.toFixed(0)} ms with transposed convolution and ${facts.resizeCost.msPerStep.resize.toFixed(0)} ms with resize + convolution: ` +
          `${facts.resizeCost.ratio.toFixed(2)} times as long (median of three rounds, in node with wasm).`,
        NUCLEI_SOURCE,
      ),
      apply: applyOrSay("unet-resize-cost", () => set("Upsampling", "resize")),
      applyLabel: "Switch to resize + convolution",
    });
  return out;
}
