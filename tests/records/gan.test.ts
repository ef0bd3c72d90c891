// The GAN lesson quotes the shipped generators' training record (data/pretrained/gan-ct-*/pretrain.json)
// through ganRecordFacts: check the record still says what the prose says about it.
import { describe, expect, it } from "vitest";
import { ganRecordFacts } from "../../src/records/gan";
import { lesson, readRecord } from "./helpers";

const record = readRecord("data/pretrained/gan-ct-adversarial/pretrain.json");

describe.skipIf(!record)("GAN record and the lesson's claims", () => {
  const facts = ganRecordFacts(record)!;

  it("has every number the prose quotes", () => {
    expect(facts).not.toBeNull();
    for (const run of [facts.input, facts.pixel, facts.adversarial]) {
      for (const v of [run.psnr, run.ssim, run.hfRatio]) expect(Number.isFinite(v)).toBe(true);
    }
    expect(facts.fine.map((f) => f.frequency)).toEqual([0.375, 0.4375, 0.5]);
  });

  it("pixel loss wins on PSNR and SSIM, as the page says", () => {
    expect(facts.pixel.psnr).toBeGreaterThan(facts.adversarial.psnr);
    expect(facts.pixel.ssim).toBeGreaterThan(facts.adversarial.ssim);
    expect(facts.input.psnr).toBeLessThan(facts.adversarial.psnr);
  });

  it("the high-frequency ratios 'barely move' and are below 1 (smoother than the target); the input's is above 1", () => {
    expect(Math.abs(facts.pixel.hfRatio - facts.adversarial.hfRatio)).toBeLessThan(0.05);
    expect(facts.pixel.hfRatio).toBeLessThan(1);
    expect(facts.input.hfRatio).toBeGreaterThan(1);
  });

  it("at the finest scales the pixel run keeps less power than the adversarial one, both below the target", () => {
    for (const f of facts.fine.slice(0, 2)) {
      expect(f.pixel).toBeLessThan(f.adversarial);
      expect(f.adversarial).toBeLessThan(1);
    }
  });

  it("the adversarial run's extra power is not simply noise overall, but mostly noise at Nyquist", () => {
    expect(facts.errorVsPixel).toBeGreaterThan(1); // "only X% above the pixel-only run's"
    expect(facts.errorVsPixel).toBeLessThan(1.5);
    expect(facts.errorVsInput).toBeLessThan(0.5); // a fraction of the input's
    expect(facts.nyquistExtraErrorShare).toBeGreaterThan(0.5); // "mostly noise"
  });

  it("the page quotes these facts (no hand-typed copies)", () => {
    const md = lesson("gan");
    expect(md).toMatch(/const facts = ganRecordFacts\(shipped\.record\)/);
    for (const q of [
      "f2(facts.pixel.psnr)",
      "f2(facts.fine[0].pixel)",
      "pct(facts.errorVsPixel - 1)",
      "pct(facts.nyquistExtraErrorShare)",
    ])
      expect(md).toContain(q);
  });
});
