/**
 * The U-Net lesson's checkerboard experiment.
 *
 * A small experiment: two fresh U-Nets, one upsampling by transposed convolution and one by
 * resize-then-convolve, trained for a few steps on the same data. The transposed one prints a
 * 2-pixel grid into its raw probability map (its 3×3 kernel at stride 2 overlaps unevenly);
 * thresholding hides most of it.
 */
import * as tf from "@tensorflow/tfjs";
import type { SegmentationData } from "../data/nuclei";
import { buildUNet } from "../models/unet";
import { segmentationTask } from "../train/segmentation";
import { imagesTensor } from "../train/task";
import { Trainer } from "../train/trainer";
import { imageCanvas } from "../viz/raster";
import { checkerboardStrength } from "../viz/segmentation";
import { el, replace } from "../core/dom";

export interface CheckerboardOptions {
  depth?: number;
  baseFilters?: number;
  steps?: number;
  foregroundPrior?: number;
  /** Validation image shown. */
  index?: number;
  batchSize?: number;
}

export function checkerboardExperiment(data: SegmentationData, { depth = 3, baseFilters = 8, steps = 20, foregroundPrior, index = 0, batchSize = 8 }: CheckerboardOptions = {}): HTMLElement {
  const button = el("button", { type: "button", class: "meddl-button" }, `Train both for ${steps} steps and compare`);
  const status = el("div", { class: "meddl-status", role: "status" });
  const result = el("div", { class: "meddl-checkerboard" });
  const [h, w] = data.imageShape;

  const runOne = async (upsample: "transpose" | "resize") => {
    const model = buildUNet({ inputShape: data.imageShape, depth, baseFilters, upsample, foregroundPrior, seed: 3 });
    const trainer = new Trainer(model, segmentationTask(data), { batchSize, epochs: 1000, learningRate: 0.003 });
    try {
      for (let s = 1; s <= steps; s++) {
        await trainer.step();
        status.textContent = `${upsample === "transpose" ? "transposed convolution" : "resize + convolution"}: step ${s} of ${steps}`;
      }
      const probs = tf.tidy(() => (model.predict(imagesTensor(data.val, data.imageShape, [index])) as tf.Tensor).dataSync() as Float32Array);
      return { probs, strength: checkerboardStrength(probs, h, w) };
    } finally {
      await trainer.dispose();
    }
  };

  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      const runs = { transpose: await runOne("transpose"), resize: await runOne("resize") };
      status.textContent = "";
      const column = (title: string, r: { probs: Float32Array; strength: number }) => el("figure", { class: "meddl-prediction", "data-strength": r.strength.toFixed(3) },
        imageCanvas(r.probs, h, w, 1, { scale: 3, title: "raw probability (contrast stretched)" }),
        imageCanvas(r.probs.map((p) => (p >= 0.5 ? 1 : 0)), h, w, 1, { scale: 3, min: 0, max: 1, title: "thresholded at 0.5" }),
        el("figcaption", {}, `${title}\ncheckerboard strength ${r.strength.toFixed(2)}`));
      replace(result,
        column("transposed convolution", runs.transpose),
        column("resize + convolution", runs.resize),
        el("p", { class: "meddl-help" }, `Top: the raw probability map after ${steps} steps, its contrast stretched so faint patterns show. Bottom: the same map thresholded at 0.5. Checkerboard strength measures the 2-pixel grid (0: none, 1: a pure checkerboard).`));
    } catch (error) {
      status.textContent = `The experiment failed: ${(error as Error).message}`;
    } finally {
      button.disabled = false;
    }
  });
  return el("div", {}, button, status, result);
}
