/**
 * Is the model looking at the planted tag? Paint the tag into validation images and measure what
 * share of each image's Grad-CAM (or saliency) falls on it. The tag covers a few percent of the
 * image; a model that learned the shortcut puts far more of its attention there.
 */
import type * as tf from "@tensorflow/tfjs";
import { massInRegion, paintTag, type TagRegion } from "../data/shortcut";
import type { Split } from "../data/types";
import { gradCam } from "./gradCam";
import { saliencyMap } from "./saliency";

export interface TagAttention {
  /** Mean share of the Grad-CAM map (last conv layer) on the tag. */
  gradCam: number;
  /** The same for HiResCAM (gradient × activation at each position, last conv layer). */
  hiResCam: number;
  /** Mean share of the saliency map on the tag. */
  saliency: number;
  /** Share of the image the tag covers: what attention spread evenly would give. */
  area: number;
  images: number;
}

/** The first `count` images of a split, each with the tag painted in, explained for the class the model predicts. */
export function tagAttention(
  model: tf.LayersModel,
  split: Split,
  shape: [number, number, number],
  region: TagRegion,
  count = 50,
): TagAttention {
  const n = Math.min(count, split.count);
  const size = shape[0] * shape[1] * shape[2];
  const images = split.images.slice(0, n * size);
  let cam = 0,
    hires = 0,
    sal = 0;
  for (let i = 0; i < n; i++) {
    paintTag(images, i, shape, region);
    const image = images.subarray(i * size, (i + 1) * size);
    cam += massInRegion(gradCam(model, image, shape).map, shape[1], region);
    hires += massInRegion(gradCam(model, image, shape, { weighting: "position" }).map, shape[1], region);
    sal += massInRegion(saliencyMap(model, image, shape).map, shape[1], region);
  }
  return {
    gradCam: cam / n,
    hiResCam: hires / n,
    saliency: sal / n,
    area: (region.size * region.size) / (shape[0] * shape[1]),
    images: n,
  };
}
