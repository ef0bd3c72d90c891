/**
 * Data augmentation on raw pixel arrays (survey §5: augmentation often matters more than the network).
 *
 * - geometric: random flips, small rotations, and elastic deformation as in the U-Net paper
 *   (Ronneberger et al. 2015: random displacements on a coarse 3×3 grid, smoothly interpolated);
 * - intensity: brightness and contrast jitter, as scanners and protocols differ.
 *
 * Medical images have no preferred left/right in a patch and tissue is soft, so these add free,
 * label-preserving variety. For segmentation, `augmentPair` moves an image and its mask with the
 * same geometry, so the mask still outlines the deformed object; intensity changes touch the image only.
 */
import { gaussian } from "./random";

export interface AugmentOptions {
  flip?: boolean;
  /** Largest rotation, in degrees, either way. 0 turns rotation off. */
  maxRotation?: number;
  /** Elastic deformation: standard deviation (pixels) of the random displacements on the coarse grid. 0 turns it off. */
  elastic?: number;
  /** Points per side of the coarse displacement grid (the U-Net paper used 3). */
  elasticGrid?: number;
  /** Largest brightness shift, either way, on the 0..1 scale. 0 turns it off. */
  brightness?: number;
  /** Largest relative contrast change: the contrast is scaled by a factor in 1 ± this. 0 turns it off. */
  contrast?: number;
}

/** Where each output pixel takes its value from: source coordinates (x, y), already clamped to the image. */
type SourceMap = (x: number, y: number) => [number, number];

/**
 * Draws one random geometry (flips, angle, elastic field) and returns the source position of
 * every output pixel. Draw order: flipX, flipY, angle, then the elastic grid, each only when on,
 * so turning a new option off leaves the random stream of the old ones unchanged.
 */
function randomGeometry(h: number, w: number, rand: () => number, { flip = true, maxRotation = 15, elastic = 0, elasticGrid = 3 }: AugmentOptions): SourceMap {
  const flipX = flip && rand() < 0.5;
  const flipY = flip && rand() < 0.5;
  const angle = maxRotation > 0 ? ((rand() * 2 - 1) * maxRotation * Math.PI) / 180 : 0;
  const field = elastic > 0 ? elasticField(h, w, elastic, elasticGrid, rand) : null;
  const cos = Math.cos(angle), sin = Math.sin(angle);
  const cy = (h - 1) / 2, cx = (w - 1) / 2;
  return (x, y) => {
    // Inverse mapping: for each output pixel, find where it came from.
    const ox = flipX ? w - 1 - x : x, oy = flipY ? h - 1 - y : y;
    const dx = ox - cx, dy = oy - cy;
    let sx = cx + cos * dx + sin * dy;
    let sy = cy - sin * dx + cos * dy;
    if (field) {
      sx += field.dx[y * w + x];
      sy += field.dy[y * w + x];
    }
    return [Math.min(w - 1, Math.max(0, sx)), Math.min(h - 1, Math.max(0, sy))];
  };
}

/** Catmull–Rom weights: a smooth (C¹) cubic through the grid points, as bicubic interpolation. */
function cubicWeights(t: number): [number, number, number, number] {
  const t2 = t * t, t3 = t2 * t;
  return [(-t3 + 2 * t2 - t) / 2, (3 * t3 - 5 * t2 + 2) / 2, (-3 * t3 + 4 * t2 + t) / 2, (t3 - t2) / 2];
}

/**
 * A smooth random displacement field: Gaussian displacements (sd `sigma` pixels) at grid × grid
 * points spread over the image, interpolated bicubically to every pixel. Nearby pixels move
 * together, so shapes bend instead of breaking up.
 */
export function elasticField(h: number, w: number, sigma: number, grid: number, rand: () => number): { dx: Float32Array; dy: Float32Array } {
  if (!(Number.isInteger(grid) && grid >= 2)) throw new RangeError(`the elastic grid needs at least 2 points per side, got ${grid}`);
  const normal = gaussian(rand);
  const gx = Float32Array.from({ length: grid * grid }, () => sigma * normal());
  const gy = Float32Array.from({ length: grid * grid }, () => sigma * normal());
  const at = (g: Float32Array, i: number, j: number) => g[Math.min(grid - 1, Math.max(0, i)) * grid + Math.min(grid - 1, Math.max(0, j))];
  const dx = new Float32Array(h * w), dy = new Float32Array(h * w);
  for (let y = 0; y < h; y++) {
    const gyPos = (y / Math.max(1, h - 1)) * (grid - 1);
    const i0 = Math.min(grid - 2, Math.floor(gyPos)), wy = cubicWeights(gyPos - i0);
    for (let x = 0; x < w; x++) {
      const gxPos = (x / Math.max(1, w - 1)) * (grid - 1);
      const j0 = Math.min(grid - 2, Math.floor(gxPos)), wx = cubicWeights(gxPos - j0);
      let sx = 0, sy = 0;
      for (let a = 0; a < 4; a++) {
        for (let b = 0; b < 4; b++) {
          const weight = wy[a] * wx[b];
          sx += weight * at(gx, i0 - 1 + a, j0 - 1 + b);
          sy += weight * at(gy, i0 - 1 + a, j0 - 1 + b);
        }
      }
      dx[y * w + x] = sx;
      dy[y * w + x] = sy;
    }
  }
  return { dx, dy };
}

/** Resamples an image [H, W, C] through a source map, bilinearly. */
function warp(src: Float32Array, h: number, w: number, c: number, from: SourceMap): Float32Array {
  const out = new Float32Array(h * w * c);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const [sx, sy] = from(x, y);
      const x0 = Math.floor(sx), y0 = Math.floor(sy);
      const x1 = Math.min(w - 1, x0 + 1), y1 = Math.min(h - 1, y0 + 1);
      const fx = sx - x0, fy = sy - y0;
      for (let k = 0; k < c; k++) {
        const p = (yy: number, xx: number) => src[(yy * w + xx) * c + k];
        out[(y * w + x) * c + k] =
          (1 - fy) * ((1 - fx) * p(y0, x0) + fx * p(y0, x1)) + fy * ((1 - fx) * p(y1, x0) + fx * p(y1, x1));
      }
    }
  }
  return out;
}

/** Brightness and contrast jitter in place: v → (v − mean)·contrast + mean + shift, kept in 0..1. */
function jitterIntensity(image: Float32Array, rand: () => number, { brightness = 0, contrast = 0 }: AugmentOptions): void {
  if (!(brightness > 0 || contrast > 0)) return;
  const shift = brightness > 0 ? (rand() * 2 - 1) * brightness : 0;
  const factor = contrast > 0 ? 1 + (rand() * 2 - 1) * contrast : 1;
  let mean = 0;
  for (const v of image) mean += v;
  mean /= image.length || 1;
  for (let i = 0; i < image.length; i++) image[i] = Math.min(1, Math.max(0, (image[i] - mean) * factor + mean + shift));
}

/** Returns a new image [H, W, C]: flipped, rotated, elastically deformed and intensity-jittered as the options ask. */
export function augmentImage(src: Float32Array, h: number, w: number, c: number, rand: () => number, options: AugmentOptions): Float32Array {
  const out = warp(src, h, w, c, randomGeometry(h, w, rand, options));
  jitterIntensity(out, rand, options);
  return out;
}

/**
 * An image [H, W, C] and its mask [H, W] moved by the SAME random geometry (flips, rotation, elastic
 * field), so the mask still covers the object; the mask is resampled and thresholded at 0.5 so it
 * stays 0/1. Intensity jitter changes the image only.
 */
export function augmentPair(image: Float32Array, mask: Float32Array, h: number, w: number, c: number, rand: () => number, options: AugmentOptions): { image: Float32Array; mask: Float32Array } {
  const from = randomGeometry(h, w, rand, options);
  const out = warp(image, h, w, c, from);
  jitterIntensity(out, rand, options);
  const movedMask = warp(mask, h, w, 1, from);
  for (let i = 0; i < movedMask.length; i++) movedMask[i] = movedMask[i] >= 0.5 ? 1 : 0;
  return { image: out, mask: movedMask };
}

