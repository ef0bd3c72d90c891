// @vitest-environment jsdom
// The U-Net lesson's "Try this" exercises against data/records/unet-nuclei.json and
// unet-checkerboard.json: each stated answer must be what the records show.
import { describe, expect, it } from "vitest";
import { unetExercises } from "../../src/lessons/exercises/unet";
import { unetFacts } from "../../src/records/unet";
import { lesson, readRecord } from "../records/helpers";
import { answerOf, applied, byId, recordingSet, revealText } from "./exercises-helpers";

const nuclei = readRecord("unet-nuclei");
const checkerboard = readRecord("unet-checkerboard");
const facts = unetFacts(nuclei)!;
const { calls, set } = recordingSet();
const ex = unetExercises({ nuclei, checkerboard }, { set });

describe("U-Net exercises", () => {
  it("has two exercises in each main section's box", () => {
    expect(ex.skips.length).toBe(2);
    expect(ex.checkerboard.length).toBe(2);
  });

  it("skips: in every seed the U-Net ends clearly above the network without skips, and passes the thresholds sooner", () => {
    const e = byId(ex.skips, "unet-skips");
    expect(answerOf(e)).toMatch(/with skips, clearly/);
    const d3 = facts.depth3;
    d3.dice.withSkips.forEach((d, i) => expect(d).toBeGreaterThan(d3.dice.withoutSkips[i] + 0.03));
    d3.passing.forEach((step, i) => expect(step!).toBeLessThan(d3.passingWithout[i] ?? Infinity));
    expect(revealText(e)).toContain(d3.dice.withSkips[0].toFixed(3));
  });

  it("depth 4: the network without skips never passes the thresholds, the U-Net does as well as at depth 3", () => {
    const e = byId(ex.skips, "unet-depth-4");
    expect(answerOf(e)).toMatch(/never gets above the threshold baselines/);
    const d4 = facts.depth4!;
    expect(d4.passingWithout.every((s) => s === null)).toBe(true);
    const bar = Math.max(facts.baselines.globalThreshold.dice, facts.baselines.otsu.dice);
    for (const d of d4.dice.withoutSkips) expect(d).toBeLessThan(bar);
    for (const d of d4.dice.withSkips) expect(d).toBeGreaterThan(Math.min(...facts.depth3.dice.withSkips) - 0.02);
    expect(applied(e, calls, "unet")).toEqual([["Depth (levels)", 4]]);
  });

  it("checkerboard: in every seed the transposed convolution's map has the stronger grid, on the first image and on average", () => {
    const e = byId(ex.checkerboard, "unet-checkerboard");
    expect(answerOf(e)).toBe("Transposed convolution");
    expect(checkerboard.runs.length).toBe(checkerboard.seeds.length);
    for (const r of checkerboard.runs) {
      expect(r.transpose.first).toBeGreaterThan(r.resize.first);
      expect(r.transpose.mean).toBeGreaterThan(r.resize.mean);
    }
    // the record repeats the page's experiment: its step count is the one the page's button uses
    expect(checkerboard.settings.steps).toBe(Number(/checkerboardExperiment\(data, \{[^}]*steps: (\d+)/.exec(lesson("unet"))![1]));
    expect(revealText(e)).toContain(checkerboard.runs[0].transpose.first.toFixed(3));
  });

  it("resize + convolution: a training step takes longer than with the transposed convolution", () => {
    const e = byId(ex.checkerboard, "unet-resize-cost");
    expect(answerOf(e)).toMatch(/More time/);
    expect(facts.resizeCost!.ratio).toBeGreaterThan(1);
    expect(revealText(e)).toContain(facts.resizeCost!.ratio.toFixed(2));
    expect(applied(e, calls, "unet")).toEqual([["Upsampling", "resize"]]);
  });
});
