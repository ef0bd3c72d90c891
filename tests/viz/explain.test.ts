// @vitest-environment jsdom
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { makeNoduleDataset } from "../../src/data/nodules";
import { plantShortcut } from "../../src/data/shortcut";
import { explanationPanel, sanityPanel, uncertaintyPanel, calibrationReport } from "../../src/lessons/explain";
import { referralCurve } from "../../src/metrics/referral";
import { buildCnn } from "../../src/models/cnn";
import { Trainer } from "../../src/train/trainer";
import { heatmapRGBA, referralChart, reliabilityDiagram } from "../../src/viz/explain";
import { SERIES_COLOURS } from "../../src/viz/palette";
import { useBackend } from "../helpers/backend";
import { stubCanvas } from "../helpers/dom";

beforeAll(async () => {
  stubCanvas();
  await useBackend("cpu");
});

describe("heatmapRGBA", () => {
  it("shows the grey image where the map is zero, and inferno's brightest colour mixed in at the maximum", () => {
    const image = [0.5, 0.5];
    const out = heatmapRGBA(image, 1, [0, 2], { opacity: 1 });
    expect(Array.from(out.slice(0, 4))).toEqual([128, 128, 128, 255]); // 0.5 grey, untouched
    // At t = 1 with opacity 1 the pixel is inferno(1), a pale yellow (r, g high; b lower).
    const [r, g, b] = out.slice(4, 7);
    expect(r).toBeGreaterThan(240);
    expect(g).toBeGreaterThan(240);
    expect(b).toBeLessThan(180);
    // Negative values count as no effect; an all-zero map leaves the image as it is.
    expect(Array.from(heatmapRGBA([0.2], 1, [-5]).slice(0, 3))).toEqual([51, 51, 51]);
  });
});

describe("referral and reliability charts", () => {
  const probs = [0.2, 0.8, 0.3, 0.7, 0.9, 0.1, 0.4, 0.6, 0.45, 0.55, 0.8, 0.2];
  const labels = [1, 1, 0, 1, 1, 0];
  it("draws one line per uncertainty measure, in the palette's colours, over the referred fraction", () => {
    const conf = [0.8, 0.7, 0.9, 0.6, 0.55, 0.8];
    const svg = referralChart([
      {
        label: "MC dropout",
        points: referralCurve(
          probs,
          labels,
          2,
          conf.map((c) => 1 - c),
        ),
      },
      { label: "softmax", points: referralCurve(probs, labels, 2, conf) },
    ]) as SVGSVGElement;
    const lines = svg.querySelectorAll('g[aria-label="line"] path');
    expect(lines.length).toBe(2);
    const strokes = Array.from(svg.querySelectorAll('g[aria-label="line"]')).map(
      (g) => g.getAttribute("stroke") ?? g.querySelector("path")!.getAttribute("stroke"),
    );
    expect(strokes).toEqual([SERIES_COLOURS[0], SERIES_COLOURS[1]]);
    expect(svg.querySelectorAll('g[aria-label="dot"] path').length).toBeGreaterThan(2);
    expect(svg.textContent).toMatch(/Fraction referred/);
  });

  it("reliability diagram: the diagonal, and one dot per non-empty bin per series", () => {
    const report = calibrationReport(Float32Array.from(probs), labels, 2);
    const svg = reliabilityDiagram([
      { label: "before", bins: report.before },
      { label: "after", bins: report.after },
    ]) as SVGSVGElement;
    const filled = report.before.filter((b) => b.count > 0).length + report.after.filter((b) => b.count > 0).length;
    expect(svg.querySelectorAll('g[aria-label="dot"] path').length).toBe(filled);
    expect(svg.querySelectorAll('g[aria-label="line"]').length).toBe(3);
  });
});

describe("the lesson's panels", () => {
  const data = plantShortcut(makeNoduleDataset({ size: 16, trainCount: 32, valCount: 12, seed: 1 }), {
    validation: "swapped",
  });
  const settings = { noise: 0.1, samples: 3, layer: "conv2", patch: 3 };

  it("explanation panel: the image and five maps; sanity panel: one column per randomisation step", () => {
    const model = buildCnn({ inputShape: [16, 16, 1], outputs: 2, depth: 2, seed: 2 });
    const panel = explanationPanel(model, data, 3, settings);
    expect(Array.from(panel.querySelectorAll("figure")).map((f) => f.dataset.map)).toEqual([
      "image",
      "saliency",
      "SmoothGrad",
      "Grad-CAM",
      "HiResCAM",
      "occlusion",
    ]);
    expect(panel.querySelectorAll("canvas").length).toBe(6);
    const sanity = sanityPanel(model, data, 3, settings);
    expect(sanity.querySelectorAll("figure").length).toBe(4); // trained + scores, conv2, conv1 randomised
    expect(sanity.querySelector("figure")!.textContent).toMatch(/saliency 1\.00.*Grad-CAM 1\.00/);
    // Redrawing the panels (as after every epoch) leaves no tensor behind.
    const before = tf.memory().numTensors;
    for (let i = 0; i < 2; i++) {
      explanationPanel(model, data, i, settings);
      sanityPanel(model, data, i, settings);
    }
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it("uncertainty panel: after an epoch, certain/uncertain images, referral and reliability charts; memory flat", async () => {
    const model = buildCnn({ inputShape: [16, 16, 1], outputs: 2, depth: 2, seed: 2 });
    const trainer = new Trainer(model, data, { epochs: 2, batchSize: 8, seed: 1 });
    let stop!: () => void;
    const invalidation = new Promise<void>((resolve) => (stop = resolve));
    const panel = uncertaintyPanel(trainer, data, { passes: 4, show: 3 }, invalidation);
    await trainer.step(); // warm up
    const before = tf.memory().numTensors;
    await trainer.start();
    for (let i = 0; i < 50 && !panel.dataset.eceBefore; i++) await new Promise((r) => setTimeout(r, 50));
    expect(panel.querySelectorAll(".meddl-uncertain-most figure").length).toBe(6);
    expect(panel.querySelector(".meddl-chart-referral svg")).not.toBeNull();
    expect(panel.querySelector(".meddl-chart-reliability svg")).not.toBeNull();
    expect(Number(panel.dataset.temperature)).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 200));
    // Two epochs of training and two MC-dropout runs leave no tensor behind (the optimizer's
    // first-step state may even be tidied: never more than before).
    expect(tf.memory().numTensors).toBeLessThanOrEqual(before);
    stop();
    await trainer.dispose();
  });
});
