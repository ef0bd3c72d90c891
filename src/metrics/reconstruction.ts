/**
 * How well an auto-encoder gives its images back, image by image and pixel by pixel. The
 * per-image error is also the anomaly score: an auto-encoder trained on normal images only
 * rebuilds normal images well and unusual ones badly.
 */
import { mse } from "./image";

/** Mean squared error of each of `count` images (row-major [N, …] arrays). */
export function perImageError(
  images: ArrayLike<number>,
  reconstructions: ArrayLike<number>,
  count: number,
): Float32Array {
  if (images.length !== reconstructions.length)
    throw new RangeError(`images and reconstructions differ in length (${images.length} vs ${reconstructions.length})`);
  const size = images.length / count;
  const out = new Float32Array(count);
  for (let n = 0; n < count; n++) {
    let sum = 0;
    for (let i = n * size; i < (n + 1) * size; i++) sum += (images[i] - reconstructions[i]) ** 2;
    out[n] = sum / size;
  }
  return out;
}

/** The squared error at every pixel of one image (averaged over its channels): where the reconstruction fails. */
export function errorMap(image: ArrayLike<number>, reconstruction: ArrayLike<number>, channels = 1): Float32Array {
  const out = new Float32Array(image.length / channels);
  for (let p = 0; p < out.length; p++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += (image[p * channels + c] - reconstruction[p * channels + c]) ** 2;
    out[p] = sum / channels;
  }
  return out;
}

/** PSNR in dB of images on a 0..1 scale, from their mean squared error. */
export function psnrFromMse(meanSquaredError: number): number {
  return meanSquaredError > 0 ? 10 * Math.log10(1 / meanSquaredError) : Infinity;
}

/** Mean squared error over all images at once. */
export function meanSquaredError(images: ArrayLike<number>, reconstructions: ArrayLike<number>): number {
  return mse(images, reconstructions);
}
