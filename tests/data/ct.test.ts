import { describe, expect, it } from "vitest";
import {
  addPhotonNoise, ctPairsFromImages, defaultBins, degradeImage, fbp, gaussianBlur, makeCtPairs, poissonSampler,
  radon, randomPhantom, resizeBilinear, sheppLogan, simulateFullDose, simulateLowDose, DEFAULT_TEXTURE,
} from "../../src/data/ct";
import { mulberry32 } from "../../src/data/random";
import { highFrequencyRatio, psnr } from "../../src/metrics/image";

const SIZE = 64, PIXELS = SIZE * SIZE;

/** A disc of value 1 centred in the image, its edge pixels partly covered (8×8 sub-samples). */
function disc(radius: number, size = SIZE): Float32Array {
  const image = new Float32Array(size * size), c = (size - 1) / 2;
  for (let row = 0; row < size; row++) for (let col = 0; col < size; col++) {
    let inside = 0;
    for (let i = 0; i < 8; i++) for (let j = 0; j < 8; j++) {
      const x = col - c + (j + 0.5) / 8 - 0.5, y = row - c + (i + 0.5) / 8 - 0.5;
      if (x * x + y * y <= radius * radius) inside++;
    }
    image[row * size + col] = inside / 64;
  }
  return image;
}

function std(values: ArrayLike<number>): number {
  let mean = 0, square = 0;
  for (let i = 0; i < values.length; i++) mean += values[i] / values.length;
  for (let i = 0; i < values.length; i++) square += (values[i] - mean) ** 2 / values.length;
  return Math.sqrt(square);
}

describe("phantoms", () => {
  it("Shepp–Logan has its textbook values: skull 1, brain 0.2, ventricles 0, and nothing outside the head", () => {
    const sl = sheppLogan(SIZE, { texture: 0 });
    const at = (x: number, y: number) => sl[Math.round((1 - y) * (SIZE / 2) - 0.5) * SIZE + Math.round((x + 1) * (SIZE / 2) - 0.5)];
    expect(at(0, -0.3)).toBeCloseTo(0.2, 5); // brain
    expect(at(0.22, 0)).toBeCloseTo(0, 5); // right ventricle
    expect(at(0, 0.35)).toBeCloseTo(0.3, 5); // the large feature above the ventricles
    expect(at(0, 0.9)).toBeGreaterThan(0.6); // skull, at the top (partly covered pixel)
    expect(at(0.95, 0.95)).toBe(0);
    expect(Math.min(...sl)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...sl)).toBeLessThanOrEqual(1 + 1e-6);
  });

  it("random phantoms are seeded, varied, and within 0..1", () => {
    const a = randomPhantom(mulberry32(4)), b = randomPhantom(mulberry32(4)), c = randomPhantom(mulberry32(5));
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
    const rand = mulberry32(1);
    const levels = new Set<number>();
    for (let n = 0; n < 20; n++) {
      const p = randomPhantom(rand);
      expect(Math.min(...p)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...p)).toBeLessThanOrEqual(1);
      expect(p[0]).toBe(0); // air in the corner
      expect(p[(SIZE / 2) * SIZE + SIZE / 2]).toBeGreaterThan(0); // a body in the middle
      levels.add(Math.round(p[(SIZE / 2) * SIZE + SIZE / 2] * 20));
    }
    expect(levels.size).toBeGreaterThan(4); // the centre pixel is not always the same tissue
  });
});

describe("tissue texture", () => {
  const textured = (texture: number) => {
    const rand = mulberry32(21);
    return Array.from({ length: 8 }, () => randomPhantom(rand, SIZE, { texture }));
  };
  const stack = (images: Float32Array[]) => {
    const out = new Float32Array(images.length * PIXELS);
    images.forEach((image, i) => out.set(image, i * PIXELS));
    return out;
  };

  it("is on by default, seeded, and leaves the shapes (and the next phantoms) unchanged", () => {
    expect(DEFAULT_TEXTURE).toBeGreaterThan(0);
    const [flat, grainy] = [textured(0), textured(DEFAULT_TEXTURE)];
    expect(textured(DEFAULT_TEXTURE)).toEqual(grainy);
    expect(randomPhantom(mulberry32(21), SIZE)).toEqual(grainy[0]);
    for (let n = 0; n < flat.length; n++) {
      // Same anatomy: air stays air, and the texture is a small change in tissue.
      let square = 0, tissue = 0;
      for (let i = 0; i < PIXELS; i++) {
        if (flat[n][i] === 0) expect(grainy[n][i]).toBe(0);
        if (flat[n][i] > 0.1 && flat[n][i] < 0.7) (square += (grainy[n][i] - flat[n][i]) ** 2), tissue++;
        expect(grainy[n][i] >= 0 && grainy[n][i] <= 1).toBe(true);
      }
      const rms = Math.sqrt(square / tissue);
      expect(rms).toBeGreaterThan(0.5 * DEFAULT_TEXTURE);
      expect(rms).toBeLessThan(1.5 * DEFAULT_TEXTURE);
    }
    const sl = sheppLogan(SIZE), plain = sheppLogan(SIZE, { texture: 0 });
    expect(sheppLogan(SIZE)).toEqual(sl); // a fixed field: the same image every time
    expect(sl).not.toEqual(plain);
    expect(sl[0]).toBe(0);
    expect(() => randomPhantom(mulberry32(1), SIZE, { texture: -0.1 })).toThrow(/texture/);
    expect(() => sheppLogan(SIZE, { texture: NaN })).toThrow(/texture/);
  });

  it("adds high-frequency power: textured phantoms have more of it than flat ones, also after the target blur", () => {
    const [flat, grainy] = [stack(textured(0)), stack(textured(DEFAULT_TEXTURE))];
    // Measured (seed 21, 8 phantoms): 1.16 sharp, 1.09 blurred (σ = 0.6); Shepp–Logan 1.06; the pairs'
    // targets 1.13. Modest in total, because edges carry most high-frequency power; above half
    // Nyquist the texture is a third or more of the targets' power.
    expect(highFrequencyRatio(grainy, flat, SIZE)).toBeGreaterThan(1.1);
    const blur = (images: Float32Array) => stack(Array.from({ length: 8 }, (_, n) => gaussianBlur(images.subarray(n * PIXELS, (n + 1) * PIXELS), SIZE, 0.6)));
    expect(highFrequencyRatio(blur(grainy), blur(flat), SIZE)).toBeGreaterThan(1.05);
    expect(highFrequencyRatio(sheppLogan(SIZE), sheppLogan(SIZE, { texture: 0 }), SIZE)).toBeGreaterThan(1.03);
    // makeCtPairs: the same anatomy with and without texture; texture only in the targets' fine detail.
    const a = makeCtPairs({ count: 4, seed: 2, texture: 0 }), b = makeCtPairs({ count: 4, seed: 2 });
    expect(highFrequencyRatio(b.targets, a.targets, SIZE)).toBeGreaterThan(1.05);
    expect(b.description).toMatch(/texture/);
    expect(a.description).not.toMatch(/texture/);
  });
});

describe("forward projection (radon)", () => {
  it("of a centred disc gives the chord lengths 2·√(r² − s²) at every angle", () => {
    const r = 20, bins = defaultBins(SIZE);
    const sinogram = radon(disc(r), SIZE);
    expect(sinogram.length).toBe(90 * bins);
    for (let k = 0; k < 90; k++) {
      let total = 0;
      for (let j = 0; j < bins; j++) {
        const s = j - (bins - 1) / 2, p = sinogram[k * bins + j];
        total += p;
        // Measured: within 0.33 of the chord (peak 40) away from the rim, where partial pixels blur it.
        if (Math.abs(s) <= r - 3) expect(Math.abs(p - 2 * Math.sqrt(r * r - s * s))).toBeLessThan(0.5);
        if (Math.abs(s) >= r + 2) expect(p).toBe(0);
      }
      // Every projection carries the whole disc: its area π r².
      expect(total).toBeCloseTo(Math.PI * r * r, -1);
    }
  });

  it("refuses bad geometry and images of the wrong length", () => {
    expect(() => radon(new Float32Array(10), SIZE)).toThrow(/image has 10 values/);
    expect(() => radon(new Float32Array(PIXELS), SIZE, { angles: 0 })).toThrow(/angles/);
    expect(() => radon(new Float32Array(PIXELS), SIZE, { bins: 2.5 })).toThrow(/bins/);
    expect(() => radon(new Float32Array(49), 7)).toThrow(/size must be an integer from 8/);
  });
});

describe("filtered back-projection", () => {
  const sl = sheppLogan(SIZE, { texture: 0 }); // the textbook phantom: the measured values below are for it
  const reconstruction = fbp(radon(sl, SIZE), SIZE);

  it("reconstructs Shepp–Logan from noiseless projections", () => {
    // Measured: 24.5 dB (RMSE 0.060) against the sharp phantom, the error all at its edges;
    // 37.4 dB against the phantom blurred by σ = 0.6 px, the resolution FBP delivers.
    expect(psnr(reconstruction, sl)).toBeGreaterThan(23.5);
    expect(psnr(reconstruction, gaussianBlur(sl, SIZE, 0.6))).toBeGreaterThan(35);
    // Without the ramp filter, back-projection is only a blurred smear: the filter matters.
    expect(psnr(reconstruction, sl)).toBeGreaterThan(psnr(gaussianBlur(sl, SIZE, 2), sl) + 5);
  });

  it("recovers the value of a uniform disc in its middle", () => {
    const image = fbp(radon(disc(20), SIZE), SIZE);
    for (const [row, col] of [[32, 32], [25, 40], [40, 28]]) expect(image[row * SIZE + col]).toBeCloseTo(1, 1);
    expect(Math.abs(image[2 * SIZE + 2])).toBeLessThan(0.05); // air stays air
  });

  it("refuses a sinogram of the wrong shape and an unknown filter", () => {
    expect(() => fbp(new Float32Array(100), SIZE)).toThrow(/sinogram has 100 values/);
    expect(() => fbp(radon(sl, SIZE), SIZE, { filter: "hann" as "ram-lak" })).toThrow(/unknown filter/);
  });
});

describe("photon noise", () => {
  function moments(lambda: number, n = 20_000) {
    const poisson = poissonSampler(mulberry32(9));
    let sum = 0, square = 0, zeros = 0, integers = true;
    for (let i = 0; i < n; i++) {
      const k = poisson(lambda);
      integers &&= Number.isInteger(k) && k >= 0;
      (sum += k), (square += k * k), (zeros += k === 0 ? 1 : 0);
    }
    expect(integers).toBe(true);
    const mean = sum / n;
    return { mean, variance: square / n - mean * mean, zeros: zeros / n };
  }

  it("Poisson samples have mean and variance λ, for small λ (exact sampler) and large λ (normal approximation)", () => {
    // Tolerances are about 5 standard errors for 20 000 samples.
    const small = moments(3);
    expect(small.mean).toBeCloseTo(3, 1);
    expect(Math.abs(small.variance - 3)).toBeLessThan(0.15);
    expect(Math.abs(small.zeros - Math.exp(-3))).toBeLessThan(0.01); // P(0) = e^−λ: the exact shape, not just moments
    const large = moments(500);
    expect(Math.abs(large.mean - 500)).toBeLessThan(1);
    expect(Math.abs(large.variance - 500)).toBeLessThan(25);
    expect(moments(0).mean).toBe(0);
  });

  it("turns counts back into line integrals; with no photons it stays finite", () => {
    const sinogram = new Float32Array([0, 10, 30]);
    const noisy = addPhotonNoise(sinogram, 1e7, mulberry32(1), 0.08);
    expect(noisy[0]).toBeCloseTo(0, 1);
    expect(noisy[1]).toBeCloseTo(10, 1);
    // Nearly every photon absorbed (exp(−0.08·1000) ≈ 0): the count is floored, the result finite.
    const dark = addPhotonNoise(new Float32Array([1000]), 100, mulberry32(1), 0.08);
    expect(Number.isFinite(dark[0])).toBe(true);
    expect(dark[0]).toBeCloseTo(-Math.log(0.5 / 100) / 0.08, 3);
    expect(() => addPhotonNoise(sinogram, 0, mulberry32(1))).toThrow(/dose/);
    expect(() => addPhotonNoise(sinogram, 1e3, mulberry32(1), -1)).toThrow(/mu/);
  });

  it("grows as the dose falls, about as 1/√dose", () => {
    const sl = sheppLogan(SIZE);
    const full = simulateFullDose(sl, SIZE);
    const noise = (dose: number) => std(simulateLowDose(sl, SIZE, { dose, rand: mulberry32(1) }).map((v, i) => v - full[i]));
    const [low, mid, high] = [noise(5e2), noise(2e3), noise(1e4)];
    // Measured: 0.044, 0.022, 0.0099.
    expect(low).toBeGreaterThan(mid);
    expect(mid).toBeGreaterThan(high);
    expect(low / mid).toBeGreaterThan(1.6); // √4 = 2
    expect(low / mid).toBeLessThan(2.4);
  });

  it("is the same for the same seed and different for another", () => {
    const sl = sheppLogan(SIZE);
    const a = simulateLowDose(sl, SIZE, { dose: 1e3, rand: mulberry32(3) });
    expect(simulateLowDose(sl, SIZE, { dose: 1e3, rand: mulberry32(3) })).toEqual(a);
    expect(simulateLowDose(sl, SIZE, { dose: 1e3, rand: mulberry32(4) })).not.toEqual(a);
    expect(degradeImage(sl, SIZE, { dose: 1e3, seed: 2 })).toEqual(degradeImage(sl, SIZE, { dose: 1e3, seed: 2 }));
    expect(degradeImage(sl, SIZE, { dose: 1e3, seed: 2 })).not.toEqual(degradeImage(sl, SIZE, { dose: 1e3, seed: 3 }));
  });
});

describe("training pairs", () => {
  const pairs = makeCtPairs({ count: 4, seed: 2 });

  it("have the right shapes and labels, and start with Shepp–Logan", () => {
    expect(pairs.inputs.length).toBe(4 * PIXELS);
    expect(pairs.targets.length).toBe(4 * PIXELS);
    expect([pairs.count, pairs.size, pairs.dose, pairs.synthetic]).toEqual([4, 64, 1.5e3, true]);
    expect(pairs.description).toMatch(/synthetic/i);
    expect(pairs.title.length).toBeGreaterThan(0);
    expect(pairs.targets.subarray(0, PIXELS)).toEqual(gaussianBlur(sheppLogan(SIZE), SIZE, 0.6));
    for (const v of pairs.inputs) expect(v >= 0 && v <= 1).toBe(true);
  });

  it("inputs are noisy versions of their targets; the target choice changes only the targets", () => {
    for (let n = 0; n < pairs.count; n++) {
      const score = psnr(pairs.inputs.subarray(n * PIXELS, (n + 1) * PIXELS), pairs.targets.subarray(n * PIXELS, (n + 1) * PIXELS));
      expect(score).toBeGreaterThan(20);
      expect(score).toBeLessThan(35);
    }
    const fbpTargets = makeCtPairs({ count: 4, seed: 2, target: "fbp" });
    expect(fbpTargets.inputs).toEqual(pairs.inputs);
    expect(fbpTargets.targets.subarray(0, PIXELS)).toEqual(simulateFullDose(sheppLogan(SIZE), SIZE));
  });

  it("are seeded; the phantoms do not depend on the dose; Shepp–Logan can be left out", () => {
    expect(makeCtPairs({ count: 4, seed: 2 }).inputs).toEqual(pairs.inputs);
    const other = makeCtPairs({ count: 4, seed: 3 });
    expect(other.targets.subarray(0, PIXELS)).toEqual(pairs.targets.subarray(0, PIXELS)); // Shepp–Logan both times
    expect(other.targets.subarray(PIXELS)).not.toEqual(pairs.targets.subarray(PIXELS));
    const lowerDose = makeCtPairs({ count: 4, seed: 2, dose: 500 });
    expect(lowerDose.targets).toEqual(pairs.targets);
    expect(psnr(lowerDose.inputs, lowerDose.targets)).toBeLessThan(psnr(pairs.inputs, pairs.targets));
    const training = makeCtPairs({ count: 2, seed: 2, includeSheppLogan: false });
    expect(training.targets.subarray(0, PIXELS)).not.toEqual(pairs.targets.subarray(0, PIXELS));
  });

  it("refuse bad options with clear errors", () => {
    expect(() => makeCtPairs({ count: 0 })).toThrow(/count must be a positive integer/);
    expect(() => makeCtPairs({ count: 1.5 })).toThrow(/count/);
    for (const dose of [0, -5, NaN, Infinity]) expect(() => makeCtPairs({ count: 1, dose })).toThrow(/dose/);
    expect(() => makeCtPairs({ count: 1, size: 7 })).toThrow(/size must be an integer from 8/);
    expect(() => makeCtPairs({ count: 1, size: 32.5 })).toThrow(/size/);
    expect(() => makeCtPairs({ count: 1, target: "clean" as "fbp" })).toThrow(/target must be "phantom" or "fbp"/);
  });
});

describe("real-data mode", () => {
  it("resizes bilinearly: constants stay constant, a ramp stays a ramp", () => {
    expect(resizeBilinear(new Float32Array(28 * 28).fill(0.4), 28, 64).every((v) => Math.abs(v - 0.4) < 1e-6)).toBe(true);
    const ramp = Float32Array.from({ length: 16 }, (_, i) => i % 4); // columns 0, 1, 2, 3
    const big = resizeBilinear(ramp, 4, 8);
    // Pixel centres: output column x samples input column (x + 0.5)/2 − 0.5, clamped to the edges.
    expect(Array.from(big.subarray(0, 8))).toEqual([0, 0.25, 0.75, 1.25, 1.75, 2.25, 2.75, 3]);
    expect(() => resizeBilinear(ramp, 5, 8)).toThrow(/image has 16 values/);
  });

  it("builds pairs from real images: resized, scanned at low dose, marked as not synthetic", () => {
    const rand = mulberry32(8);
    const images = Float32Array.from({ length: 3 * 28 * 28 }, (_, i) => 0.4 + 0.3 * Math.sin(i / 40) * rand()); // within 0..1
    const pairs = ctPairsFromImages(images, 3, 28, { dose: 2e3, seed: 5 });
    expect([pairs.count, pairs.size, pairs.synthetic, pairs.dose]).toEqual([3, 64, false, 2e3]);
    expect(pairs.inputs.length).toBe(3 * PIXELS);
    expect(pairs.description).toMatch(/simulated/);
    const truth = resizeBilinear(images.subarray(28 * 28, 2 * 28 * 28), 28, 64);
    expect(pairs.targets.subarray(PIXELS, 2 * PIXELS)).toEqual(gaussianBlur(truth, SIZE, 0.6));
    expect(psnr(pairs.inputs.subarray(PIXELS, 2 * PIXELS), truth)).toBeLessThan(35); // noisy
    expect(() => ctPairsFromImages(images, 4, 28)).toThrow(/images has/);
  });
});
