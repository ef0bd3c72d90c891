import { describe, expect, it } from "vitest";
import { drawLesion, LESION_CLASSES, makeLesionDataset, subsetTrain } from "../../src/data/lesions";
import { mulberry32 } from "../../src/data/random";
import { imageAt } from "../../src/data/types";
import { expectSeeded, range, same } from "../helpers/data";

const S = 28;

function malignantFraction(labels: Int32Array): number {
  return labels.reduce((s, l) => s + l, 0) / labels.length;
}

/** Area of the convex hull of points (monotone chain + shoelace). */
function hullArea(points: [number, number][]): number {
  const pts = [...points].sort((p, q) => p[0] - q[0] || p[1] - q[1]);
  const cross = (o: number[], a: number[], b: number[]) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const half = (list: [number, number][]) => {
    const h: [number, number][] = [];
    for (const p of list) {
      while (h.length >= 2 && cross(h[h.length - 2], h[h.length - 1], p) <= 0) h.pop();
      h.push(p);
    }
    return h.slice(0, -1);
  };
  const hull = [...half(pts), ...half([...pts].reverse())];
  let area = 0;
  for (let i = 0; i < hull.length; i++) {
    const [x0, y0] = hull[i], [x1, y1] = hull[(i + 1) % hull.length];
    area += x0 * y1 - x1 * y0;
  }
  return Math.abs(area) / 2;
}

interface Measures {
  /** 1 − area / convex-hull area of the lesion mask: 0 for a convex blob, larger for lobes and spikes. */
  irregularity: number;
  /** Bounding-box width / height of the mask. */
  widthOverHeight: number;
  /** Mean brightness of the band just below the lesion / mean at the same depth away from it. */
  belowRatio: number;
  /** Mean brightness inside the lesion / mean in a ring of tissue around it. */
  insideRatio: number;
}

function measure(image: Float32Array, mask: Uint8Array, cx: number, a: number): Measures {
  let area = 0, x0 = S, x1 = -1, y0 = S, y1 = -1, sumIn = 0;
  const corners: [number, number][] = [];
  for (let y = 0; y < S; y++) {
    for (let x = 0; x < S; x++) {
      if (!mask[y * S + x]) continue;
      area++;
      sumIn += image[y * S + x];
      (x0 = Math.min(x0, x)), (x1 = Math.max(x1, x)), (y0 = Math.min(y0, y)), (y1 = Math.max(y1, y));
      corners.push([x, y], [x + 1, y], [x, y + 1], [x + 1, y + 1]);
    }
  }
  let below = 0, nBelow = 0, ref = 0, nRef = 0, ring = 0, nRing = 0;
  for (let y = 0; y < S; y++) {
    for (let x = 0; x < S; x++) {
      const v = image[y * S + x];
      if (y > y1 && y <= y1 + 6) {
        if (Math.abs(x - cx) < 0.7 * a) (below += v), nBelow++;
        else if (Math.abs(x - cx) > a + 2) (ref += v), nRef++;
      }
      const near = x >= x0 - 3 && x <= x1 + 3 && y >= y0 - 3 && y <= y1 + 3;
      if (near && !mask[y * S + x]) (ring += v), nRing++;
    }
  }
  return {
    irregularity: 1 - area / hullArea(corners),
    widthOverHeight: (x1 - x0 + 1) / (y1 - y0 + 1),
    belowRatio: nBelow && nRef ? below / nBelow / (ref / nRef) : NaN,
    insideRatio: sumIn / area / (ring / nRing),
  };
}

function mean(values: number[]): number {
  const ok = values.filter((v) => Number.isFinite(v));
  return ok.reduce((s, v) => s + v, 0) / ok.length;
}

describe("synthetic breast-ultrasound lesions (transfer-learning target task)", () => {
  it("same seed gives the same images and labels; another seed does not", () => {
    expectSeeded((seed) => makeLesionDataset({ trainCount: 200, valCount: 100, seed }));
  });

  it("has the declared shapes, counts, values in 0..1, and says it is synthetic, not patient data", () => {
    const ds = makeLesionDataset({ trainCount: 200, valCount: 100 });
    expect(ds.id).toBe("lesions");
    expect(ds.task).toBe("binary");
    expect(ds.classNames).toEqual(LESION_CLASSES);
    expect(ds.classNames).toEqual(["benign", "malignant"]);
    expect(ds.imageShape).toEqual([28, 28, 1]);
    expect(ds.train.count).toBe(200);
    expect(ds.train.images.length).toBe(200 * 28 * 28);
    expect(ds.val.count).toBe(100);
    expect(ds.val.labels.length).toBe(100);
    for (const split of [ds.train, ds.val]) {
      const [lo, hi] = range(split.images);
      expect(lo).toBeGreaterThanOrEqual(0);
      expect(hi).toBeLessThanOrEqual(1);
      for (const l of split.labels) expect([0, 1]).toContain(l);
    }
    expect(ds.synthetic).toBe(true);
    expect(ds.description).toMatch(/synthetic/i);
    expect(ds.description).toMatch(/not real patient data/i);
    expect(ds.description).toMatch(/ultrasound/i);
  });

  it("about a third of the images are malignant, in train and val, at the default sizes too", () => {
    const small = makeLesionDataset({ trainCount: 200, valCount: 100 });
    const full = makeLesionDataset();
    expect(full.train.count).toBe(600);
    expect(full.val.count).toBe(400);
    for (const ds of [small, full]) {
      for (const split of [ds.train, ds.val]) {
        const f = malignantFraction(split.labels);
        expect(f).toBeGreaterThanOrEqual(0.3);
        expect(f).toBeLessThanOrEqual(0.4);
      }
    }
    // Shuffled: malignant cases are not all at the start.
    const firstThird = full.train.labels.subarray(0, 200).reduce((s, l) => s + l, 0);
    expect(firstThird).toBeGreaterThan(40);
    expect(firstThird).toBeLessThan(100);
  });

  it("the lesion is darker than the tissue around it (hypoechoic)", () => {
    const rand = mulberry32(1);
    let darker = 0;
    for (let i = 0; i < 100; i++) {
      const { image, mask, params } = drawLesion(rand, i % 2 === 0);
      if (measure(image, mask, params.cx, params.a).insideRatio < 0.8) darker++;
    }
    expect(darker).toBeGreaterThanOrEqual(90);
  });

  it("malignant margins are more irregular and less wider-than-tall, on average", () => {
    const rand = mulberry32(2);
    const benign: Measures[] = [], malignant: Measures[] = [];
    for (let i = 0; i < 200; i++) {
      const b = drawLesion(rand, false), m = drawLesion(rand, true);
      expect(b.params.malignant).toBe(false);
      expect(m.params.malignant).toBe(true);
      benign.push(measure(b.image, b.mask, b.params.cx, b.params.a));
      malignant.push(measure(m.image, m.mask, m.params.cx, m.params.a));
    }
    const irrB = mean(benign.map((m) => m.irregularity)), irrM = mean(malignant.map((m) => m.irregularity));
    expect(irrM).toBeGreaterThan(irrB + 0.02);
    const aspB = mean(benign.map((m) => m.widthOverHeight)), aspM = mean(malignant.map((m) => m.widthOverHeight));
    expect(aspB).toBeGreaterThan(1.1);
    expect(aspB).toBeGreaterThan(aspM + 0.1);
    // …but the classes overlap: some cancers are as smooth as a typical benign lesion.
    expect(malignant.filter((m) => m.irregularity < (irrB + irrM) / 2).length).toBeGreaterThan(10);
  });

  it("shadowing darkens the tissue below a lesion, enhancement brightens it, in both classes alike", () => {
    const rand = mulberry32(3);
    const ratios = { benign: [] as number[], malignant: [] as number[], shadow: [] as number[], enhanced: [] as number[] };
    for (let i = 0; i < 300; i++) {
      for (const mal of [false, true]) {
        const { image, mask, params } = drawLesion(rand, mal);
        const r = measure(image, mask, params.cx, params.a).belowRatio;
        (mal ? ratios.malignant : ratios.benign).push(r);
        if (params.posterior < 0.8) ratios.shadow.push(r);
        if (params.posterior > 1.2) ratios.enhanced.push(r);
      }
    }
    // The rendering does what the parameters say…
    expect(mean(ratios.shadow)).toBeLessThan(0.85);
    expect(mean(ratios.enhanced)).toBeGreaterThan(1.05);
    // …and they are not a class cue here: the class is in the margin (see lesionParams).
    expect(Math.abs(mean(ratios.malignant) - mean(ratios.benign))).toBeLessThan(0.04);
  });
});

describe("subsetTrain (number of target training images)", () => {
  const ds = makeLesionDataset({ trainCount: 300, valCount: 60, seed: 9 });
  const rowKey = (d: typeof ds, i: number) => `${d.train.labels[i]}:${imageAt(d.train, d.imageShape, i).join(",")}`;
  const allRows = new Set(Array.from({ length: ds.train.count }, (_, i) => rowKey(ds, i)));

  it("keeps n images, stratified, with both classes even for n = 10, and the val split unchanged", () => {
    for (const n of [10, 25, 50, 100, 200]) {
      const sub = subsetTrain(ds, n, 1);
      expect(sub.train.count).toBe(n);
      expect(sub.train.labels.length).toBe(n);
      expect(sub.train.images.length).toBe(n * 28 * 28);
      const mal = sub.train.labels.reduce((s, l) => s + l, 0);
      expect(mal).toBeGreaterThanOrEqual(1);
      expect(mal).toBeLessThanOrEqual(n - 1);
      // Stratified: the malignant count is the train split's share of n, give or take one.
      expect(Math.abs(mal - n * malignantFraction(ds.train.labels))).toBeLessThanOrEqual(1);
      // Real rows of the train split, with their own labels.
      for (let i = 0; i < n; i++) expect(allRows.has(rowKey(sub, i))).toBe(true);
      expect(new Set(Array.from({ length: n }, (_, i) => rowKey(sub, i))).size).toBe(n);
      expect(sub.val).toBe(ds.val); // the very same split: validation scores stay comparable across n
      expect(sub.id).toBe(ds.id);
      expect(sub.classNames).toEqual(ds.classNames);
    }
    expect(ds.train.count).toBe(300); // the source dataset is untouched
  });

  it("keeps at least one of each class even when a class is rare", () => {
    const labels = new Int32Array(100);
    labels[37] = 1; // one positive in 100
    const rare = { ...ds, train: { images: new Float32Array(100 * 784), labels, count: 100 } };
    for (const seed of [1, 2, 3]) {
      const sub = subsetTrain(rare, 5, seed);
      expect(sub.train.labels.reduce((s, l) => s + l, 0)).toBe(1);
    }
  });

  it("is deterministic for a seed, differs across seeds, and grows by adding images", () => {
    const a = subsetTrain(ds, 25, 4), b = subsetTrain(ds, 25, 4), c = subsetTrain(ds, 25, 5);
    expect(same(a.train.images, b.train.images)).toBe(true);
    expect(a.train.labels).toEqual(b.train.labels);
    expect(same(a.train.images, c.train.images)).toBe(false);
    // Nested: for the same seed, the 10-image subset is inside the 25-image one, and so on.
    const sizes = [10, 25, 50, 100, 200];
    for (let s = 0; s + 1 < sizes.length; s++) {
      const small = subsetTrain(ds, sizes[s], 4), large = subsetTrain(ds, sizes[s + 1], 4);
      const largeRows = new Set(Array.from({ length: large.train.count }, (_, i) => rowKey(large, i)));
      for (let i = 0; i < small.train.count; i++) expect(largeRows.has(rowKey(small, i))).toBe(true);
    }
  });

  it("n at or above the train size (or Infinity) keeps everything; too small an n throws", () => {
    for (const n of [300, 1000, Infinity]) {
      const all = subsetTrain(ds, n, 1);
      expect(all.train.count).toBe(300);
      expect(all.train.labels).toEqual(ds.train.labels);
      expect(same(all.train.images, ds.train.images)).toBe(true);
    }
    expect(() => subsetTrain(ds, 1, 1)).toThrow(RangeError);
    expect(() => subsetTrain(ds, 12.5, 1)).toThrow(RangeError);
  });
});
