// The black-box lesson's "Try this" answers, checked against data/records/explain.json: a
// re-recorded result that flips an effect fails here, before the page promises it.
import { describe, expect, it } from "vitest";
import { explainExercises, type ExplainExerciseRecord } from "../../src/lessons/exercises/explain";
import type { Exercise } from "../../src/ui/exercise";
import { readRecord } from "../records/helpers";

const record = readRecord<ExplainExerciseRecord>("explain")!;
const calls: [string, unknown, unknown][] = [];
const exercises = explainExercises(record, { setControl: (label, value, options) => calls.push([label, value, options]) });
const all = [...exercises.training, ...exercises.shortcut, ...exercises.uncertainty];
const byId = (id: string) => all.find((e) => e.id === id)!;
const chosen = (e: Exercise) => e.choices![e.answer!];
const pct = (x: number) => `${(100 * x).toFixed(0)}%`;
const { clean, shortcut } = record.summary;

describe("explain exercises", () => {
  it("are four, in three boxes, each with a valid answer and a reveal that quotes the record", () => {
    expect(all).toHaveLength(4);
    for (const box of Object.values(exercises)) expect(box.length).toBeGreaterThanOrEqual(1);
    for (const e of all) {
      expect(e.answer).toBeGreaterThanOrEqual(0);
      expect(e.answer).toBeLessThan(e.choices!.length);
      expect(e.reveal).toMatch(/\d+%|\d\.\d{2}/);
    }
  });

  it("the planted shortcut raises training accuracy and drops validation accuracy towards a coin toss", () => {
    const e = byId("explain-shortcut-accuracy");
    expect(chosen(e)).toMatch(/Training accuracy rises; validation accuracy falls/);
    expect(shortcut.trainAccuracy.mean).toBeGreaterThan(clean.trainAccuracy.mean);
    expect(shortcut.valAccuracy.mean).toBeLessThan(clean.valAccuracy.mean - 0.2);
    expect(shortcut.valAccuracy.mean).toBeLessThan(0.65);
    expect(e.reveal).toContain(pct(shortcut.valAccuracy.mean));
    e.apply!();
    expect(calls.at(-1)).toEqual(["Plant the shortcut", true, { group: "Planted shortcut" }]);
  });

  it("HiResCAM puts the largest share on the tag; Grad-CAM the smallest and the most variable", () => {
    const e = byId("explain-which-map");
    expect(chosen(e)).toBe("HiResCAM");
    expect(shortcut.hiResCamOnTag.mean).toBeGreaterThan(shortcut.saliencyOnTag.mean);
    expect(shortcut.hiResCamOnTag.mean).toBeGreaterThan(shortcut.gradCamOnTag.mean);
    expect(shortcut.gradCamOnTag.max - shortcut.gradCamOnTag.min).toBeGreaterThan(shortcut.hiResCamOnTag.max - shortcut.hiResCamOnTag.min);
    // and every map looks at the tag more than the clean model's does
    for (const k of ["hiResCamOnTag", "saliencyOnTag", "gradCamOnTag"] as const) expect(shortcut[k].mean).toBeGreaterThan(clean[k].mean);
    calls.length = 0;
    e.apply!();
    expect(calls).toEqual([
      ["Plant the shortcut", true, { group: "Planted shortcut" }],
      ["In validation", "swapped", { group: "Planted shortcut" }],
    ]);
  });

  it("referral lifts accuracy by several points, about equally by MC dropout and by softmax confidence", () => {
    const e = byId("explain-referral");
    expect(chosen(e)).toMatch(/About the same/);
    const c = record.calibration;
    expect(c.accuracyKeptMcDropout.mean).toBeGreaterThan(clean.valAccuracy.mean + 0.02);
    expect(c.accuracyKeptSoftmax.mean).toBeGreaterThan(clean.valAccuracy.mean + 0.02);
    expect(Math.abs(c.accuracyKeptMcDropout.mean - c.accuracyKeptSoftmax.mean)).toBeLessThan(0.02);
  });

  it("the small network is under-confident on every seed (T < 1), and temperature scaling lowers the ECE", () => {
    const e = byId("explain-temperature");
    expect(chosen(e)).toMatch(/Under-confident/);
    const c = record.calibration;
    expect(c.temperature.max).toBeLessThan(1);
    expect(c.eceAfter.mean).toBeLessThan(c.eceBefore.mean);
    expect(e.reveal).toContain(c.temperature.mean.toFixed(2));
  });
});
