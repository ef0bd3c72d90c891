/**
 * What each conv layer "sees" for one image: one small map per filter. Early maps follow
 * edges and blobs; deeper, coarser maps light up where class evidence is.
 */
import * as tf from "@tensorflow/tfjs";
import { convLayers } from "../models/layers";
import { imageCanvas } from "./raster";
import { el } from "../core/dom";
import { describe } from "./describe";
import { tidyReadAll } from "../core/tensors";
import { runAtOnce, runInSlices, type Slices } from "../core/slices";

const probes = new WeakMap<tf.LayersModel, Map<string, tf.LayersModel>>();

/** A model returning the given layers' outputs, built once per model and layer list. */
function probeFor(model: tf.LayersModel, layers: tf.layers.Layer[]): tf.LayersModel {
  const key = layers.map((l) => l.name).join(",");
  let byKey = probes.get(model);
  if (!byKey) probes.set(model, (byKey = new Map()));
  let probe = byKey.get(key);
  if (!probe) {
    // Shares the original layers and weights: no copy, nothing to dispose.
    probe = tf.model({ inputs: model.inputs, outputs: layers.map((l) => l.output as tf.SymbolicTensor) });
    byKey.set(key, probe);
  }
  return probe;
}

export interface LayerActivations {
  name: string;
  /** [H, W, C] */
  shape: [number, number, number];
  values: Float32Array;
}

/** Runs one image [H, W, C] through the model and returns the maps of the given layers (default: every conv layer). */
export function computeActivations(
  model: tf.LayersModel,
  image: Float32Array,
  imageShape: [number, number, number],
  layers = convLayers(model),
): LayerActivations[] {
  if (layers.length === 0) return [];
  // Read after the tidy, not inside it (see core/tensors.ts): a U-Net's maps are large.
  const outputs = tidyReadAll(() => {
    const result = probeFor(model, layers).predict(tf.tensor4d(image, [1, ...imageShape]));
    return Array.isArray(result) ? result : [result];
  });
  return layers.map((layer, i) => {
    const [, h, w, c] = layer.outputShape as number[];
    return { name: layer.name, shape: [h, w, c], values: outputs[i] };
  });
}

export interface ActivationOptions {
  /** The input image, and its [height, width, channels]. */
  image: Float32Array;
  imageShape: [number, number, number];
  /** Maps shown per layer. */
  maxMaps?: number;
  /** Screen size of each map, in pixels. */
  size?: number;
  /** Which layers to show (default: every conv layer). */
  layers?: tf.layers.Layer[];
}

/** One row per conv layer: the input's maps, brighter where the filter responds more. */
export function activationMaps(model: tf.LayersModel, options: ActivationOptions): HTMLElement {
  return runAtOnce(activationMapSlices(model, options));
}

/** The same maps, drawn a row at a time while the page goes on (for a live chart during training). */
export function activationMapsInSlices(model: tf.LayersModel, options: ActivationOptions): Promise<HTMLElement> {
  return runInSlices(activationMapSlices(model, options));
}

function* activationMapSlices(
  model: tf.LayersModel,
  { image, imageShape, maxMaps = 16, size = 64, layers }: ActivationOptions,
): Slices<HTMLElement> {
  const root = document.createElement("div");
  root.className = "meddl-activations";
  const [ih, iw, ic] = imageShape;
  root.append(
    el(
      "div",
      { class: "meddl-activation-row" },
      el("div", { class: "meddl-caption" }, `input: ${ih}×${iw}${ic === 3 ? " RGB" : ""}`),
      imageCanvas(image, ih, iw, ic === 3 ? 3 : 1, { scale: size / iw, min: 0, max: 1 }),
    ),
  );
  const summaries: string[] = [];
  const computed = computeActivations(model, image, imageShape, layers ?? convLayers(model));
  for (const layer of computed) {
    yield; // a pause may come between rows
    const [h, w, c] = layer.shape;
    summaries.push(activationLayerSummary(layer));
    const row = document.createElement("div");
    row.className = "meddl-activation-row";
    const label = document.createElement("div");
    label.className = "meddl-caption";
    label.textContent = `${layer.name}: ${c} maps of ${h}×${w}${c > maxMaps ? ` (first ${maxMaps} shown)` : ""}`;
    const grid = document.createElement("div");
    grid.className = "meddl-grid";
    for (let k = 0; k < Math.min(c, maxMaps); k++) {
      const map = new Float32Array(h * w);
      for (let i = 0; i < h * w; i++) map[i] = layer.values[i * c + k];
      // After ReLU the maps are ≥ 0; a fixed 0 floor keeps dead filters visibly black.
      grid.append(imageCanvas(map, h, w, 1, { scale: size / w, min: 0, title: `${layer.name}, map ${k + 1}` }));
      yield;
    }
    row.append(label, grid);
    root.append(row);
  }
  return describe(root, `Activation maps of one ${ih}×${iw} input image: ${summaries.join("; ") || "no conv layer"}`);
}

/** "conv2d_1: 8 maps of 28×28, 2 silent (all zero), strongest 1.84": what a layer did with the image. */
export function activationLayerSummary({ name, shape: [h, w, c], values }: LayerActivations): string {
  let silent = 0,
    peak = 0;
  for (let k = 0; k < c; k++) {
    let max = 0;
    for (let i = k; i < values.length; i += c) max = Math.max(max, Math.abs(values[i]));
    if (max === 0) silent++;
    peak = Math.max(peak, max);
  }
  return `${name}: ${c} maps of ${h}×${w}, ${silent} silent (all zero), strongest ${peak.toFixed(2)}`;
}
