import { describe, expect, it } from "vitest";
import { augmentImage, augmentPair, elasticField } from "../../src/data/augment";
import { mulberry32 } from "../../src/data/random";

const H = 32, W = 32;

/** A bright oval off centre, as an image and as its 0/1 mask. */
function oval(): Float32Array {
  const m = new Float32Array(H * W);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) m[y * W + x] = ((x - 12) / 7) ** 2 + ((y - 18) / 4) ** 2 <= 1 ? 1 : 0;
  return m;
}

describe("elastic deformation (U-Net paper)", () => {
  it("keeps an image and its mask aligned: the deformed image, thresholded, is the deformed mask", () => {
    const mask = oval();
    let moved = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const { image: img, mask: m } = augmentPair(mask.slice(), mask, H, W, 1, mulberry32(seed), { flip: true, maxRotation: 20, elastic: 2 });
      for (let i = 0; i < H * W; i++) expect(img[i] >= 0.5 ? 1 : 0).toBe(m[i]);
      for (const v of m) expect(v === 0 || v === 1).toBe(true);
      moved += m.reduce((a, v, i) => a + (v !== mask[i] ? 1 : 0), 0);
    }
    expect(moved).toBeGreaterThan(20 * 10); // the deformation really moved the object
  });

  it("the same seed gives the same deformation, and its displacements are smooth with the asked size", () => {
    const a = elasticField(H, W, 2, 3, mulberry32(4));
    const b = elasticField(H, W, 2, 3, mulberry32(4));
    expect(a.dx).toEqual(b.dx);
    let jump = 0, sq = 0;
    for (let y = 0; y < H; y++) for (let x = 1; x < W; x++) jump = Math.max(jump, Math.abs(a.dx[y * W + x] - a.dx[y * W + x - 1]));
    for (const v of a.dx) sq += v * v;
    expect(jump).toBeLessThan(0.5); // neighbours move together: shapes bend, they do not tear
    expect(Math.sqrt(sq / a.dx.length)).toBeGreaterThan(0.3);
    expect(() => elasticField(H, W, 2, 1, mulberry32(1))).toThrow(/at least 2/);
  });

  it("adds nothing to the old options' random stream: flips and rotations alone give the same image as before", () => {
    const img = oval();
    const old = augmentImage(img, H, W, 1, mulberry32(9), { flip: true, maxRotation: 15 });
    const withZeros = augmentImage(img, H, W, 1, mulberry32(9), { flip: true, maxRotation: 15, elastic: 0, brightness: 0, contrast: 0 });
    expect(withZeros).toEqual(old);
  });

  it("intensity jitter changes the image but never its mask, and stays in 0..1", () => {
    const mask = oval();
    const image = Float32Array.from(mask, (v) => 0.2 + 0.6 * v);
    const { image: out, mask: m } = augmentPair(image, mask, H, W, 1, mulberry32(3), { flip: false, maxRotation: 0, brightness: 0.2, contrast: 0.5 });
    expect(m).toEqual(mask);
    expect(out).not.toEqual(image);
    for (const v of out) expect(v >= 0 && v <= 1).toBe(true);
  });
});

describe("the U-Net task with elastic augmentation", () => {
  it("deforms each training mask with its image, batch by batch", async () => {
    const tf = await import("@tensorflow/tfjs");
    const { segmentationTask } = await import("../../src/train/segmentation");
    await tf.setBackend("cpu");
    const mask = oval();
    const images = new Float32Array([...mask, ...mask]); // image = mask, so alignment is checkable
    const split = { images, masks: images.slice(), count: 2 };
    const data = { id: "t", title: "t", description: "", synthetic: true, imageShape: [H, W, 1] as [number, number, number], train: split, val: split };
    const task = segmentationTask(data as never, { augment: { flip: true, maxRotation: 20, elastic: 2 } });
    const { xs, ys } = tf.tidy(() => {
      const b = task.batch([0, 1], mulberry32(3));
      return { xs: tf.keep(b.xs), ys: tf.keep(b.ys) };
    });
    const [x, y] = [xs.dataSync(), ys.dataSync()];
    for (let i = 0; i < x.length; i++) expect(x[i] >= 0.5 ? 1 : 0).toBe(y[i]);
    expect(Array.from(y).some((v, i) => v !== images[i])).toBe(true); // it did move
    xs.dispose();
    ys.dispose();
  });
});
