// The U-Net lesson's measured claims.
//   unet-nuclei:  the page defaults on the built-in synthetic nuclei, with and without skips, over
//                 seeds: when the U-Net passes both threshold baselines, its Dice, the gap to the
//                 network without skips; the same at depth 4; and what resize-then-convolve costs
//                 per step against the transposed convolution.
//   unet-bbbc039: the threshold baselines on the real BBBC039 tiles the page makes (when the file
//                 is present), and both networks at the page defaults there.
import { bbbc039ForTraining, bbbc039FromFile } from "../../src/data/bbbc039";
import { makeNucleiDataset, type SegmentationData } from "../../src/data/nuclei";
import { classicalBaselines } from "../../src/metrics/segmentation";
import { buildUNet } from "../../src/models/unet";
import { segmentationTask } from "../../src/train/segmentation";
import { Trainer } from "../../src/train/trainer";
import * as tf from "@tensorflow/tfjs";
import { imagesTensor } from "../../src/train/task";
import { checkerboardStrength } from "../../src/viz/segmentation";
import { findDataFile, readBytes, trainToEnd } from "./common";

/** The page's defaults (lessons/unet.md). */
export const UNET_PAGE_DEFAULTS = {
  size: 64,
  depth: 3,
  baseFilters: 8,
  upsample: "transpose" as "transpose" | "resize",
  loss: "both" as const,
  batchSize: 8,
  epochs: 8,
  learningRate: 0.003,
};
type UnetSettings = typeof UNET_PAGE_DEFAULTS;

function prior(data: SegmentationData): number {
  return data.train.masks.reduce((a, b) => a + b, 0) / data.train.masks.length;
}

/** The page's trainer for one of the two networks. */
function pageRun(data: SegmentationData, s: UnetSettings, skips: boolean, seed: number) {
  const model = buildUNet({
    inputShape: data.imageShape,
    depth: s.depth,
    baseFilters: s.baseFilters,
    upsample: s.upsample,
    skips,
    foregroundPrior: prior(data),
    seed,
  });
  return new Trainer(model, segmentationTask(data, { loss: s.loss }), {
    batchSize: s.batchSize,
    epochs: s.epochs,
    learningRate: s.learningRate,
    seed,
  });
}

/** Both networks at settings s, one seed: validation Dice, IoU and boundary Dice after every epoch. */
async function skipsExperiment(data: SegmentationData, s: UnetSettings, seed: number) {
  const out: Record<string, unknown> = {};
  for (const skips of [true, false]) {
    console.log(`  depth ${s.depth}, ${skips ? "with" : "without"} skips, seed ${seed}`);
    const t = await trainToEnd(pageRun(data, s, skips, seed), (l) => console.log(l));
    out[skips ? "withSkips" : "withoutSkips"] = {
      state: t.state,
      epochs: t.history.epochs.map((e) => ({ epoch: e.epoch, step: e.step, ...e.metrics })),
    };
    await t.dispose();
  }
  return { seed, ...out };
}

/** Mean ms per training step of one network, after a warm-up, over `steps` steps. */
async function msPerStep(data: SegmentationData, s: UnetSettings, steps: number): Promise<number> {
  const t = pageRun(data, { ...s, epochs: 50 }, true, 1);
  for (let i = 0; i < 3; i++) await t.step(); // kernels prepared
  const started = performance.now();
  for (let i = 0; i < steps; i++) await t.step();
  const ms = (performance.now() - started) / steps;
  await t.dispose();
  return ms;
}

export async function recordUnetNuclei(seeds: number[]) {
  const data = makeNucleiDataset({ size: UNET_PAGE_DEFAULTS.size, seed: 7 });
  const baselines = classicalBaselines(data.train, data.val, data.imageShape[0], data.imageShape[1]);
  const depth3 = [];
  for (const seed of seeds) depth3.push(await skipsExperiment(data, UNET_PAGE_DEFAULTS, seed));
  const depth4Settings = { ...UNET_PAGE_DEFAULTS, depth: 4 };
  const depth4 = [await skipsExperiment(data, depth4Settings, 1)];
  // Upsampling cost: the two kinds measured in turn, three rounds each, on this backend.
  const timing = { transpose: [] as number[], resize: [] as number[] };
  for (let round = 0; round < 3; round++) {
    timing.transpose.push(await msPerStep(data, UNET_PAGE_DEFAULTS, 15));
    timing.resize.push(await msPerStep(data, { ...UNET_PAGE_DEFAULTS, upsample: "resize" }, 15));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const resizeCost = {
    msPerStep: { transpose: median(timing.transpose), resize: median(timing.resize) },
    ratio: median(timing.resize) / median(timing.transpose),
    rounds: timing,
  };
  console.log(
    `  ms per step: transpose ${resizeCost.msPerStep.transpose.toFixed(0)}, resize ${resizeCost.msPerStep.resize.toFixed(0)} (×${resizeCost.ratio.toFixed(2)})`,
  );
  return {
    dataset: { id: data.id, seed: 7, size: UNET_PAGE_DEFAULTS.size, train: data.train.count, val: data.val.count },
    settings: UNET_PAGE_DEFAULTS,
    seeds,
    baselines: { globalThreshold: baselines.globalThreshold, otsu: baselines.otsu },
    depth3,
    depth4Settings,
    depth4,
    resizeCost,
  };
}

export async function recordUnetBbbc039() {
  const file = findDataFile("bbbc039", "bbbc039_half_260x348.npz") ?? findDataFile("bbbc039", "bbbc039.npz");
  if (!file) {
    console.log("  BBBC039 not found: skipped");
    return { skipped: "file not found" };
  }
  const data = bbbc039ForTraining(bbbc039FromFile(readBytes(file), "bbbc039.npz"), { size: UNET_PAGE_DEFAULTS.size });
  const baselines = classicalBaselines(data.train, data.val, data.imageShape[0], data.imageShape[1]);
  console.log(`  threshold Dice ${baselines.globalThreshold.dice.toFixed(3)}, Otsu ${baselines.otsu.dice.toFixed(3)}`);
  const depth3 = [await skipsExperiment(data, UNET_PAGE_DEFAULTS, 1)];
  return {
    dataset: { id: "bbbc039", size: UNET_PAGE_DEFAULTS.size, train: data.train.count, val: data.val.count },
    settings: UNET_PAGE_DEFAULTS,
    baselines: { globalThreshold: baselines.globalThreshold, otsu: baselines.otsu },
    depth3,
  };
}

/**
 * unet-checkerboard: the page's checkerboard experiment (section 7), seeded and over seeds: two fresh
 * U-Nets, transposed convolution vs. resize + convolution, trained for the page's 10 steps on the
 * built-in nuclei; the checkerboard strength of each one's raw probability map on the first
 * validation images (0: no 2-pixel grid, 1: a pure checkerboard). Backs the U-Net lesson's exercise.
 */
export async function recordUnetCheckerboard(seeds: number[], { steps = 10, images = 10 } = {}) {
  const data = makeNucleiDataset({ size: UNET_PAGE_DEFAULTS.size, seed: 7 });
  const [h, w] = data.imageShape;
  const indices = Array.from({ length: images }, (_, i) => i);
  const runs = [];
  for (const seed of seeds) {
    const row: Record<string, unknown> = { seed };
    for (const upsample of ["transpose", "resize"] as const) {
      const t = pageRun(data, { ...UNET_PAGE_DEFAULTS, upsample, epochs: 1000 }, true, seed);
      for (let s = 0; s < steps; s++) await t.step();
      const probs = tf.tidy(
        () =>
          (t.model.predict(imagesTensor(data.val, data.imageShape, indices)) as tf.Tensor).dataSync() as Float32Array,
      );
      const strengths = indices.map((i) => checkerboardStrength(probs.subarray(i * h * w, (i + 1) * h * w), h, w));
      row[upsample] = { first: strengths[0], mean: strengths.reduce((a, b) => a + b, 0) / strengths.length };
      console.log(
        `  seed ${seed}, ${upsample}: strength ${strengths[0].toFixed(3)} (mean of ${images}: ${(row[upsample] as { mean: number }).mean.toFixed(3)})`,
      );
      await t.dispose();
    }
    runs.push(row);
  }
  return {
    dataset: { id: data.id, seed: 7, size: UNET_PAGE_DEFAULTS.size, train: data.train.count, val: data.val.count },
    settings: { ...UNET_PAGE_DEFAULTS, steps, images },
    seeds,
    runs,
  };
}
