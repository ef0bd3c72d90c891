import { describe, expect, it } from "vitest";
import { drawNucleiImage, makeNucleiDataset } from "../../src/data/nuclei";
import { mulberry32 } from "../../src/data/random";
import { classicalBaselines } from "../../src/metrics/segmentation";

describe("synthetic nuclei", () => {
  const ds = makeNucleiDataset({ trainCount: 30, valCount: 20, seed: 3 });
  const size = 64 * 64;

  it("same seed gives the same images and masks", () => {
    const again = makeNucleiDataset({ trainCount: 30, valCount: 20, seed: 3 });
    expect(again.train.images).toEqual(ds.train.images);
    expect(again.val.masks).toEqual(ds.val.masks);
    expect(makeNucleiDataset({ trainCount: 30, valCount: 20, seed: 4 }).train.images).not.toEqual(ds.train.images);
    expect(ds.synthetic).toBe(true);
    expect(ds.description).toMatch(/synthetic/i);
  });

  it("masks match their images: nuclei are brighter than the background around them", () => {
    for (let n = 0; n < ds.train.count; n++) {
      const image = ds.train.images.subarray(n * size, (n + 1) * size);
      const mask = ds.train.masks.subarray(n * size, (n + 1) * size);
      let inside = 0, outside = 0, nIn = 0, nOut = 0;
      for (let i = 0; i < size; i++) mask[i] ? ((inside += image[i]), nIn++) : ((outside += image[i]), nOut++);
      const fraction = nIn / size;
      expect(fraction).toBeGreaterThan(0.02);
      expect(fraction).toBeLessThan(0.45);
      expect(inside / nIn - outside / nOut).toBeGreaterThan(0.08);
      expect(new Set(mask).size).toBe(2); // binary
    }
  });

  it("separates touching nuclei with a line of background in the mask", () => {
    // A background pixel with foreground on both sides (left/right or up/down) is a separating line.
    let lines = 0;
    for (let n = 0; n < ds.train.count; n++) {
      const m = ds.train.masks.subarray(n * size, (n + 1) * size);
      for (let y = 1; y < 63; y++) for (let x = 1; x < 63; x++) {
        const i = y * 64 + x;
        if (!m[i] && ((m[i - 1] && m[i + 1]) || (m[i - 64] && m[i + 64]))) lines++;
      }
    }
    expect(lines).toBeGreaterThan(20);
  });

  it("is hard for a global threshold (uneven light, dim nuclei) but easy when lit evenly without noise", () => {
    const hard = classicalBaselines(ds.train, ds.val, 64, 64);
    expect(hard.globalThreshold.dice).toBeLessThan(0.75);
    const rand = mulberry32(1);
    const even = Array.from({ length: 10 }, () => drawNucleiImage(64, rand, 0));
    const split = { images: new Float32Array(even.flatMap((e) => [...e.image])), masks: new Float32Array(even.flatMap((e) => [...e.mask])), count: 10 };
    expect(classicalBaselines(split, split, 64, 64).globalThreshold.dice).toBeGreaterThan(hard.globalThreshold.dice);
  });

  it("refuses sizes a U-Net cannot use", () => {
    expect(() => makeNucleiDataset({ size: 50 })).toThrow(/multiple of 16/);
  });
});
