import { describe, expect, it } from "vitest";
import {
  applyTemperature,
  confidences,
  expectedCalibrationError,
  fitTemperature,
  reliabilityBins,
} from "../../src/metrics/calibration";
import { referralCurve } from "../../src/metrics/referral";

/** Eight binary predictions worked out by hand (see the ECE test). */
const PROBS = [
  0.1,
  0.9,
  0.1,
  0.9,
  0.1,
  0.9,
  0.1,
  0.9, // confidence 0.9 for class 1
  0.6,
  0.4,
  0.6,
  0.4,
  0.6,
  0.4,
  0.6,
  0.4, // confidence 0.6 for class 0
];
const LABELS = [1, 1, 1, 0, 0, 0, 1, 1]; // 3 of 4 right at 0.9; 2 of 4 right at 0.6

describe("reliability bins and ECE", () => {
  it("bins by top probability and counts the right answers", () => {
    const bins = reliabilityBins(PROBS, LABELS, 2, 10);
    expect(bins).toHaveLength(10);
    expect(bins[9]).toMatchObject({ count: 4, accuracy: 0.75 });
    expect(bins[9].confidence).toBeCloseTo(0.9, 6);
    expect(bins[6]).toMatchObject({ count: 4, accuracy: 0.5 });
    expect(bins[0].count).toBe(0);
    expect(Number.isNaN(bins[0].accuracy)).toBe(true);
    expect(Array.from(confidences([0.2, 0.3, 0.5], 3))).toEqual([0.5]);
  });

  it("ECE by hand: ½·|0.75 − 0.9| + ½·|0.5 − 0.6| = 0.125", () => {
    expect(expectedCalibrationError(PROBS, LABELS, 2, 10)).toBeCloseTo(0.125, 6);
  });

  it("a perfectly calibrated set has ECE 0; a confidence of exactly 1 counts in the last bin", () => {
    expect(expectedCalibrationError([0.5, 0.5, 0.5, 0.5], [0, 1], 2, 10)).toBeCloseTo(0, 10); // argmax 0: one right, one wrong
    const bins = reliabilityBins([0, 1], [1], 2, 5);
    expect(bins[4]).toMatchObject({ count: 1, accuracy: 1, confidence: 1 });
  });
});

describe("temperature scaling", () => {
  it("T = 1 changes nothing; large T flattens towards uniform; the ranking stays", () => {
    const once = applyTemperature(PROBS, 2, 1);
    PROBS.forEach((p, i) => expect(once[i]).toBeCloseTo(p, 6));
    const hot = applyTemperature([0.1, 0.9], 2, 1000);
    expect(hot[1]).toBeCloseTo(0.5, 2);
    expect(hot[1]).toBeGreaterThan(hot[0]);
    // By hand: softmax(log p / 2) for p = (0.1, 0.9) is (√0.1, √0.9) / (√0.1 + √0.9) = (0.25, 0.75).
    const half = applyTemperature([0.1, 0.9], 2, 2);
    expect(half[1]).toBeCloseTo(0.75, 6);
    expect(() => applyTemperature(PROBS, 2, 0)).toThrow(/temperature/);
    expect(() => applyTemperature(PROBS, 2, NaN)).toThrow(/temperature/);
  });

  it("fits the hand-computed temperature: 90% confident but 60% right gives T = ln 9 / ln 1.5", () => {
    // Every image says 0.9 for class 1; 6 of 10 are class 1. The best single probability is 0.6,
    // so σ(ln 9 / T) = 0.6, i.e. T = ln 9 / ln 1.5 ≈ 5.419.
    const probs = Array.from({ length: 10 }, () => [0.1, 0.9]).flat();
    const labels = [1, 1, 1, 1, 1, 1, 0, 0, 0, 0];
    const t = fitTemperature(probs, labels, 2);
    expect(t).toBeCloseTo(Math.log(9) / Math.log(1.5), 3);
    const scaled = applyTemperature(probs, 2, t);
    expect(scaled[1]).toBeCloseTo(0.6, 4);
    expect(expectedCalibrationError(scaled, labels, 2)).toBeLessThan(expectedCalibrationError(probs, labels, 2));
  });

  it("an under-confident model gets T < 1", () => {
    const probs = Array.from({ length: 10 }, () => [0.4, 0.6]).flat();
    const labels = new Array(10).fill(1); // always right, yet only 60% sure
    expect(fitTemperature(probs, labels, 2)).toBeLessThan(0.2);
  });
});

describe("referral curve", () => {
  it("refers the least certain first; accuracy on the rest, by hand", () => {
    const probs = [0.1, 0.9, 0.1, 0.9, 0.1, 0.9, 0.1, 0.9]; // predicts class 1 for all four
    const labels = [1, 0, 1, 0]; // right, wrong, right, wrong
    const uncertainty = [0.1, 0.4, 0.2, 0.3]; // surest first: 0 ✓, 2 ✓, 3 ✗, 1 ✗
    const curve = referralCurve(probs, labels, 2, uncertainty);
    expect(curve.map((p) => p.referred)).toEqual([0, 0.25, 0.5, 0.75]);
    expect(curve.map((p) => p.accuracy)).toEqual([0.5, 2 / 3, 1, 1]);
    expect(curve.map((p) => p.kept)).toEqual([4, 3, 2, 1]);
    expect(referralCurve(probs, labels, 2, uncertainty, { maxReferred: 0.5 })).toHaveLength(3);
    expect(() => referralCurve(probs, labels, 2, [1, 2])).toThrow(/uncertainty/);
  });
});
