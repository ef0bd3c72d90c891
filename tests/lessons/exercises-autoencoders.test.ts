// The auto-encoder lesson's "Try this" answers, checked against data/records/autoencoders.json: a
// re-recorded result that flips an effect fails here, before the page promises it.
import { describe, expect, it } from "vitest";
import { AUTOENCODER_LESSON } from "../../src/lessons/autoencoders";
import { autoencoderExercises, TIGHT_BOTTLENECK, type AutoencoderExerciseRecord } from "../../src/lessons/exercises/autoencoders";
import type { Exercise } from "../../src/ui/exercise";
import { readRecord } from "../records/helpers";

const record = readRecord<AutoencoderExerciseRecord>("autoencoders")!;
const calls: [string, unknown, unknown][] = [];
const exercises = autoencoderExercises(record, { setControl: (label, value, options) => calls.push([label, value, options]) });
const all = [...exercises.learn, ...exercises.codes, ...exercises.vae, ...exercises.anomaly];
const byId = (id: string) => all.find((e) => e.id === id)!;
const chosen = (e: Exercise) => e.choices![e.answer!];

describe("autoencoder exercises", () => {
  it("are five, in four boxes, each with a valid answer and a reveal that quotes the record", () => {
    expect(all).toHaveLength(5);
    for (const box of Object.values(exercises)) expect(box.length).toBeGreaterThanOrEqual(1);
    for (const e of all) {
      expect(e.answer).toBeGreaterThanOrEqual(0);
      expect(e.answer).toBeLessThan(e.choices!.length);
      expect(e.reveal).toMatch(/\d\.\d/);
    }
  });

  it(`a bottleneck of ${TIGHT_BOTTLENECK} lowers the PSNR on every seed (the record measures it)`, () => {
    const e = byId("autoencoders-bottleneck-2");
    expect(chosen(e)).toMatch(/^It falls/);
    expect(record.bottleneck!.codeSize).toBe(TIGHT_BOTTLENECK);
    expect(record.bottleneck!.psnr.runs).toBe(record.settings.seeds.length);
    expect(record.bottleneck!.psnr.max).toBeLessThan(record.psnr.output.min - 1);
    expect(e.reveal).toContain(`${record.bottleneck!.psnr.mean.toFixed(1)} dB`);
    e.apply!();
    expect(calls.at(-1)).toEqual(["Bottleneck (code size)", TIGHT_BOTTLENECK, { group: "Model" }]);
  });

  it("the denoiser's output is closer to the clean image than its noisy input, on every seed", () => {
    const e = byId("autoencoders-denoise");
    expect(chosen(e)).toMatch(/^Yes/);
    expect(record.psnr.output.min).toBeGreaterThan(record.psnr.input.max + 3);
  });

  it("the classes overlap in code space, yet a linear probe on the code beats one on the pixels", () => {
    const e = byId("autoencoders-code-space");
    expect(chosen(e)).toMatch(/overlap heavily; yet a straight cut/);
    const sep = record.separation;
    expect(sep.silhouetteCodes.max).toBeLessThan(0.2);
    expect(sep.probeCodes.min).toBeGreaterThan(sep.probePixels);
  });

  it("a larger β blurs the VAE's reconstructions and shrinks its KL", () => {
    const e = byId("autoencoders-vae-beta");
    expect(chosen(e)).toMatch(/^Blurrier/);
    const base = record.vae.find((v) => v.beta === AUTOENCODER_LESSON.beta)!;
    const high = record.vae.reduce((a, b) => (b.beta > a.beta ? b : a));
    expect(high.beta).toBeGreaterThan(base.beta);
    expect(high.psnr.max).toBeLessThan(base.psnr.min);
    expect(high.kl.max).toBeLessThan(base.kl.min);
    calls.length = 0;
    e.apply!();
    expect(calls).toEqual([
      ["β (weight of the KL term, VAE only)", high.beta, undefined],
      ["Variational (VAE): the code is a distribution", true, { group: "Model" }],
    ]);
  });

  it("the anomaly detector beats brightness on every seed, but modestly", () => {
    const e = byId("autoencoders-anomaly");
    expect(chosen(e)).toMatch(/Better than brightness, but only modestly/);
    const a = record.anomaly;
    expect(a.auc.min).toBeGreaterThan(a.brightnessAuc);
    expect(a.auc.mean).toBeLessThan(0.9);
    expect(a.auc.mean - a.brightnessAuc).toBeLessThan(0.15);
  });
});
