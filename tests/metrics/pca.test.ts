import { describe, expect, it } from "vitest";
import { mulberry32, gaussian } from "../../src/data/random";
import { pca } from "../../src/metrics/pca";

/** n points spread mostly along `dir` (variance 9), a little along a second direction (variance 1), none elsewhere. */
function elongatedCloud(n: number, d: number, dir: number[], second: number[]): Float32Array {
  const normal = gaussian(mulberry32(3));
  const rows = new Float32Array(n * d);
  for (let r = 0; r < n; r++) {
    const a = 3 * normal(),
      b = normal();
    for (let j = 0; j < d; j++) rows[r * d + j] = 5 + a * dir[j] + b * second[j]; // the offset must be centred away
  }
  return rows;
}

describe("pca", () => {
  it("finds the long axis of an elongated cloud first, and the explained variance shares", () => {
    const s = Math.SQRT1_2;
    const rows = elongatedCloud(500, 3, [s, s, 0], [0, 0, 1]);
    const { coords, explained } = pca(rows, 500, 3);
    expect(coords.length).toBe(1000);
    // Variance along PC1 ≈ 9, along PC2 ≈ 1: about 90% and 10%.
    expect(explained[0]).toBeGreaterThan(0.85);
    expect(explained[1]).toBeGreaterThan(0.05);
    expect(explained[0] + explained[1]).toBeCloseTo(1, 5);
    // PC1 coordinates are the points' positions along [s, s, 0], up to sign.
    let dot = 0,
      nx = 0,
      ny = 0;
    for (let r = 0; r < 500; r++) {
      const along = (rows[r * 3] - 5) * s + (rows[r * 3 + 1] - 5) * s;
      dot += along * coords[2 * r];
      nx += along * along;
      ny += coords[2 * r] ** 2;
    }
    expect(Math.abs(dot / Math.sqrt(nx * ny))).toBeGreaterThan(0.999);
  });

  it("centres the data and is deterministic", () => {
    const rows = elongatedCloud(50, 4, [1, 0, 0, 0], [0, 1, 0, 0]);
    const a = pca(rows, 50, 4),
      b = pca(rows, 50, 4);
    expect(Array.from(a.coords)).toEqual(Array.from(b.coords));
    const meanPc1 = Array.from({ length: 50 }, (_, r) => a.coords[2 * r]).reduce((t, v) => t + v, 0) / 50;
    expect(Math.abs(meanPc1)).toBeLessThan(1e-4);
  });

  it("rejects too few rows or a wrong length", () => {
    expect(() => pca(new Float32Array(3), 1, 3)).toThrow(/n ≥ 2/);
    expect(() => pca(new Float32Array(5), 2, 3)).toThrow(/n ≥ 2 rows/);
  });
});
