import { describe, expect, it } from "vitest";
import { checkHyperparameters, checkLearningRate, LossWatch, WATCH_WINDOW } from "../../src/train/checks";

describe("LossWatch", () => {
  it("names NaN and infinite losses at once", () => {
    expect(new LossWatch(Math.LN2).check(NaN)).toMatch(/diverged; try a lower learning rate.*NaN/);
    expect(new LossWatch(Math.LN2).check(Infinity)).toMatch(/Infinity/);
  });

  it("names a sudden jump far above the first loss", () => {
    const watch = new LossWatch(Math.LN2);
    expect(watch.check(0.7)).toBeNull();
    expect(watch.check(30)).toMatch(/jumped/);
  });

  it("names a loss that stays far above chance, but not one bad batch", () => {
    const watch = new LossWatch(Math.LN2);
    expect(watch.check(0.7)).toBeNull();
    expect(watch.check(9)).toBeNull(); // one bad batch is not a divergence
    for (let i = 0; i < WATCH_WINDOW - 3; i++) expect(watch.check(8)).toBeNull();
    expect(watch.check(8)).toMatch(/averaged/);
  });

  it("stays quiet on a normal, falling loss", () => {
    const watch = new LossWatch(Math.log(3));
    for (let i = 0; i < 100; i++) expect(watch.check(1.1 * Math.exp(-i / 30) + 0.05 * Math.sin(i))).toBeNull();
  });
});

describe("hyperparameter checks", () => {
  it("reject NaN, out-of-range and fractional values with one message each", () => {
    const problems = checkHyperparameters(
      { learningRate: NaN, batchSize: 0, epochs: 2.5, filters: 8 },
      {
        learningRate: { min: 1e-6, max: 1 },
        batchSize: { min: 1, max: 512, integer: true },
        epochs: { min: 1, max: 200, integer: true },
        filters: { min: 1, max: 64, integer: true },
      },
    );
    expect(problems.map((p) => p.name)).toEqual(["learningRate", "batchSize", "epochs"]);
    expect(problems[0].message).toMatch(/must be a number/);
    expect(problems[1].message).toMatch(/between 1 and 512/);
    expect(problems[2].message).toMatch(/whole number/);
  });

  it("checkLearningRate accepts sane rates only", () => {
    expect(() => checkLearningRate(0.001)).not.toThrow();
    expect(() => checkLearningRate(0)).toThrow();
    expect(() => checkLearningRate(Infinity)).toThrow();
  });
});
