/**
 * Page assembly for the black-box lesson (lessons/explain.md): the panels of explanations for
 * one image, the sanity check beside them, the uncertainty and calibration charts, and the
 * seeded measurement that the record script and the page share.
 */
import * as tf from "@tensorflow/tfjs";
import type { TagRegion } from "../data/shortcut";
import { imageAt, type ClassificationDataset, type Split } from "../data/types";
import { gradCam } from "../explain/gradCam";
import { mcDropout, type McDropoutResult } from "../explain/mcDropout";
import { occlusionMap } from "../explain/occlusion";
import { saliencyMap, smoothGrad } from "../explain/saliency";
import { cascadeSlices, rankCorrelation } from "../explain/sanity";
import { runAtOnce, runInSlices, type Slices } from "../core/slices";
import { tagAttention, type TagAttention } from "../explain/shortcutProbe";
import { accuracy, argmaxRows } from "../metrics/classification";
import { applyTemperature, confidences, expectedCalibrationError, fitTemperature, reliabilityBins, type ReliabilityBin } from "../metrics/calibration";
import { referralCurve, type ReferralPoint } from "../metrics/referral";
import { buildCnn } from "../models/cnn";
import { Trainer } from "../train/trainer";
import { yieldToBrowser } from "../train/yield";
import { el, replace } from "../core/dom";
import { heatmapCanvas, heatmapLegend, referralChart, reliabilityDiagram } from "../viz/explain";
import { predictionGrid } from "../viz/predictions";
import { imageCanvas } from "../viz/raster";
import { fitWidth } from "../ui/watchWidth";

/** The page's default settings; the record script trains with exactly these. */
export const EXPLAIN_DEFAULTS = {
  dataSeed: 42, filters: 8, kernelSize: 3, depth: 3, dropout: 0.25,
  batchSize: 32, learningRate: 0.005, epochs: 6,
  mcPasses: 20, referAt: 0.2, probeImages: 50,
} as const;

// ── measuring (record script and page share it) ───────────────────────────────────────────

/** Accuracy of the model on a whole split (not the noisy per-batch training score). */
export async function splitAccuracy(trainer: Trainer, split: Split, classes: number): Promise<number> {
  return accuracy(split.labels, argmaxRows(await trainer.predictSplit(split), classes));
}

export interface CalibrationReport {
  temperature: number;
  eceBefore: number;
  eceAfter: number;
  before: ReliabilityBin[];
  after: ReliabilityBin[];
}

/** Reliability and ECE before and after temperature scaling fitted on these same (validation) predictions. */
export function calibrationReport(probs: Float32Array, labels: ArrayLike<number>, k: number, bins = 10): CalibrationReport {
  const temperature = fitTemperature(probs, labels, k);
  const scaled = applyTemperature(probs, k, temperature);
  return {
    temperature,
    eceBefore: expectedCalibrationError(probs, labels, k, bins),
    eceAfter: expectedCalibrationError(scaled, labels, k, bins),
    before: reliabilityBins(probs, labels, k, bins),
    after: reliabilityBins(scaled, labels, k, bins),
  };
}

export interface ReferralReport {
  mc: ReferralPoint[];
  softmax: ReferralPoint[];
}

/** Referral curves ranked by MC-dropout entropy and by plain softmax confidence (each judged on its own predictions). */
export function referralReport(mc: McDropoutResult, softmaxProbs: Float32Array, labels: ArrayLike<number>, k: number): ReferralReport {
  const unsure = confidences(softmaxProbs, k).map((c) => 1 - c);
  return { mc: referralCurve(mc.mean, labels, k, mc.entropy), softmax: referralCurve(softmaxProbs, labels, k, unsure) };
}

/** Accuracy on the kept images when a given fraction is referred (the nearest point of the curve). */
export function keptAccuracyAt(curve: ReferralPoint[], referred: number): number {
  return curve.reduce((best, p) => (Math.abs(p.referred - referred) < Math.abs(best.referred - referred) ? p : best)).accuracy;
}

export interface RunMeasurement {
  trainAccuracy: number;
  valAccuracy: number;
  gap: number;
  tag: TagAttention;
  calibration?: { eceBefore: number; eceAfter: number; temperature: number; referAt: number; keptAccuracyMc: number; keptAccuracySoftmax: number };
}

/** Trains the page's default CNN on `data` (seeded) and measures what the lesson quotes. */
export async function measureRun(data: ClassificationDataset, region: TagRegion, { seed = 1, epochs = EXPLAIN_DEFAULTS.epochs as number, calibration = false } = {}): Promise<RunMeasurement> {
  const d = EXPLAIN_DEFAULTS;
  const k = data.classNames.length;
  const model = buildCnn({ inputShape: data.imageShape, outputs: k, filters: d.filters, kernelSize: d.kernelSize, depth: d.depth, dropout: d.dropout, seed });
  const trainer = new Trainer(model, data, { batchSize: d.batchSize, epochs, learningRate: d.learningRate, seed });
  await trainer.start();
  const trainAccuracy = await splitAccuracy(trainer, data.train, k);
  const valProbs = await trainer.predictSplit(data.val);
  const valAccuracy = accuracy(data.val.labels, argmaxRows(valProbs, k));
  const tag = tagAttention(model, data.val, data.imageShape, region, d.probeImages);
  let calibrationResult: RunMeasurement["calibration"];
  if (calibration) {
    const c = calibrationReport(valProbs, data.val.labels, k);
    const mc = await mcDropout(model, data.val.images, data.val.count, data.imageShape, { passes: d.mcPasses, seed });
    const r = referralReport(mc, valProbs, data.val.labels, k);
    calibrationResult = {
      eceBefore: c.eceBefore, eceAfter: c.eceAfter, temperature: c.temperature, referAt: d.referAt,
      keptAccuracyMc: keptAccuracyAt(r.mc, d.referAt), keptAccuracySoftmax: keptAccuracyAt(r.softmax, d.referAt),
    };
  }
  await trainer.dispose();
  return { trainAccuracy, valAccuracy, gap: trainAccuracy - valAccuracy, tag, calibration: calibrationResult };
}

// ── page panels ────────────────────────────────────────────────────────────────────────────

export interface ExplainSettings {
  noise: number;
  samples: number;
  layer: string;
  patch: number;
}

/** "nodule (87%)": the class explained, and the model's probability for it. */
function predictionLabel(model: tf.LayersModel, dataset: ClassificationDataset, image: Float32Array, classIndex: number): string {
  const probs = tf.tidy(() => (model.predict(tf.tensor4d(image, [1, ...dataset.imageShape])) as tf.Tensor).dataSync());
  return `${dataset.classNames[classIndex]} (${(100 * probs[classIndex]).toFixed(0)}%)`;
}

function tile(label: string, canvas: HTMLCanvasElement, note?: string): HTMLElement {
  return el("figure", { class: "meddl-explain-map", "data-map": label }, canvas, el("figcaption", {}, label, note ? el("div", { class: "meddl-help" }, note) : null));
}

/** The image, then vanilla saliency, SmoothGrad, Grad-CAM, HiResCAM and occlusion for the class the model predicts. */
export function explanationPanel(model: tf.LayersModel, dataset: ClassificationDataset, index: number, settings: ExplainSettings, options: { scale?: number } = {}): HTMLElement {
  return runAtOnce(explanationSlices(model, dataset, index, settings, options));
}

/** The same panel, one map at a time while the page goes on (for a live chart during training). */
export function explanationPanelInSlices(model: tf.LayersModel, dataset: ClassificationDataset, index: number, settings: ExplainSettings, options: { scale?: number } = {}): Promise<HTMLElement> {
  return runInSlices(explanationSlices(model, dataset, index, settings, options));
}

function* explanationSlices(model: tf.LayersModel, dataset: ClassificationDataset, index: number, settings: ExplainSettings, { scale = Math.max(1, Math.floor(100 / dataset.imageShape[1])) } = {}): Slices<HTMLElement> {
  const shape = dataset.imageShape;
  const image = imageAt(dataset.val, shape, index);
  const vanilla = saliencyMap(model, image, shape);
  const c = vanilla.classIndex;
  yield;
  const smooth = smoothGrad(model, image, shape, { noise: settings.noise, samples: settings.samples, classIndex: c });
  yield;
  const cam = gradCam(model, image, shape, { layer: settings.layer, classIndex: c });
  yield;
  const hires = gradCam(model, image, shape, { layer: settings.layer, classIndex: c, weighting: "position" });
  yield;
  const occluded = occlusionMap(model, image, shape, { patch: settings.patch, classIndex: c });
  yield;
  const [h, w, ch] = shape;
  const truth = dataset.task === "multilabel" ? "" : ` · true class: ${dataset.classNames[dataset.val.labels[index]]}`;
  return el("div", { class: "meddl-explain", "data-index": index, "data-class": c },
    el("div", { class: "meddl-caption" }, `Validation image ${index}${truth} · explaining the prediction “${predictionLabel(model, dataset, image, c)}”`),
    el("div", { class: "meddl-grid" },
      tile("image", imageCanvas(image, h, w, ch === 3 ? 3 : 1, { scale, min: 0, max: 1 })),
      tile("saliency", heatmapCanvas(image, shape, vanilla.map, { scale }), "|∂ score / ∂ pixel|"),
      tile("SmoothGrad", heatmapCanvas(image, shape, smooth.map, { scale }), `${settings.samples} copies, noise ${settings.noise}`),
      tile("Grad-CAM", heatmapCanvas(image, shape, cam.map, { scale }),
        `at ${cam.layer} (${cam.coarseHeight}×${cam.coarseWidth})${cam.map.every((v) => v <= 0) ? ": empty, no positive evidence left after averaging" : ""}`),
      tile("HiResCAM", heatmapCanvas(image, shape, hires.map, { scale }), `gradient × map at ${hires.layer}`),
      tile("occlusion", heatmapCanvas(image, shape, occluded.map, { scale }), `${settings.patch}×${settings.patch} grey patch`),
    ),
    heatmapLegend("no effect", "strongest"),
  );
}

/** Adebayo et al.'s cascade: saliency and Grad-CAM for the trained net, then with layers randomised from the top. */
export function sanityPanel(model: tf.LayersModel, dataset: ClassificationDataset, index: number, settings: ExplainSettings, options: { scale?: number; seed?: number } = {}): HTMLElement {
  return runAtOnce(sanitySlices(model, dataset, index, settings, options));
}

/** The same cascade, a step at a time while the page goes on (for a live chart during training). */
export function sanityPanelInSlices(model: tf.LayersModel, dataset: ClassificationDataset, index: number, settings: ExplainSettings, options: { scale?: number; seed?: number } = {}): Promise<HTMLElement> {
  return runInSlices(sanitySlices(model, dataset, index, settings, options));
}

function* sanitySlices(model: tf.LayersModel, dataset: ClassificationDataset, index: number, settings: ExplainSettings, { scale = Math.max(1, Math.floor(80 / dataset.imageShape[1])), seed = 1 } = {}): Slices<HTMLElement> {
  const shape = dataset.imageShape;
  const image = imageAt(dataset.val, shape, index);
  const c = saliencyMap(model, image, shape).classIndex;
  yield;
  const steps = yield* cascadeSlices(model, () => ({
    saliency: saliencyMap(model, image, shape, { classIndex: c }).map,
    gradCam: gradCam(model, image, shape, { layer: settings.layer, classIndex: c }).map,
  }), { seed });
  const trained = steps[0].result;
  const column = (step: (typeof steps)[number]) => {
    const count = step.randomized.length;
    const title = count === 0 ? "trained" : `+ ${step.randomized[count - 1]} random`;
    const detail = count === 0 ? "the network as trained" : `random weights in ${step.randomized.join(", ")}`;
    const sal = rankCorrelation(trained.saliency, step.result.saliency);
    const cam = rankCorrelation(trained.gradCam, step.result.gradCam);
    return el("figure", { class: "meddl-sanity-step", "data-randomized": count, title: detail },
      heatmapCanvas(image, shape, step.result.saliency, { scale, title: `saliency, ${detail}` }),
      heatmapCanvas(image, shape, step.result.gradCam, { scale, title: `Grad-CAM, ${detail}` }),
      el("figcaption", {}, el("b", {}, title), el("div", { class: "meddl-help" }, `rank corr. with trained:`, el("br"), `saliency ${sal.toFixed(2)}`, el("br"), `Grad-CAM ${cam.toFixed(2)}`)));
  };
  return el("div", { class: "meddl-sanity" },
    el("div", { class: "meddl-caption" }, "In each column, top: saliency; bottom: Grad-CAM (at the layer chosen above). Left: the trained network; then, column by column, one more layer gets random weights, from the output down."),
    el("div", { class: "meddl-grid" }, ...steps.map(column)));
}

/** The validation tiles to click, with the selected one outlined. */
export function pickerGrid(dataset: ClassificationDataset, probs: Float32Array | null, selected: number, onSelect: (i: number) => void, { count = 32 } = {}): HTMLElement {
  const grid = predictionGrid(dataset.val, { imageShape: dataset.imageShape, classNames: dataset.classNames, probs, count, scale: dataset.imageShape[0] < 32 ? 3 : 2, onSelect });
  grid.querySelector(`figure[data-index="${selected}"]`)?.classList.add("selected");
  return grid;
}

export interface UncertaintyOptions {
  passes: number;
  /** Images shown as most and least certain. */
  show?: number;
}

/**
 * MC dropout over the whole validation set after each epoch (asynchronous, with a progress bar),
 * then: the most and least certain images, the referral curve, and the reliability diagram with
 * ECE before and after temperature scaling.
 */
export function uncertaintyPanel(trainer: Trainer, dataset: ClassificationDataset, { passes, show = 6 }: UncertaintyOptions, invalidation: Promise<unknown>): HTMLElement {
  const k = dataset.classNames.length;
  const progress = el("progress", { max: 1, value: 0 });
  const status = el("span", { class: "meddl-help" }, "Train the model (or press Step) to measure its uncertainty.");
  const certain = el("div", { class: "meddl-uncertain-most" });
  const referral = el("div", { class: "meddl-chart-referral" });
  const reliability = el("div", { class: "meddl-chart-reliability" });
  const root = el("div", { class: "meddl-uncertainty" }, el("div", { class: "meddl-progress" }, progress, status), certain,
    el("div", { class: "meddl-side-by-side" }, referral, reliability));
  if (dataset.task === "multilabel") {
    replace(root, el("p", { class: "meddl-help" }, "Uncertainty and calibration here assume one class per image; this dataset is multi-label, so this section is not shown for it."));
    return root;
  }
  let busy = false, again = false, stopped = false;
  const run = async () => {
    if (busy) return void (again = true);
    if (stopped || trainer.stepsTaken === 0) return;
    busy = true;
    try {
      status.textContent = `running ${passes} passes with dropout on…`;
      const softmax = await trainer.predictSplit(dataset.val);
      const mc = await mcDropout(trainer.model, dataset.val.images, dataset.val.count, dataset.imageShape, { passes, onProgress: (f) => (progress.value = f) });
      if (stopped) return;
      const labels = dataset.val.labels;
      drawCertainty(certain, dataset, mc, show);
      // Each part below in a task of its own: the page stays responsive while the model trains.
      await yieldToBrowser();
      if (stopped) return;
      const curves = referralReport(mc, softmax, labels, k);
      replace(referral, el("h4", {}, "Referral: keep the surest, refer the rest"), referralChart([
        { label: `MC dropout (entropy, T = ${passes})`, points: curves.mc },
        { label: "softmax confidence", points: curves.softmax },
      ], { width: fitWidth(referral, 420) }));
      await yieldToBrowser();
      if (stopped) return;
      const cal = calibrationReport(softmax, labels, k);
      await yieldToBrowser();
      if (stopped) return;
      replace(reliability, el("h4", {}, "Reliability diagram"), reliabilityDiagram([
        { label: `before: ECE ${cal.eceBefore.toFixed(3)}`, bins: cal.before },
        { label: `after T = ${cal.temperature.toFixed(2)}: ECE ${cal.eceAfter.toFixed(3)}`, bins: cal.after },
      ], { width: fitWidth(reliability, 340) }),
      // The fit stops at T = 20: a model that is right less often than a coin flip would be best
      // calibrated at T = ∞ (always 50/50). No temperature can repair a model that is wrong.
      cal.temperature > 19 ? el("p", { class: "meddl-help" }, "T reached the search limit (20): the model is right less often than chance, so the best any temperature can do is flatten it towards a coin flip.") : null);
      root.dataset.eceBefore = String(cal.eceBefore);
      root.dataset.eceAfter = String(cal.eceAfter);
      root.dataset.temperature = String(cal.temperature);
      root.dataset.epoch = String(trainer.history.epochs.at(-1)?.epoch ?? 0);
      status.textContent = `${dataset.val.count} validation images × ${passes} passes · after step ${trainer.stepsTaken}`;
    } catch (error) {
      status.textContent = "";
      replace(certain, el("div", { class: "meddl-message" }, `Could not measure uncertainty: ${(error as Error).message}`));
    } finally {
      busy = false;
      if (again && !stopped) {
        again = false;
        void run();
      }
    }
  };
  const stops = [trainer.on("epoch", () => void run()), trainer.on("state", ({ state }) => (state === "paused" || state === "stopped") && void run())];
  void invalidation.then(() => {
    stopped = true;
    stops.forEach((stop) => stop());
  });
  void run();
  return root;
}

/** The most and the least certain validation images (by MC-dropout entropy), with their mean predictions. */
function drawCertainty(root: HTMLElement, dataset: ClassificationDataset, mc: McDropoutResult, show: number): void {
  const order = Array.from(mc.entropy, (_, i) => i).sort((a, b) => mc.entropy[a] - mc.entropy[b]);
  const scale = dataset.imageShape[0] < 32 ? 3 : 2;
  const grid = (indices: number[]) => {
    const g = predictionGrid(dataset.val, { imageShape: dataset.imageShape, classNames: dataset.classNames, probs: mc.mean, indices, scale });
    g.querySelectorAll("figure").forEach((f, j) => {
      f.querySelector("figcaption")!.append(`\nentropy ${mc.entropy[indices[j]].toFixed(2)} · ±${mc.spread[indices[j]].toFixed(2)}`);
    });
    return g;
  };
  replace(root, el("div", { class: "meddl-side-by-side" },
    el("div", {}, el("h4", {}, "Most certain"), grid(order.slice(0, show))),
    el("div", {}, el("h4", {}, "Least certain"), grid(order.slice(-show).reverse()))));
}

// ── the "what to expect" box ───────────────────────────────────────────────────────────────

/** A summary of one measured quantity over seeds. */
interface Stat { mean: number; sd: number; min: number; max: number }

export interface ExplainRecord {
  settings: { seeds: number[]; epochs: number };
  tagArea: number;
  summary: Record<"clean" | "shortcut", { trainAccuracy: Stat; valAccuracy: Stat; gap: Stat; gradCamOnTag: Stat; hiResCamOnTag: Stat; saliencyOnTag: Stat }>;
  calibration: { eceBefore: Stat; eceAfter: Stat; temperature: Stat; referAt: number; accuracyKeptMcDropout: Stat; accuracyKeptSoftmax: Stat };
}

const pct = (x: number) => `${(100 * x).toFixed(0)}%`;
const pts = (s: Stat) => `${(100 * s.mean).toFixed(0)} ± ${(100 * s.sd).toFixed(0)} points`;

/** The expectation note, every number from the record (data/records/explain.json). */
export function explainExpectations(record: ExplainRecord | null, dataset: ClassificationDataset): HTMLElement {
  if (!record) return el("span", {}, "No measurements recorded yet: run npm run record:explain.");
  const { clean, shortcut } = record.summary;
  const c = record.calibration;
  const n = record.settings.seeds.length;
  return el("span", {},
    `Measured on the synthetic nodule patches with the default settings (${record.settings.epochs} epochs, ${n} seeds). ` +
    `Clean: training ${pct(clean.trainAccuracy.mean)}, validation ${pct(clean.valAccuracy.mean)}. ` +
    `With the shortcut planted: training ${pct(shortcut.trainAccuracy.mean)}, validation ${pct(shortcut.valAccuracy.mean)}, a gap of ${pts(shortcut.gap)} (clean: ${pts(clean.gap)}). ` +
    `With the tag painted into validation images, the shortcut model puts ${pct(shortcut.saliencyOnTag.mean)} of its saliency and ${pct(shortcut.hiResCamOnTag.mean)} of its HiResCAM on the tag (clean model: ${pct(clean.saliencyOnTag.mean)} and ${pct(clean.hiResCamOnTag.mean)}); ` +
    `Grad-CAM ${pct(shortcut.gradCamOnTag.mean)}, from ${pct(shortcut.gradCamOnTag.min)} to ${pct(shortcut.gradCamOnTag.max)} across seeds. The tag covers ${pct(record.tagArea)} of the image. ` +
    `Calibration of the clean model: ECE ${c.eceBefore.mean.toFixed(3)} before temperature scaling, ${c.eceAfter.mean.toFixed(3)} after (T ≈ ${c.temperature.mean.toFixed(2)}). ` +
    `Referring the ${pct(c.referAt)} least certain images lifts accuracy on the rest to ${pct(c.accuracyKeptMcDropout.mean)} (MC dropout) and ${pct(c.accuracyKeptSoftmax.mean)} (softmax confidence).` +
    (dataset.id.startsWith("nodules") ? "" : " These numbers are for the synthetic patches; with your dataset they will differ."));
}
