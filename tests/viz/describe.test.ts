// @vitest-environment jsdom
/**
 * Every chart has a text alternative: an aria-label sentence built from the data it draws. These
 * tests draw each chart with two different data sets and check that the sentence carries the data's
 * numbers and changes with them (a fixed sentence, or one that ignored the data, would fail).
 */
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe as group, expect, it, vi } from "vitest";
import type { History } from "../../src/train/types";
import { describe, latestValues, num, scatterSummary, sweepSummary, trend } from "../../src/viz/describe";
import { rocChart } from "../../src/viz/roc";
import { confusionMatrix } from "../../src/viz/confusion";
import { filterGrid, filterGridSummary } from "../../src/viz/filters";
import { activationLayerSummary, activationMaps } from "../../src/viz/activations";
import { predictionGrid } from "../../src/viz/predictions";
import { sparkline } from "../../src/viz/sparkline";
import { featureScatter, strategyCurves, sweepChart } from "../../src/viz/transfer";
import {
  augmentSweepChart,
  augmentationGrid,
  compareRuns,
  imbalanceScoreboard,
  metricCurves,
  noiseCurves,
} from "../../src/viz/dataProblems";
import { detectionCurves, detectionOverlay, frocChart, patchGrid } from "../../src/viz/detection";
import { frocCurve, imageOutcomes } from "../../src/metrics/detection";
import { heatmapCanvas, referralChart, reliabilityDiagram } from "../../src/viz/explain";
import { diceComparison, segmentationGrid } from "../../src/viz/segmentation";
import {
  ctPairPanel,
  discriminatorOutputChart,
  enhancementPanel,
  ganLossChart,
  pretrainingChart,
  qualityChart,
  spectrumChart,
  type GanPairView,
} from "../../src/viz/gan";
import { codeScatter, errorMaps, imageGrid, imageRows } from "../../src/viz/autoencoder";
import { buildCnn } from "../../src/models/cnn";
import { stubCanvas } from "../helpers/dom";

beforeAll(async () => {
  stubCanvas();
  await tf.setBackend("cpu");
});

const label = (node: Element) => node.getAttribute("aria-label") ?? "";

/** A history whose validation metrics end at `last` (loss falls from 0.7). */
function history(last: Record<string, number>, epochs = 3, perEpoch = 10): History {
  return {
    scoreName: "accuracy",
    batches: Array.from({ length: epochs * perEpoch }, (_, i) => ({
      step: i + 1,
      epoch: Math.floor(i / perEpoch) + 1,
      batch: (i % perEpoch) + 1,
      batchesPerEpoch: perEpoch,
      loss: 0.7 * Math.exp(-i / 10),
      score: 0.6,
      learningRate: 0.01,
    })),
    epochs: Array.from({ length: epochs }, (_, e) => ({
      epoch: e + 1,
      step: (e + 1) * perEpoch,
      trainLoss: 0.5,
      trainScore: 0.7,
      valLoss: 0.5,
      metrics: Object.fromEntries(Object.entries(last).map(([k, v]) => [k, v - 0.1 * (epochs - 1 - e)])),
    })),
  };
}

group("the shared helpers", () => {
  it("describe() names the node and hides Plot's unnamed mark groups, but keeps a group holding a control", () => {
    const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.innerHTML = '<g aria-label="line"><path/></g><g aria-label="cell"><rect tabindex="0"/></g>';
    describe(svg, "a sentence");
    expect(svg.getAttribute("role")).toBe("img");
    expect(label(svg)).toBe("a sentence");
    expect(svg.querySelector('g[aria-label="line"]')!.getAttribute("aria-hidden")).toBe("true");
    expect(svg.querySelector('g[aria-label="cell"]')!.getAttribute("role")).toBe("group");
  });

  it("num, trend and latestValues put the data in words", () => {
    expect(num(0.12345)).toBe("0.123");
    expect(num(NaN)).toBe("none yet");
    expect(trend([1, 0.9, 0.8, 0.5, 0.4])).toBe("falling");
    expect(trend([0.4, 0.5, 0.8])).toBe("rising");
    expect(trend([0.5, 0.5])).toBe("flat");
    const s = latestValues("Loss", [
      {
        name: "A",
        points: [
          { x: 1, y: 0.9 },
          { x: 2, y: 0.31 },
        ],
      },
      { name: "B", points: [] },
    ]);
    expect(s).toBe("Loss: A 0.310 at step 2, falling");
    expect(latestValues("Loss", [])).toBe("Loss: no data yet");
  });

  it("scatter and sweep summaries give counts, centres and means", () => {
    expect(
      scatterSummary("Codes", [
        { x: 1, y: 2, cls: "a" },
        { x: 3, y: 4, cls: "a" },
        { x: -1, y: 0, cls: "b" },
      ]),
    ).toBe("Codes, 3 images: a 2 centred at (2.00, 3.00); b 1 centred at (-1.00, 0.00)");
    expect(
      sweepSummary(
        [
          { strategy: "s", n: 50, mean: 0.8, sd: 0.02 },
          { strategy: "s", n: 10, mean: 0.7, sd: 0.05 },
        ],
        (s) => `arm ${s}`,
      ),
    ).toContain("arm s N 10 0.700 ± 0.050, N 50 0.800 ± 0.020");
  });
});

group("classification charts", () => {
  it("ROC: the AUC of each curve, and the reference", () => {
    const points = [
      { fpr: 0, tpr: 0, threshold: 1 },
      { fpr: 1, tpr: 1, threshold: 0 },
    ];
    expect(label(rocChart([{ name: "nodule", points, auc: 0.912 }]))).toBe("ROC curve, AUC 0.912");
    const two = label(
      rocChart(
        [
          { name: "a", points, auc: 0.8 },
          { name: "b", points, auc: 0.7 },
        ],
        { reference: { auc: 0.93, label: "ResNet-18" } },
      ),
    );
    expect(two).toBe("ROC curves: a AUC 0.800; b AUC 0.700; ResNet-18: AUC 0.930");
  });

  it("confusion matrix: totals and every cell; its cells are buttons Enter and Space open", () => {
    const onSelect = vi.fn();
    const chart = confusionMatrix(
      [
        [15, 3],
        [2, 20],
      ],
      { classNames: ["no nodule", "nodule"], onSelect },
    );
    expect(label(chart)).toBe(
      "Confusion matrix of 40 images, 35 right (88%): true no nodule predicted no nodule 15, true no nodule predicted nodule 3, " +
        "true nodule predicted no nodule 2, true nodule predicted nodule 20",
    );
    expect(chart.getAttribute("role")).toBe("group"); // not "img": that would hide the cell buttons
    const cells = chart.querySelectorAll<SVGRectElement>('rect[role="button"]');
    expect(cells).toHaveLength(4);
    expect(cells[1].getAttribute("tabindex")).toBe("0");
    expect(label(cells[1])).toBe("true no nodule, predicted nodule: 3 images");
    cells[1].dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
    cells[2].dispatchEvent(new KeyboardEvent("keydown", { key: " ", bubbles: true }));
    cells[2].dispatchEvent(new KeyboardEvent("keydown", { key: "a", bubbles: true }));
    expect(onSelect.mock.calls.map(([c]) => [c.t, c.p])).toEqual([
      [0, 1],
      [1, 0],
    ]);
    const other = confusionMatrix(
      [
        [1, 0],
        [0, 0],
      ],
      { classNames: ["a", "b"] },
    );
    expect(label(other)).toMatch(/^Confusion matrix of 1 image, 1 right \(100%\)/);
    expect(other.getAttribute("role")).toBe("img");
  });

  it("filters and activation maps: counts, sizes, weight range, silent maps", () => {
    const model = buildCnn({ inputShape: [16, 16, 1], outputs: 2, filters: 4, depth: 2 });
    const panel = filterGrid(model);
    const grid = panel.querySelector("[data-filters]")!;
    expect(label(grid)).toMatch(
      /^Grid of 4 first-layer filters \(\S+\), each 3×3, weights from −0\.\d{3} to \+0\.\d{3}$/,
    );
    expect(filterGridSummary({ layer: "c", index: 1, count: 8, kh: 5, kw: 5, rgb: true, bound: 0.25 })).toBe(
      "Grid of 8 layer 2 filters (c), each 5×5 in colour, weights from −0.250 to +0.250",
    );
    const maps = activationMaps(model, { image: new Float32Array(256).fill(0.5), imageShape: [16, 16, 1] });
    expect(label(maps)).toMatch(/^Activation maps of one 16×16 input image: \S+: 4 maps of 16×16, \d silent/);
    // Two maps, one all zero, one peaking at 2: the sentence counts and reads them.
    expect(activationLayerSummary({ name: "conv", shape: [1, 2, 2], values: new Float32Array([0, 1, 0, 2]) })).toBe(
      "conv: 2 maps of 1×2, 1 silent (all zero), strongest 2.00",
    );
    model.dispose();
  });

  it("prediction grid: how many images and how many wrong, and each image's truth, prediction and verdict", () => {
    const split = { images: new Float32Array(4 * 4), labels: new Int32Array([0, 1, 1, 0]), count: 4 };
    const probs = new Float32Array([0.9, 0.1, 0.2, 0.8, 0.7, 0.3, 0.4, 0.6]); // predicted 0, 1, 0, 1
    const grid = predictionGrid(split, { imageShape: [2, 2, 1], classNames: ["no nodule", "nodule"], probs, count: 4 });
    expect(label(grid)).toBe("Image grid: 4 validation images, 2 predicted wrong");
    expect(label(grid.querySelectorAll("canvas")[2])).toBe("image 2, wrong: true: nodule, pred: no nodule (70%)");
    const right = predictionGrid(split, {
      imageShape: [2, 2, 1],
      classNames: ["no nodule", "nodule"],
      probs: new Float32Array([0.9, 0.1, 0.2, 0.8, 0.3, 0.7, 0.6, 0.4]),
      count: 4,
    });
    expect(label(right)).toBe("Image grid: 4 validation images, 0 predicted wrong");
    expect(label(predictionGrid(split, { imageShape: [2, 2, 1], classNames: ["a", "b"], count: 3 }))).toBe(
      "Image grid: 3 validation images",
    );
  });

  it("the dock's sparkline: count, latest value and trend", () => {
    expect(label(sparkline([0.9, 0.8, 0.5, 0.3], { label: "loss" }))).toBe("loss: 4 values, latest 0.300, falling");
  });
});

group("transfer and data-problems charts", () => {
  it("strategy curves, sweep bands and the PCA scatter", () => {
    const runs = [
      { strategy: "scratch" as const, history: history({ auc: 0.71 }) },
      { strategy: "finetune" as const, history: history({ auc: 0.93 }) },
    ];
    const curves = label(strategyCurves(runs));
    expect(curves).toContain("0.710 at step 30");
    expect(curves).toContain("0.930 at step 30");
    const points = [
      { strategy: "scratch" as const, n: 25, seed: 1, auc: 0.7, curve: [] },
      { strategy: "scratch" as const, n: 25, seed: 2, auc: 0.8, curve: [] },
    ];
    expect(label(sweepChart(points))).toMatch(/N 25 0\.750 ± 0\.071/);
    const scatter = label(
      featureScatter({ coords: new Float32Array([0, 0, 2, 2, 10, 10]), labels: [0, 0, 1] }, { classNames: ["a", "b"] }),
    );
    expect(scatter).toBe("PCA of features, 3 images: a 2 centred at (1.00, 1.00); b 1 centred at (10.00, 10.00)");
  });

  it("scoreboard, metric curves, compared runs, noise curves, augmentation grid and sweep", () => {
    const rows = [
      { run: "none", metric: "accuracy", value: 0.91 },
      { run: "weighted", metric: "AUC", value: 0.83 },
    ];
    expect(label(imbalanceScoreboard(rows, { baseline: 0.9, runs: ["none", "weighted"] }))).toBe(
      "Scores of each run (always answering the majority class gives accuracy 0.90): none accuracy 0.91; weighted AUC 0.83",
    );
    expect(label(metricCurves(history({ accuracy: 0.88, auc: 0.77 }), { baseline: 0.9 }))).toMatch(
      /accuracy 0\.880 at step 30, rising; AUC 0\.770 at step 30, rising; majority-class accuracy 0\.90$/,
    );
    const compared = label(compareRuns([{ name: "focal", history: history({ auc: 0.66 }) }]));
    expect(compared).toBe("Validation AUC: focal 0.660 at step 30, rising");
    const noisy = history({ trainAccuracy: 0.99, accuracy: 0.7, memorised: 0.8 });
    const noise = label(noiseCurves(noisy, null, { stop: noisy.epochs[1] }));
    expect(noise).toContain("training accuracy (on its noisy labels) 0.990");
    expect(noise).toContain("early stopping at epoch 2, step 20");
    const grid = augmentationGrid(new Float32Array(16), [4, 4, 1], { flip: true, maxRotation: 15 }, { count: 3 });
    expect(label(grid)).toBe("Image grid: one image and 3 augmented copies of it (flips, rotations up to ±15°)");
    expect(grid.querySelectorAll('canvas[aria-label="augmented #2"]')).toHaveLength(1);
    const sweep = label(
      augmentSweepChart([{ strategy: "on", n: 50, auc: 0.81 }], { names: { on: "with augmentation" } }),
    );
    expect(sweep).toContain("with augmentation N 50 0.810");
  });
});

group("detection, explain and segmentation charts", () => {
  const objects = [
    { x: 10, y: 10, r: 3 },
    { x: 30, y: 30, r: 3 },
  ];
  const candidates = [
    { x: 10, y: 11, score: 0.9 },
    { x: 20, y: 5, score: 0.6 },
  ];

  it("FROC, curves, the overlay and the patch grid", () => {
    const froc = frocCurve([candidates], [objects]);
    const f = label(frocChart([{ name: "mined", froc, cpm: 0.5 }]));
    expect(f).toMatch(
      /^FROC curve: mined CPM 0\.500, sensitivity 0\.\d{3} at 1\/8 and 0\.500 at 8 false positives per slice$/,
    );
    expect(label(frocChart([{ name: "mined", froc, cpm: 0.25 }]))).toContain("CPM 0.250");
    expect(label(detectionCurves([{ name: "A", history: history({ cpm: 0.6 }) }], { metric: "cpm" }))).toBe(
      "Validation CPM: A 0.600 at step 30, rising",
    );
    const overlay = detectionOverlay(new Float32Array(1600), 40, 40, null, imageOutcomes(candidates, objects), objects);
    expect(label(overlay.querySelector('[role="img"]')!)).toBe(
      "40×40 image with 2 candidates: 1 hit (solid ring, ✓), 1 false alarm (cross, ✗), 1 missed nodule (dashed ring, ?)",
    );
    const patches = patchGrid(new Float32Array(2 * 16), 4, ["score 0.91", "score 0.88"]);
    expect(label(patches)).toBe("Grid of 2 patches of 4×4 pixels");
    expect(label(patches.querySelectorAll("canvas")[1])).toBe("patch 2: score 0.88");
  });

  it("heatmaps say where they point; referral and reliability give their numbers", () => {
    const map = new Float32Array(9 * 9);
    map[8 * 9 + 1] = 1; // bottom row, second column
    expect(label(heatmapCanvas(new Float32Array(81), [9, 9, 1], map, { title: "Grad-CAM" }))).toBe(
      "Grad-CAM: heatmap over the 9×9 image: strongest at column 2, row 9 (lower left); 1% of the pixels above half the peak",
    );
    map[0] = 2;
    expect(label(heatmapCanvas(new Float32Array(81), [9, 9, 1], map))).toContain("column 1, row 1 (upper left)");
    const referral = label(
      referralChart([
        {
          label: "MC dropout",
          points: [
            { referred: 0, accuracy: 0.88, kept: 100 },
            { referred: 0.3, accuracy: 0.975, kept: 70 },
          ],
        },
      ]),
    );
    expect(referral).toBe("Referral curve: MC dropout accuracy 88.0% with 0% referred, 97.5% with 30% referred");
    const bins = [
      { lo: 0.5, hi: 0.75, count: 10, confidence: 0.6, accuracy: 0.5 },
      { lo: 0.75, hi: 1, count: 30, confidence: 0.9, accuracy: 0.8 },
    ];
    expect(label(reliabilityDiagram([{ label: "before", bins }]))).toBe(
      "Reliability diagram: before, 40 images, mean confidence 82.5%, right 72.5%, average gap 0.100",
    );
  });

  it("segmentation grid: Dice per run and each overlay's counts; the Dice chart with its baselines", () => {
    const split = {
      images: new Float32Array(8),
      masks: new Float32Array([1, 1, 0, 0, 1, 0, 0, 0]),
      count: 2,
    };
    const probs = new Float32Array([0.9, 0.2, 0.8, 0.1, 0.9, 0.1, 0.1, 0.1]);
    const grid = segmentationGrid(split, { imageShape: [2, 2, 1], runs: [{ name: "U-Net", probs }], indices: [0, 1] });
    // Image 0: 1 found, 1 false positive, 1 missed → Dice 0.5; image 1: perfect → 1. Mean 0.75.
    expect(label(grid.querySelector("table")!)).toBe("Segmentations of 2 images: U-Net mean Dice 0.750");
    expect(grid.querySelector('canvas[aria-label^="U-Net: overlay of image 0"]')!.getAttribute("aria-label")).toBe(
      "U-Net: overlay of image 0 at threshold 0.50, Dice 0.500: 1 pixels found, 1 false positive, 1 missed",
    );
    expect(label(grid.querySelectorAll("canvas")[1])).toBe("true mask of image 0: 50% of the pixels marked");
    const dice = label(
      diceComparison([{ name: "with skips", history: history({ dice: 0.82 }) }], {
        baselines: {
          globalThreshold: { threshold: 0.4, dice: 0.6, boundaryDice: 0.3 },
          otsu: { dice: 0.65, boundaryDice: 0.35 },
        } as never,
      }),
    );
    expect(dice).toBe(
      "Validation Dice: with skips 0.820 at step 30, rising; baselines: global threshold (0.40) 0.600, Otsu, per image 0.650",
    );
  });
});

group("GAN and auto-encoder charts", () => {
  const size = 4,
    n = size * size;
  const steps = (d: number) =>
    Array.from({ length: 12 }, (_, i) => ({
      step: i + 1,
      pixelLoss: 0.05 - i * 0.002 + d,
      adversarialLoss: 0.7,
      discriminatorLoss: 1.2,
      realScore: 0.6,
      fakeScore: 0.4 + d,
    }));
  const evaluation = (psnr: number) => ({
    step: 12,
    psnr,
    ssim: 0.8,
    hfRatio: 0.9,
    outputs: new Float32Array(2 * n).fill(0.5),
    spectrum: [1, 1, 0.5],
    noisePowerSpectrum: [0.1, 0.1, 0.05],
  });
  const pair = (d: number) =>
    ({
      names: ["pixel loss only", "pixel + adversarial"],
      runs: [{ history: { steps: steps(0), warnings: [] } }, { history: { steps: steps(d), warnings: [] } }],
      quality: [
        [{ step: 12, psnr: 30 + d, ssim: 0.8, hfRatio: 0.9 }],
        [{ step: 12, psnr: 29, ssim: 0.8, hfRatio: 1.1 }],
      ],
      latest: [evaluation(30 + d), evaluation(29)],
      reference: {
        input: { psnr: 25, ssim: 0.6, hfRatio: 1.5, spectrum: [1, 2, 2], noisePowerSpectrum: [0.2, 0.3, 0.4] },
        targetSpectrum: [1, 1, 1],
      },
      data: {
        val: { size, count: 2, inputs: new Float32Array(2 * n).fill(0.4), targets: new Float32Array(2 * n).fill(0.5) },
      },
    }) as unknown as GanPairView;

  it("losses, quality, discriminator outputs, spectra and pretraining, each changing with the data", () => {
    const loss = label(ganLossChart(pair(0.01)));
    expect(loss).toBe(
      "Generator: pixel loss: pixel loss only 0.028 at step 12, falling; pixel + adversarial 0.038 at step 12, falling",
    );
    expect(label(ganLossChart(pair(0.02)))).not.toBe(loss);
    expect(label(qualityChart(pair(1)))).toBe(
      "Validation PSNR: pixel loss only 31.000 at step 12; pixel + adversarial 29.000 at step 12; reference: low-dose input: 25.00 dB",
    );
    expect(label(discriminatorOutputChart(pair(0.05)))).toContain(
      "pixel + adversarial, on denoised (generated) images 0.450 at step 12",
    );
    const ratio = label(spectrumChart(pair(0), { mode: "ratio" }));
    expect(ratio).toMatch(/^Power spectrum ÷ the target's, mean above 0\.\d\d cycles per pixel: low-dose input 2\.00/);
    const history = [
      { phase: "warm" as const, step: 100, psnr: 28, hfRatio: 0.8 },
      { phase: "pixel" as const, step: 200, psnr: 30.5, hfRatio: 0.8 },
      { phase: "adversarial" as const, step: 200, psnr: 29.5, hfRatio: 1 },
    ];
    expect(label(pretrainingChart(history))).toBe(
      "Pretraining: validation PSNR (dB): shared warm start (pixel loss) 28.00 at step 100; pixel loss only 30.50 at step 200; " +
        "pixel + adversarial 29.50 at step 200; the runs fork at step 100",
    );
  });

  it("image panels: the table says what it holds, each image its role and scores", () => {
    const panel = enhancementPanel(pair(0), { indices: [1] });
    expect(label(panel.querySelector("table")!)).toBe(
      "1 validation images: the low-dose input, pixel loss only and pixel + adversarial, the full-dose target, and each output's error; " +
        "outputs of pixel loss only at step 12, pixel + adversarial at step 12",
    );
    expect(label(panel.querySelector("canvas")!)).toMatch(/^low-dose input, image 1: [\d.]+ dB, SSIM [\d.]+$/);
    expect(label(ctPairPanel(pair(0).data.val as never, { indices: [0, 1] }).querySelector("table")!)).toMatch(
      /^2 CT images/,
    );
  });

  it("image rows, image grid, code scatter and error maps", () => {
    const shape = [2, 2, 1] as const;
    const rows = imageRows(
      [
        { label: "input", images: new Float32Array(8).fill(1) },
        { label: "reconstruction", images: new Float32Array(8).fill(0.5) },
      ],
      shape,
    );
    expect(label(rows)).toBe(
      "Image rows: input, reconstruction, 2 images each; mean squared difference between the input and reconstruction rows 0.250",
    );
    expect(label(rows.querySelectorAll("canvas")[3])).toBe("reconstruction, image 2");
    expect(label(imageGrid(new Float32Array(12), 3, shape))).toBe("Image grid of 3 images");
    const scatter = codeScatter(new Float32Array([0, 0, 1, 1]), [0, 1], ["normal", "abnormal"]);
    expect(label(scatter.querySelector('[role="img"]')!)).toBe(
      "Code space, code 1 against code 2, 2 images: normal 1 centred at (0.00, 0.00); abnormal 1 centred at (1.00, 1.00)",
    );
    const maps = errorMaps(
      [
        {
          image: new Float32Array(4),
          reconstruction: new Float32Array(4),
          error: new Float32Array([0, 0, 0, 0.4]),
          caption: "score 0.1",
        },
      ],
      shape,
    );
    expect(label(maps)).toBe("Error maps of 1 image: each image, its reconstruction and the squared error");
    expect(label(maps.querySelectorAll("canvas")[2])).toBe("squared error map: mean 0.1000, largest 0.4000");
  });
});
