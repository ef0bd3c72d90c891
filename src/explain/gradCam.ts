/**
 * Grad-CAM (Selvaraju et al., 2017): where, in a conv layer's maps, is the evidence for class c?
 *
 *   1. run the image up to the chosen conv layer: maps A_k (one per filter);
 *   2. gradient of class c's score with respect to each map;
 *   3. weight of map k = its gradient averaged over positions (how much the class wants that filter);
 *   4. CAM = ReLU(Σ_k weight_k · A_k): coarse (the layer's resolution), then resized to the image.
 *
 * Deeper layers give coarser but more class-specific maps. A pure function: plain arrays out,
 * no tensors left behind.
 */
import * as tf from "@tensorflow/tfjs";
import { chainLayers, convLayersOf, layerIndex, runChain, topClass } from "./chain";
import type { ExplainedMap } from "./saliency";

export interface GradCamOptions {
  /** Name of the conv layer to explain at; default: the last conv layer. */
  layer?: string;
  classIndex?: number;
  /**
   * "channel": Grad-CAM, one weight per map (its gradient averaged over positions).
   * "position": HiResCAM (Draelos & Carin, 2020), gradient × map at every position, then summed
   * over maps. With a flatten → dense head, as in the kit's CNN, the dense weights differ from
   * position to position, and averaging them (Grad-CAM) can cancel the evidence that sits in one
   * corner; HiResCAM keeps it.
   */
  weighting?: "channel" | "position";
}

export interface GradCamMap extends ExplainedMap {
  layer: string;
  /** The CAM at the layer's own resolution, before resizing. */
  coarse: Float32Array;
  coarseHeight: number;
  coarseWidth: number;
}

export function gradCam(
  model: tf.LayersModel,
  image: ArrayLike<number>,
  shape: [number, number, number],
  { layer, classIndex, weighting = "channel" }: GradCamOptions = {},
): GradCamMap {
  const convs = convLayersOf(model);
  if (convs.length === 0) throw new Error("Grad-CAM needs a model with a conv layer");
  const name = layer ?? convs[convs.length - 1].name;
  const cut = layerIndex(model, name) + 1; // layers [0, cut) make the maps, the rest the score
  const total = chainLayers(model).length;
  return tf.tidy(() => {
    const x = tf.tensor4d(Float32Array.from(image), [1, ...shape]);
    const c = classIndex ?? topClass(model, x);
    const maps = runChain(model, x, 0, cut) as tf.Tensor4D; // [1, h, w, K]
    const score = (a: tf.Tensor) => tf.sum(tf.slice(runChain(model, a, cut, total, { logits: true }), [0, c], [-1, 1]));
    const gradients = tf.grad(score)(maps) as tf.Tensor4D;
    const weights = weighting === "channel" ? tf.mean(gradients, [1, 2], true) : gradients; // [1, 1, 1, K] or [1, h, w, K]
    const cam = tf.relu(tf.sum(tf.mul(maps, weights), -1, true)) as tf.Tensor4D; // [1, h, w, 1]
    const [, h, w] = cam.shape;
    const resized = tf.image.resizeBilinear(cam, [shape[0], shape[1]]);
    return {
      map: resized.dataSync() as Float32Array,
      height: shape[0],
      width: shape[1],
      classIndex: c,
      layer: name,
      coarse: cam.dataSync() as Float32Array,
      coarseHeight: h,
      coarseWidth: w,
    };
  });
}
