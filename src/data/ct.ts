/**
 * A small, physically simulated CT scanner, for the low-dose CT denoising lesson (survey §3.5.2).
 *
 * Low-dose CT images are noisy because fewer X-ray photons reach the detector, not because noise is
 * sprinkled on the image. So we simulate the scan itself:
 * 1. an attenuation map (a phantom: ellipses of tissue-like values, 0..1, with a fine random
 *    tissue texture: see DEFAULT_TEXTURE),
 * 2. its projections (the sinogram: line integrals along parallel rays, `radon`),
 * 3. photon counting at the detector (Beer–Lambert law plus Poisson noise, `addPhotonNoise`),
 * 4. reconstruction by filtered back-projection (`fbp`), as a scanner does.
 * The noise then has CT's own look: streaky, correlated, strongest where rays crossed dense tissue.
 *
 * Geometry: a square image of `size` pixels, parallel rays over 0..π, a detector of `bins` cells
 * 1 px apart. Pixel (row, col) sits at x = col − c, y = c − row with c = (size − 1) / 2.
 * Everything is made by our own seeded code: no patient data.
 */
import { gaussian, mulberry32, uniform } from "./random";

// ---------------------------------------------------------------------------------------------
// Phantoms
// ---------------------------------------------------------------------------------------------

/** An ellipse in the unit square [−1, 1]², y pointing up, as phantoms are usually written. */
interface Ellipse {
  x0: number;
  y0: number;
  /** Semi-axes along the ellipse's own x and y. */
  a: number;
  b: number;
  /** Rotation, radians, anticlockwise. */
  angle: number;
  value: number;
  /** "add" stacks on what is below (Shepp–Logan's convention); "set" paints over it. */
  mode: "add" | "set";
}

/**
 * Draws ellipses on a grid 3× finer than the pixels, then averages each 3×3 block. A detector pixel
 * sees the mean attenuation over its area (the partial-volume effect); hard, aliased edges would add
 * artefacts no scanner has.
 */
function drawEllipses(ellipses: Ellipse[], size: number): Float32Array {
  const sub = 3, fine = size * sub, half = fine / 2;
  const grid = new Float32Array(fine * fine);
  for (const e of ellipses) {
    const c = Math.cos(e.angle), s = Math.sin(e.angle);
    // Only the ellipse's bounding box (in fine-grid cells) can be inside it.
    const reach = Math.max(e.a, e.b) * half;
    const cx = half + e.x0 * half, cy = half - e.y0 * half;
    const rowFrom = Math.max(0, Math.floor(cy - reach)), rowTo = Math.min(fine - 1, Math.ceil(cy + reach));
    const colFrom = Math.max(0, Math.floor(cx - reach)), colTo = Math.min(fine - 1, Math.ceil(cx + reach));
    for (let row = rowFrom; row <= rowTo; row++) {
      const dy = (half - row - 0.5) / half - e.y0;
      for (let col = colFrom; col <= colTo; col++) {
        const dx = (col + 0.5 - half) / half - e.x0;
        const u = (dx * c + dy * s) / e.a, v = (-dx * s + dy * c) / e.b;
        if (u * u + v * v > 1) continue;
        const i = row * fine + col;
        grid[i] = e.mode === "add" ? grid[i] + e.value : e.value;
      }
    }
  }
  const image = new Float32Array(size * size);
  for (let row = 0; row < fine; row++) {
    for (let col = 0; col < fine; col++) image[Math.floor(row / sub) * size + Math.floor(col / sub)] += grid[row * fine + col] / (sub * sub);
  }
  return image;
}

/** Shepp–Logan's ellipses: [value (added), a, b, x0, y0, angle in degrees]. */
const SHEPP_LOGAN: readonly (readonly number[])[] = [
  [1.0, 0.69, 0.92, 0, 0, 0],
  [-0.8, 0.6624, 0.874, 0, -0.0184, 0],
  [-0.2, 0.11, 0.31, 0.22, 0, -18],
  [-0.2, 0.16, 0.41, -0.22, 0, 18],
  [0.1, 0.21, 0.25, 0, 0.35, 0],
  [0.1, 0.046, 0.046, 0, 0.1, 0],
  [0.1, 0.046, 0.046, 0, -0.1, 0],
  [0.1, 0.046, 0.023, -0.08, -0.605, 0],
  [0.1, 0.023, 0.023, 0, -0.606, 0],
  [0.1, 0.023, 0.046, 0.06, -0.605, 0],
];

// ---------------------------------------------------------------------------------------------
// Tissue texture
// ---------------------------------------------------------------------------------------------

/**
 * Standard deviation of the fine tissue texture, in image units (0..1), by default. Real soft
 * tissue and brain parenchyma are not flat: they have fine, irregular texture (small vessels,
 * fibres, partial-volume mixing) at the very scale of low-dose noise. That is what a pixel-loss
 * denoiser washes out (the mean of all images that could lie under the noise is smooth), and what
 * an adversarial loss is meant to keep (Wolterink et al., 2017). Without it there is nothing to
 * over-smooth: on flat ellipses a pixel-loss denoiser is simply right. 0.03 is about the size of the
 * noise left after FBP at the lesson's default dose (RMSE ≈ 0.035): the texture is as strong as
 * the noise, so a denoiser cannot remove one and keep the other by brightness alone.
 */
export const DEFAULT_TEXTURE = 0.06;

/** Gaussian widths (px) of the texture's two scales: a fine grain and a medium mottle. */
export const TEXTURE_SCALES = { fine: 0.5, medium: 2 } as const;

export interface PhantomOptions {
  /** Standard deviation of the fine tissue texture (image units); 0 for the plain, piecewise-flat phantom. */
  texture?: number;
}

function checkTexture(texture: number): void {
  if (!(Number.isFinite(texture) && texture >= 0 && texture <= 0.5)) throw new RangeError(`texture must be a number from 0 to 0.5, got ${texture}`);
}

/** White Gaussian noise blurred by a Gaussian of width sigma, rescaled to standard deviation 1. */
function bandLimitedField(size: number, sigma: number, rand: () => number): Float32Array {
  const normal = gaussian(rand);
  const white = Float32Array.from({ length: size * size }, () => normal());
  const field = gaussianBlur(white, size, sigma);
  let mean = 0, square = 0;
  for (const v of field) mean += v / field.length;
  for (const v of field) square += (v - mean) ** 2 / field.length;
  const scale = 1 / Math.sqrt(square || 1);
  for (let i = 0; i < field.length; i++) field[i] = (field[i] - mean) * scale;
  return field;
}

/**
 * Adds parenchyma-like texture in place: a band-limited random field (a fine grain, σ 0.8 px, plus a
 * weaker medium mottle, σ 2 px), its strength varying slowly across the tissue. Only in tissue:
 * none in air (values below ~0.05), none in bone and calcifications (above ~0.8), fading in
 * between, so edges stay edges. `seed` makes the field; the result is clipped to 0..1.
 */
function addTissueTexture(image: Float32Array, size: number, amplitude: number, seed: number): Float32Array {
  if (amplitude === 0) return image;
  const rand = mulberry32(seed);
  const fine = bandLimitedField(size, TEXTURE_SCALES.fine, rand);
  const medium = bandLimitedField(size, TEXTURE_SCALES.medium, rand);
  // Regional strength: 0.5× to 1.5×, varying over ~10 px, so some tissue is grainier than other.
  const region = bandLimitedField(size, 6, rand);
  const norm = Math.sqrt(1 + 0.5 ** 2);
  for (let i = 0; i < image.length; i++) {
    const v = image[i];
    const weight = Math.min(1, Math.max(0, (v - 0.03) / 0.07)) * Math.min(1, Math.max(0, (0.85 - v) / 0.1));
    if (weight === 0) continue;
    const strength = Math.min(1.5, Math.max(0.5, 1 + 0.35 * region[i]));
    image[i] = Math.min(1, Math.max(0, v + amplitude * weight * strength * (fine[i] + 0.5 * medium[i]) / norm));
  }
  return image;
}

/** Seed of Shepp–Logan's texture: fixed, so the phantom is the same image every time. */
const SHEPP_LOGAN_TEXTURE_SEED = 0x51e9;

/**
 * The modified Shepp–Logan head phantom (Toft's version, with contrast raised for display):
 * skull 1.0, brain 0.2, ventricles 0.0, small features 0.1–0.3. The standard test image of CT.
 * By default its brain carries the same fine tissue texture as the random phantoms (a fixed
 * field, see DEFAULT_TEXTURE), so it shows what a denoiser does to texture; `{ texture: 0 }` gives
 * the textbook, piecewise-flat phantom.
 */
export function sheppLogan(size = 64, { texture = DEFAULT_TEXTURE }: PhantomOptions = {}): Float32Array {
  checkSize(size);
  checkTexture(texture);
  const ellipses = SHEPP_LOGAN.map(([value, a, b, x0, y0, deg]): Ellipse => ({ x0, y0, a, b, angle: (deg * Math.PI) / 180, value, mode: "add" }));
  return addTissueTexture(drawEllipses(ellipses, size), size, texture, SHEPP_LOGAN_TEXTURE_SEED);
}

/** A feature inside the body: a random ellipse within `body`, at most `maxRadius` (unit coordinates). */
function featureIn(body: Ellipse, rand: () => number, minRadius: number, maxRadius: number, value: number): Ellipse {
  // Centre: a random point in the inner 60% of the body ellipse, so the feature stays inside it.
  const r = 0.6 * Math.sqrt(rand()), t = uniform(rand, 0, 2 * Math.PI);
  const u = r * body.a * Math.cos(t), v = r * body.b * Math.sin(t);
  const c = Math.cos(body.angle), s = Math.sin(body.angle);
  const radius = Math.min(uniform(rand, minRadius, maxRadius), 0.3 * Math.min(body.a, body.b));
  const aspect = uniform(rand, 0.45, 1);
  return {
    x0: body.x0 + u * c - v * s,
    y0: body.y0 + u * s + v * c,
    a: radius,
    b: radius * aspect,
    angle: uniform(rand, 0, Math.PI),
    value: Math.min(1, Math.max(0, value)),
    mode: "set",
  };
}

/**
 * A random phantom in the spirit of Shepp–Logan, different for every draw so a denoiser sees many
 * edges, sizes and contrasts. About a third are "heads" (a bright skull rim around brain-like tissue,
 * as in Shepp–Logan), the rest "bodies" (soft tissue ≈ 0.5, sometimes under a darker layer of fat).
 * Inside: 3–10 features: fat (darker), organs and lesions (a little brighter or darker), air
 * pockets, and small bright calcifications. A faint low-frequency shading keeps tissue from being
 * perfectly flat, and a fine tissue texture (`texture`, DEFAULT_TEXTURE by default; 0 for none)
 * gives it grain at the scale of the noise: the detail a pixel-loss denoiser smooths away. The
 * texture's field has its own generator, seeded by one draw from `rand` (drawn whatever `texture`
 * is), so the shapes, and the phantoms after this one, do not depend on the texture. Values 0..1.
 */
export function randomPhantom(rand: () => number, size = 64, { texture = DEFAULT_TEXTURE }: PhantomOptions = {}): Float32Array {
  checkSize(size);
  checkTexture(texture);
  const ellipses: Ellipse[] = [];
  const outer: Ellipse = {
    x0: uniform(rand, -0.06, 0.06),
    y0: uniform(rand, -0.06, 0.06),
    a: uniform(rand, 0.62, 0.92),
    b: uniform(rand, 0.5, 0.9),
    angle: uniform(rand, -0.35, 0.35),
    value: 0,
    mode: "set",
  };
  const head = rand() < 0.35;
  let tissue: number;
  let inner: Ellipse;
  if (head) {
    tissue = uniform(rand, 0.2, 0.5); // brain
    const rim = uniform(rand, 0.05, 0.1);
    ellipses.push({ ...outer, value: uniform(rand, 0.8, 1) }); // skull
    inner = { ...outer, a: outer.a * (1 - rim), b: outer.b * (1 - rim), value: tissue };
  } else {
    tissue = uniform(rand, 0.44, 0.56); // soft tissue, near water
    const fat = rand() < 0.5 ? uniform(rand, 0.05, 0.12) : 0;
    ellipses.push({ ...outer, value: fat > 0 ? tissue - uniform(rand, 0.08, 0.15) : tissue });
    inner = { ...outer, a: outer.a * (1 - fat), b: outer.b * (1 - fat), value: tissue };
  }
  ellipses.push(inner);

  const features = 3 + Math.floor(rand() * 8);
  for (let k = 0; k < features; k++) {
    const kind = rand();
    if (kind < 0.2) ellipses.push(featureIn(inner, rand, 0.06, 0.3, tissue - uniform(rand, 0.08, 0.2))); // fat
    else if (kind < 0.7) {
      const sign = rand() < 0.5 ? -1 : 1;
      ellipses.push(featureIn(inner, rand, 0.04, 0.3, tissue + sign * uniform(rand, 0.03, 0.15))); // organ or lesion
    } else if (kind < 0.85) ellipses.push(featureIn(inner, rand, 0.02, 0.05, uniform(rand, 0.8, 1))); // calcification
    else ellipses.push(featureIn(inner, rand, 0.05, 0.2, uniform(rand, 0, 0.08))); // air
  }
  const image = drawEllipses(ellipses, size);

  // Texture: a few gentle waves, only where there is tissue.
  const amplitude = uniform(rand, 0, 0.03);
  const waves = Array.from({ length: 3 }, () => ({
    fx: uniform(rand, -6, 6) / size, fy: uniform(rand, -6, 6) / size, phase: uniform(rand, 0, 2 * Math.PI),
  }));
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      const i = row * size + col;
      if (image[i] <= 0) continue;
      let w = 0;
      for (const { fx, fy, phase } of waves) w += Math.cos(2 * Math.PI * (fx * col + fy * row) + phase);
      image[i] = Math.min(1, Math.max(0, image[i] + (amplitude / 3) * w));
    }
  }
  const textureSeed = Math.floor(rand() * 4294967296);
  return addTissueTexture(image, size, texture, textureSeed);
}

// ---------------------------------------------------------------------------------------------
// Scanner: projection, photon noise, reconstruction
// ---------------------------------------------------------------------------------------------

export interface ScanGeometry {
  /** Projection angles, evenly spread over 0..π. */
  angles?: number;
  /** Detector cells, 1 px apart. Enough to cover the image's diagonal by default. */
  bins?: number;
}

/** The smallest odd detector that covers the image's diagonal, plus a cell of margin each side. */
export function defaultBins(size: number): number {
  return 2 * Math.ceil((size * Math.SQRT2) / 2) + 3;
}

function geometry(size: number, { angles = 90, bins = defaultBins(size) }: ScanGeometry): { angles: number; bins: number } {
  checkSize(size);
  if (!(Number.isInteger(angles) && angles >= 1)) throw new RangeError(`angles must be a positive integer, got ${angles}`);
  if (!(Number.isInteger(bins) && bins >= 1)) throw new RangeError(`bins must be a positive integer, got ${bins}`);
  return { angles, bins };
}

/**
 * Forward projection (the Radon transform): for each angle θ and detector position s, the line
 * integral of the image along the ray {s·(cos θ, sin θ) + t·(−sin θ, cos θ)}.
 * Ray-driven: walks each ray in half-pixel steps and reads the image by bilinear interpolation.
 * Returns the sinogram, row-major [angles, bins], in image units × pixels.
 */
export function radon(image: ArrayLike<number>, size: number, options: ScanGeometry = {}): Float32Array {
  const { angles, bins } = geometry(size, options);
  checkLength(image, size * size, "image");
  // A copy with a ring of zeros, so the inner loop needs no bounds checks near the edges.
  const w = size + 2;
  const padded = new Float32Array(w * w);
  for (let row = 0; row < size; row++) for (let col = 0; col < size; col++) padded[(row + 1) * w + col + 1] = image[row * size + col];

  const sinogram = new Float32Array(angles * bins);
  const c = (size - 1) / 2 + 1, center = (bins - 1) / 2, step = 0.5;
  const edge = w - 1; // samples must have 0 ≤ px, py < edge so that all four neighbours exist
  for (let k = 0; k < angles; k++) {
    const theta = (k * Math.PI) / angles;
    const cos = Math.cos(theta), sin = Math.sin(theta);
    for (let j = 0; j < bins; j++) {
      const s = j - center;
      // Position in the padded image (column px, row py; y points up, rows down) at ray parameter t:
      // px = x0 + t·dx, py = y0 + t·dy. Only the stretch of t inside the image needs walking.
      const x0 = c + s * cos, dx = -sin, y0 = c - s * sin, dy = -cos;
      const [tx0, tx1] = slab(x0, dx, edge), [ty0, ty1] = slab(y0, dy, edge);
      const first = Math.ceil(Math.max(tx0, ty0) / step), last = Math.floor(Math.min(tx1, ty1) / step);
      let sum = 0;
      for (let n = first; n <= last; n++) {
        const t = n * step;
        const px = x0 + t * dx, py = y0 + t * dy;
        if (px < 0 || py < 0 || px >= edge || py >= edge) continue; // rounding at the very edge
        const col = Math.floor(px), row = Math.floor(py);
        const fx = px - col, fy = py - row;
        const i = row * w + col;
        const top = padded[i] + fx * (padded[i + 1] - padded[i]);
        const bottom = padded[i + w] + fx * (padded[i + w + 1] - padded[i + w]);
        sum += top + fy * (bottom - top);
      }
      sinogram[k * bins + j] = sum * step;
    }
  }
  return sinogram;
}

/** The range of t for which 0 ≤ start + t·direction ≤ end (all t if the direction is 0 and start inside). */
function slab(start: number, direction: number, end: number): [number, number] {
  if (Math.abs(direction) < 1e-12) return start >= 0 && start < end ? [-Infinity, Infinity] : [Infinity, -Infinity];
  const a = -start / direction, b = (end - start) / direction;
  return a < b ? [a, b] : [b, a];
}

/**
 * Attenuation per pixel of image value 1.0. We read image values as attenuation with 0.5 ≈ water
 * (μ ≈ 0.02 /mm at CT energies), so 1.0 ≈ 0.04 /mm, about bone; and pixels of 2 mm (a 64-px
 * image spans 12.8 cm, a child's head or a limb). 0.04 /mm × 2 mm = 0.08 per pixel.
 * Line integrals through a phantom then reach about 2.5 (at most exp(−2.5) ≈ 8% of the photons
 * get through, as through a small patient), so the dose I0 sets the noise as it does in a scanner.
 */
export const DEFAULT_MU = 0.08;

/**
 * Poisson samples: exact for small λ (Knuth's product of uniforms, about λ draws), and the normal
 * approximation N(λ, λ) for large λ, where Knuth would be slow and the two are indistinguishable.
 */
export function poissonSampler(rand: () => number): (lambda: number) => number {
  const normal = gaussian(rand);
  return (lambda) => {
    if (!(lambda >= 0)) throw new RangeError(`Poisson mean must be ≥ 0, got ${lambda}`);
    if (lambda < 30) {
      const limit = Math.exp(-lambda);
      let k = 0, p = rand();
      while (p > limit) (k++), (p *= rand());
      return k;
    }
    return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * normal()));
  };
}

/**
 * The detector counts photons. By the Beer–Lambert law a ray whose line integral of attenuation is
 * μ·p keeps, on average, I0·exp(−μ·p) of its I0 photons; the count is Poisson distributed. The scanner
 * turns counts back into line integrals by −ln(counts / I0). Fewer photons (lower dose) → noisier.
 * `sinogram` is in image units × pixels (as from `radon`); so is the result. `mu` converts image
 * units to attenuation per pixel (see DEFAULT_MU).
 */
export function addPhotonNoise(sinogram: ArrayLike<number>, dose: number, rand: () => number, mu = DEFAULT_MU): Float32Array {
  checkDose(dose);
  if (!(Number.isFinite(mu) && mu > 0)) throw new RangeError(`mu must be a positive number, got ${mu}`);
  const poisson = poissonSampler(rand);
  const noisy = new Float32Array(sinogram.length);
  for (let i = 0; i < sinogram.length; i++) {
    const counts = poisson(dose * Math.exp(-mu * sinogram[i]));
    // A ray with no photons at all would give −ln 0 = ∞, a streak across the whole image. Scanners
    // floor the count; half a photon sits between "none" and "one", a finite, modest estimate.
    noisy[i] = -Math.log(Math.max(counts, 0.5) / dose) / mu;
  }
  return noisy;
}

/**
 * The Ram-Lak (ramp) filter as a spatial kernel for detector spacing 1 (Kak & Slaney, eq. 61):
 * h[0] = 1/4, h[n] = −1/(πn)² for odd n, 0 for even n. Back-projection alone blurs every point
 * into a 1/r halo; convolving each projection with this kernel first undoes that blur.
 */
function ramLak(bins: number): Float32Array {
  const h = new Float32Array(2 * bins - 1); // offsets −(bins−1) .. bins−1
  for (let n = -(bins - 1); n <= bins - 1; n++) {
    h[n + bins - 1] = n === 0 ? 0.25 : n % 2 === 0 ? 0 : -1 / (Math.PI * n) ** 2;
  }
  return h;
}

export interface FbpOptions extends ScanGeometry {
  filter?: "ram-lak";
}

/**
 * Filtered back-projection: filter each projection with the ramp filter, then smear it back across
 * the image along its rays and add up over angles. Returns the image, row-major [size, size].
 */
export function fbp(sinogram: ArrayLike<number>, size: number, options: FbpOptions = {}): Float32Array {
  const { angles, bins } = geometry(size, options);
  if ((options.filter ?? "ram-lak") !== "ram-lak") throw new RangeError(`unknown filter "${options.filter}"; only "ram-lak" is available`);
  checkLength(sinogram, angles * bins, "sinogram");
  const h = ramLak(bins);
  const filtered = new Float32Array(angles * bins);
  for (let k = 0; k < angles; k++) {
    const row = k * bins;
    for (let j = 0; j < bins; j++) {
      let sum = 0;
      for (let m = 0; m < bins; m++) {
        const v = sinogram[row + m];
        if (v !== 0) sum += v * h[j - m + bins - 1];
      }
      filtered[row + j] = sum;
    }
  }

  const image = new Float32Array(size * size);
  const c = (size - 1) / 2, center = (bins - 1) / 2, weight = Math.PI / angles;
  for (let k = 0; k < angles; k++) {
    const theta = (k * Math.PI) / angles;
    const cos = Math.cos(theta), sin = Math.sin(theta);
    const q = filtered.subarray(k * bins, (k + 1) * bins);
    for (let row = 0; row < size; row++) {
      const y = c - row;
      for (let col = 0; col < size; col++) {
        // Detector position of this pixel's ray, read by linear interpolation.
        const u = (col - c) * cos + y * sin + center;
        const j = Math.floor(u);
        if (j < 0 || j >= bins - 1) continue;
        image[row * size + col] += q[j] + (u - j) * (q[j + 1] - q[j]);
      }
    }
  }
  for (let i = 0; i < image.length; i++) image[i] *= weight;
  return image;
}

/** Reconstructions are shown and learned on the phantom's 0..1 scale; a display window clips the rest. */
function clampUnit(image: Float32Array): Float32Array {
  for (let i = 0; i < image.length; i++) image[i] = Math.min(1, Math.max(0, image[i]));
  return image;
}

export interface LowDoseOptions extends ScanGeometry {
  /** Photons per detector cell before the patient: the dose. */
  dose: number;
  rand: () => number;
  mu?: number;
}

/** Scan at a dose (I0: photons per ray) and reconstruct: the noisy image a low-dose scanner shows (0..1). */
export function simulateLowDose(image: ArrayLike<number>, size: number, { dose, rand, mu = DEFAULT_MU, ...scan }: LowDoseOptions): Float32Array {
  const sinogram = radon(image, size, scan);
  return clampUnit(fbp(addPhotonNoise(sinogram, dose, rand, mu), size, scan));
}

/** Scan with no photon noise (infinite dose) and reconstruct: the best FBP can do (0..1). */
export function simulateFullDose(image: ArrayLike<number>, size: number, scan: ScanGeometry = {}): Float32Array {
  return clampUnit(fbp(radon(image, size, scan), size, scan));
}

// ---------------------------------------------------------------------------------------------
// Image helpers
// ---------------------------------------------------------------------------------------------

/** Separable Gaussian blur, edges repeated. */
export function gaussianBlur(image: ArrayLike<number>, size: number, sigma: number): Float32Array {
  checkLength(image, size * size, "image");
  const radius = Math.max(1, Math.ceil(3 * sigma));
  const kernel = Array.from({ length: 2 * radius + 1 }, (_, i) => Math.exp(-((i - radius) ** 2) / (2 * sigma * sigma)));
  const total = kernel.reduce((a, b) => a + b, 0);
  const clamp = (i: number) => Math.min(size - 1, Math.max(0, i));
  const rows = new Float32Array(size * size), out = new Float32Array(size * size);
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) {
    let s = 0;
    for (let d = -radius; d <= radius; d++) s += kernel[d + radius] * image[y * size + clamp(x + d)];
    rows[y * size + x] = s / total;
  }
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) {
    let s = 0;
    for (let d = -radius; d <= radius; d++) s += kernel[d + radius] * rows[clamp(y + d) * size + x];
    out[y * size + x] = s / total;
  }
  return out;
}

/** Resizes a square image by bilinear interpolation (pixel centres aligned, edges repeated). */
export function resizeBilinear(image: ArrayLike<number>, fromSize: number, toSize: number): Float32Array {
  if (!(Number.isInteger(fromSize) && fromSize >= 1)) throw new RangeError(`fromSize must be a positive integer, got ${fromSize}`);
  if (!(Number.isInteger(toSize) && toSize >= 1)) throw new RangeError(`toSize must be a positive integer, got ${toSize}`);
  checkLength(image, fromSize * fromSize, "image");
  const out = new Float32Array(toSize * toSize);
  const scale = fromSize / toSize;
  const source = (i: number) => Math.min(fromSize - 1, Math.max(0, (i + 0.5) * scale - 0.5));
  for (let y = 0; y < toSize; y++) {
    const sy = source(y), y0 = Math.floor(sy), y1 = Math.min(fromSize - 1, y0 + 1), fy = sy - y0;
    for (let x = 0; x < toSize; x++) {
      const sx = source(x), x0 = Math.floor(sx), x1 = Math.min(fromSize - 1, x0 + 1), fx = sx - x0;
      const top = image[y0 * fromSize + x0] * (1 - fx) + image[y0 * fromSize + x1] * fx;
      const bottom = image[y1 * fromSize + x0] * (1 - fx) + image[y1 * fromSize + x1] * fx;
      out[y * toSize + x] = top * (1 - fy) + bottom * fy;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Training pairs
// ---------------------------------------------------------------------------------------------

/**
 * Blur of the default target, in pixels. Even a noiseless scan reconstructs a slightly blurred
 * image (the ramp filter stops at the detector's Nyquist frequency, and back-projection
 * interpolates): for Shepp–Logan, 24.5 dB from the sharp phantom. Asking a denoiser for
 * pixel-sharp edges would ask it to invent detail the scan never measured; this target asks for
 * what a perfect noiseless scan could show. σ = 0.6 is the blur that noiseless FBP matches best
 * (measured on the untextured phantoms: 37 dB for Shepp–Logan, 46 dB for random phantoms; 0.5 or
 * 0.7 match worse).
 */
export const TARGET_BLUR_SIGMA = 0.6;

/** The lesson's dose: photons per detector cell (I0). Low enough for visible noise, high enough for anatomy. */
export const DEFAULT_DOSE = 1.5e3;

/** Paired images of one split: noisy inputs and clean targets, row-major [count, size, size], values about 0..1. */
export interface ImagePairs {
  inputs: Float32Array;
  targets: Float32Array;
  count: number;
  size: number;
}

/** The i-th true image of a set, given the phantoms' random stream (real images ignore it). */
export type TruthSource = (i: number, phantoms: () => number) => Float32Array;

/** Random phantoms, with the Shepp–Logan phantom first when asked (a validation set). */
export function phantomTruths(size: number, { includeSheppLogan = true, texture = DEFAULT_TEXTURE }: { includeSheppLogan?: boolean; texture?: number } = {}): TruthSource {
  checkTexture(texture);
  return (i, phantoms) => (i === 0 && includeSheppLogan ? sheppLogan(size, { texture }) : randomPhantom(phantoms, size, { texture }));
}

/** Real images [count, fromSize, fromSize] read as attenuation maps: resized to `size`, clipped to 0..1. */
export function realTruths(images: Float32Array, fromSize: number, size: number): TruthSource {
  const from = fromSize * fromSize;
  return (i) => clampUnit(resizeBilinear(images.subarray(i * from, (i + 1) * from), fromSize, size));
}

/**
 * The one loop that makes pairs: true image, low-dose scan, target. It yields after each pair, so
 * a page can show progress and breathe between pairs (each takes tens of milliseconds).
 */
function* pairLoop(truthAt: TruthSource, o: ReturnType<typeof resolvePairOptions>, inputs: Float32Array, targets: Float32Array): Generator<number> {
  const pixels = o.size * o.size;
  const { phantoms, noise } = seededStreams(o.seed);
  for (let i = 0; i < o.count; i++) {
    const { input, goal } = makePair(truthAt(i, phantoms), o.size, noise, o);
    inputs.set(input, i * pixels);
    targets.set(goal, i * pixels);
    yield i + 1;
  }
}

function scanSync(truthAt: TruthSource, o: ReturnType<typeof resolvePairOptions>): ImagePairs {
  const inputs = new Float32Array(o.count * o.size * o.size), targets = new Float32Array(inputs.length);
  const pairs = pairLoop(truthAt, o, inputs, targets);
  while (!pairs.next().done); // make them all, no pauses
  return { inputs, targets, count: o.count, size: o.size };
}

export interface ScanProgress {
  /** Pairs done so far; called every few tens of milliseconds and at the end. */
  onProgress?: (done: number) => void;
  /** Lets the page paint and answer clicks between pairs. */
  pause?: () => Promise<void>;
}

/** The same pairs as makeCtPairs or ctPairsFromImages give for the same options, made with progress and pauses. */
export async function scanCtPairs(truthAt: TruthSource, options: CtPairOptions, { onProgress, pause }: ScanProgress = {}): Promise<ImagePairs> {
  const o = resolvePairOptions(options);
  const inputs = new Float32Array(o.count * o.size * o.size), targets = new Float32Array(inputs.length);
  let last = performance.now();
  for (const done of pairLoop(truthAt, o, inputs, targets)) {
    if (performance.now() - last > 40) {
      onProgress?.(done);
      await pause?.();
      last = performance.now();
    }
  }
  onProgress?.(o.count);
  return { inputs, targets, count: o.count, size: o.size };
}

export interface CtPairs extends ImagePairs {
  /** The dose: photons per detector cell. */
  dose: number;
  synthetic: boolean;
  title: string;
  description: string;
}

export interface CtPairOptions extends ScanGeometry {
  count: number;
  size?: number;
  dose?: number;
  seed?: number;
  /** "phantom": the true image, blurred by TARGET_BLUR_SIGMA (default). "fbp": the noiseless reconstruction. */
  target?: "phantom" | "fbp";
  mu?: number;
}

export interface CtPhantomOptions extends CtPairOptions {
  /** Make pair 0 the Shepp–Logan phantom (for a validation set; turn off for training). */
  includeSheppLogan?: boolean;
  /** Fine tissue texture of the phantoms (Shepp–Logan's too), std in image units; 0 for flat tissue. Default DEFAULT_TEXTURE. */
  texture?: number;
}

/** Input and target for one true image. Separate generators for phantoms and noise (see makeCtPairs). */
function makePair(truth: Float32Array, size: number, noise: () => number, { dose, mu, target, angles, bins }: Required<Omit<CtPairOptions, "count" | "size" | "seed">>) {
  const scan = { angles, bins };
  const input = simulateLowDose(truth, size, { dose, rand: noise, mu, ...scan });
  const goal = target === "fbp" ? simulateFullDose(truth, size, scan) : gaussianBlur(truth, size, TARGET_BLUR_SIGMA);
  return { input, goal };
}

function resolvePairOptions({ count, size = 64, dose = DEFAULT_DOSE, seed = 1, target = "phantom", mu = DEFAULT_MU, angles = 90, bins }: CtPairOptions) {
  if (!(Number.isInteger(count) && count >= 1)) throw new RangeError(`count must be a positive integer, got ${count}`);
  checkSize(size);
  checkDose(dose);
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a number, got ${seed}`);
  if (target !== "phantom" && target !== "fbp") throw new RangeError(`target must be "phantom" or "fbp", got "${target}"`);
  const scan = geometry(size, { angles, bins });
  return { count, size, dose, seed, target, mu, ...scan };
}

/** Two generators from one seed: the phantoms stay the same when only the dose changes. */
function seededStreams(seed: number): { phantoms: () => number; noise: () => number } {
  return { phantoms: mulberry32(seed), noise: mulberry32((seed ^ 0x9e3779b9) + 1) };
}

/**
 * The lesson's synthetic dataset: random phantoms scanned at low dose (inputs) and what a denoiser
 * should make of them (targets). Same seed, same pairs; phantoms do not depend on the dose, so
 * datasets at different I0 show the same anatomy.
 */
export function makeCtPairs(options: CtPhantomOptions): CtPairs {
  const o = resolvePairOptions(options);
  const texture = options.texture ?? DEFAULT_TEXTURE;
  const { inputs, targets } = scanSync(phantomTruths(o.size, { includeSheppLogan: options.includeSheppLogan ?? true, texture }), o);
  return {
    inputs, targets, count: o.count, size: o.size, dose: o.dose, synthetic: true,
    title: "Simulated low-dose CT of random phantoms",
    description:
      "Synthetic data, made by the kit's own seeded code. Each phantom is a cross-section of ellipses with " +
      "tissue-like attenuation (soft tissue, fat, air, calcifications; some with a skull)" +
      (texture > 0 ? ", its tissue given a fine random texture. " : ". ") + "It is scanned by a " +
      `simulated CT scanner (${o.angles} angles, ${o.bins} detector cells) with ${o.dose} photons per ray, so the ` +
      "detector counts carry Poisson noise, and reconstructed by filtered back-projection. " +
      (o.target === "fbp" ? "Targets are noiseless reconstructions." : "Targets are the phantoms, slightly blurred to the scanner's resolution."),
  };
}

export interface DegradeOptions extends ScanGeometry {
  dose?: number;
  seed?: number;
  mu?: number;
}

/**
 * Real-data mode: the same low-dose scan applied to any grayscale image in 0..1, read as an
 * attenuation map (e.g. a chest X-ray resized to 64×64). Returns the noisy reconstruction.
 */
export function degradeImage(image: ArrayLike<number>, size: number, { dose = DEFAULT_DOSE, seed = 1, mu = DEFAULT_MU, ...scan }: DegradeOptions = {}): Float32Array {
  return simulateLowDose(image, size, { dose, rand: seededStreams(seed).noise, mu, ...scan });
}

/**
 * Pairs from real images [count, fromSize, fromSize] in 0..1 (values outside are clipped): each is
 * resized to `size`, read as an attenuation map, scanned at low dose and reconstructed. The images
 * are real; the dose is simulated, so `synthetic` is false and the description says so.
 */
export function ctPairsFromImages(images: Float32Array, count: number, fromSize: number, options: Omit<CtPairOptions, "count"> = {}): CtPairs {
  const o = resolvePairOptions({ ...options, count });
  checkLength(images, count * fromSize * fromSize, "images");
  const { inputs, targets } = scanSync(realTruths(images, fromSize, o.size), o);
  return {
    inputs, targets, count, size: o.size, dose: o.dose, synthetic: false,
    title: "Real images through a simulated low-dose CT scan",
    description:
      `Real images, resized to ${o.size}×${o.size} and read as attenuation maps, scanned by a simulated CT scanner ` +
      `with ${o.dose} photons per ray and reconstructed by filtered back-projection. The images are real; the ` +
      "scan and its noise are simulated.",
  };
}

// ---------------------------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------------------------

function checkSize(size: number): void {
  if (!(Number.isInteger(size) && size >= 8 && size <= 1024)) throw new RangeError(`image size must be an integer from 8 to 1024, got ${size}`);
}

function checkDose(dose: number): void {
  if (!(Number.isFinite(dose) && dose > 0)) throw new RangeError(`the dose (I0, photons per ray) must be a positive finite number, got ${dose}`);
}

function checkLength(data: ArrayLike<number>, expected: number, name: string): void {
  if (data.length !== expected) throw new RangeError(`${name} has ${data.length} values, expected ${expected}`);
}
