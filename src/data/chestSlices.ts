/**
 * Whole synthetic chest-CT slices for the detection lesson, with the true nodule positions.
 *
 * The CNN lesson's patches (nodules.ts) are crops that already hold or lack a nodule. Here the
 * detector gets the whole slice: two lung fields full of branching vessels, cut at many angles,
 * with zero to three nodules among them. Vessel cross-sections (small bright dots) and vessel
 * crossings are the look-alikes a detector must learn to ignore, and they are rare among random
 * patches: that is what makes hard-negative mining worth doing.
 * Everything here is made by our own seeded code: no patient data.
 */
import { runAtOnce, runInSlices, type Slices } from "../core/slices";
import { addParenchyma } from "./nodules";
import { gaussian, mulberry32, uniform } from "./random";
import type { Provenance } from "./types";

/** One object to find: its centre (pixels, x to the right, y down) and radius. */
export interface TrueObject {
  x: number;
  y: number;
  r: number;
}

/** Whole images of one split, with the objects in each. */
export interface DetectionSplit {
  /** N images, row-major [N, H, W], values 0..1. */
  images: Float32Array;
  count: number;
  /** objects[i]: the true objects of image i (possibly none). */
  objects: TrueObject[][];
}

export interface DetectionDataset {
  id: string;
  title: string;
  description: string;
  /** True for data our own code generated: the page labels it as such. */
  synthetic: boolean;
  provenance?: Provenance;
  /** "nodule" or "nucleus": what the page calls the objects. */
  objectName: string;
  /** [H, W] of every image. */
  imageShape: [number, number];
  /** Side of the square patch the detector classifies. */
  patchSize: number;
  /** Smallest match radius (pixels): a candidate this close to a small object's centre still counts as a hit. */
  minMatchRadius: number;
  /** Non-maximum suppression radius (pixels): about the distance between two objects' centres at the closest. */
  suppressRadius: number;
  /** Most candidates kept per image: well above the most objects an image holds. */
  maxPerImage: number;
  train: DetectionSplit;
  val: DetectionSplit;
}

export interface ChestSliceOptions {
  /** Slice side in pixels (96..192). */
  size?: number;
  trainCount?: number;
  valCount?: number;
  /** Most nodules in one slice (each slice has 0..maxNodules). */
  maxNodules?: number;
  seed?: number;
}

export const CHEST_SLICE_DEFAULTS = { size: 128, trainCount: 48, valCount: 32, maxNodules: 3, seed: 11 } as const;

/** Intensities on a 0..1 lung-window scale. */
const CHEST_WALL = 0.55;
const NODULE_RADIUS: [number, number] = [2.5, 6];
const NODULE_CONTRAST: [number, number] = [0.3, 0.7];

/** The two lungs as ellipses: centre and half-axes, in pixels. */
interface Lung { cx: number; cy: number; ax: number; ay: number }

function lungsOf(size: number): Lung[] {
  const ax = size * 0.22, ay = size * 0.4;
  return [
    { cx: size * 0.27, cy: size * 0.5, ax, ay },
    { cx: size * 0.73, cy: size * 0.5, ax, ay },
  ];
}

/** How deep inside a lung a point is: 0 at its border, 1 at its centre, negative outside. */
function depthInLungs(lungs: Lung[], x: number, y: number): number {
  let best = -Infinity;
  for (const l of lungs) {
    const u = (x - l.cx) / l.ax, v = (y - l.cy) / l.ay;
    best = Math.max(best, 1 - Math.sqrt(u * u + v * v));
  }
  return best;
}

/** A random point at least `depth` inside a lung. */
function pointInLungs(lungs: Lung[], depth: number, rand: () => number): { x: number; y: number } {
  const l = lungs[Math.floor(rand() * lungs.length)];
  const reach = 1 - depth;
  const angle = uniform(rand, 0, 2 * Math.PI), radius = reach * Math.sqrt(rand());
  return { x: l.cx + l.ax * radius * Math.cos(angle), y: l.cy + l.ay * radius * Math.sin(angle) };
}

/** Adds `contrast` times a soft-edged disc (partial-volume blur at its border), drawn only near the disc. */
function addDisc(img: Float32Array, size: number, cx: number, cy: number, r: number, contrast: number, squash = 1, angle = 0): void {
  const cos = Math.cos(angle), sin = Math.sin(angle);
  const reach = r + 5;
  for (let y = Math.max(0, Math.floor(cy - reach)); y <= Math.min(size - 1, Math.ceil(cy + reach)); y++) {
    for (let x = Math.max(0, Math.floor(cx - reach)); x <= Math.min(size - 1, Math.ceil(cx + reach)); x++) {
      const dx = x - cx, dy = y - cy;
      const u = dx * cos + dy * sin, v = (-dx * sin + dy * cos) / squash;
      img[y * size + x] += contrast / (1 + Math.exp((Math.sqrt(u * u + v * v) - r) / 0.6));
    }
  }
}

/** Draws a straight vessel segment with a Gaussian cross-profile into `layer`, keeping the brighter value where vessels meet. */
function drawSegment(layer: Float32Array, size: number, x0: number, y0: number, x1: number, y1: number, width: number, contrast: number): void {
  const reach = 3 * width + 1;
  const dx = x1 - x0, dy = y1 - y0, length2 = dx * dx + dy * dy || 1;
  for (let y = Math.max(0, Math.floor(Math.min(y0, y1) - reach)); y <= Math.min(size - 1, Math.ceil(Math.max(y0, y1) + reach)); y++) {
    for (let x = Math.max(0, Math.floor(Math.min(x0, x1) - reach)); x <= Math.min(size - 1, Math.ceil(Math.max(x0, x1) + reach)); x++) {
      const t = Math.min(1, Math.max(0, ((x - x0) * dx + (y - y0) * dy) / length2));
      const ex = x - (x0 + t * dx), ey = y - (y0 + t * dy);
      const i = y * size + x;
      layer[i] = Math.max(layer[i], contrast * Math.exp(-(ex * ex + ey * ey) / (2 * width * width)));
    }
  }
}

/**
 * A vessel tree growing out of the hilum (the lung's root, near the midline): each branch splits
 * in two, thinner and shorter, until it fades. Crossings of two trees make bright knots.
 */
function addVesselTree(img: Float32Array, size: number, lungs: Lung[], lung: Lung, rand: () => number): void {
  // One tree is drawn with max (a branch point is no brighter than its branches); trees are then
  // summed, so where two trees cross there is a bright knot: a nodule look-alike.
  const layer = new Float32Array(size * size);
  const towardsMidline = lung.cx < size / 2 ? 1 : -1;
  const start = { x: lung.cx + towardsMidline * lung.ax * 0.55, y: lung.cy + uniform(rand, -0.25, 0.25) * lung.ay };
  const grow = (x: number, y: number, angle: number, length: number, width: number, level: number): void => {
    const x1 = x + length * Math.cos(angle), y1 = y + length * Math.sin(angle);
    if (depthInLungs(lungs, x1, y1) < 0.02) return; // vessels stay inside the lung
    drawSegment(layer, size, x, y, x1, y1, width, 0.22 + 0.25 * width / 1.6);
    if (level >= 4 || width < 0.55) return;
    const spread = uniform(rand, 0.3, 0.7);
    grow(x1, y1, angle - spread, length * uniform(rand, 0.65, 0.9), width * 0.78, level + 1);
    grow(x1, y1, angle + spread, length * uniform(rand, 0.65, 0.9), width * 0.78, level + 1);
  };
  const outward = towardsMidline > 0 ? Math.PI : 0;
  grow(start.x, start.y, outward + uniform(rand, -1.2, 1.2), size * uniform(rand, 0.08, 0.13), uniform(rand, 1.1, 1.6), 0);
  for (let i = 0; i < img.length; i++) img[i] += layer[i];
}

/** Draws one slice into `img`; returns its nodules. */
export function drawChestSlice(img: Float32Array, size: number, nodules: number, rand: () => number): TrueObject[] {
  const normal = gaussian(rand);
  addParenchyma(img, size, rand, normal);
  const lungs = lungsOf(size);
  // Outside the lungs: chest wall and mediastinum (soft tissue), with its own noise.
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const depth = depthInLungs(lungs, x, y);
      const wall = 1 / (1 + Math.exp(depth * size / 1.5)); // 1 outside, 0 inside, a soft border
      img[y * size + x] = (1 - wall) * img[y * size + x] + wall * (CHEST_WALL + 0.03 * normal());
    }
  }
  for (const lung of lungs) {
    const trees = 2 + Math.floor(rand() * 2);
    for (let t = 0; t < trees; t++) addVesselTree(img, size, lungs, lung, rand);
  }
  // Vessels running through the slice, cut across: small bright dots, the classic nodule mimic.
  const dots = 4 + Math.floor(rand() * 5);
  for (let i = 0; i < dots; i++) {
    const p = pointInLungs(lungs, 0.1, rand);
    addDisc(img, size, p.x, p.y, uniform(rand, 1, 2.2), uniform(rand, 0.3, 0.6));
  }
  const truth: TrueObject[] = [];
  for (let i = 0; i < nodules; i++) {
    const r = uniform(rand, NODULE_RADIUS[0], NODULE_RADIUS[1]);
    // Well inside a lung, and not on top of another nodule.
    let p = pointInLungs(lungs, 0.25, rand);
    for (let tries = 0; tries < 20 && truth.some((t) => Math.hypot(t.x - p.x, t.y - p.y) < t.r + r + 6); tries++) p = pointInLungs(lungs, 0.25, rand);
    addDisc(img, size, p.x, p.y, r, uniform(rand, NODULE_CONTRAST[0], NODULE_CONTRAST[1]), uniform(rand, 0.8, 1), uniform(rand, 0, Math.PI));
    truth.push({ x: p.x, y: p.y, r });
  }
  for (let i = 0; i < img.length; i++) img[i] = Math.min(1, Math.max(0, img[i]));
  return truth;
}

function* makeSlices(count: number, size: number, maxNodules: number, rand: () => number): Slices<DetectionSplit> {
  const images = new Float32Array(count * size * size);
  const objects: TrueObject[][] = [];
  for (let i = 0; i < count; i++) {
    const nodules = Math.floor(rand() * (maxNodules + 1)); // 0..maxNodules: some slices have none
    objects.push(drawChestSlice(images.subarray(i * size * size, (i + 1) * size * size), size, nodules, rand));
    yield;
  }
  return { images, count, objects };
}

/** The detection lesson's built-in data. Same seed, same slices. */
export function makeChestSlices(options: ChestSliceOptions = {}): DetectionDataset {
  return runAtOnce(chestSliceSteps(options));
}

/** The same slices, made a few at a time so the page stays responsive while it loads. */
export function makeChestSlicesInSlices(options: ChestSliceOptions = {}): Promise<DetectionDataset> {
  return runInSlices(chestSliceSteps(options));
}

function* chestSliceSteps(options: ChestSliceOptions): Slices<DetectionDataset> {
  const { size, trainCount, valCount, maxNodules, seed } = { ...CHEST_SLICE_DEFAULTS, ...options };
  if (!(Number.isInteger(size) && size >= 96 && size <= 192)) throw new RangeError(`slice size must be a whole number from 96 to 192, got ${size}`);
  if (!(Number.isInteger(maxNodules) && maxNodules >= 0 && maxNodules <= 6)) throw new RangeError(`nodules per slice must be 0..6, got ${maxNodules}`);
  const rand = mulberry32(seed);
  const train = yield* makeSlices(trainCount, size, maxNodules, rand);
  const val = yield* makeSlices(valCount, size, maxNodules, rand);
  return {
    id: "chest-slices",
    title: "Synthetic chest-CT slices (find the nodules)",
    description:
      "Synthetic data, made by the kit's own seeded code. Each slice imitates a chest CT in a lung window: " +
      "two lung fields with branching vessels, vessels cut across (small bright dots), soft tissue around them, " +
      `noise, and 0 to ${maxNodules} round nodules of varying size and contrast.`,
    synthetic: true,
    objectName: "nodule",
    imageShape: [size, size],
    patchSize: 32,
    minMatchRadius: 4,
    suppressRadius: 8,
    maxPerImage: 50,
    train,
    val,
  };
}
