import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { bbbc039FromFile } from "../../src/data/bbbc039";
import { drawChestSlice, makeChestSlices } from "../../src/data/chestSlices";
import { detectionFromSegmentation, objectsFromMask } from "../../src/data/detectionObjects";
import { mulberry32 } from "../../src/data/random";

describe("synthetic chest-CT slices", () => {
  it("same seed gives the same slices and nodules; another seed does not", () => {
    const a = makeChestSlices({ trainCount: 6, valCount: 3, seed: 5 });
    const b = makeChestSlices({ trainCount: 6, valCount: 3, seed: 5 });
    const c = makeChestSlices({ trainCount: 6, valCount: 3, seed: 6 });
    expect(a.train.images).toEqual(b.train.images);
    expect(a.val.objects).toEqual(b.val.objects);
    expect(a.train.images).not.toEqual(c.train.images);
  });

  it("has the declared shapes, 0..3 nodules per slice (some slices none), values in 0..1, and says it is synthetic", () => {
    const ds = makeChestSlices({ size: 128, trainCount: 20, valCount: 4 });
    expect(ds.imageShape).toEqual([128, 128]);
    expect(ds.train.images.length).toBe(20 * 128 * 128);
    expect(ds.train.objects).toHaveLength(20);
    const counts = ds.train.objects.map((o) => o.length);
    expect(Math.max(...counts)).toBeLessThanOrEqual(3);
    expect(counts).toContain(0);
    expect(counts.some((n) => n >= 2)).toBe(true);
    expect(ds.train.images.every((v) => v >= 0 && v <= 1)).toBe(true);
    expect(ds.synthetic).toBe(true);
    expect(ds.description).toMatch(/synthetic/i);
  });

  it("each labelled nodule is really there: the same slice drawn without it is darker at its centre", () => {
    const size = 128;
    const withNodules = new Float32Array(size * size), without = new Float32Array(size * size);
    // Same random draw up to the nodules: draw with 3 nodules, and with 0 (the nodules come last).
    const truth = drawChestSlice(withNodules, size, 3, mulberry32(9));
    drawChestSlice(without, size, 0, mulberry32(9));
    expect(truth).toHaveLength(3);
    for (const n of truth) {
      const at = Math.round(n.y) * size + Math.round(n.x);
      expect(withNodules[at] - without[at]).toBeGreaterThan(0.15);
      expect(n.r).toBeGreaterThanOrEqual(2.5);
      expect(n.r).toBeLessThanOrEqual(6);
    }
    // Away from every nodule the two slices are the same.
    const far = Array.from({ length: size * size }, (_, k) => k).filter((k) => truth.every((n) => Math.hypot(k % size - n.x, Math.floor(k / size) - n.y) > n.r + 8));
    expect(Math.max(...far.map((k) => Math.abs(withNodules[k] - without[k])))).toBeLessThan(1e-4); // the disc's faint tail, drawn to 5 px past its edge
  });

  it("refuses absurd sizes", () => {
    expect(() => makeChestSlices({ size: 20 })).toThrow(/slice size/);
    expect(() => makeChestSlices({ maxNodules: -1 })).toThrow(/nodules per slice/);
  });
});

describe("objects from a mask", () => {
  it("finds each connected component's centroid and equal-area radius, and drops specks", () => {
    const w = 12, h = 8, mask = new Uint8Array(w * h);
    for (let y = 1; y <= 3; y++) for (let x = 1; x <= 3; x++) mask[y * w + x] = 1; // 3×3 square at (2, 2)
    for (let y = 4; y <= 7; y++) for (let x = 7; x <= 10; x++) mask[y * w + x] = 1; // 4×4 square at (8.5, 5.5)
    mask[0 * w + 11] = 1; // a one-pixel speck
    const objects = objectsFromMask(mask, h, w, 4);
    expect(objects).toHaveLength(2);
    expect(objects[0]).toEqual({ x: 2, y: 2, r: Math.sqrt(9 / Math.PI) });
    expect(objects[1].x).toBeCloseTo(8.5);
    expect(objects[1].y).toBeCloseTo(5.5);
  });

  const file = "../shared/data/bbbc039/bbbc039_half_260x348.npz";
  it.skipIf(!existsSync(file))("turns BBBC039 into detection data: nuclei as objects, split by image (skips without ../shared/data)", () => {
    const det = detectionFromSegmentation(bbbc039FromFile(readFileSync(file), "bbbc039.npz"), { trainCount: 6, valCount: 3 });
    expect(det.imageShape).toEqual([130, 174]);
    expect(det.train.count).toBe(6);
    expect(det.val.count).toBe(3);
    expect(det.synthetic).toBe(false);
    const radii = det.train.objects.flat().map((o) => o.r);
    expect(radii.length).toBeGreaterThan(100); // dozens of nuclei per image
    expect(Math.min(...radii)).toBeGreaterThan(0);
    // A nucleus is bright: its centre outshines the image's median.
    const [h, w] = det.imageShape;
    const img = det.train.images.subarray(0, h * w);
    const median = [...img].sort((a, b) => a - b)[Math.floor(img.length / 2)];
    const centres = det.train.objects[0].map((o) => img[Math.round(o.y) * w + Math.round(o.x)]);
    expect(centres.filter((v) => v > median).length / centres.length).toBeGreaterThan(0.8);
  });
});
