/**
 * The built-in datasets (and the U-Net baselines) made in slices, as lesson pages make them while
 * they load, are the very data made at once: same seed, same images, labels, masks and objects, so
 * records, tests and the worker agree with the page. And the slicing does pause: the work is handed
 * back to the browser between slices, not done in one block.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { makeChestSlices, makeChestSlicesInSlices } from "../../src/data/chestSlices";
import { makeLesionDataset, makeLesionDatasetInSlices } from "../../src/data/lesions";
import { makeNoduleDataset, makeNoduleDatasetInSlices } from "../../src/data/nodules";
import { makeNucleiDataset, makeNucleiDatasetInSlices } from "../../src/data/nuclei";
import { classicalBaselines, classicalBaselinesInSlices } from "../../src/metrics/segmentation";

afterEach(() => vi.restoreAllMocks());

/** Counts the pauses: each one is a setTimeout in node (yieldToBrowser's fallback outside a browser). */
function countPauses(): () => number {
  const spy = vi.spyOn(globalThis, "setTimeout");
  return () => spy.mock.calls.length;
}

/**
 * A clock that moves 10 ms on every reading, so every slice (8 ms) ends after one step:
 * the most pauses the slicing can make, and the result must still be the same.
 */
function slowClock(): void {
  let now = 0;
  vi.spyOn(performance, "now").mockImplementation(() => (now += 10));
}

describe("built-in data made in slices is the data made at once", () => {
  it("nodule patches (CNN, explain, data-problems and auto-encoder lessons)", async () => {
    const options = { trainCount: 40, valCount: 20, seed: 42 };
    const pauses = countPauses();
    slowClock();
    const sliced = await makeNoduleDatasetInSlices(options);
    expect(pauses()).toBeGreaterThan(10);
    expect(sliced).toEqual(makeNoduleDataset(options));
    expect(sliced).not.toEqual(makeNoduleDataset({ ...options, seed: 43 }));
  });

  it("nuclei images and masks (U-Net lesson)", async () => {
    const options = { trainCount: 12, valCount: 6, seed: 7 };
    slowClock();
    const sliced = await makeNucleiDatasetInSlices(options);
    expect(sliced).toEqual(makeNucleiDataset(options));
    expect(sliced.val.masks).not.toEqual(makeNucleiDataset({ ...options, seed: 8 }).val.masks);
  });

  it("ultrasound lesions (transfer lesson)", async () => {
    const options = { trainCount: 30, valCount: 20, seed: 21 };
    slowClock();
    expect(await makeLesionDatasetInSlices(options)).toEqual(makeLesionDataset(options));
  });

  it("chest slices and their nodules (detection lesson)", async () => {
    const options = { trainCount: 4, valCount: 3, seed: 5 };
    slowClock();
    const sliced = await makeChestSlicesInSlices(options);
    expect(sliced).toEqual(makeChestSlices(options));
    expect(sliced.train.objects.flat().length).toBeGreaterThan(0);
  });

  it("a bad option is refused the same way", async () => {
    expect(() => makeNoduleDataset({ size: 8 })).toThrow(/patch size/);
    await expect(makeNoduleDatasetInSlices({ size: 8 })).rejects.toThrow(/patch size/);
    await expect(makeNucleiDatasetInSlices({ size: 50 })).rejects.toThrow(/multiple of 16/);
  });

  it("the U-Net baselines: the same threshold and scores, computed with pauses", async () => {
    const data = makeNucleiDataset({ trainCount: 20, valCount: 10, seed: 7 });
    const atOnce = classicalBaselines(data.train, data.val, 64, 64);
    const pauses = countPauses();
    slowClock();
    const sliced = await classicalBaselinesInSlices(data.train, data.val, 64, 64);
    expect(pauses()).toBeGreaterThan(40); // one per candidate threshold, and more
    expect(sliced).toEqual(atOnce);
    expect(atOnce.globalThreshold.threshold).toBeGreaterThan(0);
    expect(atOnce.globalThreshold.dice).toBeGreaterThan(0);
  });
});
