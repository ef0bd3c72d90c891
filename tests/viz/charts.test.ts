// @vitest-environment jsdom
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { buildCnn } from "../../src/models/cnn";
import { makeNoduleDataset } from "../../src/data/nodules";
import { imageAt } from "../../src/data/types";
import type { History } from "../../src/train/types";
import { learningCurves, curvePoints } from "../../src/viz/curves";
import { confusionMatrix } from "../../src/viz/confusion";
import { filterGrid } from "../../src/viz/filters";
import { activationMaps, computeActivations } from "../../src/viz/activations";
import { predictionGrid } from "../../src/viz/predictions";
import { rocChart } from "../../src/viz/roc";
import { toRGBA } from "../../src/viz/raster";
import { rocCurve, auc } from "../../src/metrics/classification";
import { stubCanvas } from "../helpers/dom";

beforeAll(async () => {
  stubCanvas();
  await tf.setBackend("cpu");
});

function fakeHistory(batches: number, epochs: number): History {
  const perEpoch = batches / epochs;
  return {
    scoreName: "accuracy",
    batches: Array.from({ length: batches }, (_, i) => ({
      step: i + 1,
      epoch: Math.floor(i / perEpoch) + 1,
      batch: (i % perEpoch) + 1,
      batchesPerEpoch: perEpoch,
      loss: 0.7 * Math.exp(-i / 20),
      score: 0.5 + i / (2 * batches),
      learningRate: 0.005,
    })),
    epochs: Array.from({ length: epochs }, (_, e) => ({
      epoch: e + 1,
      step: (e + 1) * perEpoch,
      trainLoss: 0.5,
      trainScore: 0.8,
      valLoss: 0.6 - e * 0.1,
      metrics: { accuracy: 0.7 + e * 0.05, auc: 0.8 + e * 0.05 },
    })),
  };
}

describe("learning curves", () => {
  it("draw raw and smoothed training lines plus one validation dot per epoch", () => {
    const svg = learningCurves(fakeHistory(30, 3), { metric: "loss" });
    // In words too, for a screen reader: the latest values and the trend.
    expect(svg.getAttribute("aria-label")).toMatch(
      /^Loss 0\.\d{3} after 30 steps, falling; validation 0\.400 at step 30$/,
    );
    expect(learningCurves({ scoreName: "accuracy", batches: [], epochs: [] }).getAttribute("aria-label")).toBe(
      "Loss: no training yet",
    );
    expect(svg.querySelectorAll('g[aria-label="line"]')).toHaveLength(3);
    expect(svg.querySelectorAll('g[aria-label="dot"] circle')).toHaveLength(3);
    expect(svg.textContent).toContain("Loss");
    expect(svg.textContent).toContain("validation (per epoch)");
  });

  it("draw a dashed reference line with its label when given", () => {
    const svg = learningCurves(fakeHistory(30, 3), {
      metric: "auc",
      reference: { value: 0.944, label: "ResNet-18 test AUC .944" },
    });
    expect(svg.querySelectorAll('g[aria-label="rule"] line')).toHaveLength(1);
    expect(svg.textContent).toContain("ResNet-18 test AUC .944");
  });

  it("curvePoints keeps finite values only and maps the chosen metric", () => {
    const h = fakeHistory(10, 2);
    h.batches[3].loss = NaN;
    const points = curvePoints(h, "loss");
    expect(points.filter((p) => p.series.startsWith("training"))).toHaveLength(9);
    expect(
      curvePoints(h, "accuracy")
        .filter((p) => p.series.startsWith("validation"))
        .map((p) => p.value),
    ).toEqual([0.7, 0.75]);
  });
});

describe("confusion matrix", () => {
  it("draws one cell and one count per (true, predicted) pair; a click reports that cell", () => {
    const onSelect = vi.fn();
    const svg = confusionMatrix(
      [
        [118, 32],
        [11, 139],
      ],
      { classNames: ["no nodule", "nodule"], onSelect },
    );
    const rects = svg.querySelectorAll('g[aria-label="cell"] rect');
    expect(rects).toHaveLength(4);
    const texts = [...svg.querySelectorAll('g[aria-label="text"] text')].map((t) => t.textContent);
    expect(texts).toEqual(["118", "32", "11", "139"]);
    rects[2].dispatchEvent(new Event("click"));
    expect(onSelect).toHaveBeenCalledWith(
      expect.objectContaining({ truth: "nodule", predicted: "no nodule", count: 11 }),
    );
  });
});

describe("ROC chart", () => {
  it("draws the chance diagonal and one curve per series with its AUC", () => {
    const scores = [0.9, 0.8, 0.7, 0.4, 0.3, 0.1];
    const positive = [1, 1, 0, 1, 0, 0];
    const svg = rocChart([{ name: "val", points: rocCurve(scores, positive), auc: auc(scores, positive) }]);
    expect(svg.querySelectorAll('g[aria-label="line"] path')).toHaveLength(2);
    expect(svg.outerHTML).toContain("AUC 0.889");
  });
});

describe("model pictures", () => {
  const model = buildCnn({ inputShape: [16, 16, 1], outputs: 2, filters: 6, depth: 2 });
  const data = makeNoduleDataset({ size: 16, trainCount: 4, valCount: 6 });

  it("filterGrid shows one tile per first-layer filter, with caption and legend", () => {
    const panel = filterGrid(model);
    expect(panel.querySelectorAll(".meddl-filters canvas")).toHaveLength(6);
    expect(panel.textContent).toContain("conv1: 6 filters of 3×3");
    expect(panel.querySelector(".meddl-legend")).not.toBeNull();
  });

  it("activationMaps draws the input and one row per conv layer, and leaks no tensor", () => {
    const before = tf.memory().numTensors;
    const view = activationMaps(model, {
      image: imageAt(data.val, data.imageShape, 0),
      imageShape: data.imageShape,
      maxMaps: 4,
    });
    for (let i = 0; i < 5; i++)
      activationMaps(model, { image: imageAt(data.val, data.imageShape, i), imageShape: data.imageShape });
    expect(tf.memory().numTensors).toBe(before);
    const rows = view.querySelectorAll(".meddl-activation-row");
    expect(rows).toHaveLength(3); // input, conv1, conv2
    expect(rows[1].querySelectorAll("canvas")).toHaveLength(4); // 6 maps, first 4 shown
    expect(rows[2].textContent).toContain("conv2: 12 maps of 8×8 (first 4 shown)");
  });

  it("computeActivations returns ReLU maps (≥ 0) of the declared shapes", () => {
    const layers = computeActivations(model, imageAt(data.val, data.imageShape, 1), data.imageShape);
    expect(layers.map((l) => l.shape)).toEqual([
      [16, 16, 6],
      [8, 8, 12],
    ]);
    expect(Math.min(...layers[0].values)).toBeGreaterThanOrEqual(0);
    expect(layers[0].values.length).toBe(16 * 16 * 6);
  });

  it("predictionGrid frames exactly the mistakes and lets the user pick an image", () => {
    // Predict class 1 for every image: the 3 images of class 0 are the mistakes.
    const probs = new Float32Array(6 * 2).map((_, i) => (i % 2 ? 0.9 : 0.1));
    const picked: number[] = [];
    const grid = predictionGrid(data.val, {
      imageShape: data.imageShape,
      classNames: data.classNames,
      probs,
      onSelect: (i) => picked.push(i),
    });
    expect(grid.querySelectorAll("figure")).toHaveLength(6);
    expect(grid.querySelectorAll("figure.wrong")).toHaveLength(3);
    expect(grid.querySelector("figure.wrong figcaption")!.textContent).toContain("pred: nodule (90%)");
    // Not colour alone: every wrong tile is marked ✗, every right one ✓.
    for (const f of grid.querySelectorAll("figure.wrong figcaption")) expect(f.textContent).toMatch(/^✗ /);
    for (const f of grid.querySelectorAll("figure.correct figcaption")) expect(f.textContent).toMatch(/^✓ /);
    // Keyboard: each tile is a button in the Tab order, Enter or Space picks it; its image has words.
    const third = grid.querySelectorAll("figure")[2] as HTMLElement;
    expect([third.tabIndex, third.getAttribute("role")]).toEqual([0, "button"]);
    third.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter" }));
    third.dispatchEvent(new KeyboardEvent("keydown", { key: "a" }));
    expect(picked).toEqual([2]);
    picked.length = 0;
    expect(third.querySelector("canvas")!.getAttribute("aria-label")).toMatch(/^image 2, (right|wrong): true: /);
    (grid.querySelectorAll("figure")[4] as HTMLElement).click();
    expect(picked).toEqual([4]);
  });
});

describe("toRGBA", () => {
  it("maps grey values to bytes over the given range", () => {
    expect(Array.from(toRGBA([0, 0.5, 1], 1, { min: 0, max: 1 }))).toEqual([
      0, 0, 0, 255, 128, 128, 128, 255, 255, 255, 255, 255,
    ]);
  });

  it("maps signed weights to blue (negative), white (zero) and red (positive)", () => {
    const [r0, g0, b0, , r1, g1, b1, , r2, g2, b2] = toRGBA([-1, 0, 1], 1, { diverging: true });
    expect([r0 < 100, g0 < 100, b0]).toEqual([true, true, 255]);
    expect([r1, g1, b1]).toEqual([255, 255, 255]);
    expect([r2, g2 < 100, b2 < 100]).toEqual([255, true, true]);
  });
});
