import { describe, expect, it } from "vitest";
import { gaussianBlur, randomPhantom } from "../../src/data/ct";
import { gaussian, mulberry32 } from "../../src/data/random";
import {
  highFrequencyPower,
  highFrequencyRatio,
  mse,
  noisePowerSpectrum,
  powerSpectrum2d,
  psnr,
  radialPowerSpectrum,
  ssim,
} from "../../src/metrics/image";

const SIZE = 64,
  PIXELS = SIZE * SIZE;

function withNoise(image: Float32Array, sigma: number, seed: number): Float32Array {
  const normal = gaussian(mulberry32(seed));
  return image.map((v) => v + sigma * normal());
}

const phantom = randomPhantom(mulberry32(12));

describe("MSE and PSNR", () => {
  it("identical images: MSE 0, PSNR Infinity", () => {
    expect(mse(phantom, phantom)).toBe(0);
    expect(psnr(phantom, phantom)).toBe(Infinity);
  });

  it("a constant offset of 0.1 is exactly 20 dB (MSE 0.01), and the data range scales it", () => {
    const a = Array.from({ length: 100 }, (_, i) => (i % 10) / 10);
    const b = a.map((v) => v + 0.1);
    expect(mse(a, b)).toBeCloseTo(0.01, 12);
    expect(psnr(a, b)).toBeCloseTo(20, 10);
    expect(psnr(a, b, 2)).toBeCloseTo(20 + 20 * Math.log10(2), 10);
  });

  it("Gaussian noise of σ gives about −20·log10(σ)", () => {
    for (const sigma of [0.02, 0.05, 0.1]) {
      expect(Math.abs(psnr(withNoise(phantom, sigma, 3), phantom) + 20 * Math.log10(sigma))).toBeLessThan(0.3);
    }
  });

  it("refuses arrays of different lengths", () => {
    expect(() => psnr([1, 2], [1])).toThrow(/differ in length/);
  });
});

describe("SSIM", () => {
  it("identical images score 1", () => {
    expect(ssim(phantom, phantom, SIZE)).toBeCloseTo(1, 12);
  });

  it("a brightness offset changes only the luminance term (2μaμb + C1)/(μa² + μb² + C1)", () => {
    // Flat images: every window has μa = 0.5, μb = 0.6 and no variance, so the structure term is 1.
    const c1 = 0.01 ** 2;
    const expected = (2 * 0.5 * 0.6 + c1) / (0.5 ** 2 + 0.6 ** 2 + c1); // 0.9836
    expect(ssim(new Float32Array(PIXELS).fill(0.5), new Float32Array(PIXELS).fill(0.6), SIZE)).toBeCloseTo(expected, 6);
    // On textured tissue (values 0.3..0.7) an offset d leaves the structure term at 1, so SSIM is a mean
    // of luminance terms, each between the term for the darkest and for the brightest possible window.
    const d = 0.05;
    const luminance = (mu: number) => (2 * mu * (mu + d) + c1) / (mu ** 2 + (mu + d) ** 2 + c1);
    const normal = gaussian(mulberry32(4));
    const tissue = gaussianBlur(
      Float32Array.from({ length: PIXELS }, () => 0.5 + 0.1 * normal()),
      SIZE,
      1.5,
    ).map((v) => Math.min(0.7, Math.max(0.3, v)));
    const shifted = ssim(
      tissue,
      tissue.map((v) => v + d),
      SIZE,
    );
    expect(shifted).toBeLessThan(luminance(0.7));
    expect(shifted).toBeGreaterThan(luminance(0.3)); // measured 0.995: still high
    // The luminance term is relative: in dark windows the same offset costs much more, so on a
    // phantom with air around it SSIM falls further.
    expect(
      ssim(
        phantom,
        phantom.map((v) => v + d),
        SIZE,
      ),
    ).toBeLessThan(shifted - 0.05);
  });

  it("noise lowers it, more noise lowers it more, and it is symmetric", () => {
    const [some, more] = [
      ssim(withNoise(phantom, 0.03, 1), phantom, SIZE),
      ssim(withNoise(phantom, 0.1, 1), phantom, SIZE),
    ];
    expect(some).toBeLessThan(0.95);
    expect(more).toBeLessThan(some - 0.1);
    const noisy = withNoise(phantom, 0.05, 2);
    expect(ssim(noisy, phantom, SIZE)).toBeCloseTo(ssim(phantom, noisy, SIZE), 12);
  });

  it("works on small images with a smaller window, and says when the window does not fit", () => {
    const small = Float32Array.from({ length: 28 * 28 }, (_, i) => (i % 7) / 7);
    expect(ssim(small, small, 28, { window: 7 })).toBeCloseTo(1, 12);
    expect(() => ssim(new Float32Array(64), new Float32Array(64), 8)).toThrow(/smaller than the 11-px SSIM window/);
    expect(() => ssim(phantom, phantom, SIZE, { window: 8 })).toThrow(/odd/);
  });
});

describe("power spectra", () => {
  /** cos(2π(u·x + v·y)/size): all its power sits at frequency (u, v) and (−u, −v). */
  function wave(u: number, v: number): Float32Array {
    const image = new Float32Array(PIXELS);
    for (let y = 0; y < SIZE; y++)
      for (let x = 0; x < SIZE; x++) image[y * SIZE + x] = Math.cos((2 * Math.PI * (u * x + v * y)) / SIZE);
    return image;
  }

  it("a pure sinusoid puts its power in its radial bin", () => {
    for (const [u, v, r] of [
      [8, 0, 8],
      [0, 5, 5],
      [6, 8, 10],
    ]) {
      const spectrum = radialPowerSpectrum(wave(u, v), SIZE);
      expect(spectrum.length).toBe(SIZE / 2 + 1);
      const peak = spectrum.indexOf(Math.max(...spectrum));
      expect(peak).toBe(r);
      const elsewhere = spectrum.reduce((s, p, i) => (i === r ? s : s + p), 0);
      expect(elsewhere).toBeLessThan(1e-9 * spectrum[r]);
    }
    // Parseval, with our normalisation: total power = size² × variance; cos² has variance 1/2.
    expect(powerSpectrum2d(wave(3, 7), SIZE).reduce((s, p) => s + p, 0) / (PIXELS / 2)).toBeCloseTo(1, 6);
  });

  it("white noise has a flat spectrum at its variance", () => {
    const sigma = 0.1,
      count = 16;
    const noise = new Float32Array(count * PIXELS);
    const normal = gaussian(mulberry32(6));
    for (let i = 0; i < noise.length; i++) noise[i] = sigma * normal();
    const nps = noisePowerSpectrum(noise, new Float32Array(noise.length), SIZE);
    // Bins from 3 up average enough frequencies (≥ 16 per image × 16 images) to be within 25%.
    for (let r = 3; r <= SIZE / 2; r++) expect(Math.abs(nps[r] / sigma ** 2 - 1)).toBeLessThan(0.25);
    expect(nps[0]).toBeCloseTo(0, 10); // the mean is removed
  });

  it("the noise power spectrum of a blurred image has lost its high frequencies", () => {
    const noise = withNoise(new Float32Array(PIXELS), 0.1, 7);
    const blurred = gaussianBlur(noise, SIZE, 1);
    const nps = noisePowerSpectrum(blurred, new Float32Array(PIXELS), SIZE);
    expect(nps[SIZE / 2]).toBeLessThan(0.05 * nps[2]);
  });

  it("high-frequency ratio: below 1 for a blurred image, above 1 for a noisier one", () => {
    expect(highFrequencyRatio(phantom, phantom, SIZE)).toBeCloseTo(1, 12);
    expect(highFrequencyRatio(gaussianBlur(phantom, SIZE, 1), phantom, SIZE)).toBeLessThan(0.5);
    const [noisy, noisier] = [
      highFrequencyRatio(withNoise(phantom, 0.05, 1), phantom, SIZE),
      highFrequencyRatio(withNoise(phantom, 0.1, 1), phantom, SIZE),
    ];
    expect(noisy).toBeGreaterThan(1.05); // measured 1.14: the phantom's own edges carry high frequencies too
    expect(noisier).toBeGreaterThan(noisy + 0.2);
    // Stacks of images are pooled.
    const two = new Float32Array(2 * PIXELS);
    (two.set(phantom), two.set(phantom, PIXELS));
    expect(highFrequencyRatio(two, two, SIZE)).toBeCloseTo(1, 12);
    expect(() => highFrequencyRatio(new Float32Array(100), new Float32Array(100), SIZE)).toThrow(/stack of 64×64/);
  });

  it("per-image high-frequency power sums to the pooled ratio, so a set can be scored image by image", () => {
    const outputs = [gaussianBlur(phantom, SIZE, 0.8), withNoise(phantom, 0.05, 2)];
    const stack = new Float32Array(2 * PIXELS),
      targets = new Float32Array(2 * PIXELS);
    outputs.forEach((o, i) => (stack.set(o, i * PIXELS), targets.set(phantom, i * PIXELS)));
    const summed =
      outputs.reduce((t, o) => t + highFrequencyPower(o, SIZE), 0) / (2 * highFrequencyPower(phantom, SIZE));
    expect(summed).toBeCloseTo(highFrequencyRatio(stack, targets, SIZE), 10);
    // A higher cutoff counts less power.
    expect(highFrequencyPower(phantom, SIZE, 0.5)).toBeLessThan(highFrequencyPower(phantom, SIZE));
  });

  it("works for sizes that are not powers of two (a plain DFT)", () => {
    const size = 28,
      image = new Float32Array(size * size);
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++) image[y * size + x] = Math.cos((2 * Math.PI * 4 * x) / size);
    const spectrum = radialPowerSpectrum(image, size);
    expect(spectrum.indexOf(Math.max(...spectrum))).toBe(4);
    expect(powerSpectrum2d(image, size).reduce((s, p) => s + p, 0) / ((size * size) / 2)).toBeCloseTo(1, 6);
  });
});
