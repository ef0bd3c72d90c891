import { describe, expect, it } from "vitest";
import { addGaussianNoise, checkCorruption, corruptImages, maskPixels } from "../../src/data/corrupt";
import { mulberry32 } from "../../src/data/random";

const image = Float32Array.from({ length: 64 * 64 }, (_, i) => 0.2 + 0.6 * ((i * 37) % 101) / 101);

describe("corruptions", () => {
  it("Gaussian noise has the asked standard deviation and is seeded", () => {
    for (const sigma of [0.05, 0.2, 0.5]) {
      const noisy = addGaussianNoise(image, sigma, mulberry32(3));
      let mean = 0, sq = 0;
      for (let i = 0; i < image.length; i++) mean += (noisy[i] - image[i]) / image.length;
      for (let i = 0; i < image.length; i++) sq += (noisy[i] - image[i] - mean) ** 2 / image.length;
      expect(Math.abs(mean)).toBeLessThan(0.05 * sigma);
      expect(Math.sqrt(sq)).toBeCloseTo(sigma, 2);
      expect(addGaussianNoise(image, sigma, mulberry32(3))).toEqual(noisy);
      expect(addGaussianNoise(image, sigma, mulberry32(4))).not.toEqual(noisy);
    }
    expect(image[0]).toBeCloseTo(0.2); // the original is left alone
  });

  it("masking zeroes exactly the asked fraction of pixels (all channels of a pixel), seeded", () => {
    const bright = new Float32Array(100 * 3).fill(0.7);
    for (const fraction of [0, 0.1, 0.25, 0.9]) {
      const masked = maskPixels(bright, fraction, mulberry32(5), 3);
      let zeroPixels = 0;
      for (let p = 0; p < 100; p++) {
        const zeros = [0, 1, 2].filter((c) => masked[p * 3 + c] === 0).length;
        expect([0, 3]).toContain(zeros);
        if (zeros === 3) zeroPixels++;
      }
      expect(zeroPixels).toBe(Math.round(fraction * 100));
      expect(maskPixels(bright, fraction, mulberry32(5), 3)).toEqual(masked);
    }
    expect(maskPixels(bright, 0.5, mulberry32(5), 3)).not.toEqual(maskPixels(bright, 0.5, mulberry32(6), 3));
  });

  it("corrupts a whole split the same way for the same seed, and refuses absurd levels", () => {
    const split = new Float32Array(4 * 16).fill(0.5);
    const a = corruptImages(split, 4, 1, { kind: "gaussian", level: 0.1 }, 7);
    expect(corruptImages(split, 4, 1, { kind: "gaussian", level: 0.1 }, 7)).toEqual(a);
    expect(a.subarray(0, 16)).not.toEqual(a.subarray(16, 32)); // each image gets its own noise
    expect(corruptImages(split, 4, 1, { kind: "none", level: 0 }, 7)).toEqual(split);
    expect(() => checkCorruption({ kind: "gaussian", level: NaN })).toThrow(/must be a number/);
    expect(() => checkCorruption({ kind: "gaussian", level: 3 })).toThrow(/between 0 and 1/);
    expect(() => checkCorruption({ kind: "mask", level: 1 })).toThrow(/below 1/);
  });
});
