import { describe, expect, it } from "vitest";
import { drawPatch, makeNoduleDataset } from "../../src/data/nodules";
import { augmentImage } from "../../src/data/augment";
import { mulberry32 } from "../../src/data/random";

describe("synthetic nodule dataset", () => {
  it("same seed gives the same images and labels; another seed does not", () => {
    const a = makeNoduleDataset({ trainCount: 40, valCount: 10, seed: 7 });
    const b = makeNoduleDataset({ trainCount: 40, valCount: 10, seed: 7 });
    const c = makeNoduleDataset({ trainCount: 40, valCount: 10, seed: 8 });
    expect(a.train.images).toEqual(b.train.images);
    expect(a.val.labels).toEqual(b.val.labels);
    expect(a.train.images).not.toEqual(c.train.images);
  });

  it("has the declared shapes, balanced labels, values in 0..1, and says it is synthetic", () => {
    const ds = makeNoduleDataset({ size: 24, trainCount: 50, valCount: 20 });
    expect(ds.imageShape).toEqual([24, 24, 1]);
    expect(ds.train.images.length).toBe(50 * 24 * 24);
    expect(ds.train.count).toBe(50);
    expect(ds.train.labels.reduce((s, l) => s + l, 0)).toBe(25);
    expect(Math.min(...ds.train.images)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...ds.train.images)).toBeLessThanOrEqual(1);
    expect(ds.synthetic).toBe(true);
    expect(ds.description).toMatch(/synthetic/i);
  });

  it("a nodule adds a bright round region that the same random draw without it lacks", () => {
    const size = 32;
    const withNodule = drawPatch(size, true, mulberry32(3));
    const without = drawPatch(size, false, mulberry32(3));
    const diff = withNodule.map((v, i) => v - without[i]);
    // The nodule covers at least a disc of radius 2.6 px (≈ 21 px) at contrast ≥ 0.3.
    expect(diff.filter((d) => d > 0.15).length).toBeGreaterThan(15);
  });

  it("rejects an unusable patch size", () => {
    expect(() => makeNoduleDataset({ size: 4 })).toThrow(/patch size/);
  });
});

describe("augmentation", () => {
  it("with no flip and no rotation returns the image unchanged", () => {
    const img = Float32Array.from({ length: 16 }, (_, i) => i);
    expect(augmentImage(img, 4, 4, 1, mulberry32(1), { flip: false, maxRotation: 0 })).toEqual(img);
  });

  it("flips keep the pixel values (a permutation) and are seeded", () => {
    const img = Float32Array.from({ length: 16 }, (_, i) => i);
    const seen = new Set<string>();
    for (let s = 0; s < 20; s++) {
      const out = augmentImage(img, 4, 4, 1, mulberry32(s), { flip: true, maxRotation: 0 });
      expect([...out].sort((a, b) => a - b)).toEqual([...img]);
      seen.add(out.join(","));
    }
    expect(seen.size).toBe(4); // identity, left-right, up-down, both
    const again = augmentImage(img, 4, 4, 1, mulberry32(5), { flip: true, maxRotation: 15 });
    expect(augmentImage(img, 4, 4, 1, mulberry32(5), { flip: true, maxRotation: 15 })).toEqual(again);
  });
});
