// @vitest-environment jsdom
import { beforeAll, describe, expect, it } from "vitest";
import type { History } from "../../src/train/types";
import { AUGMENT_ARM_NAMES, type AugmentPoint } from "../../src/train/dataProblems";
import {
  augmentationGrid,
  augmentSweepChart,
  compareRuns,
  imbalanceScoreboard,
  latestScores,
  metricCurves,
  noiseCurves,
} from "../../src/viz/dataProblems";
import { stubCanvas } from "../helpers/dom";

beforeAll(stubCanvas);

const history = (rows: Record<string, number>[]): History => ({
  scoreName: "accuracy",
  batches: [],
  epochs: rows.map((metrics, i) => ({
    epoch: i + 1,
    step: 10 * (i + 1),
    trainLoss: 0.5,
    trainScore: 0.5,
    valLoss: 0.5,
    metrics,
  })),
});
const imb = (sens: number) => ({
  accuracy: 0.95,
  auc: 0.6,
  balancedAccuracy: 0.5 + sens / 2,
  sensitivity: sens,
  specificity: 1,
});
/** Drawn shapes of a mark (faceted marks nest them in one group per facet). */
const marks = (svg: Element, label: string) => svg.querySelectorAll(`g[aria-label="${label}"] :not(g, title)`).length;
/** The plot itself: Plot wraps it in a figure when it has a legend. */
const plotOf = (node: Element) => (node.tagName.toLowerCase() === "svg" ? node : node.querySelector(":scope > svg")!);

describe("data-problems charts", () => {
  it("the scoreboard has one bar per run and metric, and the majority line in the accuracy panel only", () => {
    const runs = [
      { name: "no remedy", history: history([imb(0), imb(0)]) },
      { name: "oversampling", history: history([imb(0.3)]) },
    ];
    const rows = latestScores(runs);
    expect(rows).toHaveLength(8);
    expect(rows.find((r) => r.run === "oversampling" && r.metric === "sensitivity")!.value).toBe(0.3);
    const svg = plotOf(imbalanceScoreboard(rows, { baseline: 0.95, runs: runs.map((r) => r.name) }));
    expect(marks(svg, "bar")).toBe(8);
    expect(marks(svg, "rule")).toBe(1);
  });

  it("metric curves draw four lines, a dot per metric and epoch, and the baseline", () => {
    const svg = plotOf(metricCurves(history([imb(0), imb(0.1), imb(0.2)]), { baseline: 0.95 }));
    expect(svg.querySelectorAll('g[aria-label="line"]').length).toBe(4);
    expect(marks(svg, "dot")).toBe(12);
    expect(marks(svg, "rule")).toBe(1);
    expect(
      plotOf(
        compareRuns([
          { name: "a", history: history([{ auc: 0.6 }]) },
          { name: "b", history: history([{ auc: 0.7 }]) },
        ]),
      ).querySelectorAll('g[aria-label="line"]').length,
    ).toBe(2);
  });

  it("the noise chart draws its four series and the early-stopping line where it was asked", () => {
    const noisy = history(
      [0.6, 0.8, 0.95].map((t, i) => ({
        trainAccuracy: t,
        accuracy: [0.6, 0.65, 0.6][i],
        memorised: [0.5, 0.7, 0.9][i],
      })),
    );
    const clean = history([{ accuracy: 0.7 }, { accuracy: 0.8 }, { accuracy: 0.85 }]);
    const svg = plotOf(noiseCurves(noisy, clean, { stop: noisy.epochs[1] }));
    expect(svg.querySelectorAll('g[aria-label="line"]').length).toBe(4);
    expect(marks(svg, "dot")).toBe(12);
    expect(marks(svg, "rule")).toBe(1);
    expect(svg.textContent).toContain("early stopping: epoch 2");
  });

  it("the sweep chart has a line per arm and a dot per run; the grid shows the original and its copies", () => {
    const points: AugmentPoint[] = [10, 100].flatMap((n) =>
      [1, 2].flatMap((seed) => [
        { strategy: "plain" as const, n, seed, auc: 0.6 + seed / 100 },
        { strategy: "augmented" as const, n, seed, auc: 0.7 + seed / 100 },
      ]),
    );
    const svg = plotOf(augmentSweepChart(points, { names: AUGMENT_ARM_NAMES }));
    expect(svg.querySelectorAll('g[aria-label="line"]').length).toBe(2);
    expect(marks(svg, "dot")).toBe(8);
    const grid = augmentationGrid(
      new Float32Array(16 * 16).fill(0.5),
      [16, 16, 1],
      { flip: true, maxRotation: 10 },
      { count: 5 },
    );
    expect(grid.querySelectorAll("canvas").length).toBe(6);
    expect(grid.querySelector("figcaption")!.textContent).toBe("original");
  });
});
