import { describe, expect, it } from "vitest";
import {
  boundaryBand,
  boundaryDice,
  classicalBaselines,
  dice,
  iou,
  otsuThreshold,
  scoreMasks,
} from "../../src/metrics/segmentation";
import { checkerboardStrength } from "../../src/viz/segmentation";

describe("Dice and IoU", () => {
  it("match hand-computed values", () => {
    const truth = [1, 1, 1, 1, 0, 0, 0, 0];
    const pred = [1, 1, 0, 0, 1, 0, 0, 0];
    // |A∩B| = 2, |A| = 3, |B| = 4 → Dice 4/7; union 5 → IoU 2/5
    expect(dice(pred, truth)).toBeCloseTo(4 / 7, 10);
    expect(iou(pred, truth)).toBeCloseTo(2 / 5, 10);
    expect(dice([0.7, 0.2], [1, 0])).toBe(1); // thresholded at 0.5
  });

  it("score both-empty masks as perfect, and one-empty as zero", () => {
    expect(dice([0, 0, 0], [0, 0, 0])).toBe(1);
    expect(iou([0, 0, 0], [0, 0, 0])).toBe(1);
    expect(dice([1, 0, 0], [0, 0, 0])).toBe(0);
    expect(iou([0, 0, 0], [0, 1, 0])).toBe(0);
  });

  it("boundary band covers pixels within 2 px of the mask's edge, and boundary Dice ignores the rest", () => {
    // 1×9 row: mask on x = 4..8; the edge lies between x = 3 and 4.
    const truth = [0, 0, 0, 0, 1, 1, 1, 1, 1];
    expect(Array.from(boundaryBand(truth, 1, 9, 2))).toEqual([0, 1, 1, 1, 1, 1, 1, 0, 0]);
    // A prediction wrong only far from the edge (x = 8) keeps a perfect boundary Dice.
    expect(boundaryDice([0, 0, 0, 0, 1, 1, 1, 1, 0], truth, 1, 9)).toBe(1);
    expect(dice([0, 0, 0, 0, 1, 1, 1, 1, 0], truth)).toBeCloseTo(8 / 9, 10);
  });

  it("scoreMasks averages per image", () => {
    const truth = new Float32Array([1, 1, 0, 0, /* image 2 */ 0, 0, 0, 0]);
    const probs = new Float32Array([0.9, 0.8, 0.1, 0.2, /* image 2 */ 0.6, 0, 0, 0]);
    const s = scoreMasks(probs, truth, 2, 2, 2);
    expect(s.dice).toBeCloseTo((1 + 0) / 2, 10);
    expect(s.iou).toBeCloseTo(0.5, 10);
  });
});

describe("classical baselines", () => {
  it("Otsu splits a two-peak histogram between the peaks", () => {
    const values = [...Array(500).fill(0.2), ...Array(300).fill(0.7)].map((v, i) => v + ((i % 7) - 3) * 0.01);
    const t = otsuThreshold(values);
    // Low peak spans 0.17–0.23, high peak 0.67–0.73: every value must land on its own side.
    expect(values.filter((v) => v > t)).toHaveLength(300);
    expect(t).toBeLessThan(0.67);
  });

  it("a global threshold is perfect on evenly lit, noiseless images", () => {
    const size = 16,
      n = 4;
    const images = new Float32Array(n * size),
      masks = new Float32Array(n * size);
    for (let i = 0; i < n * size; i++) {
      masks[i] = i % 3 === 0 ? 1 : 0;
      images[i] = masks[i] ? 0.8 : 0.1;
    }
    const split = { images, masks, count: n };
    const b = classicalBaselines(split, split, 4, 4);
    expect(b.globalThreshold.dice).toBe(1);
    expect(b.otsu.dice).toBe(1);
  });
});

describe("checkerboard strength", () => {
  it("is high for a 2-pixel periodic pattern and low for a smooth ramp", () => {
    const h = 16,
      w = 16;
    const checker = Float32Array.from({ length: h * w }, (_, i) => ((i % w) + Math.floor(i / w)) % 2);
    const ramp = Float32Array.from({ length: h * w }, (_, i) => (i % w) / w);
    expect(checkerboardStrength(checker, h, w)).toBeGreaterThan(0.9);
    expect(checkerboardStrength(ramp, h, w)).toBeLessThan(0.2);
    expect(checkerboardStrength(new Float32Array(h * w), h, w)).toBe(0);
  });
});
