import { describe, expect, it } from "vitest";
import { linearProbe, silhouette } from "../../src/metrics/codes";
import { errorMap, perImageError, psnrFromMse } from "../../src/metrics/reconstruction";
import { gaussian, mulberry32 } from "../../src/data/random";

/** Two clouds of n points each in d dimensions, `gap` apart along the first axis. */
function clouds(n: number, d: number, gap: number, seed = 1) {
  const normal = gaussian(mulberry32(seed));
  const rows = new Float32Array(2 * n * d);
  const labels = new Int32Array(2 * n);
  for (let i = 0; i < 2 * n; i++) {
    labels[i] = i % 2;
    for (let k = 0; k < d; k++) rows[i * d + k] = normal() + (k === 0 ? labels[i] * gap : 0);
  }
  return { rows, labels, count: 2 * n };
}

describe("do the classes separate?", () => {
  it("silhouette: near 1 for far-apart clouds, near 0 for one mixed cloud, by hand for a tiny case", () => {
    expect(silhouette(clouds(40, 3, 20).rows, 80, 3, clouds(40, 3, 20).labels)).toBeGreaterThan(0.85);
    const mixed = clouds(40, 3, 0);
    expect(Math.abs(silhouette(mixed.rows, 80, 3, mixed.labels))).toBeLessThan(0.1);
    // Points 0, 1 (class 0) and 4, 5 (class 1) on a line: a(0) = 1, b(0) = 4.5 → s = 3.5/4.5, and so on.
    const line = [0, 1, 4, 5];
    const byHand = [(4.5 - 1) / 4.5, (3.5 - 1) / 3.5, (3.5 - 1) / 3.5, (4.5 - 1) / 4.5].reduce((a, b) => a + b) / 4;
    expect(silhouette(line, 4, 1, [0, 0, 1, 1])).toBeCloseTo(byHand, 10);
    expect(silhouette(line, 4, 1, [0, 0, 0, 0])).toBeNaN();
  });

  it("a linear probe separates separable classes and guesses on mixed ones", () => {
    const far = clouds(60, 5, 4, 2),
      farVal = clouds(60, 5, 4, 3);
    const probe = linearProbe(far, farVal, 5, 2);
    expect(probe.auc).toBeGreaterThan(0.97);
    expect(probe.accuracy).toBeGreaterThan(0.9);
    const mixed = linearProbe(clouds(60, 5, 0, 4), clouds(60, 5, 0, 5), 5, 2);
    expect(Math.abs(mixed.auc - 0.5)).toBeLessThan(0.15);
  });
});

describe("reconstruction errors", () => {
  it("per image, per pixel and as PSNR", () => {
    const images = Float32Array.from([0, 0, 1, 1, 0.5, 0.5, 0.5, 0.5]);
    const rebuilt = Float32Array.from([0, 0, 1, 0, 0.5, 0.5, 0.5, 0.5]);
    expect(Array.from(perImageError(images, rebuilt, 2))).toEqual([0.25, 0]);
    expect(Array.from(errorMap(images.subarray(0, 4), rebuilt.subarray(0, 4)))).toEqual([0, 0, 0, 1]);
    expect(Array.from(errorMap([0, 1, 1, 1], [0, 0, 1, 1], 2))).toEqual([0.5, 0]);
    expect(psnrFromMse(0.01)).toBeCloseTo(20, 10);
    expect(psnrFromMse(0)).toBe(Infinity);
  });
});
