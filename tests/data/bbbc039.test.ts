/**
 * BBBC039 mapping, random crops and tiles: on a crafted dataset whose pixels encode their own
 * position (so a misplaced copy shows), and on the real file when ../shared/data is there.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  bbbc039ForTraining,
  bbbc039FromFile,
  bbbc039FromNpz,
  foregroundFraction,
  randomCrops,
  splitByImage,
  tiles,
  type SegmentationDataset,
} from "../../src/data/bbbc039";
import { readNpz, writeNpz } from "../../src/data/npz";
import { dataError } from "../helpers/data";

const here = path.dirname(fileURLToPath(import.meta.url));
const REAL_FILE = path.resolve(here, "../../../shared/data/bbbc039/bbbc039_half_260x348.npz");


const N = 3;
const H = 10;
const W = 12;

/** Pixel (n, y, x) holds 80n + 5y + x (at most 216, so it fits a byte); the mask is set where x >= y. */
function craftedArrays(withClasses = true) {
  const size = N * H * W;
  const images = new Uint8Array(size);
  const masks = new Uint8Array(size);
  const classes3 = new Uint8Array(size);
  for (let n = 0; n < N; n++) {
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const i = (n * H + y) * W + x;
        images[i] = pixel(n, y, x);
        masks[i] = x >= y ? 1 : 0;
        classes3[i] = (x + y) % 4;
      }
    }
  }
  return readNpz(
    writeNpz({
      images: { dtype: "uint8", shape: [N, H, W], data: images },
      masks: { dtype: "uint8", shape: [N, H, W], data: masks },
      ...(withClasses ? { classes3: { dtype: "uint8" as const, shape: [N, H, W], data: classes3 } } : {}),
      names: { dtype: "unicode", shape: [N], data: ["a.tif", "b.tif", "c.tif"] },
    }),
  );
}

/** What pixel value (0..255) the crafted image n holds at (y, x). */
function pixel(n: number, y: number, x: number): number {
  return 80 * n + 5 * y + x;
}

/** Check every pixel of every window against the source it claims to come from. */
function expectWindowsMatchOrigins(windows: SegmentationDataset, size: number) {
  expect(windows.origins?.length).toBe(windows.count);
  windows.origins!.forEach((o, k) => {
    for (let dy = 0; dy < size; dy++) {
      for (let dx = 0; dx < size; dx++) {
        const i = (k * size + dy) * size + dx;
        expect(Math.round(windows.images[i]! * 255)).toBe(pixel(o.image, o.y + dy, o.x + dx));
        expect(windows.masks[i]).toBe(o.x + dx >= o.y + dy ? 1 : 0);
        if (windows.classes3) expect(windows.classes3[i]).toBe((o.x + dx + o.y + dy) % 4);
      }
    }
  });
}

describe("bbbc039FromNpz on a crafted file", () => {
  const ds = bbbc039FromNpz(craftedArrays(), { fileName: "tiny.npz" });

  it("scales images to 0..1, keeps masks 0/1 and carries classes3 and names", () => {
    expect(ds.count).toBe(N);
    expect(ds.imageShape).toEqual([H, W]);
    expect(ds.images.length).toBe(N * H * W);
    expect(ds.images[(2 * H + 3) * W + 5]).toBeCloseTo(pixel(2, 3, 5) / 255, 6);
    expect(ds.masks[(1 * H + 2) * W + 1]).toBe(0);
    expect(ds.masks[(1 * H + 2) * W + 2]).toBe(1);
    expect(ds.classes3?.length).toBe(N * H * W);
    expect(ds.names).toEqual(["a.tif", "b.tif", "c.tif"]);
    expect(ds.synthetic).toBe(false);
    expect(ds.provenance?.license).toBe("CC0 1.0");
    expect(ds.provenance?.citation).toContain("Caicedo");
    expect(ds.provenance?.citation).toContain("Cytometry A");
    expect(ds.provenance?.citation).toContain("Broad Bioimage Benchmark Collection");
  });

  it("works without the optional classes3", () => {
    const plain = bbbc039FromNpz(craftedArrays(false));
    expect(plain.classes3).toBeUndefined();
    expect(randomCrops(plain, { size: 4, count: 2, seed: 1 }).classes3).toBeUndefined();
  });

  it("randomCrops gives count crops of size×size, copied from where they say", () => {
    const crops = randomCrops(ds, { size: 5, count: 20, seed: 42 });
    expect(crops.count).toBe(20);
    expect(crops.imageShape).toEqual([5, 5]);
    expect(crops.images.length).toBe(20 * 25);
    expect(crops.masks.length).toBe(20 * 25);
    expect(crops.classes3?.length).toBe(20 * 25);
    for (const o of crops.origins!) {
      expect(o.image).toBeGreaterThanOrEqual(0);
      expect(o.image).toBeLessThan(N);
      expect(o.y + 5).toBeLessThanOrEqual(H);
      expect(o.x + 5).toBeLessThanOrEqual(W);
    }
    expectWindowsMatchOrigins(crops, 5);
  });

  it("randomCrops is the same for the same seed and different for another", () => {
    const a = randomCrops(ds, { size: 4, count: 10, seed: 7 });
    const b = randomCrops(ds, { size: 4, count: 10, seed: 7 });
    const c = randomCrops(ds, { size: 4, count: 10, seed: 8 });
    expect(b.origins).toEqual(a.origins);
    expect(Array.from(b.images)).toEqual(Array.from(a.images));
    expect(c.origins).not.toEqual(a.origins);
  });

  it("randomCrops reaches every image and both edges over many draws", () => {
    const crops = randomCrops(ds, { size: 4, count: 500, seed: 3 });
    const images = new Set(crops.origins!.map((o) => o.image));
    expect(images).toEqual(new Set([0, 1, 2]));
    expect(Math.min(...crops.origins!.map((o) => o.x))).toBe(0);
    expect(Math.max(...crops.origins!.map((o) => o.x))).toBe(W - 4);
    expect(Math.max(...crops.origins!.map((o) => o.y))).toBe(H - 4);
  });

  it("tiles cuts each image into non-overlapping tiles, leaving out the narrow edge strip", () => {
    const t = tiles(ds, { size: 4 });
    // 10×12 image, 4×4 tiles: 2 rows (y = 0, 4) × 3 columns (x = 0, 4, 8) per image.
    expect(t.count).toBe(N * 2 * 3);
    expect(t.imageShape).toEqual([4, 4]);
    expect(t.origins!.slice(0, 6)).toEqual([
      { image: 0, y: 0, x: 0 },
      { image: 0, y: 0, x: 4 },
      { image: 0, y: 0, x: 8 },
      { image: 0, y: 4, x: 0 },
      { image: 0, y: 4, x: 4 },
      { image: 0, y: 4, x: 8 },
    ]);
    expectWindowsMatchOrigins(t, 4);
  });

  it("tiles with a smaller stride overlap", () => {
    const t = tiles(ds, { size: 4, stride: 2 });
    // y in {0,2,4,6}, x in {0,2,4,6,8}
    expect(t.count).toBe(N * 4 * 5);
    expectWindowsMatchOrigins(t, 4);
  });

  it("refuses crops larger than the images", () => {
    expect(dataError(() => randomCrops(ds, { size: 11, count: 1, seed: 0 })).message).toBe(
      "crop size 11 is larger than the images (10×12)",
    );
    expect(dataError(() => tiles(ds, { size: 0 })).message).toContain("whole number");
  });

  it("splitByImage puts each image on exactly one side, the same way for the same seed", () => {
    const { train, val } = splitByImage(ds, { valFraction: 0.34, seed: 5 });
    expect(train.count + val.count).toBe(N);
    expect(val.count).toBe(1);
    const names = [...train.names!, ...val.names!].sort();
    expect(names).toEqual(["a.tif", "b.tif", "c.tif"]);
    const again = splitByImage(ds, { valFraction: 0.34, seed: 5 });
    expect(again.val.names).toEqual(val.names);
    // The selected image's pixels moved with it.
    const src = ds.names!.indexOf(val.names![0]!);
    expect(Array.from(val.images)).toEqual(Array.from(ds.images.subarray(src * H * W, (src + 1) * H * W)));
  });

  it("foregroundFraction is the share of mask pixels set", () => {
    // x >= y on a 10×12 grid: row y has 12 - y pixels set, so 12+11+...+3 = 75 of 120.
    expect(foregroundFraction(ds)).toBeCloseTo(75 / 120, 10);
  });
});

describe("bbbc039FromNpz errors", () => {
  it("reports a missing masks array", () => {
    const arrays = craftedArrays();
    delete arrays.masks;
    expect(dataError(() => bbbc039FromNpz(arrays)).message).toBe("missing array 'masks' (found: images, classes3, names)");
  });

  it("reports masks that do not match the images", () => {
    const arrays = readNpz(
      writeNpz({
        images: { dtype: "uint8", shape: [2, 4, 4], data: new Uint8Array(32) },
        masks: { dtype: "uint8", shape: [2, 4, 5], data: new Uint8Array(40) },
      }),
    );
    expect(dataError(() => bbbc039FromNpz(arrays)).message).toContain(
      "images has shape (2, 4, 4) but masks has shape (2, 4, 5)",
    );
  });

  it("reports colour or flat image arrays", () => {
    const arrays = readNpz(
      writeNpz({
        images: { dtype: "uint8", shape: [2, 4, 4, 3], data: new Uint8Array(96) },
        masks: { dtype: "uint8", shape: [2, 4, 4], data: new Uint8Array(32) },
      }),
    );
    expect(dataError(() => bbbc039FromNpz(arrays)).message).toContain("must be (N, H, W)");
  });
});

const realExists = existsSync(REAL_FILE);
if (!realExists) console.log(`skipping the real BBBC039 tests: ${REAL_FILE} not found (a fresh clone has no ../shared/data)`);

describe.skipIf(!realExists)("real bbbc039_half_260x348.npz", () => {
  it("holds 200 images of 260×348 with binary masks, matching NumPy's reading", () => {
    const raw = readNpz(readFileSync(REAL_FILE));
    const rawMasks = raw.masks!.data as Uint8Array;
    const seen = new Set<number>();
    for (const v of rawMasks) seen.add(v);
    expect([...seen].sort()).toEqual([0, 1]);

    const ds = bbbc039FromNpz(raw, { fileName: "bbbc039_half_260x348.npz" });
    expect(ds.count).toBe(200);
    expect(ds.imageShape).toEqual([260, 348]);
    expect(ds.images.length).toBe(200 * 260 * 348);
    expect(ds.masks.length).toBe(200 * 260 * 348);
    expect(ds.classes3?.length).toBe(200 * 260 * 348);
    expect(ds.names?.length).toBe(200);
    expect(ds.names?.[0]).toBe("IXMtest_A02_s1_w1051DAA7C-7042-435F-99F0-1E847D9B42CB");
    // Reference values computed from the same file with NumPy.
    expect(Array.from(ds.images.subarray(0, 5), (v) => Math.round(v * 255))).toEqual([3, 2, 2, 3, 3]);
    expect(Math.round(ds.images[(3 * 260 + 100) * 348 + 200]! * 255)).toBe(5);
    expect(foregroundFraction(ds)).toBeCloseTo(0.20236, 4);
    const classValues = new Set<number>();
    for (const v of ds.classes3!) classValues.add(v);
    expect([...classValues].sort()).toEqual([0, 1, 2, 3]);

    const crops = randomCrops(ds, { size: 64, count: 16, seed: 1 });
    expect(crops.images.length).toBe(16 * 64 * 64);
    const t = tiles(ds, { size: 128 });
    expect(t.count).toBe(200 * 2 * 2); // 260 / 128 -> 2 rows, 348 / 128 -> 2 columns
  });

  it("bbbc039FromFile reads the bytes directly", () => {
    const ds = bbbc039FromFile(readFileSync(REAL_FILE), REAL_FILE);
    expect(ds.count).toBe(200);
    expect(ds.description).toContain("260×348");
  });
});

describe("bbbc039ForTraining", () => {
  it("makes train crops and validation tiles of the lesson's size from different whole images", () => {
    const ds = bbbc039FromNpz(craftedArrays());
    const data = bbbc039ForTraining(ds, { size: 8, trainCount: 12, valCount: 5, seed: 3 });
    expect(data.imageShape).toEqual([8, 8, 1]);
    expect([data.train.count, data.val.count]).toEqual([12, 5]);
    expect(data.train.images.length).toBe(12 * 64);
    expect(data.val.masks.length).toBe(5 * 64);
    expect(data.synthetic).toBe(false);
    expect(data.provenance?.license).toMatch(/CC0/);
    // Image n's pixels start at 80n: a crop's first pixel tells which image it came from.
    const source = (images: Float32Array, i: number) => Math.floor((images[i * 64] * 255 + 0.5) / 80);
    const trainSources = new Set(Array.from({ length: 12 }, (_, i) => source(data.train.images, i)));
    const valSources = new Set(Array.from({ length: 5 }, (_, i) => source(data.val.images, i)));
    for (const s of valSources) expect(trainSources.has(s)).toBe(false);
    // Same seed, same crops.
    expect(bbbc039ForTraining(ds, { size: 8, trainCount: 12, valCount: 5, seed: 3 }).val.images).toEqual(data.val.images);
  });
});
