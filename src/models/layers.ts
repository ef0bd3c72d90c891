/** Questions any chart or strategy asks of a model, answered without hard-coding layer names. */
import type * as tf from "@tensorflow/tfjs";

/** Conv layers of any model, in order (Conv2D and Conv2DTranspose). */
export function convLayers(model: tf.LayersModel): tf.layers.Layer[] {
  return model.layers.filter((l) => /^Conv2D/.test(l.getClassName()));
}

/** Plain Conv2D layers only (no transposed convolutions), in order. */
export function conv2dLayers(model: tf.LayersModel): tf.layers.Layer[] {
  return model.layers.filter((l) => l.getClassName() === "Conv2D");
}
