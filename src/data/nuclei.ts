/**
 * Synthetic fluorescence-microscopy images of cell nuclei, with exact masks.
 *
 * It imitates images like BBBC039 (Hoechst-stained nuclei): bright, roundish nuclei of varying
 * size, shape and brightness on a dark background. It is built to be hard for a plain threshold,
 * as real screens often are:
 * - uneven illumination: the background brightens across the field, so a dim nucleus on the dark
 *   side is darker than empty background on the bright side;
 * - dim nuclei, and noise;
 * - touching nuclei. As in the U-Net paper, the target separates touching nuclei by a thin line of
 *   background, so a model must learn to cut them apart; a threshold merges them.
 * Everything is made by our own seeded code: no patient or lab data.
 */
import { runAtOnce, runInSlices, type Slices } from "../core/slices";
import { gaussian, mulberry32, uniform } from "./random";
import type { Provenance } from "./types";

export interface SegmentationSplit {
  /** N images [N, H, W, 1], values 0..1. */
  images: Float32Array;
  /** N target masks [N, H, W, 1], 0 or 1. */
  masks: Float32Array;
  count: number;
}

export interface SegmentationData {
  id: string;
  title: string;
  description: string;
  synthetic: boolean;
  provenance?: Provenance;
  /** [H, W, 1] */
  imageShape: [number, number, number];
  train: SegmentationSplit;
  val: SegmentationSplit;
}

export interface NucleiOptions {
  /** Image side in pixels (at least 64). */
  size?: number;
  trainCount?: number;
  valCount?: number;
  seed?: number;
  /** Strength of the illumination gradient across the field (0 = even). */
  unevenness?: number;
}

interface Nucleus {
  cx: number;
  cy: number;
  rx: number;
  ry: number;
  angle: number;
  brightness: number;
}

/** Distance in units of the ellipse's radius: < 1 inside. */
function ellipseDistance(n: Nucleus, x: number, y: number): number {
  const dx = x - n.cx, dy = y - n.cy;
  const c = Math.cos(n.angle), s = Math.sin(n.angle);
  const u = (dx * c + dy * s) / n.rx, v = (-dx * s + dy * c) / n.ry;
  return Math.sqrt(u * u + v * v);
}

function randomNucleus(size: number, rand: () => number, near?: Nucleus): Nucleus {
  const r = uniform(rand, 3.5, size / 9);
  const rx = r * uniform(rand, 0.8, 1.2), ry = r * uniform(rand, 0.7, 1.0);
  let cx = uniform(rand, 4, size - 4), cy = uniform(rand, 4, size - 4);
  if (near) {
    // A neighbour that touches: its centre about one radius-sum away.
    const a = uniform(rand, 0, 2 * Math.PI), d = (near.rx + near.ry) / 2 + r * 0.9;
    cx = Math.min(size - 3, Math.max(3, near.cx + d * Math.cos(a)));
    cy = Math.min(size - 3, Math.max(3, near.cy + d * Math.sin(a)));
  }
  // Brightness above the local background: some nuclei are dim, as in real stains.
  const brightness = rand() < 0.3 ? uniform(rand, 0.12, 0.22) : uniform(rand, 0.25, 0.6);
  return { cx, cy, rx, ry, angle: uniform(rand, 0, Math.PI), brightness };
}

/** Draws one image and its mask. Exported for tests. */
export function drawNucleiImage(size: number, rand: () => number, unevenness = 0.35): { image: Float32Array; mask: Float32Array } {
  const normal = gaussian(rand);
  const nuclei: Nucleus[] = [];
  const count = 5 + Math.floor(rand() * 7);
  for (let i = 0; i < count; i++) {
    const touching = nuclei.length > 0 && rand() < 0.45;
    nuclei.push(randomNucleus(size, rand, touching ? nuclei[Math.floor(rand() * nuclei.length)] : undefined));
  }
  // Illumination: a tilted plane plus a soft bright spot, different in every image.
  const angle = uniform(rand, 0, 2 * Math.PI);
  const [gx, gy] = [Math.cos(angle) * unevenness / size, Math.sin(angle) * unevenness / size];
  const [sx, sy, spot] = [uniform(rand, 0, size), uniform(rand, 0, size), uniform(rand, 0, unevenness / 2)];
  const base = uniform(rand, 0.03, 0.1);
  const noise = uniform(rand, 0.03, 0.06);

  const image = new Float32Array(size * size);
  const owner = new Int16Array(size * size).fill(-1);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const light = base + unevenness / 2 + gx * (x - size / 2) + gy * (y - size / 2) +
        spot * Math.exp(-((x - sx) ** 2 + (y - sy) ** 2) / (2 * (size / 3) ** 2));
      let signal = 0, best = Infinity;
      for (let k = 0; k < nuclei.length; k++) {
        const d = ellipseDistance(nuclei[k], x, y);
        signal = Math.max(signal, nuclei[k].brightness / (1 + Math.exp((d - 1) * 8))); // soft edge
        if (d < 1 && d < best) (best = d), (owner[y * size + x] = k);
      }
      // Stain brightness scales with illumination too; noise on top.
      image[y * size + x] = Math.min(1, Math.max(0, light + signal * (0.6 + light) + noise * normal()));
    }
  }
  // Target: inside a nucleus, except where a different nucleus is within 1 px (the separating line).
  const mask = new Float32Array(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const k = owner[y * size + x];
      if (k < 0) continue;
      let border = false;
      for (let dy = -1; dy <= 1 && !border; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const yy = y + dy, xx = x + dx;
          if (yy < 0 || xx < 0 || yy >= size || xx >= size) continue;
          const other = owner[yy * size + xx];
          if (other >= 0 && other !== k) (border = true);
        }
      }
      mask[y * size + x] = border ? 0 : 1;
    }
  }
  return { image, mask };
}

function* makeSplit(count: number, size: number, rand: () => number, unevenness: number): Slices<SegmentationSplit> {
  const images = new Float32Array(count * size * size);
  const masks = new Float32Array(count * size * size);
  for (let i = 0; i < count; i++) {
    const { image, mask } = drawNucleiImage(size, rand, unevenness);
    images.set(image, i * size * size);
    masks.set(mask, i * size * size);
    yield;
  }
  return { images, masks, count };
}

/** The built-in dataset of the U-Net lesson. Same seed, same images. */
export function makeNucleiDataset(options: NucleiOptions = {}): SegmentationData {
  return runAtOnce(nucleiSteps(options));
}

/** The same dataset, made a few images at a time so the page stays responsive while it loads. */
export function makeNucleiDatasetInSlices(options: NucleiOptions = {}): Promise<SegmentationData> {
  return runInSlices(nucleiSteps(options));
}

function* nucleiSteps({ size = 64, trainCount = 240, valCount = 100, seed = 7, unevenness = 0.35 }: NucleiOptions): Slices<SegmentationData> {
  if (!(Number.isInteger(size) && size >= 64 && size <= 256 && size % 16 === 0)) {
    throw new RangeError(`image size must be a multiple of 16 from 64 to 256, got ${size}`);
  }
  const rand = mulberry32(seed);
  const train = yield* makeSplit(trainCount, size, rand, unevenness);
  const val = yield* makeSplit(valCount, size, rand, unevenness);
  return {
    id: "nuclei",
    title: "Synthetic fluorescence nuclei",
    description:
      "Synthetic data, made by the kit's own seeded code. Each image imitates a field of a fluorescence " +
      "microscope (nuclei stained with a DNA dye, as in BBBC039): nuclei of varying size, shape and brightness, " +
      "some dim, some touching, under uneven illumination and noise. Each comes with an exact mask, in which " +
      "touching nuclei are separated by a thin line.",
    synthetic: true,
    imageShape: [size, size, 1],
    train,
    val,
  };
}
