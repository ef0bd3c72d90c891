import { describe, expect, it } from "vitest";
import {
  drawChecker, drawCross, drawCrescent, drawDisc, drawDots, drawRing, drawShape, drawSquare, drawStar, drawStripes,
  drawTriangle, makeShapesDataset, SHAPE_CLASSES,
} from "../../src/data/shapes";
import { mulberry32 } from "../../src/data/random";
import { imageAt } from "../../src/data/types";
import { expectSeeded, range } from "../helpers/data";

const S = 28;

/** Mean absolute step between vertical and horizontal neighbours: [down, across]. */
function gradients(img: Float32Array): [number, number] {
  let down = 0, across = 0;
  for (let y = 0; y < S - 1; y++) {
    for (let x = 0; x < S - 1; x++) {
      down += Math.abs(img[(y + 1) * S + x] - img[y * S + x]);
      across += Math.abs(img[y * S + x + 1] - img[y * S + x]);
    }
  }
  const n = (S - 1) * (S - 1);
  return [down / n, across / n];
}

/** Mean of f over the images of class k in the split. */
function classMean(ds: ReturnType<typeof makeShapesDataset>, k: number, f: (img: Float32Array) => number): number {
  let sum = 0, n = 0;
  for (let i = 0; i < ds.train.count; i++) {
    if (ds.train.labels[i] !== k) continue;
    sum += f(imageAt(ds.train, ds.imageShape, i));
    n++;
  }
  return sum / n;
}

describe("synthetic shapes dataset (transfer-learning source task)", () => {
  it("same seed gives the same images and labels; another seed does not", () => {
    expectSeeded((seed) => makeShapesDataset({ trainCount: 200, valCount: 50, seed }));
  });

  it("has the declared shapes, counts, values in 0..1 and metadata", () => {
    const ds = makeShapesDataset({ trainCount: 200, valCount: 55 });
    expect(ds.id).toBe("shapes");
    expect(ds.task).toBe("multiclass");
    expect(ds.imageShape).toEqual([28, 28, 1]);
    expect(ds.classNames).toEqual(SHAPE_CLASSES);
    expect(ds.classNames).toHaveLength(10);
    expect(new Set(ds.classNames).size).toBe(10);
    expect(ds.train.count).toBe(200);
    expect(ds.train.images.length).toBe(200 * 28 * 28);
    expect(ds.train.labels.length).toBe(200);
    expect(ds.val.count).toBe(55);
    expect(ds.val.images.length).toBe(55 * 28 * 28);
    for (const split of [ds.train, ds.val]) {
      const [lo, hi] = range(split.images);
      expect(lo).toBeGreaterThanOrEqual(0);
      expect(hi).toBeLessThanOrEqual(1);
      expect(hi - lo).toBeGreaterThan(0.5); // not blank
    }
    expect(ds.synthetic).toBe(true);
    expect(ds.description).toMatch(/synthetic/i);
  });

  it("balances the classes and shuffles their order", () => {
    const ds = makeShapesDataset({ trainCount: 200, valCount: 55 });
    const train = new Array(10).fill(0), val = new Array(10).fill(0);
    for (const l of ds.train.labels) train[l]++;
    for (const l of ds.val.labels) val[l]++;
    expect(train).toEqual(new Array(10).fill(20));
    for (const n of val) expect([5, 6]).toContain(n);
    expect(val.reduce((s, n) => s + n, 0)).toBe(55);
    // Not in the plain 0, 1, …, 9, 0, 1, … order.
    const inOrder = ds.train.labels.filter((l, i) => l === i % 10).length;
    expect(inOrder).toBeLessThan(60);
  });

  it("no two images are the same", () => {
    const ds = makeShapesDataset({ trainCount: 100, valCount: 0 });
    const seen = new Set<string>();
    for (let i = 0; i < ds.train.count; i++) seen.add(imageAt(ds.train, ds.imageShape, i).slice(0, 60).join(","));
    expect(seen.size).toBe(100);
  });

  it("every class draws a visible pattern with coverage in 0..1", () => {
    const drawers = [drawDisc, drawRing, drawSquare, drawTriangle, drawCross, drawStripes, drawChecker, drawDots, drawStar, drawCrescent];
    expect(drawers).toHaveLength(SHAPE_CLASSES.length);
    const rand = mulberry32(8);
    for (const draw of drawers) {
      for (let i = 0; i < 20; i++) {
        const cov = draw(rand);
        const [lo, hi] = range(cov);
        expect(lo).toBeGreaterThanOrEqual(0);
        expect(hi).toBeLessThanOrEqual(1);
        const area = cov.reduce((t, v) => t + v, 0);
        expect(area).toBeGreaterThan(8); // at least a few pixels of foreground…
        expect(area).toBeLessThan(0.8 * S * S); // …and some background
      }
    }
  });

  it("a disc is filled at its centre, a ring is hollow", () => {
    // On the pattern (before contrast and noise): coverage at the coverage-weighted centroid.
    const centre = (cov: Float32Array): number => {
      let sx = 0, sy = 0, sw = 0;
      for (let y = 0; y < S; y++) for (let x = 0; x < S; x++) (sx += x * cov[y * S + x]), (sy += y * cov[y * S + x]), (sw += cov[y * S + x]);
      return cov[Math.round(sy / sw) * S + Math.round(sx / sw)];
    };
    const rand = mulberry32(5);
    let disc = 0, ring = 0;
    for (let i = 0; i < 50; i++) (disc += centre(drawDisc(rand))), (ring += centre(drawRing(rand)));
    expect(disc / 50).toBeGreaterThan(0.9);
    expect(ring / 50).toBeLessThan(0.2);
  });

  it("labels match the drawings: stripes change mostly top-to-bottom, textures have more edges than discs", () => {
    const ds = makeShapesDataset({ trainCount: 1000, valCount: 0, seed: 2 });
    const stripes = SHAPE_CLASSES.indexOf("stripes");
    const checker = SHAPE_CLASSES.indexOf("checker / grid");
    const disc = SHAPE_CLASSES.indexOf("disc");
    // Near-horizontal stripes (±30°): steps between rows exceed steps between columns.
    const anisotropy = (img: Float32Array) => {
      const [down, across] = gradients(img);
      return down - across;
    };
    // Speckle grains are wider than tall, which adds the same small bias to every class: compare with discs.
    const discAniso = classMean(ds, disc, anisotropy);
    const stripesAniso = classMean(ds, stripes, anisotropy) - discAniso;
    expect(stripesAniso).toBeGreaterThan(0.025);
    expect(Math.abs(classMean(ds, checker, anisotropy) - discAniso)).toBeLessThan(stripesAniso / 4);
    // Same noise on average in every class, so extra edge energy comes from the pattern.
    const edges = (img: Float32Array) => gradients(img).reduce((s, g) => s + g, 0);
    expect(classMean(ds, checker, edges)).toBeGreaterThan(classMean(ds, disc, edges) + 0.02);
    expect(classMean(ds, stripes, edges)).toBeGreaterThan(classMean(ds, disc, edges) + 0.02);
  });

  it("draws each class seeded, and rejects a bad class or count", () => {
    for (let k = 0; k < 10; k++) expect(drawShape(k, mulberry32(k))).toEqual(drawShape(k, mulberry32(k)));
    expect(() => drawShape(10, mulberry32(1))).toThrow(RangeError);
    expect(() => makeShapesDataset({ trainCount: 2.5 })).toThrow(/trainCount/);
  });
});
