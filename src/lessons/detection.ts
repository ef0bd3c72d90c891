/**
 * The detection lesson's assembly: its defaults, the two runs side by side (random negatives only,
 * and with hard-negative mining, from the same seed), the record its "what to expect" box quotes,
 * and the panels of the page.
 */
import { bbbc039FromFile } from "../data/bbbc039";
import type { DetectionDataset } from "../data/chestSlices";
import { detectionFromSegmentation } from "../data/detectionObjects";
import { DataError, formatBytes } from "../data/npz";
import { CPM_FP_RATES, imageOutcomes, sensitivityAt, thresholdAt, type FrocPoint } from "../metrics/detection";
import { buildPatchClassifier, fullyConvolutionalHeatmap, slidingWindowHeatmap, syncFullyConvolutional } from "../models/fullyConvolutional";
import { cutPatch, DetectionComparison, DetectionTrainer, type DetectionTrainingOptions } from "../train/detection";
import { datasetCredit, datasetTitle, picker, type DatasetPickerOptions } from "../ui/datasetPicker";
import { el, replace } from "../core/dom";
import { checkbox, select, slider, type Input } from "../ui/inputs";
import { live } from "../ui/live";
import { detectionCurves, detectionOverlay, frocChart, patchGrid } from "../viz/detection";
import { imageCanvas } from "../viz/raster";

/** The page's defaults: what the record measures and the "what to expect" box quotes. */
export const DETECTION_LESSON_DEFAULTS = {
  filters: 8, kernelSize: 3, depth: 2, dropout: 0.25,
  negativeRatio: 3, positivesPerRound: 128, rounds: 10, batchSize: 32, learningRate: 0.003,
  minedPerRound: 96, minedFraction: 0.5, seed: 1,
};

export type DetectionLessonSettings = typeof DETECTION_LESSON_DEFAULTS;

/** FP rates read as "low": at most one false alarm per slice. */
export const LOW_FP_RATES = CPM_FP_RATES.filter((r) => r <= 1);

/** Mean sensitivity at 1/8, 1/4, 1/2 and 1 false positives per slice. */
export function lowFpSensitivity(froc: FrocPoint[]): number {
  return LOW_FP_RATES.reduce((s, r) => s + sensitivityAt(froc, r), 0) / LOW_FP_RATES.length;
}

/** One detector: the CNN lesson's network (unpadded) and its trainer. */
export function buildDetector(data: DetectionDataset, settings: DetectionLessonSettings, mining: boolean): DetectionTrainer {
  const { filters, kernelSize, depth, dropout, seed } = settings;
  const model = buildPatchClassifier({ inputShape: [data.patchSize, data.patchSize, 1], filters, kernelSize, depth, dropout, seed });
  const options: DetectionTrainingOptions = {
    negativeRatio: settings.negativeRatio, positivesPerRound: settings.positivesPerRound, rounds: settings.rounds,
    batchSize: settings.batchSize, learningRate: settings.learningRate, minedPerRound: settings.minedPerRound,
    minedFraction: settings.minedFraction, seed, mining,
  };
  try {
    return new DetectionTrainer(model, data, options);
  } catch (error) {
    model.dispose();
    throw error;
  }
}

export const RUN_NAMES = { plain: "random negatives", mining: "with hard-negative mining" } as const;

/**
 * The page's runs: random negatives only and, when `mining` is on, a second run with hard-negative
 * mining beside it, in lockstep from the same seed.
 */
export function buildDetectionComparison(data: DetectionDataset, settings: DetectionLessonSettings, { mining = true } = {}): DetectionComparison {
  const plain = buildDetector(data, settings, false);
  if (!mining) return new DetectionComparison([plain], [RUN_NAMES.plain]);
  try {
    return new DetectionComparison([plain, buildDetector(data, settings, true)], [RUN_NAMES.plain, RUN_NAMES.mining]);
  } catch (error) {
    void plain.dispose();
    throw error;
  }
}

export interface RunResult {
  cpm: number;
  lowFpSensitivity: number;
  /** Sensitivity at each of LUNA16's FP rates. */
  sensitivities: number[];
  pixelAccuracy: number;
  /** CPM after each round. */
  cpmByRound: number[];
  trainMs: number;
}

function resultOf(run: DetectionTrainer): RunResult {
  const v = run.validation!;
  return {
    cpm: v.cpm, lowFpSensitivity: lowFpSensitivity(v.froc), sensitivities: CPM_FP_RATES.map((r) => sensitivityAt(v.froc, r)),
    pixelAccuracy: v.pixelAccuracy, cpmByRound: run.history.epochs.map((e) => e.metrics.cpm), trainMs: run.trainingMs,
  };
}

/** Trains both runs to the end (for the record script and tests) and returns what each reached. */
export async function runDetectionComparison(data: DetectionDataset, settings: DetectionLessonSettings): Promise<{ seed: number; plain: RunResult; mining: RunResult }> {
  const pair = buildDetectionComparison(data, settings);
  try {
    await pair.start();
    if (pair.state !== "done") throw new Error(`training ended early: ${pair.message}`);
    return { seed: settings.seed, plain: resultOf(pair.runs[0]), mining: resultOf(pair.runs[1]) };
  } finally {
    await pair.dispose();
  }
}

export interface DetectionRecord {
  summary: {
    seeds: number;
    /** Seeds on which mining gave the higher low-FP sensitivity. */
    miningBetterSeeds: number;
    plainLowFp: number;
    miningLowFp: number;
    /** Mean over seeds of (mining − plain) low-FP sensitivity, with the smallest and largest. */
    meanGain: number;
    minGain: number;
    maxGain: number;
    plainCpm: number;
    miningCpm: number;
    /** Mean sensitivity at each of LUNA16's FP rates. */
    plainSensitivities: number[];
    miningSensitivities: number[];
    plainPixelAccuracy: number;
  };
  runs: { seed: number; plain: RunResult; mining: RunResult }[];
  backend: string;
  settings: Record<string, unknown>;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

/** The record the page quotes: means over seeds and how many seeds agree. */
export function summarizeDetectionRecord(runs: { seed: number; plain: RunResult; mining: RunResult }[], meta: { backend: string; settings: Record<string, unknown> }): DetectionRecord {
  const gains = runs.map((r) => r.mining.lowFpSensitivity - r.plain.lowFpSensitivity);
  const atRates = (pick: (r: (typeof runs)[number]) => RunResult) => CPM_FP_RATES.map((_, k) => round4(mean(runs.map((r) => pick(r).sensitivities[k]))));
  const tidy = (r: RunResult): RunResult => ({
    cpm: round4(r.cpm), lowFpSensitivity: round4(r.lowFpSensitivity), sensitivities: r.sensitivities.map(round4),
    pixelAccuracy: round4(r.pixelAccuracy), cpmByRound: r.cpmByRound.map(round4), trainMs: Math.round(r.trainMs),
  });
  return {
    summary: {
      seeds: runs.length,
      miningBetterSeeds: gains.filter((g) => g > 0).length,
      plainLowFp: round4(mean(runs.map((r) => r.plain.lowFpSensitivity))),
      miningLowFp: round4(mean(runs.map((r) => r.mining.lowFpSensitivity))),
      meanGain: round4(mean(gains)), minGain: round4(Math.min(...gains)), maxGain: round4(Math.max(...gains)),
      plainCpm: round4(mean(runs.map((r) => r.plain.cpm))), miningCpm: round4(mean(runs.map((r) => r.mining.cpm))),
      plainSensitivities: atRates((r) => r.plain), miningSensitivities: atRates((r) => r.mining),
      plainPixelAccuracy: round4(mean(runs.map((r) => r.plain.pixelAccuracy))),
    },
    runs: runs.map((r) => ({ seed: r.seed, plain: tidy(r.plain), mining: tidy(r.mining) })),
    ...meta,
  };
}


// ── The page's panels ─────────────────────────────────────────────────────────────────────────

/** Reads a BBBC039-style .npz (arrays images and masks) as detection data: each mask component is one object. */
export async function detectionFromFile(file: File, maxBytes: number): Promise<DetectionDataset> {
  if (!/\.npz$/i.test(file.name)) throw new DataError(`“${file.name}” is not an .npz file. This lesson reads .npz files with arrays 'images' and 'masks' (as BBBC039).`);
  if (file.size > maxBytes) throw new DataError(`“${file.name}” is ${formatBytes(file.size)}; the limit is ${formatBytes(maxBytes)}.`);
  return detectionFromSegmentation(bbbc039FromFile(new Uint8Array(await file.arrayBuffer()), file.name, { maxBytes }));
}

export function detectionCard(ds: DetectionDataset): HTMLElement {
  const objects = (split: DetectionDataset["train"]) => split.objects.reduce((n, o) => n + o.length, 0);
  const [h, w] = ds.imageShape;
  return el("div", { class: "meddl-dataset-card", "data-dataset": ds.id },
    datasetTitle(ds),
    el("div", { class: "meddl-help" },
      `detection · ${h}×${w} grey images · train ${ds.train.count} (${objects(ds.train)} ${ds.objectName === "nucleus" ? "nuclei" : `${ds.objectName}s`}), ` +
      `validation ${ds.val.count} (${objects(ds.val)}) · patches ${ds.patchSize}×${ds.patchSize} · a hit is within max(radius, ${ds.minMatchRadius.toFixed(1)} px) of a centre`),
    el("p", { class: "meddl-dataset-description" }, ds.description),
    datasetCredit(ds.provenance),
  );
}

/** The dataset menu: synthetic slices, BBBC039 if found at build time, or the learner's own .npz. */
export function detectionPicker(options: DatasetPickerOptions<DetectionDataset>): Input<DetectionDataset> {
  return picker(options, { fileHint: "an .npz file with 'images' and 'masks' (as BBBC039)", fromFile: detectionFromFile, card: detectionCard });
}

/** Builds the page's runs, or says in plain words why the settings cannot train. */
export function detectionSetup(data: DetectionDataset, settings: DetectionLessonSettings, options: { mining: boolean }): { trainer: DetectionComparison | null; message: HTMLElement | null } {
  try {
    return { trainer: buildDetectionComparison(data, settings, { mining: options.mining }), message: null };
  } catch (error) {
    return { trainer: null, message: el("div", { class: "meddl-message", role: "alert" }, `These settings cannot train: ${(error as Error).message}`) };
  }
}

function runNames(trainer: DetectionComparison): { name: string; run: DetectionTrainer }[] {
  return trainer.runs.map((run, i) => ({ name: trainer.names[i], run }));
}

/** FROC of every run, redrawn after each validation, with the pixel-accuracy lesson beside it. */
export function frocPanel(trainer: DetectionComparison, data: DetectionDataset, { width = 440 } = {}): HTMLElement {
  const perImage = data.synthetic ? "slice" : "image";
  const chart = live(trainer, (root, fit = width) => {
    const ready = runNames(trainer).filter((r) => r.run.validation);
    root.dataset.rounds = String(trainer.history.epochs.length);
    root.dataset.cpm = ready.map((r) => r.run.validation!.cpm.toFixed(4)).join(",");
    // Time in training steps alone (no validation, mining or drawing), for the benchmark to read.
    root.dataset.trainMs = trainer.runs.reduce((ms, r) => ms + r.trainingMs, 0).toFixed(1);
    root.dataset.runSteps = String(trainer.runs.reduce((n, r) => n + r.stepsTaken, 0));
    if (!ready.length) return el("p", { class: "meddl-help" }, "The FROC curve appears after the first round of training (each round ends with a search of every validation image).");
    return frocChart(ready.map((r) => ({ name: r.name, froc: r.run.validation!.froc, cpm: r.run.validation!.cpm })), { width: fit, perImage });
  }, { events: ["epoch", "state"], className: "meddl-chart-froc" });
  const imbalance = live(trainer, () => {
    const ready = runNames(trainer).filter((r) => r.run.validation);
    if (!ready.length) return el("p", { class: "meddl-help" }, "Pixel accuracy appears here after the first round.");
    const v0 = ready[0].run.validation!;
    const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
    return el("div", { class: "meddl-note" },
      el("b", {}, "Pixel accuracy, the wrong yardstick"),
      el("table", {},
        el("tr", {}, el("th", {}, ""), el("th", {}, "pixel accuracy"), el("th", {}, `sensitivity at 1 FP / ${perImage}`), el("th", {}, "CPM")),
        ...ready.map((r) => el("tr", {}, el("td", {}, r.name), el("td", {}, pct(r.run.validation!.pixelAccuracy)), el("td", {}, pct(sensitivityAt(r.run.validation!.froc, 1))), el("td", {}, r.run.validation!.cpm.toFixed(3)))),
        el("tr", {}, el("td", {}, `“no ${data.objectName} anywhere”`), el("td", {}, pct(1 - v0.objectFraction)), el("td", {}, "0%"), el("td", {}, "0")),
      ),
      el("p", { class: "meddl-help" },
        `Only ${pct(v0.objectFraction)} of the heatmap's cells lie on a ${data.objectName}, so a detector that never finds anything is already ${pct(1 - v0.objectFraction)} “accurate”. ` +
        "Accuracy over pixels rewards saying “background”; FROC asks what a reader cares about: how many are found, per false alarm."));
  }, { events: ["epoch", "state"], className: "meddl-imbalance" });
  return el("div", { class: "grid grid-cols-2" }, chart, imbalance);
}

/** Loss per batch and validation CPM per round, both runs on each chart. */
export function curvesPanel(trainer: DetectionComparison, { width = 420 } = {}): HTMLElement {
  const runs = () => runNames(trainer).map((r) => ({ name: r.name, history: r.run.history }));
  return el("div", { class: "grid grid-cols-2" },
    live(trainer, (_, fit = width) => detectionCurves(runs(), { metric: "loss", width: fit }), { className: "meddl-chart-loss" }),
    live(trainer, (_, fit = width) => detectionCurves(runs(), { metric: "cpm", width: fit }), { events: ["epoch", "state"], className: "meddl-chart-cpm" }),
  );
}

/** A run picker for panels that show one run at a time (the last run, with mining, first). */
function runPicker(trainer: DetectionComparison): Input<number> {
  const options = trainer.names.map((name, i) => ({ value: i, label: name }));
  return select({ label: "Run", options, value: options.length - 1 });
}

/** Validation images as clickable thumbnails, and the chosen one large with its heatmap and marks. */
export function slicePanel(trainer: DetectionComparison, data: DetectionDataset, { scale = 3 } = {}): HTMLElement {
  const [h, w] = data.imageShape, px = h * w;
  const runChoice = runPicker(trainer);
  const heat = checkbox({ label: "Show heatmap", value: true });
  const atOneFp = checkbox({ label: "Mark candidates at the FROC's point of 1 false positive per image", value: true });
  const cut = slider({ label: "…or those scoring at least", min: 0.05, max: 0.95, step: 0.05, value: 0.5, help: "one operating point; the FROC shows them all" });
  let chosen = Math.max(0, data.val.objects.findIndex((o) => o.length >= 2));
  const big = el("div", { class: "meddl-chart-overlay" });
  const thumbs = el("div", { class: "meddl-thumbs" });
  const draw = () => {
    const run = trainer.runs[runChoice.value] ?? trainer.runs[0];
    const v = run.validation;
    const image = data.val.images.subarray(chosen * px, (chosen + 1) * px);
    const objects = data.val.objects[chosen];
    // The operating point: the threshold where the validation set averages 1 false alarm per image, or the slider's.
    const threshold = v && atOneFp.value ? thresholdAt(v.froc, 1) : cut.value;
    const outcomes = v ? imageOutcomes(v.candidates[chosen].filter((c) => c.score >= threshold), objects, data.minMatchRadius) : null;
    replace(big,
      el("div", { class: "meddl-help" }, `Validation ${data.synthetic ? "slice" : "image"} ${chosen + 1} of ${data.val.count}${v ? ` · ${trainer.names[trainer.runs.indexOf(run)]}, after round ${v.round} · candidates scoring ≥ ${Number.isFinite(threshold) ? threshold.toFixed(2) : "∞ (none)"}` : " · not searched yet: train a round"}`),
      detectionOverlay(image, h, w, v?.heatmaps[chosen] ?? null, outcomes, objects, { scale, showHeatmap: heat.value, objectName: data.objectName }));
    big.dataset.slice = String(chosen);
    big.dataset.round = String(v?.round ?? 0);
  };
  const thumbScale = Math.max(0.5, 64 / Math.max(h, w));
  for (let i = 0; i < data.val.count; i++) {
    const c = imageCanvas(data.val.images.subarray(i * px, (i + 1) * px), h, w, 1, { scale: thumbScale, title: `${data.synthetic ? "slice" : "image"} ${i + 1}: ${data.val.objects[i].length} ${data.objectName === "nucleus" ? "nuclei" : `${data.objectName}(s)`}` });
    c.style.cursor = "pointer";
    c.style.margin = "1px";
    c.addEventListener("click", () => { chosen = i; draw(); });
    thumbs.append(c);
  }
  runChoice.addEventListener("input", draw);
  heat.addEventListener("input", draw);
  cut.addEventListener("input", () => { atOneFp.value = false; draw(); });
  atOneFp.addEventListener("input", draw);
  const redraw = () => setTimeout(draw, 0);
  trainer.on("epoch", redraw);
  trainer.on("state", redraw);
  draw();
  return el("div", { class: "meddl-slice-panel" }, el("div", { class: "meddl-buttons" }, trainer.runs.length > 1 ? runChoice : null, heat, atOneFp, cut), big,
    el("div", { class: "meddl-help" }, "Click an image to open it:"), thumbs);
}

/** The validation false alarms the chosen run is surest of, as patches with their scores. */
export function falseAlarmPanel(trainer: DetectionComparison, data: DetectionDataset): HTMLElement {
  const runChoice = runPicker(trainer);
  const body = el("div", { class: "meddl-chart-false-alarms" });
  const draw = () => {
    const run = trainer.runs[runChoice.value] ?? trainer.runs[0];
    const top = run.validation?.topFalseAlarms ?? [];
    if (!top.length) {
      replace(body, el("p", { class: "meddl-help" }, run.validation ? "No false alarms above the threshold." : "The surest false alarms appear after the first round."));
      return;
    }
    const size = data.patchSize, patches = new Float32Array(top.length * size * size);
    top.forEach((l, i) => cutPatch(data.val, data.imageShape, l.image, l.x, l.y, size, patches, i * size * size));
    replace(body, patchGrid(patches, size, top.map((l) => `${(l.score ?? 0).toFixed(2)} · #${l.image + 1}`), { scale: 2 }));
    body.dataset.count = String(top.length);
  };
  runChoice.addEventListener("input", draw);
  const redraw = () => setTimeout(draw, 0);
  trainer.on("epoch", redraw);
  trainer.on("state", redraw);
  draw();
  return el("div", {}, trainer.runs.length > 1 ? runChoice : null, body);
}

export interface SpeedResult {
  slidingMs: number;
  convolutionalMs: number;
  maxDifference: number;
  cells: number;
}

/** Times both detectors on one image and compares their heatmaps (the second call of each is timed, after a warm-up). */
export async function compareDetectors(run: DetectionTrainer, data: DetectionDataset, index = 0): Promise<SpeedResult> {
  const [h, w] = data.imageShape, image = data.val.images.subarray(index * h * w, (index + 1) * h * w);
  syncFullyConvolutional(run.model, run.fcn);
  const time = async <T>(f: () => Promise<T>) => { await f(); const t = performance.now(); const out = await f(); return { out, ms: performance.now() - t }; };
  const sliding = await time(() => slidingWindowHeatmap(run.model, image, h, w, data.patchSize, run.stride));
  const dense = await time(() => fullyConvolutionalHeatmap(run.fcn, image, h, w, data.patchSize, run.stride));
  let maxDifference = 0;
  for (let k = 0; k < sliding.out.values.length; k++) maxDifference = Math.max(maxDifference, Math.abs(sliding.out.values[k] - dense.out.values[k]));
  return { slidingMs: sliding.ms, convolutionalMs: dense.ms, maxDifference, cells: sliding.out.values.length };
}

/** A button that times the sliding window against the fully convolutional network on one image. */
export function speedPanel(trainer: DetectionComparison, data: DetectionDataset): HTMLElement {
  const button = el("button", { type: "button" }, "Time both on validation image 1");
  const out = el("div", { class: "meddl-speed", role: "status" });
  button.addEventListener("click", async () => {
    if (trainer.state === "running") trainer.pause(); // timing while training measures both at once
    button.disabled = true;
    replace(out, "timing…");
    try {
      const r = await compareDetectors(trainer.runs[0], data, 0);
      out.dataset.slidingMs = r.slidingMs.toFixed(1);
      out.dataset.convolutionalMs = r.convolutionalMs.toFixed(1);
      out.dataset.maxDifference = String(r.maxDifference);
      replace(out, el("table", {},
        el("tr", {}, el("th", {}, "detector"), el("th", {}, "ms per image"), el("th", {}, "")),
        el("tr", {}, el("td", {}, `sliding window (${r.cells} patches of ${data.patchSize}×${data.patchSize})`), el("td", {}, r.slidingMs.toFixed(1)), el("td", {}, "")),
        el("tr", {}, el("td", {}, "fully convolutional (one pass)"), el("td", {}, r.convolutionalMs.toFixed(1)), el("td", {}, `${(r.slidingMs / r.convolutionalMs).toFixed(1)}× faster`)),
      ), el("p", { class: "meddl-help" }, `Largest difference between the two heatmaps: ${r.maxDifference.toExponential(1)} (rounding only: they compute the same sums).`));
    } catch (error) {
      replace(out, el("span", { class: "meddl-message" }, `Could not time the detectors: ${(error as Error).message}`));
    } finally {
      button.disabled = false;
    }
  });
  return el("div", {}, button, out);
}

/** The first round from which the mining run's mean CPM (over the record's seeds) stays ahead, or null. */
export function roundMiningLeads(record: DetectionRecord): number | null {
  const rounds = record.runs[0]?.plain.cpmByRound.length ?? 0;
  const meanAt = (pick: "plain" | "mining", r: number) => record.runs.reduce((s, run) => s + run[pick].cpmByRound[r], 0) / record.runs.length;
  let lead: number | null = null;
  for (let r = rounds - 1; r >= 0 && meanAt("mining", r) > meanAt("plain", r); r--) lead = r + 1;
  return lead;
}

/** The "what to expect" box: numbers from the record, measured on the defaults. */
export function detectionExpectations(record: DetectionRecord | null, data: DetectionDataset): HTMLElement {
  const pct = (x: number) => `${(100 * x).toFixed(0)}%`;
  if (!data.synthetic) {
    return el("span", {}, "On real images there is no measured record: nuclei are many and crowded, so expect more hits and more false alarms per image than on the synthetic slices, " +
      "and a FROC that keeps rising past 8 false positives per image. Switch back to the synthetic slices to compare with the record.");
  }
  if (!record) return el("span", {}, "No record yet: run npm run record:detection.");
  const s = record.summary;
  const seeds = record.runs.map((r) => r.seed).join(", ");
  const lead = roundMiningLeads(record);
  return el("span", {},
    `Measured with the default settings over ${s.seeds} seeds (${seeds}), in node: with random negatives only, the detector finds ${pct(s.plainLowFp)} of the nodules on average at 1/8 to 1 false positive per slice ` +
    `(CPM ${s.plainCpm.toFixed(2)}); with hard-negative mining, ${pct(s.miningLowFp)} (CPM ${s.miningCpm.toFixed(2)}). Mining did better on ${s.miningBetterSeeds} of ${s.seeds} seeds ` +
    `(gain ${(100 * s.minGain).toFixed(0)} to ${(100 * s.maxGain).toFixed(0)} points). ` +
    (lead ? `Averaged over the seeds, the mining run's CPM stays ahead from round ${lead} of ${record.runs[0].plain.cpmByRound.length}: in the first rounds there is little to mine, so the two run close together. ` : "") +
    `Pixel accuracy, meanwhile, is ${pct(s.plainPixelAccuracy)} without mining: high, and blind to the difference.`);
}

