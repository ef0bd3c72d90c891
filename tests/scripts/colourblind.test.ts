import { describe, expect, it } from "vitest";
import { CVD_MATRICES, feColorMatrix } from "../../scripts/colourblind";
import { OKABE_ITO } from "../../src/viz/palette";

const apply = (m: readonly (readonly number[])[], rgb: number[]) =>
  m.map((row) => row.reduce((s, v, i) => s + v * rgb[i], 0));
const hex = (h: string) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16) / 255);
/** How alike two colours' hues are, whatever their brightness: the cosine of the angle between them in RGB. */
const sameHue = (a: number[], b: number[]) =>
  a.reduce((s, v, i) => s + v * b[i], 0) / (Math.hypot(...a) * Math.hypot(...b));

describe("colour-vision simulation", () => {
  it("writes SVG's 4×5 colour matrix (identity in, identity out)", () => {
    const identity = [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ];
    expect(feColorMatrix(identity)).toBe("1 0 0 0 0 0 1 0 0 0 0 0 1 0 0 0 0 0 1 0");
  });

  it("makes red and green hard to tell apart, but keeps the kit's blue and vermillion apart", () => {
    for (const m of Object.values(CVD_MATRICES)) {
      // Pure red and pure green: different hues (cosine 0) become nearly the same hue.
      expect(sameHue(apply(m, [1, 0, 0]), apply(m, [0, 1, 0]))).toBeGreaterThan(0.98);
      // The kit's first two series colours stay different hues.
      expect(sameHue(apply(m, hex(OKABE_ITO.blue)), apply(m, hex(OKABE_ITO.vermillion)))).toBeLessThan(0.8);
    }
  });
});
