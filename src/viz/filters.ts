/**
 * The first layer's filters as small images. After training they become edge and blob
 * detectors: the gradient pushes each filter towards the patterns that separate the classes.
 */
import type * as tf from "@tensorflow/tfjs";
import { channel, extent, imageCanvas } from "./raster";
import { el } from "../core/dom";
import { describe, num } from "./describe";
import { convLayers } from "../models/layers";

export interface FilterGridOptions {
  /** Which conv layer (0 = first). */
  layer?: number;
  scale?: number;
}

/** One tile per filter; for RGB inputs the filter is drawn in colour, else in blue–white–red by sign. */
export function filterGrid(model: tf.LayersModel, { layer = 0, scale = 12 }: FilterGridOptions = {}): HTMLElement {
  const conv = convLayers(model)[layer];
  const root = document.createElement("div");
  root.className = "meddl-grid meddl-filters";
  if (!conv) {
    root.textContent = "This model has no convolution layer.";
    return root;
  }
  const kernel = conv.getWeights()[0]; // [kh, kw, in, out]; getWeights reads the variables, no new tensors
  const [kh, kw, inC, outC] = kernel.shape;
  const w = kernel.dataSync();
  const [lo, hi] = extent(w);
  const bound = Math.max(Math.abs(lo), Math.abs(hi));
  for (let f = 0; f < outC; f++) {
    const pixels = new Float32Array(kh * kw * inC);
    for (let i = 0; i < kh * kw * inC; i++) pixels[i] = w[i * outC + f];
    const rgb = inC === 3;
    const tile = rgb
      ? imageCanvas(pixels, kh, kw, 3, { scale, min: -bound, max: bound, title: `filter ${f + 1}` })
      : // With several input channels, show the first; a grey input has just one.
        imageCanvas(channel(pixels, inC, 0), kh, kw, 1, {
          scale,
          diverging: true,
          min: -bound,
          max: bound,
          title: `filter ${f + 1}`,
        });
    root.append(tile);
  }
  root.dataset.filters = String(outC);
  describe(root, filterGridSummary({ layer: conv.name, index: layer, count: outC, kh, kw, rgb: inC === 3, bound }));
  const caption = el(
    "div",
    { class: "meddl-caption" },
    `${conv.name}: ${outC} filters of ${kh}×${kw}${inC === 3 ? " (RGB)" : inC > 1 ? ` (input channel 1 of ${inC})` : ""}`,
  );
  const legend =
    inC === 3
      ? null
      : el(
          "div",
          { class: "meddl-legend" },
          `−${bound.toFixed(2)}`,
          el("span", { class: "swatch" }),
          `+${bound.toFixed(2)}`,
          " weight (blue negative, red positive)",
        );
  return el("div", { class: "meddl-filter-panel" }, caption, root, legend);
}

/** "Grid of 8 first-layer filters (conv2d_1), each 3×3, weights from −0.412 to +0.412". */
export function filterGridSummary(f: {
  layer: string;
  index: number;
  count: number;
  kh: number;
  kw: number;
  rgb: boolean;
  bound: number;
}): string {
  const which = f.index === 0 ? "first-layer" : `layer ${f.index + 1}`;
  return (
    `Grid of ${f.count} ${which} filters (${f.layer}), each ${f.kh}×${f.kw}${f.rgb ? " in colour" : ""}, ` +
    `weights from −${num(f.bound)} to +${num(f.bound)}`
  );
}
