/**
 * The sanity check of Adebayo et al. (2018), "Sanity checks for saliency maps": randomise the
 * network's weights layer by layer, from the top (the output) down, and redraw the explanation
 * each time. A method that explains the *model* must change as the model is destroyed; a map
 * that barely changes was showing the image's edges, not the network's reasons.
 */
import * as tf from "@tensorflow/tfjs";
import { mulberry32 } from "../data/random";
import { runAtOnce, type Slices } from "../core/slices";

/** Layers with weights, from the output down: the order the cascade randomises them in. */
export function layersFromTop(model: tf.LayersModel): tf.layers.Layer[] {
  return model.layers.filter((l) => l.getWeights().length > 0).reverse();
}

/** A fresh Glorot-uniform draw (the kit's default initialiser) for a kernel; zeros for a bias. */
function reinitialised(weight: tf.Tensor, rand: () => number): tf.Tensor {
  if (weight.rank === 1) return tf.zerosLike(weight);
  const receptive = weight.shape.slice(0, -2).reduce((a, b) => a * b, 1);
  const [fanIn, fanOut] = [receptive * weight.shape.at(-2)!, receptive * weight.shape.at(-1)!];
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  const values = Float32Array.from({ length: weight.size }, () => (2 * rand() - 1) * limit);
  return tf.tensor(values, weight.shape);
}

/**
 * Runs `fn` while the top `count` weighted layers hold random weights (seeded), then puts the
 * trained weights back. `fn` must be synchronous: nothing else may see the randomised model.
 */
export function withRandomizedTop<T>(model: tf.LayersModel, count: number, seed: number, fn: () => T): T {
  const layers = layersFromTop(model).slice(0, count);
  const saved = layers.map((l) => l.getWeights().map((w) => w.clone()));
  const rand = mulberry32(seed);
  try {
    for (const layer of layers) {
      const fresh = layer.getWeights().map((w) => reinitialised(w, rand));
      layer.setWeights(fresh);
      tf.dispose(fresh); // the variables keep their own reference
    }
    return fn();
  } finally {
    layers.forEach((layer, i) => layer.setWeights(saved[i]));
    tf.dispose(saved.flat());
  }
}

/** Ranks (1…n, ties averaged) of the values. */
function ranks(values: ArrayLike<number>): Float64Array {
  const order = Array.from({ length: values.length }, (_, i) => i).sort((a, b) => values[a] - values[b]);
  const out = new Float64Array(values.length);
  for (let start = 0; start < order.length;) {
    let end = start;
    while (end + 1 < order.length && values[order[end + 1]] === values[order[start]]) end++;
    for (let r = start; r <= end; r++) out[order[r]] = (start + end) / 2 + 1;
    start = end + 1;
  }
  return out;
}

/**
 * Spearman rank correlation of two maps: 1 = same ordering of pixels, 0 = unrelated. Adebayo et
 * al. compare maps this way (scale-free, so a randomised net's larger gradients do not matter).
 */
export function rankCorrelation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length || a.length < 2) throw new RangeError("maps must have the same size, at least 2 pixels");
  const ra = ranks(a),
    rb = ranks(b);
  const mean = (a.length + 1) / 2;
  let sab = 0,
    saa = 0,
    sbb = 0;
  for (let i = 0; i < a.length; i++) {
    const da = ra[i] - mean,
      db = rb[i] - mean;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return saa && sbb ? sab / Math.sqrt(saa * sbb) : 0;
}

export interface CascadeStep<M> {
  /** Layers randomised so far (top first); empty for the trained network. */
  randomized: string[];
  /** The explanation at this step. */
  result: M;
}

/** The explanation for the trained network, then with 1, 2, … layers randomised from the top. */
export function cascadingRandomization<M>(
  model: tf.LayersModel,
  explain: () => M,
  { seed = 1 } = {},
): CascadeStep<M>[] {
  return runAtOnce(cascadeSlices(model, explain, { seed }));
}

/**
 * The same cascade as work in slices (see core/slices.ts): a pause may come between steps,
 * never inside one, so the model always has its own weights back when others can use it.
 */
export function* cascadeSlices<M>(
  model: tf.LayersModel,
  explain: () => M,
  { seed = 1 } = {},
): Slices<CascadeStep<M>[]> {
  const names = layersFromTop(model).map((l) => l.name);
  const steps: CascadeStep<M>[] = [];
  for (const count of [0, ...names.map((_, i) => i + 1)]) {
    steps.push({
      randomized: names.slice(0, count),
      result: count === 0 ? explain() : withRandomizedTop(model, count, seed, explain),
    });
    yield;
  }
  return steps;
}
