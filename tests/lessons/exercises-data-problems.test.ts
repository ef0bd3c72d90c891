// The data-problems lesson's "Try this" answers, checked against data/records/data-problems.json:
// a re-recorded result that flips an effect fails here, before the page promises it.
import { describe, expect, it } from "vitest";
import { dataProblemsExercises, imbalanceRow, type DataProblemsRecord } from "../../src/lessons/exercises/dataProblems";
import type { Exercise } from "../../src/ui/exercise";
import { readRecord } from "../records/helpers";

const record = readRecord<DataProblemsRecord>("data-problems")!;
const calls: [string, unknown, unknown][] = [];
const exercises = dataProblemsExercises(record, { setControl: (label, value, options) => calls.push([label, value, options]) });
const all = [...exercises.imbalance, ...exercises.noise, ...exercises.fewLabels];
const byId = (id: string) => all.find((e) => e.id === id)!;
const chosen = (e: Exercise) => e.choices![e.answer!];
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

describe("data-problems exercises", () => {
  it("are five, in three boxes, each with a valid answer and a reveal that quotes the record", () => {
    expect(all).toHaveLength(5);
    for (const box of Object.values(exercises)) expect(box.length).toBeGreaterThanOrEqual(1);
    for (const e of all) {
      expect(e.answer).toBeGreaterThanOrEqual(0);
      expect(e.answer).toBeLessThan(e.choices!.length);
      expect(e.apply).toBeTypeOf("function");
    }
  });

  it("at 1% positives the plain network is as accurate as 'always no' and finds almost nothing", () => {
    const e = byId("data-problems-one-percent");
    expect(chosen(e)).toMatch(/Very accurate, and it finds almost no nodules/);
    const rare = imbalanceRow(record, 0.01, "none");
    expect(rare.accuracy).toBeGreaterThan(0.95);
    expect(Math.abs(rare.accuracy - rare.baseline)).toBeLessThan(0.01);
    expect(rare.sensitivity).toBeLessThan(0.1);
    expect(rare.balancedAccuracy).toBeLessThan(0.55);
    expect(e.reveal).toContain(pct(rare.accuracy));
    e.apply!();
    expect(calls.at(-1)).toEqual(["Positives in the training set (%)", 1, { group: "Class imbalance" }]);
  });

  it("class weighting at 5% raises sensitivity and lowers accuracy", () => {
    const e = byId("data-problems-weighting");
    expect(chosen(e)).toBe("Raises sensitivity, lowers accuracy");
    const none = imbalanceRow(record, 0.05, "none"), weighted = imbalanceRow(record, 0.05, "weighted");
    expect(weighted.sensitivity).toBeGreaterThan(none.sensitivity + 0.2);
    expect(weighted.accuracy).toBeLessThan(none.accuracy);
    e.apply!();
    expect(calls.at(-1)).toEqual(["Positives in the training set (%)", 5, { group: "Class imbalance" }]);
  });

  it("noisy labels are memorised: nearly all flipped labels reproduced at the end, validation below its peak", () => {
    const e = byId("data-problems-memorise");
    expect(chosen(e)).toMatch(/^Learned them by heart/);
    const n = record.noise.summary;
    expect(n.finalMemorised).toBeGreaterThan(0.9);
    expect(n.finalTrainAccuracy).toBeGreaterThan(0.95);
    expect(n.bestMemorised).toBeLessThan(n.finalMemorised);
    expect(n.finalAccuracy).toBeLessThan(n.bestAccuracy);
    expect(n.bestAccuracy).toBeLessThan(n.cleanFinalAccuracy);
    expect(e.reveal).toContain(pct(n.finalMemorised));
    calls.length = 0;
    e.apply!();
    expect(calls).toEqual([
      ["Noise", "symmetric", { group: "Noisy labels" }],
      ["Training labels flipped (%)", 30, { group: "Noisy labels" }],
    ]);
  });

  it("augmentation raises AUC clearly at the smallest N and hardly with every image", () => {
    const few = byId("data-problems-augment-few"), every = byId("data-problems-augment-all");
    expect(chosen(few)).toBe("Raises it clearly");
    expect(chosen(every)).toMatch(/^Hardly/);
    const gains = record.augment.gains;
    const fewest = gains[0], most = gains.at(-1)!;
    expect(fewest.n).toBe(10);
    expect(most.n).toBe(Math.max(...record.augment.settings.sizes));
    expect(fewest.gain).toBeGreaterThan(0.05);
    expect(Math.abs(most.gain)).toBeLessThan(0.03);
    expect(most.gain).toBeLessThan(fewest.gain / 4);
    expect(few.reveal).toContain(fewest.augmented.toFixed(3));
    few.apply!();
    expect(calls.at(-1)).toEqual(["Training images (N)", 10, { group: "Few labels" }]);
  });
});
