// The black-box lesson's "Try this" answers, checked against data/records/explain.json: a
// re-recorded result that flips an effect fails here, before the page promises it.
import { describe, expect, it } from "vitest";
import { explainExercises, type ExplainExerciseRecord } from "../../src/lessons/exercises/explain";
import type { Exercise } from "../../src/ui/exercise";
import { readRecord } from "../records/helpers";

const record = readRecord<ExplainExerciseRecord>("explain")!;
const calls: [string, unknown, unknown][] = [];
const exercises = explainExercises(record, { setControl: (label, value, options) => calls.push([label, value, options]) });
const all = [...exercises.training, ...exercises.sanity, ...exercises.shortcut, ...exercises.uncertainty];
const byId = (id: string) => all.find((e) => e.id === id)!;
const chosen = (e: Exercise) => e.choices![e.answer!];
const pct = (x: number) => `${(100 * x).toFixed(0)}%`;
const { clean, shortcut } = record.summary;

describe("explain exercises", () => {
  it("are five, in four boxes, each with a valid answer and a reveal that quotes the record", () => {
    expect(all).toHaveLength(5);
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

  it("with only the output layer random, saliency still resembles the trained map and Grad-CAM does not; with all random, neither", () => {
    const e = byId("explain-sanity-top");
    expect(chosen(e)).toBe("Saliency");
    const steps = record.sanity!.steps;
    expect(steps[0].randomized).toBe(1);
    expect(steps[0].saliency.mean - steps[0].gradCam.mean).toBeGreaterThan(0.2);
    expect(steps[0].saliency.min).toBeGreaterThan(0.2);
    expect(Math.abs(steps[0].gradCam.mean)).toBeLessThan(0.15);
    expect(steps.at(-1)!.saliency.mean).toBeLessThan(0.2);
    expect(Math.abs(steps.at(-1)!.gradCam.mean)).toBeLessThan(0.2);
    expect(e.reveal).toContain(steps[0].saliency.mean.toFixed(2));
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
