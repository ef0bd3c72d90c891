// @vitest-environment jsdom
import { beforeAll, describe, expect, it } from "vitest";
import type { History } from "../../src/train/types";
import { diceComparison, overlayRGBA, OVERLAY_COLOURS, segmentationGrid } from "../../src/viz/segmentation";
import { stubCanvas } from "../helpers/dom";

beforeAll(stubCanvas);

describe("overlay", () => {
  it("colours hits, false positives and misses, and leaves true background grey", () => {
    // One row of 8 pixels: 2 hits, 2 false positives, 2 misses, 2 background.
    const image = new Array(8).fill(0.5);
    const truth = [1, 1, 0, 0, 1, 1, 0, 0];
    const probs = [0.9, 0.9, 0.9, 0.9, 0.1, 0.1, 0.1, 0.1];
    const rgba = overlayRGBA(image, truth, probs, 0.5, 8);
    const pixel = (i: number) => Array.from(rgba.slice(i * 4, i * 4 + 3));
    const tint = (c: readonly number[]) => c.map((v) => Math.round(0.45 * 127.5 + 0.55 * v));
    const grey = [128, 128, 128];
    expect([pixel(0), pixel(1)]).toEqual([tint(OVERLAY_COLOURS.hit), tint(OVERLAY_COLOURS.hit)]); // solid
    expect([pixel(2), pixel(3)]).toEqual([tint(OVERLAY_COLOURS.falsePositive), grey]); // dotted
    expect([pixel(4), pixel(5)]).toEqual([tint(OVERLAY_COLOURS.falseNegative), tint(OVERLAY_COLOURS.falseNegative)]); // row 0 of the stripes
    expect([pixel(6), pixel(7)]).toEqual([grey, grey]);
    // The second cue in 2-D: on a 2×2 image, dotted false positives tint (0,0) and (1,1); striped misses tint row 0.
    const square = [0.5, 0.5, 0.5, 0.5];
    const fp = overlayRGBA(square, [0, 0, 0, 0], [0.9, 0.9, 0.9, 0.9], 0.5, 2);
    expect([0, 1, 2, 3].map((i) => fp[i * 4] !== 128)).toEqual([true, false, false, true]);
    const missed = overlayRGBA(square, [1, 1, 1, 1], [0, 0, 0, 0], 0.5, 2);
    expect([0, 1, 2, 3].map((i) => missed[i * 4] !== 128)).toEqual([true, true, false, false]);
    // A lower threshold turns the misses into hits.
    expect(pixel(4)).not.toEqual(tint(OVERLAY_COLOURS.hit));
    expect(Array.from(overlayRGBA(image, truth, probs, 0.05, 8).slice(16, 19))).toEqual(tint(OVERLAY_COLOURS.hit));
  });
});

describe("segmentation grid", () => {
  const split = { images: new Float32Array(3 * 16), masks: new Float32Array(3 * 16), count: 3 };

  it("draws input and mask, then probability and overlay per run, one row per image", () => {
    const probs = new Float32Array(3 * 16).fill(0.7);
    const grid = segmentationGrid(split, {
      imageShape: [4, 4, 1],
      runs: [
        { name: "U-Net", probs },
        { name: "no skips", probs },
      ],
      indices: [0, 2],
      threshold: 0.3,
    });
    expect(grid.querySelectorAll("tbody tr")).toHaveLength(2);
    expect(grid.querySelectorAll("tbody tr:first-child canvas")).toHaveLength(6);
    expect([...grid.querySelectorAll("th")].map((t) => t.textContent)).toEqual([
      "input",
      "true mask",
      "U-Net: probability",
      "U-Net: overlay at 0.30",
      "no skips: probability",
      "no skips: overlay at 0.30",
    ]);
  });

  it("shows a dash for a run not yet validated", () => {
    const grid = segmentationGrid(split, { imageShape: [4, 4, 1], runs: [{ name: "U-Net", probs: null }] });
    expect(grid.querySelectorAll("tbody tr:first-child canvas")).toHaveLength(2);
    expect(grid.querySelector("tbody tr:first-child td:nth-child(3)")!.textContent).toBe("–");
  });
});

describe("Dice comparison chart", () => {
  const history = (values: number[]): History => ({
    scoreName: "dice",
    batches: [],
    epochs: values.map((v, i) => ({
      epoch: i + 1,
      step: 30 * (i + 1),
      trainLoss: 1,
      trainScore: v,
      valLoss: 1,
      metrics: { dice: v, iou: v, boundaryDice: v - 0.05 },
    })),
  });

  it("draws one dot per check per run, a raw and a smoothed line per run, and the two baselines", () => {
    const svg = diceComparison(
      [
        { name: "with skips", history: history([0.6, 0.7, 0.8]) },
        { name: "without skips", history: history([0.3, 0.5, 0.6]) },
      ],
      {
        baselines: {
          globalThreshold: { threshold: 0.48, dice: 0.59, iou: 0.4, boundaryDice: 0.6 },
          otsu: { dice: 0.41, iou: 0.3, boundaryDice: 0.5 },
        },
      },
    );
    expect(svg.querySelectorAll('g[aria-label="dot"] circle, g[aria-label="dot"] path')).toHaveLength(6);
    const lines = svg.querySelectorAll('g[aria-label="line"]');
    expect(lines).toHaveLength(2); // raw checks, then the trailing mean
    expect(lines[0].querySelectorAll("path")).toHaveLength(2);
    expect(lines[1].querySelectorAll("path")).toHaveLength(2);
    // The trailing mean starts at the first check: its first point is that check's value.
    expect(lines[1].querySelector("path")!.getAttribute("d")!.split("L")[0]).toBe(
      lines[0].querySelector("path")!.getAttribute("d")!.split("L")[0],
    );
    expect(svg.querySelectorAll('g[aria-label="rule"] line')).toHaveLength(2);
    expect(svg.textContent).toContain("global threshold (0.48): 0.590");
    expect(svg.textContent).toContain("Otsu, per image: 0.410");
  });
});
