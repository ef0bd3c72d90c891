import { describe, expect, it } from "vitest";
import {
  cpm,
  frocCurve,
  imageOutcomes,
  nonMaximumSuppression,
  pixelAccuracy,
  sensitivityAt,
  thresholdAt,
  type Heatmap,
} from "../../src/metrics/detection";

/** A heatmap from rows of numbers (stride 4, cell (0,0) at pixel (0,0)). */
const map = (rows: number[][]): Heatmap => ({
  values: Float32Array.from(rows.flat()),
  rows: rows.length,
  cols: rows[0].length,
  stride: 4,
  offset: 0,
});

describe("non-maximum suppression", () => {
  it("keeps each local peak once, strongest first, and drops cells under the threshold", () => {
    const m = map([
      [0.1, 0.2, 0.0, 0.0, 0.0],
      [0.3, 0.9, 0.8, 0.0, 0.0],
      [0.0, 0.2, 0.0, 0.0, 0.6],
      [0.0, 0.0, 0.0, 0.0, 0.5],
    ]);
    // Radius 8 px = 2 cells: the 0.8 next to the 0.9 and the 0.5 under the 0.6 are suppressed.
    const c = nonMaximumSuppression(m, { threshold: 0.25, radius: 8 });
    expect(c.map((x) => [x.x, x.y, +x.score.toFixed(2)])).toEqual([
      [4, 4, 0.9],
      [16, 8, 0.6],
    ]);
  });

  it("a smaller radius keeps neighbours; the cap keeps only the strongest; an empty map gives none", () => {
    const m = map([[0.9, 0.8, 0.7]]);
    expect(nonMaximumSuppression(m, { threshold: 0.5, radius: 3 })).toHaveLength(3);
    expect(nonMaximumSuppression(m, { threshold: 0.5, radius: 3, maxCandidates: 2 }).map((c) => c.x)).toEqual([0, 4]);
    expect(
      nonMaximumSuppression(
        map([
          [0, 0],
          [0, 0],
        ]),
        { threshold: 0.1 },
      ),
    ).toEqual([]);
  });

  it("uses the map's stride and offset for positions", () => {
    const m: Heatmap = { values: Float32Array.from([0, 0, 0, 1]), rows: 2, cols: 2, stride: 8, offset: 3 };
    expect(nonMaximumSuppression(m)[0]).toMatchObject({ x: 11, y: 11 });
  });
});

describe("FROC and CPM", () => {
  // Two slices. Slice 0: nodules A at (10,10) r 3 and B at (50,50) r 3. Slice 1: no nodule.
  const objects = [
    [
      { x: 10, y: 10, r: 3 },
      { x: 50, y: 50, r: 3 },
    ],
    [],
  ];
  const candidates = [
    [
      { x: 11, y: 10, score: 0.9 }, // hits A
      { x: 10, y: 12, score: 0.8 }, // hits A again: neither a new find nor a false alarm
      { x: 90, y: 90, score: 0.6 }, // false alarm
      { x: 50, y: 52, score: 0.3 }, // hits B
    ],
    [{ x: 20, y: 20, score: 0.7 }], // false alarm on the slice without nodules
  ];

  it("counts each nodule once, extra candidates on it as nothing, and candidates elsewhere as false alarms", () => {
    const curve = frocCurve(candidates, objects);
    // Thresholds 0.9, 0.8, 0.7, 0.6, 0.3 (by hand): FPs 0,0,1,2,2 over 2 slices; found 1,1,1,1,2 of 2.
    expect(curve.slice(1).map((p) => [p.threshold, p.fpPerImage, p.sensitivity])).toEqual([
      [0.9, 0, 0.5],
      [0.8, 0, 0.5],
      [0.7, 0.5, 0.5],
      [0.6, 1, 0.5],
      [0.3, 1, 1],
    ]);
  });

  it("reads sensitivity at an FP rate as the best the curve reaches within it, and CPM as the mean over 1/8…8", () => {
    const curve = frocCurve(candidates, objects);
    expect(sensitivityAt(curve, 1 / 8)).toBe(0.5);
    expect(sensitivityAt(curve, 1)).toBe(1);
    // 1/8, 1/4, 1/2 → 0.5; 1, 2, 4, 8 → 1
    expect(cpm(curve)).toBeCloseTo((3 * 0.5 + 4 * 1) / 7, 10);
    // The operating points: within 1/2 FP per slice, scores ≥ 0.7 (one false alarm over two slices); within 1, all (≥ 0.3).
    expect(thresholdAt(curve, 0.5)).toBe(0.7);
    expect(thresholdAt(curve, 0.25)).toBe(0.8);
    expect(thresholdAt(curve, 1)).toBe(0.3);
  });

  it("no candidates: sensitivity 0 everywhere; no nodules at all: sensitivity 0, FPs still counted", () => {
    expect(cpm(frocCurve([[], []], objects))).toBe(0);
    const curve = frocCurve([[{ x: 1, y: 1, score: 0.5 }]], [[]]);
    expect(curve.at(-1)).toMatchObject({ fpPerImage: 1, sensitivity: 0 });
  });

  it("candidates with equal scores enter together", () => {
    const curve = frocCurve(
      [
        [
          { x: 10, y: 10, score: 0.5 },
          { x: 90, y: 90, score: 0.5 },
        ],
      ],
      [[{ x: 10, y: 10, r: 3 }]],
    );
    expect(curve.slice(1)).toEqual([{ threshold: 0.5, fpPerImage: 1, sensitivity: 1 }]);
    expect(sensitivityAt(curve, 0.5)).toBe(0); // the hit cannot be had without the false alarm
  });

  it("a minimum match radius lets a coarse grid hit a tiny nodule", () => {
    const tiny = [[{ x: 10, y: 10, r: 1 }]];
    const near = [[{ x: 13, y: 10, score: 0.9 }]];
    expect(frocCurve(near, tiny).at(-1)!.sensitivity).toBe(0);
    expect(frocCurve(near, tiny, 4).at(-1)!.sensitivity).toBe(1);
  });

  it("marks outcomes per slice: hits, false alarms and missed nodules", () => {
    const o = imageOutcomes(
      [
        { x: 11, y: 10, score: 0.9 },
        { x: 90, y: 90, score: 0.6 },
      ],
      objects[0],
    );
    expect(o.candidates.map((c) => c.outcome)).toEqual(["hit", "false alarm"]);
    expect(o.missed).toEqual([1]);
  });
});

describe("pixel accuracy", () => {
  it("is high for a detector that says 'nothing' everywhere when objects are small", () => {
    const values = new Float32Array(100 * 100); // all background
    const m: Heatmap = { values, rows: 100, cols: 100, stride: 1, offset: 0 };
    const { accuracy, objectFraction } = pixelAccuracy([m], [[{ x: 50, y: 50, r: 2 }]]);
    expect(objectFraction).toBeCloseTo(13 / 10000, 6); // 13 cells lie within 2 px of the centre
    expect(accuracy).toBeCloseTo(1 - 13 / 10000, 6);
  });
});
