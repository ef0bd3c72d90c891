/**
 * Corruptions for a denoising auto-encoder (survey §2.6.1): the network sees a damaged image and
 * must give back the clean one, so it cannot just copy its input: it has to learn what images
 * of this kind look like. Every function is seeded: the same seed damages the same pixels.
 */
import { gaussian, mulberry32 } from "./random";

/**
 * - "none": the plain auto-encoder (input = target);
 * - "gaussian": add noise with standard deviation `level` (images are 0..1);
 * - "mask": set a fraction `level` of the pixels to 0 (Vincent et al.'s masking noise).
 */
export type CorruptionKind = "none" | "gaussian" | "mask";

export interface Corruption {
  kind: CorruptionKind;
  level: number;
}

export const CORRUPTION_NAMES: Record<CorruptionKind, string> = {
  none: "none (plain auto-encoder)",
  gaussian: "Gaussian noise (level = standard deviation)",
  mask: "masking (level = fraction of pixels set to 0)",
};

/** Throws a readable error for a level that makes no sense for its kind. */
export function checkCorruption({ kind, level }: Corruption): void {
  if (!(kind in CORRUPTION_NAMES)) throw new RangeError(`unknown corruption “${kind}”`);
  if (!Number.isFinite(level)) throw new RangeError(`the corruption level must be a number, got ${level}`);
  if (kind === "gaussian" && !(level >= 0 && level <= 1)) throw new RangeError(`the noise level (standard deviation) must be between 0 and 1, got ${level}`);
  if (kind === "mask" && !(level >= 0 && level < 1)) throw new RangeError(`the masked fraction must be at least 0 and below 1, got ${level}`);
}

/** A copy of the image plus Gaussian noise of standard deviation sigma. Not clipped, so the noise is exactly what was asked. */
export function addGaussianNoise(image: ArrayLike<number>, sigma: number, rand: () => number): Float32Array {
  const normal = gaussian(rand);
  const out = Float32Array.from(image);
  for (let i = 0; i < out.length; i++) out[i] += sigma * normal();
  return out;
}

/**
 * A copy of the image with exactly round(fraction · pixels) pixel positions set to 0 (all channels
 * of a pixel together), chosen at random without repeats.
 */
export function maskPixels(image: ArrayLike<number>, fraction: number, rand: () => number, channels = 1): Float32Array {
  const out = Float32Array.from(image);
  const pixels = out.length / channels;
  const masked = Math.round(fraction * pixels);
  // A partial Fisher–Yates shuffle: the first `masked` positions of a random order.
  const order = Int32Array.from({ length: pixels }, (_, i) => i);
  for (let i = 0; i < masked; i++) {
    const j = i + Math.floor(rand() * (pixels - i));
    const pick = order[j];
    order[j] = order[i];
    order[i] = pick;
    for (let c = 0; c < channels; c++) out[pick * channels + c] = 0;
  }
  return out;
}

/** The corrupted copy of one image. */
export function corruptImage(image: ArrayLike<number>, corruption: Corruption, rand: () => number, channels = 1): Float32Array {
  switch (corruption.kind) {
    case "gaussian": return addGaussianNoise(image, corruption.level, rand);
    case "mask": return maskPixels(image, corruption.level, rand, channels);
    default: return Float32Array.from(image);
  }
}

/** Corrupts every image of a split [N, H, W, C] with one seeded stream: the same seed, the same damage. */
export function corruptImages(images: Float32Array, count: number, channels: number, corruption: Corruption, seed: number): Float32Array {
  checkCorruption(corruption);
  const rand = mulberry32(seed);
  const size = images.length / Math.max(count, 1);
  const out = new Float32Array(images.length);
  for (let i = 0; i < count; i++) out.set(corruptImage(images.subarray(i * size, (i + 1) * size), corruption, rand, channels), i * size);
  return out;
}
