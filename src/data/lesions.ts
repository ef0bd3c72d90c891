/**
 * Synthetic breast-ultrasound lesions, benign vs. malignant: the TARGET task of the
 * transfer-learning lesson.
 *
 * It imitates BreastMNIST (28×28 breast ultrasound, benign/normal vs. malignant), with the look of
 * a real scan: a dark (hypoechoic) lesion in brighter, horizontally layered tissue, granular
 * multiplicative speckle, and an image that darkens with depth (attenuation).
 * The class is mostly in the MARGIN, as in the BI-RADS ultrasound lexicon:
 * - benign (e.g. cysts, fibroadenomas): an oval, wider-than-tall, smooth well-circumscribed margin;
 * - malignant: an irregular, lobulated or spiculated margin, a taller-than-wide tendency, a tilt
 *   across the tissue layers, sometimes an echogenic halo.
 * Posterior shadowing and enhancement, the interior echo level and the edge blur are drawn in both
 * classes alike. In real images they are weaker cues; here they are none, so that what separates
 * the classes is shape, which the transfer lesson's source task (shapes.ts) teaches.
 * Every cue is only a tendency: some cancers are smooth, some benign lesions lobulated, and a
 * refraction shadow can fall anywhere, so the classes overlap and a model needs examples to learn.
 * Everything is made by our own seeded code: no patient data.
 */
import { runAtOnce, runInSlices, type Slices } from "../core/slices";
import { gaussian, mulberry32, shuffle, uniform } from "./random";
import type { ClassificationDataset, Split } from "./types";

export interface LesionOptions {
  trainCount?: number;
  valCount?: number;
  seed?: number;
}

/** Image side in pixels (BreastMNIST's size). */
export const LESION_SIZE = 28;
export const LESION_CLASSES = ["benign", "malignant"];
/** Share of malignant images in every split (BreastMNIST has ~27%). */
export const MALIGNANT_FRACTION = 0.35;

const S = LESION_SIZE;
const PIXELS = S * S;

/** The random choices behind one lesion image, returned so tests (and curious students) can check them. */
export interface LesionParams {
  malignant: boolean;
  /** Lesion centre, pixels. */
  cx: number;
  cy: number;
  /** Horizontal and vertical semi-axes (pixels) of the smooth oval the margin is built on. */
  a: number;
  b: number;
  /** Tilt of the long axis, radians (0 = parallel to the skin). */
  tilt: number;
  /** Relative amplitude of the low harmonics of the margin (lobulation). */
  lobulation: number;
  /** Relative length of the spikes on the margin (spiculation / angular margin); 0 = none. */
  spiculation: number;
  /** Width of the blurred edge, pixels (small = well circumscribed). */
  margin: number;
  /** Lesion echo level as a fraction of the surrounding tissue (near 0 = anechoic, like a cyst). */
  interior: number;
  /** Brightness factor of the band below the lesion: < 1 shadowing, > 1 enhancement, 1 none. */
  posterior: number;
  /** Thin refraction shadows below both lateral edges (typical of smooth, round lesions). */
  edgeShadows: boolean;
  /** A bright echogenic rim around the lesion (typical of infiltrating cancers). */
  halo: boolean;
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

function sigmoid(t: number): number {
  return 1 / (1 + Math.exp(-t));
}

/**
 * Draws the lesion's generating parameters. Each cue is a tendency per class, with overlap:
 * that overlap is what makes the task data-hungry.
 */
export function lesionParams(rand: () => number, malignant: boolean): LesionParams {
  const normal = gaussian(rand);
  const r = uniform(rand, 4.5, 7.5); // geometric-mean radius
  // Wider-than-tall (width/height > 1) is a benign sign; taller-than-wide a malignant one.
  const aspect = malignant ? clamp(1.1 + 0.25 * normal(), 0.7, 1.7) : clamp(1.32 + 0.25 * normal(), 0.95, 2.1);
  const a = r * Math.sqrt(aspect), b = r / Math.sqrt(aspect);
  const tilt = (malignant ? 0.35 : 0.15) * normal(); // cancers grow across tissue planes
  let lobulation: number, spiculation: number;
  if (malignant) {
    const circumscribed = rand() < 0.2; // some cancers (e.g. mucinous, medullary) look fairly smooth
    lobulation = circumscribed ? uniform(rand, 0.02, 0.1) : uniform(rand, 0.08, 0.2);
    spiculation = circumscribed ? 0 : uniform(rand, 0.3, 0.6);
  } else {
    const lobulated = rand() < 0.15; // some fibroadenomas are gently lobulated
    lobulation = lobulated ? uniform(rand, 0.06, 0.14) : uniform(rand, 0, 0.05);
    spiculation = rand() < 0.05 ? uniform(rand, 0.08, 0.25) : 0;
  }
  const margin = uniform(rand, 0.3, 0.8);
  const interior = uniform(rand, 0.08, 0.45);
  let posterior = 1;
  const p = rand();
  if (p < 0.3) posterior = uniform(rand, 0.5, 0.85); // shadowing
  else if (p < 0.6) posterior = uniform(rand, 1.1, 1.45); // enhancement
  return {
    malignant,
    cx: uniform(rand, 10, 18),
    cy: uniform(rand, 8, 15), // upper half: room below for posterior features
    a, b, tilt, lobulation, spiculation, margin, interior, posterior,
    edgeShadows: rand() < 0.2,
    halo: malignant && rand() < 0.15,
  };
}

/** The margin's radius factor as a function of angle: 1 + low harmonics (lobules) + sharp spikes. */
function marginShape(p: LesionParams, rand: () => number): (theta: number) => number {
  const harmonics = [2, 3, 4].map((k) => ({ k, amp: p.lobulation * uniform(rand, 0.4, 1), phase: uniform(rand, 0, 2 * Math.PI) }));
  const spikes = p.spiculation > 0
    ? Array.from({ length: 4 + Math.floor(rand() * 6) }, () => ({
      at: uniform(rand, -Math.PI, Math.PI),
      len: p.spiculation * uniform(rand, 0.5, 1),
      width: uniform(rand, 0.15, 0.35),
    }))
    : [];
  return (theta) => {
    let f = 1;
    for (const h of harmonics) f += h.amp * Math.cos(h.k * theta + h.phase);
    for (const s of spikes) {
      let d = Math.abs(theta - s.at);
      if (d > Math.PI) d = 2 * Math.PI - d;
      if (d < s.width) f += s.len * (1 - d / s.width); // triangular: an angular point, not a bump
    }
    return f;
  };
}

/** Background echogenicity: horizontal tissue layers, a bright skin line and a darker fat layer. */
function tissue(rand: () => number): Float32Array {
  const base = uniform(rand, 0.45, 0.6);
  const layers = Array.from({ length: 3 }, () => ({
    amp: uniform(rand, 0.03, 0.11),
    period: uniform(rand, 5, 13),
    slope: uniform(rand, -0.15, 0.15), // layers are roughly, not exactly, parallel to the skin
    phase: uniform(rand, 0, 2 * Math.PI),
  }));
  const skin = rand() < 0.7 ? uniform(rand, 0.15, 0.35) : 0;
  const fat = rand() < 0.5 ? { depth: uniform(rand, 3, 7), amp: uniform(rand, 0.05, 0.15) } : null;
  const out = new Float32Array(PIXELS);
  for (let y = 0; y < S; y++) {
    for (let x = 0; x < S; x++) {
      let e = base + skin * Math.exp(-y / 1.2);
      for (const l of layers) e += l.amp * Math.sin((2 * Math.PI * (y + l.slope * x)) / l.period + l.phase);
      if (fat) e -= fat.amp * Math.exp(-(((y - fat.depth) / 2) ** 2));
      out[y * S + x] = Math.max(0.05, e);
    }
  }
  return out;
}

/** A narrow vertical dark band from depth y0 down: an acoustic shadow cast by some small structure. */
function addColumnShadow(e: Float32Array, x0: number, y0: number, width: number, factor: number): void {
  for (let y = 0; y < S; y++) {
    const dep = clamp((y - y0) / 2, 0, 1);
    if (dep === 0) continue;
    for (let x = 0; x < S; x++) {
      const lat = Math.exp(-(((x - x0) / width) ** 2));
      e[y * S + x] *= 1 - (1 - factor) * lat * dep;
    }
  }
}

/**
 * Draws one ultrasound image. Returns the image (values 0..1), the lesion mask (1 inside the
 * margin, no speckle) and the generating parameters.
 */
export function drawLesion(rand: () => number, malignant: boolean): { image: Float32Array; mask: Uint8Array; params: LesionParams } {
  const params = lesionParams(rand, malignant);
  const { cx, cy, a, b, tilt, margin, interior, posterior } = params;
  const radius = marginShape(params, rand);
  const e = tissue(rand);
  const mask = new Uint8Array(PIXELS);
  const inside = new Float32Array(PIXELS);
  const c = Math.cos(tilt), s = Math.sin(tilt);
  const scale = Math.sqrt(a * b);
  for (let y = 0; y < S; y++) {
    for (let x = 0; x < S; x++) {
      const dx = x - cx, dy = y - cy;
      const u = (dx * c + dy * s) / a, v = (-dx * s + dy * c) / b;
      const rho = Math.hypot(u, v) / radius(Math.atan2(v, u)); // < 1 inside the margin
      const w = sigmoid(((1 - rho) * scale) / margin); // soft edge, `margin` px wide
      inside[y * S + x] = w;
      if (rho < 1) mask[y * S + x] = 1;
      // Echogenic halo: a bright rim just outside the margin.
      if (params.halo) e[y * S + x] *= 1 + 0.35 * Math.exp(-(((rho - 1.2) / 0.15) ** 2));
    }
  }
  // Posterior features: the tissue below the lesion gets less (shadow) or more (enhancement) sound.
  if (posterior !== 1) {
    for (let y = 0; y < S; y++) {
      const dep = clamp((y - (cy + 0.3 * b)) / (0.7 * b + 1), 0, 1);
      if (dep === 0) continue;
      for (let x = 0; x < S; x++) {
        const lat = sigmoid((0.9 * a - Math.abs(x - cx)) / 0.8);
        e[y * S + x] *= 1 + (posterior - 1) * lat * dep;
      }
    }
  }
  if (params.edgeShadows) {
    for (const side of [-1, 1]) addColumnShadow(e, cx + side * a, cy, uniform(rand, 0.7, 1.2), uniform(rand, 0.55, 0.8));
  }
  // A look-alike in any image: a refraction shadow from a ligament, anywhere in the field.
  if (rand() < 0.25) addColumnShadow(e, uniform(rand, 2, S - 3), uniform(rand, 0, 20), uniform(rand, 1, 2.5), uniform(rand, 0.6, 0.85));

  // The lesion replaces tissue by its own (low) echo level: hypoechoic.
  for (let i = 0; i < PIXELS; i++) e[i] *= 1 - inside[i] * (1 - interior);

  // Speckle: multiplicative Rayleigh noise (mean 1), smoothed sideways because an ultrasound
  // beam's lateral resolution is worse than its axial one, so the grains are wider than tall.
  const sigmaR = Math.sqrt(2 / Math.PI);
  const raw = new Float32Array(PIXELS);
  for (let i = 0; i < PIXELS; i++) raw[i] = sigmaR * Math.sqrt(-2 * Math.log(1 - rand()));
  const alpha = uniform(rand, 0.2, 0.9); // attenuation: deeper tissue returns less echo
  const gain = uniform(rand, 0.85, 1.2);
  const image = new Float32Array(PIXELS);
  for (let y = 0; y < S; y++) {
    const depth = Math.exp((-alpha * y) / S);
    for (let x = 0; x < S; x++) {
      const l = raw[y * S + Math.max(0, x - 1)], m = raw[y * S + x], r = raw[y * S + Math.min(S - 1, x + 1)];
      const speckle = (l + 2 * m + r) / 4;
      image[y * S + x] = clamp(gain * depth * e[y * S + x] * speckle, 0, 1);
    }
  }
  return { image, mask, params };
}

function* makeSplit(count: number, rand: () => number): Slices<Split> {
  // Exactly round(35%) malignant, at shuffled positions.
  const labels = new Int32Array(count);
  const malignant = Math.round(count * MALIGNANT_FRACTION);
  for (let i = 0; i < malignant; i++) labels[i] = 1;
  shuffle(labels, rand);
  const images = new Float32Array(count * PIXELS);
  for (let i = 0; i < count; i++) {
    images.set(drawLesion(rand, labels[i] === 1).image, i * PIXELS);
    yield;
  }
  return { images, labels, count };
}

/** The TARGET dataset of the transfer-learning lesson. Same seed, same images. */
export function makeLesionDataset(options: LesionOptions = {}): ClassificationDataset {
  return runAtOnce(lesionSteps(options));
}

/** The same dataset, made a few images at a time so the page stays responsive while it loads. */
export function makeLesionDatasetInSlices(options: LesionOptions = {}): Promise<ClassificationDataset> {
  return runInSlices(lesionSteps(options));
}

function* lesionSteps({ trainCount = 600, valCount = 400, seed = 21 }: LesionOptions): Slices<ClassificationDataset> {
  for (const [name, n] of [["trainCount", trainCount], ["valCount", valCount]] as const) {
    if (!(Number.isInteger(n) && n >= 0)) throw new RangeError(`${name} must be a whole number ≥ 0, got ${n}`);
  }
  const rand = mulberry32(seed);
  const train = yield* makeSplit(trainCount, rand);
  const val = yield* makeSplit(valCount, rand);
  return {
    id: "lesions",
    title: "Synthetic breast-ultrasound lesions (benign vs. malignant)",
    description:
      "Synthetic data, made by the kit's own seeded code: NOT real patient data. Each 28×28 image imitates " +
      "a breast-ultrasound crop like BreastMNIST: a dark lesion in speckled, layered tissue that darkens with " +
      "depth. Benign lesions tend to be smooth, oval and wider than tall; malignant ones tend to be " +
      "irregular or spiculated and taller. Shadows and bright bands below the lesion occur in both classes. " +
      "The cues overlap, as in real images. About 35% are malignant.",
    synthetic: true,
    task: "binary",
    classNames: LESION_CLASSES,
    imageShape: [S, S, 1],
    train,
    val,
  };
}

/**
 * A copy of `ds` whose train split holds only n images, drawn by a seeded, stratified sample:
 * each class keeps about its share, and every class present keeps at least one image (n must
 * be at least the number of classes present). The val (and test) splits are shared, unchanged.
 * For the same seed, a smaller subset is contained in a larger one, so a "more data" slider
 * only ever adds images. n ≥ the train count (or Infinity) keeps the whole train split.
 * Works for any single-label task (binary, multiclass, ordinal).
 */
export function subsetTrain(ds: ClassificationDataset, n: number, seed: number): ClassificationDataset {
  if (ds.task === "multilabel") throw new Error("subsetTrain needs one class per image; multilabel is not supported");
  const { train } = ds;
  const size = ds.imageShape[0] * ds.imageShape[1] * ds.imageShape[2];
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < train.count; i++) {
    const list = byClass.get(train.labels[i]);
    if (list) list.push(i);
    else byClass.set(train.labels[i], [i]);
  }
  const classes = [...byClass.keys()].sort((p, q) => p - q);
  if (n >= train.count) {
    return { ...ds, train: { images: train.images.slice(), labels: train.labels.slice(), count: train.count } };
  }
  if (!(Number.isInteger(n) && n >= classes.length)) {
    throw new RangeError(`n must be a whole number ≥ ${classes.length} (one per class), got ${n}`);
  }
  // Hand out the n places one at a time: first one per class, then each to the class furthest
  // below its share. The allocation for n is then a prefix of the one for n + 1 (nested subsets).
  const avail = classes.map((k) => byClass.get(k)!.length);
  const take = classes.map(() => 1);
  for (let m = classes.length + 1; m <= n; m++) {
    let best = -1, deficit = -Infinity;
    for (let j = 0; j < classes.length; j++) {
      const d = (avail[j] * m) / train.count - take[j];
      if (take[j] < avail[j] && d > deficit) (best = j), (deficit = d);
    }
    take[best]++;
  }
  // One seeded permutation per class, in class order: its first take[j] entries are the sample.
  const rand = mulberry32(seed);
  const chosen: number[] = [];
  classes.forEach((k, j) => {
    const list = byClass.get(k)!.slice();
    shuffle(list, rand);
    chosen.push(...list.slice(0, take[j]));
  });
  chosen.sort((p, q) => p - q); // keep the split's own (already shuffled) order
  const images = new Float32Array(chosen.length * size);
  const labels = new Int32Array(chosen.length);
  chosen.forEach((i, j) => {
    images.set(train.images.subarray(i * size, (i + 1) * size), j * size);
    labels[j] = train.labels[i];
  });
  return { ...ds, train: { images, labels, count: chosen.length } };
}

/**
 * A copy of `ds` whose train split repeats its images (in order) until it holds at least
 * `minCount`. With 25 images and batches of 32 an "epoch" would be less than one batch; tiled
 * to 256, one round is 8 batches, so every training-set size gets the same steps per round and
 * the same number of validations: a fair budget across sizes and strategies.
 */
export function repeatTrain(ds: ClassificationDataset, minCount: number): ClassificationDataset {
  const { train } = ds;
  if (train.count === 0) throw new RangeError("cannot repeat an empty training split");
  const times = Math.max(1, Math.ceil(minCount / train.count));
  if (times === 1) return ds;
  const images = new Float32Array(train.images.length * times);
  const labels = new Int32Array(train.count * times);
  for (let t = 0; t < times; t++) {
    images.set(train.images, t * train.images.length);
    labels.set(train.labels, t * train.count);
  }
  return { ...ds, train: { images, labels, count: train.count * times } };
}
