/**
 * Data augmentation on raw pixel arrays: random flips and small rotations.
 * Medical images have no preferred left/right in a patch, so these add free, label-preserving variety.
 */
export interface AugmentOptions {
  flip?: boolean;
  /** Largest rotation, in degrees, either way. 0 turns rotation off. */
  maxRotation?: number;
}

/** Returns a new image [H, W, C], flipped and/or rotated about its centre (bilinear, edges clamped). */
export function augmentImage(
  src: Float32Array, h: number, w: number, c: number,
  rand: () => number, { flip = true, maxRotation = 15 }: AugmentOptions,
): Float32Array {
  const flipX = flip && rand() < 0.5;
  const flipY = flip && rand() < 0.5;
  const angle = maxRotation > 0 ? ((rand() * 2 - 1) * maxRotation * Math.PI) / 180 : 0;
  const out = new Float32Array(h * w * c);
  const cos = Math.cos(angle), sin = Math.sin(angle);
  const cy = (h - 1) / 2, cx = (w - 1) / 2;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      // Inverse mapping: for each output pixel, find where it came from.
      const ox = flipX ? w - 1 - x : x, oy = flipY ? h - 1 - y : y;
      const dx = ox - cx, dy = oy - cy;
      const sx = Math.min(w - 1, Math.max(0, cx + cos * dx + sin * dy));
      const sy = Math.min(h - 1, Math.max(0, cy - sin * dx + cos * dy));
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
