/**
 * Synthetic shapes and textures: the SOURCE task of the transfer-learning lesson.
 *
 * A large, varied, 10-class task that is not medical at all. A small CNN trained on it learns
 * general-purpose detectors (edges, blobs, lines, corners, periodic textures, irregular contours)
 * that can then be reused on a small medical TARGET task of a different look (see lesions.ts).
 * It plays the role ImageNet plays for real transfer learning, at MedMNIST's 28×28 size.
 *
 * Every class varies in position, scale, rotation, contrast (and polarity: bright on dark or dark
 * on bright), blur, background level and gradient, and carries noise and stray specks, so the
 * task cannot be solved by one pixel or one template. Half the images are imaged with speckle
 * (the granular noise of ultrasound, radar or laser light) instead of plain additive noise: a source
 * only helps a target if its features survive the target's imaging (in our first measurements, a
 * source without speckle gave frozen features that lost to training from scratch on ultrasound).
 * Everything is made by our own seeded code.
 */
import { gaussian, mulberry32, shuffle, uniform } from "./random";
import type { ClassificationDataset, Split } from "./types";

export interface ShapesOptions {
  trainCount?: number;
  valCount?: number;
  seed?: number;
}

/** Image side in pixels (MedMNIST's size). */
export const SHAPES_SIZE = 28;

export const SHAPE_CLASSES = [
  "disc",
  "ring",
  "square outline",
  "triangle",
  "cross",
  "stripes",
  "checker / grid",
  "dots",
  "spiky star",
  "crescent",
];

const S = SHAPES_SIZE;
const PIXELS = S * S;

/** 0..1 clamp. */
function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

/**
 * Turns a signed distance (negative inside, in pixels) into coverage 0..1 per pixel.
 * The 1-px linear ramp at the edge is cheap anti-aliasing, so small shapes do not look jagged.
 */
function paint(sdf: (x: number, y: number) => number): Float32Array {
  const out = new Float32Array(PIXELS);
  for (let y = 0; y < S; y++) {
    for (let x = 0; x < S; x++) out[y * S + x] = clamp01(0.5 - sdf(x, y));
  }
  return out;
}

/** A random centre and rotation: shapes of radius r stay mostly (not always fully) inside the image. */
interface Frame {
  cx: number;
  cy: number;
  cos: number;
  sin: number;
}

function randomFrame(rand: () => number, r: number, maxAngle = Math.PI * 2): Frame {
  // Up to ~15% of the shape may be cut off by the border, as objects in real crops are.
  const m = Math.min(S / 2 - 1, Math.max(1, r * 0.85));
  const angle = uniform(rand, 0, maxAngle);
  return { cx: uniform(rand, m, S - 1 - m), cy: uniform(rand, m, S - 1 - m), cos: Math.cos(angle), sin: Math.sin(angle) };
}

/** Pixel (x, y) in the shape's own rotated coordinates. */
function local(f: Frame, x: number, y: number): [number, number] {
  const dx = x - f.cx, dy = y - f.cy;
  return [dx * f.cos + dy * f.sin, -dx * f.sin + dy * f.cos];
}

/** Signed distance to an axis-aligned box of half-sides hx, hy (exact, as in the usual SDF recipe). */
function boxSdf(u: number, v: number, hx: number, hy: number): number {
  const qx = Math.abs(u) - hx, qy = Math.abs(v) - hy;
  const ox = Math.max(qx, 0), oy = Math.max(qy, 0);
  return Math.sqrt(ox * ox + oy * oy) + Math.min(Math.max(qx, qy), 0);
}

/** Approximate signed distance to an ellipse: exact for a circle, close enough for mild ovals. */
function ellipseSdf(u: number, v: number, a: number, b: number): number {
  return (Math.sqrt((u / a) ** 2 + (v / b) ** 2) - 1) * Math.min(a, b);
}

/** A soft round window (texture patches): 1 inside radius r, fading over 2 px. */
function windowMask(rand: () => number): ((x: number, y: number) => number) | null {
  if (rand() < 0.5) return null; // half the textures fill the whole field
  const r = uniform(rand, 7, 13);
  const cx = uniform(rand, 6, S - 7), cy = uniform(rand, 6, S - 7);
  return (x, y) => clamp01((r - Math.hypot(x - cx, y - cy)) / 2 + 0.5);
}

// ---- One drawing function per class: each returns the pattern as coverage 0..1 (1 = foreground). ----

/** Filled disc, slightly oval: the simplest blob. */
export function drawDisc(rand: () => number): Float32Array {
  const r = uniform(rand, 3.5, 10);
  const f = randomFrame(rand, r);
  const squash = uniform(rand, 0.75, 1);
  return paint((x, y) => {
    const [u, v] = local(f, x, y);
    return ellipseSdf(u, v, r, r * squash);
  });
}

/** Ring (annulus): a closed curved contour with a hole, the disc's hard negative. */
export function drawRing(rand: () => number): Float32Array {
  const r = uniform(rand, 4.5, 11);
  const half = uniform(rand, 0.6, Math.min(1.8, r / 3)); // half the line width
  const f = randomFrame(rand, r + half);
  const squash = uniform(rand, 0.8, 1);
  return paint((x, y) => {
    const [u, v] = local(f, x, y);
    return Math.abs(ellipseSdf(u, v, r, r * squash)) - half;
  });
}

/** Outline of a square (a little rectangular at times): straight edges and four corners. */
export function drawSquare(rand: () => number): Float32Array {
  const h = uniform(rand, 4, 10);
  const half = uniform(rand, 0.6, 1.4);
  const f = randomFrame(rand, h * 1.2, Math.PI / 2);
  const aspect = uniform(rand, 0.8, 1);
  return paint((x, y) => {
    const [u, v] = local(f, x, y);
    return Math.abs(boxSdf(u, v, h, h * aspect)) - half;
  });
}

/** Filled triangle with jittered corners: three straight edges meeting at sharp angles. */
export function drawTriangle(rand: () => number): Float32Array {
  const R = uniform(rand, 5, 12);
  const f = randomFrame(rand, R * 0.8);
  const corners = [0, 1, 2].map((k) => {
    const a = (k * 2 * Math.PI) / 3 + uniform(rand, -0.25, 0.25);
    const rk = R * uniform(rand, 0.85, 1.1);
    return [rk * Math.cos(a), rk * Math.sin(a)];
  });
  // Edge normals; for a convex polygon the largest edge distance is a good signed distance.
  const edges = [0, 1, 2].map((k) => {
    const [x0, y0] = corners[k], [x1, y1] = corners[(k + 1) % 3];
    const len = Math.hypot(x1 - x0, y1 - y0);
    const nx = (y1 - y0) / len, ny = -(x1 - x0) / len;
    return { nx, ny, c: nx * x0 + ny * y0 };
  });
  // Orient the normals outward: the third corner must lie on the inner (negative) side of edge 0.
  const sign = edges[0].nx * corners[2][0] + edges[0].ny * corners[2][1] - edges[0].c < 0 ? 1 : -1;
  return paint((x, y) => {
    const [u, v] = local(f, x, y);
    let d = -Infinity;
    for (const e of edges) d = Math.max(d, sign * (e.nx * u + e.ny * v - e.c));
    return d;
  });
}

/** Plus sign / X: two crossing bars, i.e. line ends and a junction. */
export function drawCross(rand: () => number): Float32Array {
  const L = uniform(rand, 5, 11);
  const half = uniform(rand, 0.8, 2);
  const L2 = L * uniform(rand, 0.75, 1); // arms need not be equal
  const f = randomFrame(rand, L * 0.9, Math.PI / 2);
  return paint((x, y) => {
    const [u, v] = local(f, x, y);
    return Math.min(boxSdf(u, v, L, half), boxSdf(u, v, half, L2));
  });
}

/** Near-horizontal stripes (within ±30°): an oriented periodic texture. */
export function drawStripes(rand: () => number): Float32Array {
  const angle = uniform(rand, -Math.PI / 6, Math.PI / 6);
  const period = uniform(rand, 3, 7);
  const phase = uniform(rand, 0, 2 * Math.PI);
  const sharp = uniform(rand, 0.7, 3); // sine-like to bar-like
  const win = windowMask(rand);
  const c = Math.cos(angle), s = Math.sin(angle);
  const out = new Float32Array(PIXELS);
  for (let y = 0; y < S; y++) {
    for (let x = 0; x < S; x++) {
      const across = -x * s + y * c;
      const v = clamp01(0.5 + sharp * 0.5 * Math.sin((2 * Math.PI * across) / period + phase));
      out[y * S + x] = win ? v * win(x, y) : v;
    }
  }
  return out;
}

/** Checkerboard or grid of lines at any angle: a texture periodic in two directions. */
export function drawChecker(rand: () => number): Float32Array {
  const angle = uniform(rand, 0, Math.PI / 2);
  const c = Math.cos(angle), s = Math.sin(angle);
  const ox = uniform(rand, 0, 10), oy = uniform(rand, 0, 10);
  const checker = rand() < 0.5;
  const cell = uniform(rand, 2.5, 5);
  const period = uniform(rand, 4, 7), half = uniform(rand, 0.5, 0.9);
  const win = windowMask(rand);
  const out = new Float32Array(PIXELS);
  for (let y = 0; y < S; y++) {
    for (let x = 0; x < S; x++) {
      const u = x * c + y * s + ox, v = -x * s + y * c + oy;
      let val: number;
      if (checker) {
        // Product of two soft square waves: +1 / -1 cells.
        const a = Math.max(-1, Math.min(1, 2 * Math.sin((Math.PI * u) / cell)));
        const b = Math.max(-1, Math.min(1, 2 * Math.sin((Math.PI * v) / cell)));
        val = 0.5 + 0.5 * a * b;
      } else {
        // Distance to the nearest grid line in either direction.
        const du = Math.abs(u - period * Math.round(u / period));
        const dv = Math.abs(v - period * Math.round(v / period));
        val = clamp01(0.5 - (Math.min(du, dv) - half));
      }
      out[y * S + x] = win ? val * win(x, y) : val;
    }
  }
  return out;
}

/** Many small random dots: an irregular, non-periodic texture (and the specks' big brother). */
export function drawDots(rand: () => number): Float32Array {
  const n = 8 + Math.floor(rand() * 20);
  const win = windowMask(rand);
  const out = new Float32Array(PIXELS);
  for (let i = 0; i < n; i++) addDot(out, uniform(rand, 0, S - 1), uniform(rand, 0, S - 1), uniform(rand, 0.6, 1.5));
  if (win) for (let y = 0; y < S; y++) for (let x = 0; x < S; x++) out[y * S + x] *= win(x, y);
  return out;
}

/** Spiky, irregular star: a blob with an irregular contour (the disc's other hard negative). */
export function drawStar(rand: () => number): Float32Array {
  const R = uniform(rand, 5, 11.5);
  const f = randomFrame(rand, R * 0.85);
  const spikes = 5 + Math.floor(rand() * 5);
  const depth = uniform(rand, 0.3, 0.55); // how far the valleys dip towards the centre
  const sharp = uniform(rand, 1.5, 5);
  const phase = uniform(rand, 0, 2 * Math.PI);
  // Low harmonics make spikes of uneven length, so the star is irregular, not a perfect polygon.
  const w = [2, 3].map((k) => ({ k, a: uniform(rand, 0, 0.15), p: uniform(rand, 0, 2 * Math.PI) }));
  return paint((x, y) => {
    const [u, v] = local(f, x, y);
    const t = Math.atan2(v, u);
    let r = R * (1 - depth + depth * Math.abs(Math.cos((spikes * t) / 2 + phase)) ** sharp);
    for (const h of w) r *= 1 + h.a * Math.cos(h.k * t + h.p);
    return (Math.hypot(u, v) - r) * 0.7; // radial distance overstates true distance near spikes
  });
}

/** Crescent: a disc with an offset disc bitten out (one convex and one concave edge). */
export function drawCrescent(rand: () => number): Float32Array {
  const r = uniform(rand, 5, 11);
  const f = randomFrame(rand, r);
  const offset = r * uniform(rand, 0.35, 0.75);
  const r2 = r * uniform(rand, 0.8, 1.05);
  return paint((x, y) => {
    const [u, v] = local(f, x, y);
    return Math.max(Math.hypot(u, v) - r, r2 - Math.hypot(u - offset, v));
  });
}

const DRAW: ((rand: () => number) => Float32Array)[] = [
  drawDisc, drawRing, drawSquare, drawTriangle, drawCross, drawStripes, drawChecker, drawDots, drawStar, drawCrescent,
];

/** A soft dot added (max) into a coverage map. */
function addDot(out: Float32Array, cx: number, cy: number, r: number): void {
  const x0 = Math.max(0, Math.floor(cx - r - 1)), x1 = Math.min(S - 1, Math.ceil(cx + r + 1));
  const y0 = Math.max(0, Math.floor(cy - r - 1)), y1 = Math.min(S - 1, Math.ceil(cy + r + 1));
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const v = clamp01(0.5 - (Math.hypot(x - cx, y - cy) - r));
      if (v > out[y * S + x]) out[y * S + x] = v;
    }
  }
}

/** Separable Gaussian blur (edges clamped): softens edges, as optics and resampling do. */
function blur(img: Float32Array, sigma: number): Float32Array {
  const rad = Math.ceil(2 * sigma);
  const k = Array.from({ length: 2 * rad + 1 }, (_, i) => Math.exp(-((i - rad) ** 2) / (2 * sigma * sigma)));
  const sum = k.reduce((t, v) => t + v, 0);
  for (let i = 0; i < k.length; i++) k[i] /= sum;
  const tmp = new Float32Array(PIXELS), out = new Float32Array(PIXELS);
  for (let y = 0; y < S; y++) {
    for (let x = 0; x < S; x++) {
      let v = 0;
      for (let i = -rad; i <= rad; i++) v += k[i + rad] * img[y * S + Math.min(S - 1, Math.max(0, x + i))];
      tmp[y * S + x] = v;
    }
  }
  for (let y = 0; y < S; y++) {
    for (let x = 0; x < S; x++) {
      let v = 0;
      for (let i = -rad; i <= rad; i++) v += k[i + rad] * tmp[Math.min(S - 1, Math.max(0, y + i)) * S + x];
      out[y * S + x] = v;
    }
  }
  return out;
}

/**
 * Draws one image of class `cls` (index into SHAPE_CLASSES), values 0..1.
 * The pattern is drawn first, then the shared "imaging": contrast and polarity, a tilted
 * background, stray specks, blur and noise, so that no class has a tell-tale intensity.
 */
export function drawShape(cls: number, rand: () => number): Float32Array {
  const draw = DRAW[cls];
  if (!draw) throw new RangeError(`shape class must be 0..${DRAW.length - 1}, got ${cls}`);
  const normal = gaussian(rand);
  const pattern = draw(rand);
  // Stray specks in every class: so "has small dots" alone does not mean the dots class.
  const specks = Math.floor(rand() * 4);
  for (let i = 0; i < specks; i++) addDot(pattern, uniform(rand, 0, S - 1), uniform(rand, 0, S - 1), uniform(rand, 0.5, 1.1));

  // Bright-on-dark or dark-on-bright, so the network must learn edges, not "bright = object".
  const bright = rand() < 0.6;
  const bg = bright ? uniform(rand, 0.05, 0.5) : uniform(rand, 0.5, 0.95);
  const noise = uniform(rand, 0.02, 0.16);
  // Faint but never invisible: the weakest patterns sit just above the noise.
  const contrast = (bright ? 1 : -1) * uniform(rand, Math.max(0.18, 1.5 * noise), 0.7);
  const gx = uniform(rand, -0.012, 0.012), gy = uniform(rand, -0.012, 0.012); // up to ±0.17 across the image
  // Fine textures (stripes, checker, dots) get less blur: a strong blur would erase them, not hide them.
  const maxSigma = cls >= 5 && cls <= 7 ? 0.75 : 1.3;
  const sigma = rand() < 0.4 ? 0 : uniform(rand, 0.4, maxSigma);

  let img: Float32Array = new Float32Array(PIXELS);
  for (let y = 0; y < S; y++) {
    for (let x = 0; x < S; x++) img[y * S + x] = bg + gx * (x - S / 2) + gy * (y - S / 2) + contrast * pattern[y * S + x];
  }
  if (sigma > 0) img = blur(img, sigma);
  if (rand() < SPECKLE_SHARE) return speckle(img, rand);
  for (let i = 0; i < PIXELS; i++) img[i] = clamp01(img[i] + noise * normal());
  return img;
}

/** Share of source images imaged with speckle instead of additive noise. */
const SPECKLE_SHARE = 0.5;

/**
 * Multiplicative speckle (Rayleigh, mean 1, grains wider than tall), the granular noise of
 * coherent imaging (ultrasound, radar, laser light). With it in the source, the features learn to
 * find edges through speckle, as any coherent-imaging target needs.
 */
function speckle(img: Float32Array, rand: () => number): Float32Array {
  const sigmaR = Math.sqrt(2 / Math.PI);
  const raw = new Float32Array(PIXELS);
  for (let i = 0; i < PIXELS; i++) raw[i] = sigmaR * Math.sqrt(-2 * Math.log(1 - rand()));
  const out = new Float32Array(PIXELS);
  for (let y = 0; y < S; y++) {
    for (let x = 0; x < S; x++) {
      const l = raw[y * S + Math.max(0, x - 1)], m = raw[y * S + x], r = raw[y * S + Math.min(S - 1, x + 1)];
      out[y * S + x] = clamp01(img[y * S + x] * (l + 2 * m + r) / 4);
    }
  }
  return out;
}

function makeSplit(count: number, rand: () => number): Split {
  // Balanced: class i % 10, then shuffled so batches mix classes.
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) labels[i] = i % DRAW.length;
  shuffle(labels, rand);
  const images = new Float32Array(count * PIXELS);
  for (let i = 0; i < count; i++) images.set(drawShape(labels[i], rand), i * PIXELS);
  return { images, labels, count };
}

/** The SOURCE dataset of the transfer-learning lesson. Same seed, same images. */
export function makeShapesDataset({ trainCount = 20000, valCount = 2000, seed = 11 }: ShapesOptions = {}): ClassificationDataset {
  for (const [name, n] of [["trainCount", trainCount], ["valCount", valCount]] as const) {
    if (!(Number.isInteger(n) && n >= 0)) throw new RangeError(`${name} must be a whole number ≥ 0, got ${n}`);
  }
  // Separate streams, so the validation images do not depend on how many training images there are.
  const trainRand = mulberry32(seed), valRand = mulberry32(seed + 1_000_003);
  return {
    id: "shapes",
    title: "Synthetic shapes and textures (10 classes)",
    description:
      "Synthetic data, made by the kit's own seeded code; not medical. Each 28×28 image shows one of ten " +
      "procedural shapes or textures (disc, ring, square outline, triangle, cross, stripes, checker/grid, " +
      "dots, spiky star, crescent) at a random position, size, angle, contrast and blur, on a noisy " +
      "background; half with speckle noise. It plays the role of ImageNet: a large source task for pretraining before transfer.",
    synthetic: true,
    task: "multiclass",
    classNames: SHAPE_CLASSES,
    imageShape: [S, S, 1],
    train: makeSplit(trainCount, trainRand),
    val: makeSplit(valCount, valRand),
  };
}
