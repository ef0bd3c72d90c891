/**
 * The silhouette score computes each distance once (the matrix is symmetric). It must give exactly
 * what the textbook double loop gives, which recomputes every distance from both ends.
 */
import { describe, expect, it } from "vitest";
import { silhouette } from "../../src/metrics/codes";
import { mulberry32 } from "../../src/data/random";

/** The definition, written plainly: for each point, mean distance to its own class and to the nearest other class. */
function reference(rows: ArrayLike<number>, n: number, d: number, labels: ArrayLike<number>): number {
  if (new Set(Array.from(labels)).size < 2) return NaN;
  let total = 0,
    counted = 0;
  for (let i = 0; i < n; i++) {
    const sums = new Map<number, { sum: number; count: number }>();
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      let s = 0;
      for (let k = 0; k < d; k++) s += (rows[i * d + k] - rows[j * d + k]) ** 2;
      const entry = sums.get(labels[j]) ?? { sum: 0, count: 0 };
      entry.sum += Math.sqrt(s);
      entry.count++;
      sums.set(labels[j], entry);
    }
    const own = sums.get(labels[i]);
    if (!own || own.count === 0) continue;
    const a = own.sum / own.count;
    let b = Infinity;
    for (const [cls, { sum, count }] of sums) if (cls !== labels[i] && count > 0) b = Math.min(b, sum / count);
    const m = Math.max(a, b);
    total += m > 0 ? (b - a) / m : 0;
    counted++;
  }
  return counted ? total / counted : NaN;
}

describe("silhouette", () => {
  it("is exactly the textbook double loop, on random data of many sizes, scales and class counts", () => {
    const rand = mulberry32(12);
    for (let t = 0; t < 60; t++) {
      const n = 3 + (t % 30),
        d = 1 + ((t * 7) % 40);
      const scale = 10 ** ((t % 7) - 3);
      const rows = Float32Array.from({ length: n * d }, () => (rand() - 0.5) * scale);
      const labels = Int32Array.from({ length: n }, (_, i) => (i * 13 + t) % (2 + (t % 3)));
      expect(Object.is(silhouette(rows, n, d, labels), reference(rows, n, d, labels)), `case ${t}`).toBe(true);
    }
  });

  it("a class of one point has no silhouette of its own, as in the definition", () => {
    const rows = [0, 0.1, 5, 5.2, 9];
    expect(silhouette(rows, 5, 1, [0, 0, 1, 1, 2])).toBe(reference(rows, 5, 1, [0, 0, 1, 1, 2]));
  });
});
