/**
 * Small images drawn on canvases: filters, activation maps, input patches.
 * Pixels are images, not charts, so a canvas per image is simpler and faster than SVG marks.
 */

export interface RasterOptions {
  /** Pixels on screen per image pixel. */
  scale?: number;
  /** Value range mapped to black..white; defaults to the image's own min..max. */
  min?: number;
  max?: number;
  /** Blue–white–red around zero: for weights, where the sign matters. */
  diverging?: boolean;
  /** Tooltip text. */
  title?: string;
}

/** Smallest and largest finite value. */
export function extent(values: ArrayLike<number>): [number, number] {
  let lo = Infinity,
    hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : [0, 1];
}

/**
 * Maps values [H·W·C] to RGBA bytes. C = 1 is drawn grey (or diverging); C = 3 as colour.
 * Pure, so it can be tested without a canvas.
 */
export function toRGBA(
  values: ArrayLike<number>,
  channels: 1 | 3,
  { min, max, diverging = false }: RasterOptions = {},
): Uint8ClampedArray<ArrayBuffer> {
  const n = values.length / channels;
  const out = new Uint8ClampedArray(n * 4);
  let [lo, hi] = extent(values);
  if (diverging) ((hi = Math.max(Math.abs(lo), Math.abs(hi)) || 1), (lo = -hi));
  lo = min ?? lo;
  hi = max ?? hi;
  const span = hi - lo || 1;
  for (let i = 0; i < n; i++) {
    const o = i * 4;
    if (channels === 3) {
      for (let c = 0; c < 3; c++) out[o + c] = (255 * (values[i * 3 + c] - lo)) / span;
    } else if (diverging) {
      const t = (2 * (values[i] - lo)) / span - 1; // −1..1
      const fade = 255 * (1 - Math.abs(t));
      out[o] = t > 0 ? 255 : 255 + 255 * t * 0.8;
      out[o + 1] = fade;
      out[o + 2] = t < 0 ? 255 : 255 - 255 * t * 0.8;
      if (t > 0) out[o + 1] = out[o + 2] = fade;
      if (t < 0) out[o] = out[o + 1] = fade;
    } else {
      out[o] = out[o + 1] = out[o + 2] = (255 * (values[i] - lo)) / span;
    }
    out[o + 3] = 255;
  }
  return out;
}

/**
 * Canvases a redrawn chart no longer shows, for the next drawing to reuse. Making a canvas's 2-D
 * context is the slow part of drawing a small image (a grid of 64 feature maps spent most of its
 * time there); a reused canvas keeps its context. live() hands them over after each redraw.
 */
const spareCanvases: HTMLCanvasElement[] = [];
const MAX_SPARE_CANVASES = 512;

/** Offers the image canvases inside `old`, a drawing no longer on the page, for reuse by imageCanvas. */
export function recycleCanvases(old: Element): void {
  for (const canvas of old.querySelectorAll<HTMLCanvasElement>("canvas.meddl-raster")) {
    if (canvas.isConnected || spareCanvases.length >= MAX_SPARE_CANVASES) continue;
    canvas.remove(); // out of the old drawing, so the spare does not keep that drawing alive
    spareCanvases.push(canvas);
  }
}

/** A spare canvas stripped of its old attributes (its bitmap is reset when its size is set), or a new one. */
function blankCanvas(): HTMLCanvasElement {
  const canvas = spareCanvases.pop();
  if (!canvas || canvas.isConnected) return document.createElement("canvas");
  for (const name of canvas.getAttributeNames())
    if (name !== "width" && name !== "height") canvas.removeAttribute(name);
  return canvas;
}

/** A canvas showing one image [H, W, C]. */
export function imageCanvas(
  values: ArrayLike<number>,
  height: number,
  width: number,
  channels: 1 | 3 = 1,
  options: RasterOptions = {},
): HTMLCanvasElement {
  const { scale = 3, title } = options;
  const canvas = blankCanvas();
  canvas.width = width; // always set: this also clears a reused canvas and resets its drawing state
  canvas.height = height;
  canvas.style.width = `${width * scale}px`;
  canvas.style.height = `${height * scale}px`;
  canvas.style.imageRendering = "pixelated"; // keep pixels crisp when scaled up
  canvas.className = "meddl-raster";
  if (title) {
    canvas.title = title;
    // The tooltip doubles as the picture's text alternative (charts replace it with a fuller sentence).
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", title);
  }
  const context = canvas.getContext("2d");
  if (context) context.putImageData(new ImageData(toRGBA(values, channels, options), width, height), 0, 0);
  return canvas;
}

/** Channel c of an [H, W, C] image. */
export function channel(values: ArrayLike<number>, channels: number, c: number): Float32Array {
  const out = new Float32Array(values.length / channels);
  for (let i = 0; i < out.length; i++) out[i] = values[i * channels + c];
  return out;
}
