/**
 * What the GAN lesson quotes from the shipped generators' training record
 * (data/pretrained/gan-ct-adversarial/pretrain.json, written by `npm run pretrain:gan`): the page
 * reads the record and these functions turn it into the sentences' numbers, so prose and record
 * cannot drift. tests/records/gan.test.ts checks the claims the prose makes about them.
 */
import { HF_CUTOFF } from "../metrics/image";

interface Scores {
  psnr: number;
  ssim: number;
  hfRatio: number;
  spectrum?: number[];
  spectrumRatio?: number[];
  noisePowerSpectrum?: number[];
}
export interface GanRecord {
  val?: Partial<Record<"input" | "pixel" | "adversarial", Scores>>;
  steps?: { warm: number; adversarial: number; total: number };
  options?: { lambda?: number; dose?: number; valCount?: number; size?: number };
  architecture?: { generator?: { layers: number; parameters: number } };
}

/** The spectrum ratio (output ÷ target power) of each run at a frequency in cycles per pixel. */
function ratioAt(s: Scores, frequency: number, size: number): number {
  return s.spectrumRatio![Math.round(frequency * size)];
}

/** Error power (noise power spectrum of output − target) summed above the high-frequency cutoff. */
function errorPowerAboveCutoff(s: Scores): number {
  const bins = s.noisePowerSpectrum!;
  const limit = HF_CUTOFF * (bins.length - 1); // radial bins 0…size/2; cutoff × Nyquist, as highFrequencyRatio
  return bins.reduce((sum, p, r) => (r > limit ? sum + p : sum), 0);
}

/** The numbers the GAN lesson's prose quotes, or null when the record lacks them. */
export function ganRecordFacts(record: GanRecord | null | undefined) {
  const v = record?.val;
  if (
    !v?.input ||
    !v.pixel ||
    !v.adversarial ||
    !v.pixel.spectrumRatio ||
    !v.adversarial.noisePowerSpectrum ||
    !v.input.noisePowerSpectrum
  )
    return null;
  const size = 2 * (v.pixel.spectrumRatio.length - 1);
  const fine = [0.375, 0.4375, 0.5].map((frequency) => ({
    frequency,
    pixel: ratioAt(v.pixel!, frequency, size),
    adversarial: ratioAt(v.adversarial!, frequency, size),
  }));
  const error = {
    input: errorPowerAboveCutoff(v.input),
    pixel: errorPowerAboveCutoff(v.pixel),
    adversarial: errorPowerAboveCutoff(v.adversarial),
  };
  return {
    input: v.input,
    pixel: v.pixel,
    adversarial: v.adversarial,
    lambda: record?.options?.lambda,
    valCount: record?.options?.valCount,
    steps: record?.steps,
    generator: record?.architecture?.generator,
    /** Ratio to the target's power at 0.375, 0.4375 and 0.5 cycles per pixel. */
    fine,
    /** Adversarial error power above the cutoff ÷ pixel-only's, and ÷ the noisy input's. */
    errorVsPixel: error.adversarial / error.pixel,
    errorVsInput: error.adversarial / error.input,
    /** At Nyquist: the adversarial run's extra error power ÷ its extra output power (near 1: the extra is error, i.e. noise). */
    nyquistExtraErrorShare:
      v.pixel.spectrum && v.adversarial.spectrum
        ? (v.adversarial.noisePowerSpectrum.at(-1)! - v.pixel.noisePowerSpectrum!.at(-1)!) /
          (v.adversarial.spectrum.at(-1)! - v.pixel.spectrum.at(-1)!)
        : NaN,
    psnrCost: v.pixel.psnr - v.adversarial.psnr,
    ssimCost: v.pixel.ssim - v.adversarial.ssim,
  };
}
