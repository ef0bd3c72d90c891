import { describe, expect, it } from "vitest";
import { accuracy, accuracyAtPrevalence, auc, binaryRates, majorityBaseline } from "../../src/metrics/classification";

describe("binary rates at a threshold", () => {
  // 4 positives, 6 negatives. Scores ≥ 0.5 say positive: TP 3 (0.9, 0.8, 0.6), FN 1 (0.3), FP 2 (0.7, 0.5), TN 4.
  const scores = [0.9, 0.8, 0.6, 0.3, 0.7, 0.5, 0.4, 0.2, 0.1, 0.0];
  const positive = [1, 1, 1, 1, 0, 0, 0, 0, 0, 0];

  it("counts the four cells and derives every rate by hand", () => {
    const r = binaryRates(scores, positive);
    expect([r.tp, r.fn, r.fp, r.tn]).toEqual([3, 1, 2, 4]);
    expect(r.sensitivity).toBeCloseTo(3 / 4);
    expect(r.specificity).toBeCloseTo(4 / 6);
    expect(r.balancedAccuracy).toBeCloseTo((3 / 4 + 4 / 6) / 2);
    expect(r.accuracy).toBeCloseTo(7 / 10);
    expect(r.accuracy).toBeCloseTo(
      accuracy(
        positive,
        scores.map((s) => (s >= 0.5 ? 1 : 0)),
      ),
    );
  });

  it("moves with the threshold, and says NaN (not 0 or 1) when a class is absent", () => {
    const strict = binaryRates(scores, positive, 0.75);
    expect([strict.tp, strict.fp]).toEqual([2, 0]);
    const none = binaryRates([0.2, 0.9], [0, 0]);
    expect(none.sensitivity).toBeNaN();
    expect(none.specificity).toBeCloseTo(0.5);
  });

  it("the accuracy paradox by hand: saying 'negative' to everyone at 1% prevalence", () => {
    const r = binaryRates(new Array(100).fill(0.1), [1, ...new Array(99).fill(0)]);
    expect(r.accuracy).toBeCloseTo(0.99);
    expect(r.sensitivity).toBe(0);
    expect(r.balancedAccuracy).toBeCloseTo(0.5);
    expect(majorityBaseline(0.01)).toBeCloseTo(0.99);
    expect(majorityBaseline(0.74)).toBeCloseTo(0.74);
  });

  it("accuracy at a prevalence weights sensitivity and specificity by the class mix", () => {
    expect(accuracyAtPrevalence(0, 1, 0.01)).toBeCloseTo(0.99);
    expect(accuracyAtPrevalence(0.75, 4 / 6, 0.4)).toBeCloseTo(0.7); // the case above: 4 of 10 positive
    expect(accuracyAtPrevalence(0.8, 0.6, 0.5)).toBeCloseTo(0.7);
  });

  it("AUC by hand: the fraction of positive–negative pairs ranked right, ties half", () => {
    // Positives 0.9, 0.4; negatives 0.5, 0.4, 0.1: pairs right 3 + 1 + ½ (tie) of 6.
    expect(auc([0.9, 0.4, 0.5, 0.4, 0.1], [1, 1, 0, 0, 0])).toBeCloseTo(4.5 / 6);
  });
});
