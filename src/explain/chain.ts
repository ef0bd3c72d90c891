/**
 * The explanation methods need to run a model in pieces: up to a conv layer (Grad-CAM), or to
 * the class *score* before the softmax (saliency). The kit's classifiers (buildCnn and friends)
 * are chains, one layer after another, so a piece is just a run of consecutive layers.
 */
import * as tf from "@tensorflow/tfjs";

/** The model's layers after the input, checked to form a single chain (each layer feeds the next). */
export function chainLayers(model: tf.LayersModel): tf.layers.Layer[] {
  const layers = model.layers.filter((l) => l.getClassName() !== "InputLayer");
  for (let i = 1; i < layers.length; i++) {
    const inbound = layers[i].inboundNodes[0]?.inboundLayers ?? [];
    if (inbound.length !== 1 || inbound[0] !== layers[i - 1]) {
      throw new Error(
        `the explanations need a model whose layers form one chain; “${layers[i].name}” does not follow “${layers[i - 1].name}”`,
      );
    }
  }
  return layers;
}

/** The model's conv layers, in order (found by class, so no layer names are hard-coded). */
export function convLayersOf(model: tf.LayersModel): tf.layers.Layer[] {
  return model.layers.filter((l) => /^Conv2D/.test(l.getClassName()));
}

/** Index (in chainLayers) of a layer by name. */
export function layerIndex(model: tf.LayersModel, name: string): number {
  const i = chainLayers(model).findIndex((l) => l.name === name);
  if (i < 0) throw new Error(`the model has no layer “${name}”`);
  return i;
}

/**
 * The last layer's pre-activation output: the class scores ("logits") before softmax or sigmoid.
 * Explanations differentiate scores, not probabilities, because a confident softmax is flat
 * (its gradient vanishes) even where the evidence is strong (Simonyan et al., 2014; Selvaraju et al., 2017).
 */
function scoresOf(layer: tf.layers.Layer, x: tf.Tensor): tf.Tensor {
  if (layer.getClassName() === "Dense") {
    const [kernel, bias] = layer.getWeights();
    const z = tf.matMul(x as tf.Tensor2D, kernel as tf.Tensor2D);
    return bias ? tf.add(z, bias) : z;
  }
  return layer.apply(x, { training: false }) as tf.Tensor; // no known activation to strip: use the output as is
}

export interface ChainRunOptions {
  /** Keep dropout on (Monte Carlo dropout); default off, as at test time. */
  training?: boolean;
  /** Return the last layer's scores before its softmax/sigmoid. */
  logits?: boolean;
}

/** Runs layers [from, to) of the chain on x. `to` defaults to the end. */
export function runChain(
  model: tf.LayersModel,
  x: tf.Tensor,
  from = 0,
  to?: number,
  { training = false, logits = false }: ChainRunOptions = {},
): tf.Tensor {
  const layers = chainLayers(model);
  const end = to ?? layers.length;
  let y = x;
  for (let i = from; i < end; i++) {
    y = logits && i === layers.length - 1 ? scoresOf(layers[i], y) : (layers[i].apply(y, { training }) as tf.Tensor);
  }
  return y;
}

/** The class to explain: the given one, or the model's top prediction for this image. */
export function topClass(model: tf.LayersModel, x: tf.Tensor4D): number {
  return tf.tidy(() => tf.argMax(runChain(model, x), -1).dataSync()[0]);
}
