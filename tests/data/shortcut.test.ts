import { describe, expect, it } from "vitest";
import { makeNoduleDataset } from "../../src/data/nodules";
import { massInRegion, plantShortcut, tagRegion } from "../../src/data/shortcut";

const ds = makeNoduleDataset({ size: 32, trainCount: 200, valCount: 100, seed: 3 });
const SIZE = 32 * 32;
const hasTag = (images: Float32Array, i: number) => {
  const r = tagRegion([32, 32, 1]);
  for (let y = r.y; y < r.y + r.size; y++) for (let x = r.x; x < r.x + r.size; x++) if (images[i * SIZE + y * 32 + x] !== 1) return false;
  return true;
};

describe("plantShortcut", () => {
  it("tags most training images of one class, none of the other, and leaves the original untouched", () => {
    const original = ds.train.images.slice();
    const planted = plantShortcut(ds, { taggedClass: 1, fraction: 0.9, seed: 1 });
    const tagged = (label: number) => Array.from({ length: 200 }, (_, i) => i).filter((i) => ds.train.labels[i] === label && hasTag(planted.train.images, i)).length;
    expect(tagged(1)).toBeGreaterThan(80); // ~90% of 100
    expect(tagged(1)).toBeLessThan(100);
    expect(tagged(0)).toBe(0);
    expect(Array.from(ds.train.images)).toEqual(Array.from(original));
    expect(planted.shortcut).toMatchObject({ x: 1, y: 1, size: 4, taggedClass: 1 });
    expect(planted.id).toBe("nodules+shortcut");
    expect(planted.description).toMatch(/top-left corner of 90%/);
  });

  it("validation: no tag at all, or the tag on the other class", () => {
    const absent = plantShortcut(ds, { validation: "absent" });
    expect(Array.from(absent.val.images)).toEqual(Array.from(ds.val.images));
    const swapped = plantShortcut(ds, { validation: "swapped", fraction: 1 });
    for (let i = 0; i < 100; i++) expect(hasTag(swapped.val.images, i)).toBe(ds.val.labels[i] === 0);
  });

  it("is seeded, and refuses multi-label data and bad fractions", () => {
    expect(Array.from(plantShortcut(ds, { seed: 4 }).train.images)).toEqual(Array.from(plantShortcut(ds, { seed: 4 }).train.images));
    expect(Array.from(plantShortcut(ds, { seed: 4 }).train.images)).not.toEqual(Array.from(plantShortcut(ds, { seed: 5 }).train.images));
    expect(() => plantShortcut({ ...ds, task: "multilabel" })).toThrow(/multi-label/);
    expect(() => plantShortcut(ds, { fraction: 2 })).toThrow(/fraction/);
  });
});

describe("massInRegion", () => {
  it("is the share of the map's total inside the tag", () => {
    const map = new Float32Array(16);
    map[5] = 3; // (1,1): inside a 2×2 tag at (1,1)
    map[15] = 1;
    expect(massInRegion(map, 4, { x: 1, y: 1, size: 2 })).toBeCloseTo(0.75, 10);
    expect(massInRegion(new Float32Array(16), 4, { x: 1, y: 1, size: 2 })).toBe(0);
  });
});
