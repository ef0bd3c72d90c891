/**
 * Image-quality metrics for denoising, on plain arrays of square images (row-major).
 * - PSNR: pixel error on a log scale; it rewards smooth, averaged outputs.
 * - SSIM: compares local brightness, contrast and structure, closer to what a reader sees.
 * - Power spectra: how much of an image's variation sits at each spatial frequency. Over-smoothing
 *   removes high frequencies; noise adds them. GAN-based denoisers are proposed because MSE-trained
 *   ones over-smooth, and PSNR alone does not show it.
 */

/** Mean squared error. */
export function mse(a: ArrayLike<number>, b: ArrayLike<number>): number {
  checkSameLength(a, b);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] - b[i]) ** 2;
  return sum / a.length;
}

/** Peak signal-to-noise ratio in dB: 10·log10(range² / MSE). Identical images: Infinity. */
export function psnr(a: ArrayLike<number>, b: ArrayLike<number>, dataRange = 1): number {
  if (!(dataRange > 0)) throw new RangeError(`dataRange must be positive, got ${dataRange}`);
  const error = mse(a, b);
  return error === 0 ? Infinity : 10 * Math.log10((dataRange * dataRange) / error);
}

/** Highest PSNR that records, averages and charts use: identical images give Infinity, which cannot be drawn or averaged. */
export const PSNR_MAX = 100;

/** PSNR capped at PSNR_MAX: what a training record or a chart shows. */
export function boundedPsnr(a: ArrayLike<number>, b: ArrayLike<number>, dataRange = 1): number {
  return Math.min(PSNR_MAX, psnr(a, b, dataRange));
}

export interface SsimOptions {
  /** Max − min of the values (1 for images in 0..1). */
  dataRange?: number;
  /** Side of the Gaussian window: 11 (as Wang et al.) or smaller for small images. Odd. */
  window?: number;
  /** Width of the Gaussian window. */
  sigma?: number;
}

/**
 * Structural similarity (Wang, Bovik, Sheikh & Simoncelli, IEEE TIP 2004). In every Gaussian window
 * (σ = 1.5 px) it multiplies a luminance term (2μaμb + C1)/(μa² + μb² + C1) and a contrast-structure
 * term (2σab + C2)/(σa² + σb² + C2), with C1 = (0.01·range)², C2 = (0.03·range)², then averages over
 * the windows that fit wholly inside the image. 1 for identical images.
 */
export function ssim(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  size: number,
  { dataRange = 1, window = 11, sigma = 1.5 }: SsimOptions = {},
): number {
  checkSameLength(a, b);
  if (a.length !== size * size) throw new RangeError(`images have ${a.length} values, expected ${size}×${size}`);
  if (!(Number.isInteger(window) && window % 2 === 1 && window >= 3))
    throw new RangeError(`SSIM window must be an odd integer ≥ 3, got ${window}`);
  if (size < window) throw new RangeError(`image of ${size} px is smaller than the ${window}-px SSIM window`);
  const c1 = (0.01 * dataRange) ** 2,
    c2 = (0.03 * dataRange) ** 2;
  const r = (window - 1) / 2;
  const g = Array.from({ length: window }, (_, i) => Math.exp(-((i - r) ** 2) / (2 * sigma * sigma)));
  const gSum = g.reduce((s, v) => s + v, 0);
  for (let i = 0; i < window; i++) g[i] /= gSum;

  // Weighted local means of a, b, a², b², ab; the Gaussian is separable: rows first, then columns.
  const out = size - window + 1;
  const products = [
    (i: number) => a[i],
    (i: number) => b[i],
    (i: number) => a[i] * a[i],
    (i: number) => b[i] * b[i],
    (i: number) => a[i] * b[i],
  ];
  const [ma, mb, maa, mbb, mab] = products.map((value) => {
    const rows = new Float64Array(size * out);
    for (let y = 0; y < size; y++)
      for (let x = 0; x < out; x++) {
        let s = 0;
        for (let k = 0; k < window; k++) s += g[k] * value(y * size + x + k);
        rows[y * out + x] = s;
      }
    const local = new Float64Array(out * out);
    for (let y = 0; y < out; y++)
      for (let x = 0; x < out; x++) {
        let s = 0;
        for (let k = 0; k < window; k++) s += g[k] * rows[(y + k) * out + x];
        local[y * out + x] = s;
      }
    return local;
  });

  let total = 0;
  for (let i = 0; i < out * out; i++) {
    const va = maa[i] - ma[i] * ma[i],
      vb = mbb[i] - mb[i] * mb[i],
      cov = mab[i] - ma[i] * mb[i];
    const luminance = (2 * ma[i] * mb[i] + c1) / (ma[i] * ma[i] + mb[i] * mb[i] + c1);
    const structure = (2 * cov + c2) / (va + vb + c2);
    total += luminance * structure;
  }
  return total / (out * out);
}

// ---------------------------------------------------------------------------------------------
// Spectra
// ---------------------------------------------------------------------------------------------

/** In-place 1D DFT of (re, im). Radix-2 FFT for powers of two; a plain DFT otherwise (small images only). */
function transform(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  if ((n & (n - 1)) !== 0) {
    const r = new Float64Array(n),
      m = new Float64Array(n);
    for (let k = 0; k < n; k++)
      for (let t = 0; t < n; t++) {
        const angle = (-2 * Math.PI * k * t) / n;
        r[k] += re[t] * Math.cos(angle) - im[t] * Math.sin(angle);
        m[k] += re[t] * Math.sin(angle) + im[t] * Math.cos(angle);
      }
    (re.set(r), im.set(m));
    return;
  }
  // Bit-reversal permutation, then butterflies of growing length.
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j], re[i]];
      [im[i], im[j]] = [im[j], im[i]];
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const angle = (-2 * Math.PI) / len;
    const wr = Math.cos(angle),
      wi = Math.sin(angle);
    for (let start = 0; start < n; start += len) {
      let cr = 1,
        ci = 0;
      for (let k = 0; k < len / 2; k++) {
        const a = start + k,
          b = a + len / 2;
        const tr = re[b] * cr - im[b] * ci,
          ti = re[b] * ci + im[b] * cr;
        ((re[b] = re[a] - tr), (im[b] = im[a] - ti));
        ((re[a] += tr), (im[a] += ti));
        [cr, ci] = [cr * wr - ci * wi, cr * wi + ci * wr];
      }
    }
  }
}

/**
 * Power |F(u, v)|² / size² of the image minus its mean, row-major [size, size], frequency (0, 0) at
 * index 0. Divided by size² so that white noise of variance σ² has power σ² at every frequency.
 */
export function powerSpectrum2d(image: ArrayLike<number>, size: number): Float64Array {
  if (image.length !== size * size) throw new RangeError(`image has ${image.length} values, expected ${size}×${size}`);
  return powerAt(image, 0, size);
}

/** powerSpectrum2d of the image that starts at `offset` in a stack. */
function powerAt(images: ArrayLike<number>, offset: number, size: number): Float64Array {
  const pixels = size * size;
  let mean = 0;
  for (let i = 0; i < pixels; i++) mean += images[offset + i];
  mean /= pixels;
  const re = new Float64Array(pixels),
    im = new Float64Array(pixels);
  for (let i = 0; i < pixels; i++) re[i] = images[offset + i] - mean;
  const rowRe = new Float64Array(size),
    rowIm = new Float64Array(size);
  for (let pass = 0; pass < 2; pass++) {
    // Rows on the first pass, columns on the second.
    const at = (line: number, k: number) => (pass === 0 ? line * size + k : k * size + line);
    for (let line = 0; line < size; line++) {
      for (let k = 0; k < size; k++) ((rowRe[k] = re[at(line, k)]), (rowIm[k] = im[at(line, k)]));
      transform(rowRe, rowIm);
      for (let k = 0; k < size; k++) ((re[at(line, k)] = rowRe[k]), (im[at(line, k)] = rowIm[k]));
    }
  }
  const power = new Float64Array(size * size);
  for (let i = 0; i < power.length; i++) power[i] = (re[i] * re[i] + im[i] * im[i]) / (size * size);
  return power;
}

/** Radial frequency of DFT index (row, col): distance from (0, 0) with indices above size/2 negative. */
function radius(row: number, col: number, size: number): number {
  const v = row <= size / 2 ? row : row - size,
    u = col <= size / 2 ? col : col - size;
  return Math.sqrt(u * u + v * v);
}

/**
 * Radially averaged power spectrum: entry r is the mean power over frequencies whose distance from
 * zero rounds to r cycles per image, for r = 0 .. size/2 (the Nyquist frequency along an axis).
 * The image's mean is removed first, so entry 0 is about 0.
 */
export function radialPowerSpectrum(image: ArrayLike<number>, size: number): Float64Array {
  return radialAverage(powerSpectrum2d(image, size), size);
}

function radialAverage(power: Float64Array, size: number): Float64Array {
  const bins = Math.floor(size / 2) + 1;
  const sum = new Float64Array(bins),
    count = new Float64Array(bins);
  for (let row = 0; row < size; row++)
    for (let col = 0; col < size; col++) {
      const r = Math.round(radius(row, col, size));
      if (r < bins) ((sum[r] += power[row * size + col]), count[r]++);
    }
  return sum.map((s, r) => (count[r] ? s / count[r] : 0));
}

/**
 * Noise power spectrum: the radial spectrum of (image − reference), averaged over a stack of
 * images [count, size, size]. Low-dose CT noise is not white: FBP's ramp filter pushes it to
 * high frequencies, and a denoiser's output changes its shape.
 */
export function noisePowerSpectrum(
  images: ArrayLike<number>,
  references: ArrayLike<number>,
  size: number,
): Float64Array {
  checkSameLength(images, references);
  const pixels = size * size;
  const count = checkStack(images, size);
  const total = new Float64Array(Math.floor(size / 2) + 1);
  const difference = new Float64Array(pixels);
  for (let n = 0; n < count; n++) {
    for (let i = 0; i < pixels; i++) difference[i] = images[n * pixels + i] - references[n * pixels + i];
    radialPowerSpectrum(difference, size).forEach((p, r) => (total[r] += p / count));
  }
  return total;
}

/**
 * Power above `cutoff` × Nyquist (radially, corners included) in `output`, divided by the same in
 * `target`; either may be one image or a stack [count, size, size]. Below 1: the output lost fine
 * detail (over-smoothed); above 1: it has more high-frequency content than the target.
 * Noise raises it too (low-dose inputs at the default dose score about 1.4 against their targets),
 * so a high ratio does not mean "sharp":
 * always show it beside PSNR, SSIM and the images themselves.
 */
/** Fraction of Nyquist above which power counts as "high frequency" (highFrequencyRatio's default). */
export const HF_CUTOFF = 0.25;

/**
 * Power above cutoff × Nyquist of one image. Summed over a set, the ratio of an output set's sum to
 * its target set's sum is highFrequencyRatio of the sets: so a set can be scored image by image.
 */
export function highFrequencyPower(image: ArrayLike<number>, size: number, cutoff = HF_CUTOFF): number {
  const power = powerSpectrum2d(image, size);
  const limit = cutoff * (size / 2);
  let sum = 0;
  for (let row = 0; row < size; row++)
    for (let col = 0; col < size; col++) {
      if (radius(row, col, size) > limit) sum += power[row * size + col];
    }
  return sum;
}

export function highFrequencyRatio(
  output: ArrayLike<number>,
  target: ArrayLike<number>,
  size: number,
  cutoff = HF_CUTOFF,
): number {
  checkSameLength(output, target);
  if (!(cutoff >= 0 && cutoff < 1)) throw new RangeError(`cutoff must be in [0, 1), got ${cutoff}`);
  const count = checkStack(output, size),
    pixels = size * size;
  const limit = cutoff * (size / 2);
  const high = (images: ArrayLike<number>) => {
    let sum = 0;
    for (let n = 0; n < count; n++) {
      const power = powerAt(images, n * pixels, size);
      for (let row = 0; row < size; row++)
        for (let col = 0; col < size; col++) {
          if (radius(row, col, size) > limit) sum += power[row * size + col];
        }
    }
    return sum;
  };
  const reference = high(target);
  return reference === 0 ? (high(output) === 0 ? 1 : Infinity) : high(output) / reference;
}

function checkSameLength(a: ArrayLike<number>, b: ArrayLike<number>): void {
  if (a.length !== b.length) throw new RangeError(`arrays differ in length: ${a.length} vs ${b.length}`);
}

/** Number of size×size images in a stack; throws if it does not divide evenly. */
function checkStack(images: ArrayLike<number>, size: number): number {
  const pixels = size * size;
  if (!(Number.isInteger(size) && size >= 1) || images.length === 0 || images.length % pixels !== 0) {
    throw new RangeError(`expected a stack of ${size}×${size} images, got ${images.length} values`);
  }
  return images.length / pixels;
}

// ---- a denoiser's score: everything the GAN lesson compares, in one place ------------------

/** How one set of images (a denoiser's outputs, or the noisy inputs) compares with the clean targets. */
export interface DenoisingScore {
  /** Mean over images, dB (each capped at PSNR_MAX). */
  psnr: number;
  /** Mean over images. */
  ssim: number;
  /** High-frequency power ÷ the targets', over the whole set: < 1 smoother than the target, > 1 noisier or sharper. */
  hfRatio: number;
  /** Mean radially averaged power spectrum, r = 0 … size/2 cycles per image. */
  spectrum: number[];
  /** spectrum ÷ the targets' spectrum, per radius (1 where the target has no power). */
  spectrumRatio: number[];
  /** Noise power spectrum: the radial spectrum of (image − target), mean over the set. */
  noisePowerSpectrum: number[];
}

/** Mean radial power spectrum of a stack of images [count, size, size]. */
export function meanRadialSpectrum(images: Float32Array, count: number, size: number): number[] {
  const n = size * size;
  const total = new Float64Array(Math.floor(size / 2) + 1);
  for (let i = 0; i < count; i++)
    radialPowerSpectrum(images.subarray(i * n, (i + 1) * n), size).forEach((p, r) => (total[r] += p / count));
  return Array.from(total);
}

/** SSIM's window for an image side: 11 (Wang et al.) or the largest odd size that fits. */
export function ssimWindow(size: number): number {
  return Math.min(11, size % 2 ? size : size - 1);
}

export interface ScoreDenoisingOptions {
  /** Called every `yieldEvery` images, so a page can breathe (SSIM on a few dozen images takes a few hundred ms). */
  pause?: () => Promise<void>;
  yieldEvery?: number;
}

/** Scores denoised (or noisy) images against their targets, both [count, size, size], image by image. */
export async function scoreDenoising(
  images: Float32Array,
  targets: Float32Array,
  count: number,
  size: number,
  { pause, yieldEvery = 4 }: ScoreDenoisingOptions = {},
): Promise<DenoisingScore> {
  const n = size * size;
  if (!(count >= 1) || images.length !== count * n || targets.length !== count * n)
    throw new RangeError(`expected ${count} images of ${size}×${size}`);
  const bins = Math.floor(size / 2) + 1;
  const spectrum = new Float64Array(bins),
    targetSpectrum = new Float64Array(bins),
    noise = new Float64Array(bins);
  const difference = new Float32Array(n);
  const window = ssimWindow(size);
  let psnrSum = 0,
    ssimSum = 0,
    high = 0,
    targetHigh = 0;
  for (let i = 0; i < count; i++) {
    const image = images.subarray(i * n, (i + 1) * n),
      target = targets.subarray(i * n, (i + 1) * n);
    psnrSum += boundedPsnr(image, target);
    ssimSum += ssim(image, target, size, { window });
    high += highFrequencyPower(image, size);
    targetHigh += highFrequencyPower(target, size);
    radialPowerSpectrum(image, size).forEach((p, r) => (spectrum[r] += p / count));
    radialPowerSpectrum(target, size).forEach((p, r) => (targetSpectrum[r] += p / count));
    for (let j = 0; j < n; j++) difference[j] = image[j] - target[j];
    radialPowerSpectrum(difference, size).forEach((p, r) => (noise[r] += p / count));
    if (pause && (i + 1) % yieldEvery === 0 && i + 1 < count) await pause();
  }
  return {
    psnr: psnrSum / count,
    ssim: ssimSum / count,
    // Summed image by image, this equals highFrequencyRatio of the two stacks.
    hfRatio: targetHigh === 0 ? (high === 0 ? 1 : Infinity) : high / targetHigh,
    spectrum: Array.from(spectrum),
    spectrumRatio: Array.from(spectrum, (p, r) => (targetSpectrum[r] > 0 ? p / targetSpectrum[r] : 1)),
    noisePowerSpectrum: Array.from(noise),
  };
}
