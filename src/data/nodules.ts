/**
 * Synthetic chest-CT patches: "is there a lung nodule in this patch?"
 *
 * It imitates the nodule-detection task the survey discusses (false-positive reduction in
 * chest CT): every patch shows lung parenchyma with vessels; positives also hold a round
 * nodule. The hard negatives are what makes the real task hard: vessel cross-sections look
 * like small bright dots, and vessels running in-plane look like bright tubes.
 * Everything here is made by our own seeded code: no patient data.
 */
import { runAtOnce, runInSlices, type Slices } from "../core/slices";
import { gaussian, mulberry32, uniform } from "./random";
import type { ClassificationDataset, Split } from "./types";

export interface NoduleOptions {
  /** Patch side in pixels. */
  size?: number;
  trainCount?: number;
  valCount?: number;
  seed?: number;
}

export const NODULE_CLASSES = ["no nodule", "nodule"];

/** Intensities on a 0..1 scale, roughly a lung window: air/parenchyma dark, soft tissue bright. */
const PARENCHYMA = 0.12;

/** Adds smooth, low-frequency texture (parenchyma is not flat) by summing random waves. */
export function addParenchyma(img: Float32Array, size: number, rand: () => number, normal: () => number): void {
  const waves = Array.from({ length: 6 }, () => ({
    fx: uniform(rand, 0.05, 0.35),
    fy: uniform(rand, 0.05, 0.35),
    phase: uniform(rand, 0, 2 * Math.PI),
    amp: uniform(rand, 0.01, 0.03),
  }));
  const level = PARENCHYMA + uniform(rand, -0.04, 0.04);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let v = level;
      for (const w of waves) v += w.amp * Math.sin(w.fx * x + w.fy * y + w.phase);
      img[y * size + x] = v + 0.03 * normal(); // fine quantum noise, as in low-dose CT
    }
  }
}

/** Soft-edged disc: intensity falls smoothly at the border, like partial-volume blur. */
function addBlob(img: Float32Array, size: number, cx: number, cy: number, r: number, contrast: number, squash = 1, angle = 0): void {
  const cos = Math.cos(angle), sin = Math.sin(angle);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const dx = x - cx, dy = y - cy;
      const u = dx * cos + dy * sin;
      const v = (-dx * sin + dy * cos) / squash;
      const d = Math.sqrt(u * u + v * v);
      img[y * size + x] += contrast / (1 + Math.exp((d - r) / 0.6));
    }
  }
}

/** A vessel running in the image plane: a bright, slightly curved tube with a Gaussian profile. */
function addVessel(img: Float32Array, size: number, rand: () => number): void {
  const x0 = uniform(rand, 0, size), y0 = uniform(rand, 0, size);
  const angle = uniform(rand, 0, Math.PI);
  const bend = uniform(rand, -0.02, 0.02);
  const width = uniform(rand, 0.7, 1.6);
  const contrast = uniform(rand, 0.25, 0.6);
  const dx = Math.cos(angle), dy = Math.sin(angle);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const along = (x - x0) * dx + (y - y0) * dy;
      const across = -(x - x0) * dy + (y - y0) * dx - bend * along * along;
      img[y * size + x] += contrast * Math.exp(-(across * across) / (2 * width * width));
    }
  }
}

/** Draws one patch; `nodule` decides the label. */
export function drawPatch(size: number, nodule: boolean, rand: () => number): Float32Array {
  const normal = gaussian(rand);
  const img = new Float32Array(size * size);
  addParenchyma(img, size, rand, normal);
  const vessels = 1 + Math.floor(rand() * 3);
  for (let i = 0; i < vessels; i++) addVessel(img, size, rand);
  // Vessel cross-sections: small round dots, the classic nodule mimic.
  const dots = Math.floor(rand() * 4);
  for (let i = 0; i < dots; i++) {
    addBlob(img, size, uniform(rand, 2, size - 2), uniform(rand, 2, size - 2), uniform(rand, 0.8, 1.8), uniform(rand, 0.25, 0.55));
  }
  if (nodule) {
    const r = uniform(rand, 2.6, size / 6);
    const m = r + 2;
    addBlob(
      img, size,
      uniform(rand, m, size - m), uniform(rand, m, size - m),
      r, uniform(rand, 0.3, 0.75),
      uniform(rand, 0.8, 1), uniform(rand, 0, Math.PI), // slightly oval, any orientation
    );
  }
  for (let i = 0; i < img.length; i++) img[i] = Math.min(1, Math.max(0, img[i]));
  return img;
}

function* makeSplit(count: number, size: number, rand: () => number): Slices<Split> {
  const images = new Float32Array(count * size * size);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const nodule = i % 2 === 1; // balanced classes, interleaved
    labels[i] = nodule ? 1 : 0;
    images.set(drawPatch(size, nodule, rand), i * size * size);
    yield;
  }
  return { images, labels, count };
}

/** The built-in dataset of the CNN lesson. Same seed, same images. */
export function makeNoduleDataset(options: NoduleOptions = {}): ClassificationDataset {
  return runAtOnce(noduleSteps(options));
}

/** The same dataset, made a few patches at a time so the page stays responsive while it loads. */
export function makeNoduleDatasetInSlices(options: NoduleOptions = {}): Promise<ClassificationDataset> {
  return runInSlices(noduleSteps(options));
}

function* noduleSteps({ size = 32, trainCount = 1200, valCount = 300, seed = 42 }: NoduleOptions): Slices<ClassificationDataset> {
  if (!(size >= 16 && size <= 128)) throw new RangeError(`patch size must be 16..128, got ${size}`);
  const rand = mulberry32(seed);
  const train = yield* makeSplit(trainCount, size, rand);
  const val = yield* makeSplit(valCount, size, rand);
  return {
    id: "nodules",
    title: "Synthetic chest-CT patches (nodule vs. no nodule)",
    description:
      "Synthetic data, made by the kit's own seeded code. Each patch imitates a small crop of a chest CT " +
      "in a lung window: textured parenchyma, in-plane vessels (bright tubes) and vessel cross-sections " +
      "(small bright dots). Positives also contain a round nodule of varying size and contrast.",
    synthetic: true,
    task: "binary",
    classNames: NODULE_CLASSES,
    imageShape: [size, size, 1],
    train,
    val,
  };
}
