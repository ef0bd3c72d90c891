// @vitest-environment jsdom
// The CNN lesson's "Try this" exercises against the records they quote: each stated answer must be
// what the record shows, so a re-recorded result that flips an effect fails here.
import { describe, expect, it } from "vitest";
import { cnnExercises, DIVERGE_RATE, STALL_RATE } from "../../src/lessons/exercises/cnn";
import { learningRateOutcomes, noduleDefaults } from "../../src/records/cnn";
import { readRecord } from "../records/helpers";
import { answerOf, applied, byId, recordingSet, revealText } from "./exercises-helpers";

const nodules = readRecord("cnn-nodules");
const depth = readRecord("cnn-depth");
const medmnist = readRecord("cnn-medmnist");
const { calls, set } = recordingSet();
const ex = cnnExercises({ nodules, depth, medmnist }, { set });
const defaults = noduleDefaults(nodules)!;

describe("CNN exercises", () => {
  it("has one to two exercises in each main section's box", () => {
    for (const box of [ex.model, ex.curves, ex.predictions]) {
      expect(box.length).toBeGreaterThanOrEqual(1);
      expect(box.length).toBeLessThanOrEqual(2);
    }
  });

  it("depth 1: every recorded depth-1 run ends below every default (depth-3) run in validation AUC", () => {
    const e = byId(ex.model, "cnn-depth-1");
    expect(answerOf(e)).toMatch(/Clearly lower/);
    const shallow = depth.runs.filter((r: { depth: number }) => r.depth === 1).map((r: { auc: number }) => r.auc);
    expect(shallow.length).toBe(depth.seeds.length);
    expect(Math.max(...shallow)).toBeLessThan(Math.min(...defaults.finalAuc) - 0.05);
    // the depth record was made with the same settings as the defaults, apart from depth
    expect({ ...depth.settings }).toEqual(nodules.settings);
    expect(revealText(e)).toContain(shallow[0].toFixed(3));
    expect(applied(e, calls, "cnn")).toEqual([["Depth (conv blocks)", 1]]);
  });

  it("learning rate: the stall rate freezes every seed at chance, the larger rate diverges in every seed", () => {
    const e = byId(ex.model, "cnn-learning-rate");
    expect(answerOf(e)).toMatch(/flat near ln 2/);
    const rows = learningRateOutcomes(nodules)!;
    const stall = rows.find((r) => r.learningRate === STALL_RATE)!;
    const diverge = rows.find((r) => r.learningRate === DIVERGE_RATE)!;
    expect(stall.stalls).toBe(stall.runs);
    expect(diverge.diverges).toBe(diverge.runs);
    expect(revealText(e)).toContain(`${stall.stalls} of ${stall.runs} seeds`);
    expect(applied(e, calls, "cnn")).toEqual([["Learning rate", STALL_RATE]]);
  });

  it("learning curves: every seed's validation AUC passes 0.95 between epochs 3 and 8", () => {
    const e = byId(ex.curves, "cnn-auc-epoch");
    expect(answerOf(e)).toMatch(/Between epochs 3 and 8/);
    for (const epoch of defaults.passAuc) {
      expect(epoch).not.toBeNull();
      expect(epoch!).toBeGreaterThanOrEqual(3);
      expect(epoch!).toBeLessThanOrEqual(8);
    }
    expect(revealText(e)).toContain(defaults.finalAuc[0].toFixed(3));
    // "then flattens, while the training loss keeps falling": after the pass, AUC gains less than the loss loses
    nodules.defaults.forEach((run: { epochs: { epoch: number; auc: number; trainLoss: number }[] }, i: number) => {
      const pass = run.epochs.find((x) => x.epoch === defaults.passAuc[i])!;
      const end = run.epochs.at(-1)!;
      expect(end.trainLoss).toBeLessThan(pass.trainLoss - 0.05);
      expect(end.auc - pass.auc).toBeLessThan(0.05);
    });
  });

  it.skipIf(!medmnist?.datasets?.breastmnist)("BreastMNIST: every 30-epoch run beats every 10-epoch run on the test set", () => {
    const e = byId(ex.curves, "cnn-breast-epochs");
    expect(answerOf(e)).toMatch(/rises/);
    const runs = medmnist.datasets.breastmnist.runs;
    const short = runs.find((r: { label: string }) => r.label === "page defaults, 10 epochs");
    const long = runs.find((r: { label: string }) => r.label === "page defaults, 30 epochs");
    expect(long.testAuc.min).toBeGreaterThan(short.testAuc.max);
    expect(applied(e, calls, "cnn")).toEqual([["Epochs", 30]]);
  });

  it("predictions: the trained model gets fewer than one in ten validation images wrong, in every seed", () => {
    const e = byId(ex.predictions, "cnn-mistakes");
    expect(answerOf(e)).toMatch(/Fewer than one in ten/);
    for (const accuracy of defaults.finalAccuracy) expect(accuracy).toBeGreaterThan(0.9);
    const wrong = Math.round((1 - defaults.finalAccuracy[0]) * nodules.dataset.val);
    expect(revealText(e)).toContain(`${wrong}, `);
  });

  it("leaves out the exercises a build has no records for", () => {
    const none = cnnExercises({});
    expect([...none.model, ...none.curves, ...none.predictions]).toEqual([]);
  });
});
