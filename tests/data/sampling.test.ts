import { describe, expect, it } from "vitest";
import { flipLabels, withLabelNoise } from "../../src/data/labelNoise";
import { makeNoduleDataset } from "../../src/data/nodules";
import { oversample, pickImages, positiveFraction, withPositiveFraction } from "../../src/data/sampling";
import { same } from "../helpers/data";

const ds = makeNoduleDataset({ size: 16, trainCount: 400, valCount: 20, seed: 3 }); // 200 of each class
const size = 16 * 16;

/** Each image of `part` is one of `whole`'s images with the same label. */
function imagesComeFrom(part: typeof ds.train, whole: typeof ds.train): boolean {
  const key = (split: typeof ds.train, i: number) => `${split.labels[i]}:${split.images.subarray(i * size, (i + 1) * size).join(",")}`;
  const known = new Set(Array.from({ length: whole.count }, (_, i) => key(whole, i)));
  return Array.from({ length: part.count }, (_, i) => known.has(key(part, i))).every(Boolean);
}

describe("withPositiveFraction", () => {
  it("keeps every negative and the asked fraction of positives, from the original images", () => {
    for (const f of [0.5, 0.2, 0.05, 0.01]) {
      const out = withPositiveFraction(ds, f, 1);
      const positives = Array.from(out.train.labels).filter((l) => l === 1).length;
      expect(out.train.count - positives).toBe(200);
      expect(positives).toBe(Math.max(1, Math.round((200 * f) / (1 - f))));
      expect(Math.abs(positiveFraction(out.train) - f)).toBeLessThan(0.01);
      expect(out.val).toBe(ds.val);
    }
    expect(imagesComeFrom(withPositiveFraction(ds, 0.1, 2).train, ds.train)).toBe(true);
  });

  it("is seeded, caps the negatives, and refuses a fraction outside (0, 1)", () => {
    const [a, b, c] = [withPositiveFraction(ds, 0.1, 7), withPositiveFraction(ds, 0.1, 7), withPositiveFraction(ds, 0.1, 8)];
    expect(same(a.train.images, b.train.images)).toBe(true);
    expect(same(a.train.images, c.train.images)).toBe(false);
    const capped = withPositiveFraction(ds, 0.2, 1, { maxNegatives: 40 });
    expect(capped.train.count).toBe(50);
    expect(positiveFraction(capped.train)).toBeCloseTo(0.2);
    expect(() => withPositiveFraction(ds, 0, 1)).toThrow(/between 0 and 1/);
    expect(() => withPositiveFraction(ds, 1.5, 1)).toThrow(/between 0 and 1/);
  });
});

describe("oversample", () => {
  it("repeats positives until they are the asked fraction, keeping every original image", () => {
    const rare = withPositiveFraction(ds, 0.05, 1); // 200 negatives, 11 positives
    for (const f of [0.5, 0.3]) {
      const out = oversample(rare, 3, { fraction: f });
      const positives = Array.from(out.train.labels).filter((l) => l === 1).length;
      expect(positives).toBe(Math.round((200 * f) / (1 - f)));
      expect(out.train.count - positives).toBe(200);
      expect(imagesComeFrom(out.train, rare.train)).toBe(true);
      expect(imagesComeFrom(rare.train, out.train)).toBe(true); // nothing dropped
    }
    expect(() => oversample({ ...rare, train: pickImages(rare.train, rare.imageShape, [0]) }, 1)).toThrow(/no positive/);
  });
});

describe("label noise", () => {
  const clean = Int32Array.from({ length: 200 }, (_, i) => i % 2);

  it("flips exactly the asked fraction of labels, the same ones for the same seed", () => {
    for (const f of [0, 0.1, 0.25, 0.5]) {
      const { labels, flipped } = flipLabels(clean, f, 4);
      const changed = labels.filter((l, i) => l !== clean[i]).length;
      expect(changed).toBe(Math.round(f * 200));
      expect(flipped.reduce((a, b) => a + b, 0)).toBe(changed);
      for (let i = 0; i < 200; i++) expect(flipped[i] === 1).toBe(labels[i] !== clean[i]);
    }
    expect(flipLabels(clean, 0.3, 4).labels).toEqual(flipLabels(clean, 0.3, 4).labels);
    expect(flipLabels(clean, 0.3, 4).labels).not.toEqual(flipLabels(clean, 0.3, 5).labels);
    expect(() => flipLabels(clean, 1.2, 1)).toThrow(/from 0 to 1/);
  });

  it("one-way noise only turns positives into negatives, an exact fraction of the positives", () => {
    const { labels } = flipLabels(clean, 0.4, 2, { kind: "oneWay" });
    for (let i = 0; i < 200; i++) if (clean[i] === 0) expect(labels[i]).toBe(0);
    expect(Array.from(labels).filter((l, i) => clean[i] === 1 && l === 0).length).toBe(40);
  });

  it("symmetric noise on several classes always picks a wrong class", () => {
    const three = Int32Array.from({ length: 90 }, (_, i) => i % 3);
    const { labels, flipped } = flipLabels(three, 1, 1, { k: 3 });
    expect(flipped.every((f) => f === 1)).toBe(true);
    for (let i = 0; i < 90; i++) expect(labels[i]).not.toBe(three[i]);
    expect(new Set(labels).size).toBe(3);
  });

  it("withLabelNoise keeps the clean labels and leaves validation alone", () => {
    const noisy = withLabelNoise(ds, 0.2, 1);
    expect(noisy.cleanTrainLabels).toBe(ds.train.labels);
    expect(noisy.val).toBe(ds.val);
    expect(noisy.train.images).toBe(ds.train.images);
    expect(Array.from(noisy.train.labels).filter((l, i) => l !== ds.train.labels[i]).length).toBe(80);
  });
});
