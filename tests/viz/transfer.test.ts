// @vitest-environment jsdom
import { beforeAll, describe, expect, it } from "vitest";
import { makeLesionDataset } from "../../src/data/lesions";
import type { Strategy } from "../../src/models/transfer";
import { summarizeSweep, type SweepPoint } from "../../src/train/sweep";
import type { History } from "../../src/train/types";
import * as tf from "@tensorflow/tfjs";
import { buildCnn } from "../../src/models/cnn";
import {
  featurePanel,
  sourcePanel,
  speedTable,
  sweepPanel,
  targetSizes,
  transferProblem,
} from "../../src/lessons/transfer";
import { featureScatter, strategyCurves, sweepChart, timeToReach } from "../../src/viz/transfer";
import { predictionGrid } from "../../src/viz/predictions";
import { stubCanvas } from "../helpers/dom";

beforeAll(stubCanvas);

const history = (aucs: number[]): History => ({
  scoreName: "accuracy",
  batches: aucs.flatMap((_, i) =>
    Array.from({ length: 8 }, (_, b) => ({
      step: 8 * i + b + 1,
      epoch: i + 1,
      batch: b + 1,
      batchesPerEpoch: 8,
      loss: 0.6,
      score: 0.6,
      learningRate: 0.003,
    })),
  ),
  epochs: aucs.map((auc, i) => ({
    epoch: i + 1,
    step: 8 * (i + 1),
    trainLoss: 0.6,
    trainScore: 0.6,
    valLoss: 0.6,
    metrics: { accuracy: 0.6, auc },
  })),
});
const runs = [
  { strategy: "scratch" as Strategy, history: history([0.5, 0.55, 0.6]), ms: [400, 800, 1200] },
  { strategy: "frozen" as Strategy, history: history([0.62, 0.66, 0.7]), ms: [100, 200, 300] },
  { strategy: "finetune" as Strategy, history: history([0.58, 0.64, 0.72]), ms: [300, 600, 900] },
];

function sweepPoints(): SweepPoint[] {
  const points: SweepPoint[] = [];
  for (const [strategy, base] of [
    ["scratch", 0.55],
    ["frozen", 0.65],
    ["finetune", 0.66],
  ] as const) {
    for (const n of [10, 100, 600]) {
      for (const seed of [1, 2, 3]) points.push({ strategy, n, seed, auc: base + n / 10000 + seed / 100, curve: [] });
    }
  }
  return points;
}

describe("transfer charts", () => {
  it("draws one AUC curve per strategy, with a dot per validation", () => {
    const svg = strategyCurves(runs);
    expect(svg.querySelectorAll('g[aria-label="line"] path')).toHaveLength(3);
    expect(svg.querySelectorAll('g[aria-label="dot"] circle, g[aria-label="dot"] path')).toHaveLength(9);
    expect(svg.textContent).toContain("Validation AUC");
    // Against time, too: the x values are seconds now.
    const byTime = strategyCurves(runs, { x: "seconds" });
    expect(byTime.textContent).toContain("Training time (s)");
  });

  it("finds the first time each strategy reaches an AUC, and lists it per strategy", () => {
    expect(timeToReach(runs[1], 0.66)).toEqual({ step: 16, ms: 200 });
    expect(timeToReach(runs[0], 0.66)).toBeNull();
    const table = speedTable(runs, 0.66);
    const cells = [...table.querySelectorAll("tbody tr")].map((tr) =>
      [...tr.querySelectorAll("td")].map((td) => td.textContent),
    );
    expect(cells).toEqual([
      ["from scratch", "50 ms", "not yet"],
      ["frozen pretrained features + new head", "13 ms", "step 16 · 0.2 s"],
      ["fine-tuned pretrained network", "38 ms", "step 24 · 0.9 s"],
    ]);
  });

  it("the sweep chart has a mean line and a spread band per strategy, and a dot per run", () => {
    const points = sweepPoints();
    const summary = summarizeSweep(points);
    expect(summary).toHaveLength(9);
    const svg = sweepChart(points);
    expect(svg.querySelectorAll('g[aria-label="line"] path')).toHaveLength(3);
    expect(svg.querySelectorAll('g[aria-label="area"] path')).toHaveLength(3);
    expect(svg.querySelectorAll('g[aria-label="dot"] circle, g[aria-label="dot"] path')).toHaveLength(27);
    expect(svg.textContent).toContain("600 (all)");
  });

  it("the feature scatter draws one dot per image, with a legend of the classes", () => {
    const coords = new Float32Array([0, 0, 1, 1, 2, 0.5, -1, 3]);
    const figure = featureScatter(
      { coords, labels: [0, 1, 1, 0] },
      { classNames: ["benign", "malignant"], explained: [0.4, 0.2] },
    );
    expect(figure.querySelectorAll('g[aria-label="dot"] circle, g[aria-label="dot"] path')).toHaveLength(4);
    expect(figure.textContent).toContain("PC1 (40% of variance)");
    expect(figure.textContent).toContain("malignant");
  });
});

describe("transfer panels", () => {
  const target = makeLesionDataset({ trainCount: 150, valCount: 20 });

  it("previews data with class-only captions", () => {
    const grid = predictionGrid(target.val, {
      imageShape: target.imageShape,
      classNames: target.classNames,
      count: 4,
      showPrediction: false,
    });
    const captions = [...grid.querySelectorAll("figcaption")].map((c) => c.textContent);
    expect(captions).toHaveLength(4);
    for (const [i, c] of captions.entries()) expect(c).toBe(target.classNames[target.val.labels[i]]);
  });

  it("offers the N sizes the target has, with 'all' last", () => {
    expect(targetSizes(target)).toEqual([10, 25, 50, 100, 150]);
    expect(targetSizes(makeLesionDataset({ trainCount: 600, valCount: 4 }))).toEqual([10, 25, 50, 100, 200, 600]);
  });

  it("explains a mismatched source and target in words", () => {
    expect(transferProblem(null, target)).toMatch(/no source model/);
    const rgbSource = { inputs: [{ shape: [null, 28, 28, 3] }] } as never;
    expect(transferProblem(rgbSource, target)).toMatch(/takes 28×28×3 images, but .* has 28×28×1/);
    const greySource = { inputs: [{ shape: [null, 28, 28, 1] }] } as never;
    expect(transferProblem(greySource, target)).toBeNull();
  });

  it("without shipped weights, the source panel says how to make them, and offers pretraining", async () => {
    const panel = sourcePanel(null, [{ id: "shapes", label: "shapes", data: () => target }]);
    await panel.ready;
    expect(panel.value).toBeNull();
    expect(panel.textContent).toMatch(/npm run pretrain/);
    expect(panel.querySelector("button")!.textContent).toMatch(/Pretrain the source model now/);
  });

  it("the sweep panel shows a recorded sweep until the learner runs one, and refuses to run without a source", async () => {
    const panel = sweepPanel(() => null, target, {
      sizes: [10, 100, 600],
      seeds: [1, 2, 3],
      strategies: ["scratch", "frozen", "finetune"],
      rounds: 2,
      recorded: sweepPoints(),
    });
    expect(panel.dataset.curves).toBe("3");
    expect(panel.textContent).toMatch(/Recorded sweep \(27 runs/);
    expect(panel.querySelectorAll('g[aria-label="line"] path')).toHaveLength(3);
    panel.querySelector("button")!.click();
    await new Promise((r) => setTimeout(r, 0));
    expect(panel.querySelector('[role="alert"]')!.textContent).toMatch(/no source model/);
  });

  it("the feature panel draws both clouds, keeps the frozen one from the first draw, and leaks no tensor", () => {
    const frozen = buildCnn({ inputShape: [28, 28, 1], outputs: 2, filters: 4, depth: 3, seed: 1 });
    const tuned = buildCnn({ inputShape: [28, 28, 1], outputs: 2, filters: 4, depth: 3, seed: 2 });
    const before = tf.memory().numTensors;
    const first = featurePanel(frozen, tuned, target, { max: 20 });
    expect(first.querySelectorAll('g[aria-label="dot"] circle, g[aria-label="dot"] path')).toHaveLength(40);
    tuned.getLayer("conv1").setWeights(frozen.getLayer("conv1").getWeights()); // the fine-tuned side moves
    const second = featurePanel(frozen, tuned, target, { max: 20 });
    const positions = (panel: HTMLElement, i: number) =>
      [...panel.querySelectorAll("svg")]
        .filter((svg) => svg.querySelector('g[aria-label="dot"]'))
        [i].querySelectorAll('g[aria-label="dot"] circle, g[aria-label="dot"] path')[0]
        .getAttribute("cx");
    expect(positions(second, 0)).toBe(positions(first, 0));
    expect(tf.memory().numTensors).toBe(before);
    frozen.dispose();
    tuned.dispose();
  });
});
