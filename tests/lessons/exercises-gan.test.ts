// @vitest-environment jsdom
// The GAN lesson's "Try this" exercises against the shipped generators' training record
// (data/pretrained/gan-ct-adversarial/pretrain.json): each stated answer must be what it shows.
import { describe, expect, it } from "vitest";
import { EARLY_STEP, FINE_FREQUENCY, ganExercises } from "../../src/lessons/exercises/gan";
import { ganRecordFacts } from "../../src/records/gan";
import { readRecord } from "../records/helpers";
import { answerOf, applied, byId, recordingSet, revealText } from "./exercises-helpers";

const record = readRecord("data/pretrained/gan-ct-adversarial/pretrain.json");
const facts = ganRecordFacts(record)!;
const { calls, set } = recordingSet();
const dose = readRecord("gan-dose");
const ex = ganExercises(record, { set, dose });
const fine = facts.fine.find((f) => f.frequency === FINE_FREQUENCY)!;

describe("GAN exercises", () => {
  it("has one to two exercises in each main section's box", () => {
    for (const box of [ex.denoisers, ex.numbers, ex.game]) {
      expect(box.length).toBeGreaterThanOrEqual(1);
      expect(box.length).toBeLessThanOrEqual(2);
    }
  });

  it("from scratch: the first pixel-loss steps take PSNR most of the way, not beyond the shipped generator", () => {
    const e = byId(ex.denoisers, "gan-from-scratch");
    expect(answerOf(e)).toMatch(/Most of the way/);
    const early = record.history.find((h: { phase: string; step: number }) => h.phase === "warm" && h.step === EARLY_STEP);
    const gained = early.psnr - facts.input.psnr,
      total = facts.pixel.psnr - facts.input.psnr;
    expect(gained / total).toBeGreaterThan(0.6);
    expect(early.psnr).toBeLessThan(facts.pixel.psnr);
    expect(facts.pixel.psnr - early.psnr).toBeLessThan(1); // "the last fraction of a decibel"
    expect(revealText(e)).toContain(early.psnr.toFixed(2));
    expect(applied(e, calls, "gan")).toEqual([["Start from", "scratch"]]);
  });

  it("lower dose: the shipped generators still improve on the noisier input, but end clearly below their own dose's result", () => {
    const e = byId(ex.denoisers, "gan-lower-dose");
    expect(answerOf(e)).toMatch(/still helps, but/);
    const trained = dose.doses.find((d: { dose: number }) => d.dose === dose.trainedAt);
    const lower = dose.doses.find((d: { dose: number }) => d.dose < dose.trainedAt);
    // the record's own dose reproduces the shipped generators' training record
    expect(trained.input.psnr).toBeCloseTo(facts.input.psnr, 2);
    expect(trained.pixel.psnr).toBeCloseTo(facts.pixel.psnr, 2);
    expect(dose.trainedAt).toBe(record.options.dose);
    for (const run of ["pixel", "adversarial"]) {
      expect(lower[run].psnr).toBeGreaterThan(lower.input.psnr + 3); // still helps
      expect(lower[run].psnr).toBeLessThan(trained[run].psnr - 1); // clearly worse than at its own dose
    }
    expect(lower.input.hfRatio).toBeGreaterThan(trained.input.hfRatio); // the extra noise is fine-grained
    expect(revealText(e)).toContain(lower.pixel.psnr.toFixed(2));
    expect(applied(e, calls, "gan")).toEqual([["Dose (photons per detector cell)", lower.dose]]);
  });

  it("PSNR and SSIM: the pixel-only run scores higher on both", () => {
    const e = byId(ex.numbers, "gan-psnr");
    expect(answerOf(e)).toBe("Pixel loss only");
    expect(facts.pixel.psnr).toBeGreaterThan(facts.adversarial.psnr);
    expect(facts.pixel.ssim).toBeGreaterThan(facts.adversarial.ssim);
    expect(revealText(e)).toContain(facts.adversarial.psnr.toFixed(2));
  });

  it("texture: at every fine frequency the adversarial run keeps more of the target's power, and the pixel-only run less than all", () => {
    const e = byId(ex.numbers, "gan-texture");
    expect(answerOf(e)).toMatch(/adversarial/);
    for (const f of facts.fine) {
      expect(f.adversarial).toBeGreaterThan(f.pixel);
      expect(f.pixel).toBeLessThan(1);
    }
    expect(revealText(e)).toContain(fine.adversarial.toFixed(2));
    // "some of what it keeps at the very finest scale is noise": most of its extra power there is extra error
    expect(facts.nyquistExtraErrorShare).toBeGreaterThan(0.5);
    expect(applied(e, calls, "gan")).toEqual([
      ["Display window", "soft"],
      ["Region", 32],
    ]);
  });

  it("λ = 0: the run trained without the adversarial term (same warm start, same seed) keeps less fine texture", () => {
    const e = byId(ex.game, "gan-lambda-0");
    expect(answerOf(e)).toMatch(/Drift back down/);
    expect(fine.pixel).toBeLessThan(fine.adversarial);
    // the pixel-only run and the adversarial run share the warm start: their histories agree up to it
    const warm = record.history.filter((h: { phase: string }) => h.phase === "warm");
    expect(warm.at(-1).step).toBe(record.steps.warm);
    expect(applied(e, calls, "gan", ["src/lessons/gan.ts"])).toEqual([["λ (adversarial weight)", 0]]);
  });

  it("discriminator: its real and denoised scores end further apart in the pixel-only run", () => {
    const e = byId(ex.game, "gan-discriminator");
    expect(answerOf(e)).toMatch(/pixel-only run/);
    const last = (phase: string) => record.history.filter((h: { phase: string }) => h.phase === phase).at(-1);
    const gap = (h: { realScore: number; fakeScore: number }) => h.realScore - h.fakeScore;
    expect(gap(last("pixel"))).toBeGreaterThan(gap(last("adversarial")) + 0.05);
    expect(revealText(e)).toContain(last("pixel").realScore.toFixed(2));
  });
});
