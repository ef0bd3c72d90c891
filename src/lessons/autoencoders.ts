/**
 * The auto-encoder lesson's page assembly: its defaults (shared with `npm run record:autoencoders`,
 * so the page's quotes describe the page's own settings), the "what to expect" box and the verdicts
 * written from the measured record, and the panels that put the kit's charts together.
 */
import * as tf from "@tensorflow/tfjs";
import type { Corruption } from "../data/corrupt";
import type { ClassificationDataset, Split } from "../data/types";
import { auc, rocCurve, type RocPoint } from "../metrics/classification";
import { silhouette } from "../metrics/codes";
import { pcaSlices } from "../metrics/pca";
import { errorMap, perImageError } from "../metrics/reconstruction";
import { encodeSlices, interpolate, reconstruct, sampleFromPrior, type Autoencoder } from "../models/autoencoder";
import { STRATEGY_NAMES, type Strategy } from "../models/transfer";
import type { ReconstructionTask } from "../train/reconstruction";
import type { SweepPoint, SweepSummary } from "../train/sweep";
import { el } from "../core/dom";
import { tidyRead } from "../core/tensors";
import { runAtOnce, runInSlices, type Slices } from "../core/slices";
import { codeScatter, errorMaps, imageGrid, imageRows } from "../viz/autoencoder";
import { rocChart } from "../viz/roc";

/** What the page starts with, and what the record script measures. */
export const AUTOENCODER_LESSON = {
  architecture: { filters: 8, depth: 2, codeSize: 16 },
  corruption: { kind: "gaussian", level: 0.2 } as Corruption,
  epochs: 6,
  batchSize: 16,
  // 0.01 learns faster but, on some seeds and code sizes, kills every ReLU of the decoder (it then
  // outputs one flat image whatever the input): measured while building this lesson.
  learningRate: 0.003,
  /** The VAE's KL weight (section 6): small enough that the code still carries a few nats. */
  beta: 0.1,
  /** Label sizes of the few-labels experiment, and its training budget (transfer-lesson rounds). */
  sizes: [10, 25, 50, 100, 200],
  rounds: 15,
  strategies: ["scratch", "frozen", "finetune"] as Strategy[],
  /** The class an anomaly detector learns as "normal" when no class is named so (see normalClass). */
  normalClass: 0,
  /**
   * The anomaly detector: a tight 4-number code and no corruption, so it rebuilds what it saw
   * (the record measures a denoising one too).
   */
  anomaly: { codeSize: 4, corruption: { kind: "none", level: 0 } as Corruption },
};

/** Mean, standard deviation (n − 1) and range of some numbers: one line of the record. */
export interface Spread {
  mean: number;
  sd: number;
  min: number;
  max: number;
  runs: number;
}

export function spread(values: number[]): Spread {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = values.length > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1)) : 0;
  return { mean, sd, min: Math.min(...values), max: Math.max(...values), runs: values.length };
}

/** What `npm run record:autoencoders` writes to data/records/autoencoders.json. */
export interface AutoencoderRecord {
  settings: typeof AUTOENCODER_LESSON & { dataset: string; seeds: number[]; betas: number[] };
  backend: string;
  seconds: number;
  /** Denoising auto-encoder: validation PSNR of its output and of its (corrupted) input, dB. */
  psnr: { output: Spread; input: Spread };
  /** Do the classes separate? Silhouette and a linear probe (validation AUC), in code space and on raw pixels. */
  separation: { silhouetteCodes: Spread; silhouettePixels: number; probeCodes: Spread; probePixels: number; codeSize: number; pixels: number };
  /** Anomaly detection: AUC of the reconstruction error (trained on normal images only), and of plain brightness as a baseline. */
  anomaly: { auc: Spread; denoisingAuc: Spread; brightnessAuc: number };
  /** VAE: validation PSNR and mean KL per image at each β. */
  vae: { beta: number; psnr: Spread; kl: Spread }[];
  /** The few-labels experiment: the transfer sweep with the auto-encoder's encoder as the source. */
  sweep: { summary: SweepSummary[]; points: SweepPoint[] };
}

export interface PretrainingVerdict {
  n: number;
  scratch: SweepSummary;
  /** The better of frozen and fine-tuned at this N. */
  best: SweepSummary;
  /** Best pretrained mean minus scratch mean. */
  gain: number;
  /** "helps": the gain exceeds both spreads; "hurts": the loss does; else "unclear". */
  verdict: "helps" | "hurts" | "unclear";
}

/**
 * At each N, is the better pretrained strategy ahead of training from scratch by more than the
 * seed-to-seed spread (one standard deviation of either)? Written from the record, never by hand.
 */
export function pretrainingVerdicts(summary: SweepSummary[]): PretrainingVerdict[] {
  const sizes = [...new Set(summary.map((s) => s.n))].sort((a, b) => a - b);
  return sizes.flatMap((n) => {
    const at = (strategy: Strategy) => summary.find((s) => s.n === n && s.strategy === strategy);
    const scratch = at("scratch");
    const pretrained = [at("frozen"), at("finetune")].filter((s): s is SweepSummary => !!s);
    if (!scratch || pretrained.length === 0) return [];
    const best = pretrained.reduce((a, b) => (b.mean > a.mean ? b : a));
    const gain = best.mean - scratch.mean;
    const noise = Math.max(best.sd, scratch.sd);
    const verdict = gain > noise ? "helps" : -gain > noise ? "hurts" : "unclear";
    return [{ n, scratch, best, gain, verdict }];
  });
}

// ── The page's panels ──────────────────────────────────────────────────────────────────────

const findingLabels = new WeakMap<Split, Int32Array>();

/** Labels to colour by: the dataset's classes, or for multi-label data "no finding" / "some finding". */
export function displayLabels(ds: ClassificationDataset, split: Split): { labels: Int32Array; classNames: string[] } {
  if (ds.task !== "multilabel") return { labels: split.labels, classNames: ds.classNames };
  const k = ds.classNames.length;
  let labels = findingLabels.get(split); // computed once per split: pages ask for it image by image
  if (!labels) {
    labels = Int32Array.from({ length: split.count }, (_, i) => (split.labels.subarray(i * k, (i + 1) * k).some((f) => f === 1) ? 1 : 0));
    findingLabels.set(split, labels);
  }
  return { labels, classNames: ["no finding", "some finding"] };
}

/**
 * Which class counts as "normal" for the anomaly detector: the one named so ("no nodule",
 * "normal", "normal, benign", "no finding"…), else the first.
 */
export function normalClass(ds: ClassificationDataset): number {
  const { classNames } = displayLabels(ds, ds.val);
  const named = classNames.findIndex((name) => /^(normal|no |healthy)/i.test(name));
  return named >= 0 ? named : AUTOENCODER_LESSON.normalClass;
}

/** Is image i of this split "normal"? */
export function isNormal(ds: ClassificationDataset, split: Split, i: number): boolean {
  return displayLabels(ds, split).labels[i] === normalClass(ds);
}

/** The name of the normal class, for the page's words. */
export function normalName(ds: ClassificationDataset): string {
  return displayLabels(ds, ds.val).classNames[normalClass(ds)];
}

/** Input, corrupted input and reconstruction of the first `count` validation images, as the model is now. */
export function reconstructionPanel(ae: Autoencoder, task: ReconstructionTask, { count = 8, scale = 3 } = {}): HTMLElement {
  const shape = ae.inputShape;
  const n = Math.min(count, task.data.val.count);
  const size = shape[0] * shape[1] * shape[2];
  const clean = task.data.val.images.subarray(0, n * size);
  const corrupted = task.val.images.subarray(0, n * size);
  const rebuilt = tidyRead(() => ae.model.predict(tf.tensor4d(corrupted, [n, ...shape])) as tf.Tensor);
  const noisy = task.corruption.kind !== "none";
  // A decoder whose ReLUs all died gives one flat image whatever the input: say so, plainly.
  let spread = 0;
  for (let i = 0; i < size; i++) for (let j = 1; j < n; j++) spread = Math.max(spread, Math.abs(rebuilt[j * size + i] - rebuilt[i]));
  const dead = n > 1 && spread < 1e-3;
  const rows = imageRows([
    { label: "input", images: clean },
    ...(noisy ? [{ label: "corrupted", images: corrupted }] : []),
    { label: "reconstruction", images: rebuilt },
  ], shape, { scale });
  if (!dead) return rows;
  return el("div", {}, rows, el("p", { class: "meddl-message", role: "alert" },
    "Every reconstruction is the same flat image: the decoder has stopped learning (its ReLUs are all off). Lower the learning rate and press Reset."));
}

const pixelSilhouettes = new WeakMap<Split, number>();

/** Silhouette of the raw validation pixels (computed once per dataset): the score to beat. */
function pixelSilhouette(ds: ClassificationDataset, n: number): number {
  const cached = pixelSilhouettes.get(ds.val);
  if (cached !== undefined) return cached;
  const size = ds.imageShape[0] * ds.imageShape[1] * ds.imageShape[2];
  const value = silhouette(ds.val.images.subarray(0, n * size), n, size, displayLabels(ds, ds.val).labels.subarray(0, n));
  pixelSilhouettes.set(ds.val, value);
  return value;
}

/**
 * The validation codes in 2-D (the code itself for a 2-unit bottleneck, else its first two
 * principal components), coloured and shaped by the labels the network never saw, with the
 * silhouette score in the full code space beside that of the raw pixels.
 */
export function codeSpacePanel(ae: Autoencoder, ds: ClassificationDataset, options: { max?: number; width?: number } = {}): HTMLElement {
  return runAtOnce(codeSpaceSlices(ae, ds, options, 100));
}

/** The same panel, made in slices while the page goes on (for a live chart during training). */
export function codeSpacePanelInSlices(ae: Autoencoder, ds: ClassificationDataset, options: { max?: number; width?: number } = {}): Promise<HTMLElement> {
  return runInSlices(codeSpaceSlices(ae, ds, options, 25));
}

function* codeSpaceSlices(ae: Autoencoder, ds: ClassificationDataset, { max = 300, width = 440 }: { max?: number; width?: number }, chunk: number): Slices<HTMLElement> {
  const n = Math.min(max, ds.val.count);
  const k = ae.codeSize;
  const codes = yield* encodeSlices(ae, ds.val.images, n, chunk);
  const { labels, classNames } = displayLabels(ds, ds.val);
  const shown = labels.subarray(0, n);
  let coords = codes, axes: [string, string] = ["code unit 1", "code unit 2"];
  if (k > 2) {
    const projection = yield* pcaSlices(codes, n, k, 2);
    coords = projection.coords;
    axes = projection.explained.map((e, i) => `PC${i + 1} of the code (${(100 * e).toFixed(0)}% of variance)`) as [string, string];
  }
  const codeScore = silhouette(codes, n, k, shown);
  yield;
  const pixelScore = pixelSilhouette(ds, n);
  yield;
  const root = el("div", { class: "meddl-code-space", "data-silhouette": String(codeScore), "data-pixel-silhouette": String(pixelScore) },
    codeScatter(coords, shown, classNames, { axes, width, thumbnails: { images: ds.val.images, shape: ae.inputShape } }),
    el("p", { class: "meddl-caption" },
      `Silhouette of the classes now: ${codeScore.toFixed(3)} in the ${k}-number code, against ${pixelScore.toFixed(3)} on the ${ds.imageShape.join("×")} raw pixels `,
      "(1: every image nearer its own class; 0: the classes overlap completely). ",
      `${n} validation images.`));
  return root;
}

/** A walk in a straight line through code space from validation image a to image b, decoded. */
export function interpolationPanel(ae: Autoencoder, ds: ClassificationDataset, a: number, b: number, { steps = 8, scale = 3 } = {}): HTMLElement {
  const size = ds.imageShape[0] * ds.imageShape[1] * ds.imageShape[2];
  const pick = (i: number) => ds.val.images.subarray(i * size, (i + 1) * size);
  const walk = interpolate(ae, pick(a), pick(b), steps);
  const captions = Array.from({ length: steps }, (_, s) => (s === 0 ? `image ${a}` : s === steps - 1 ? `image ${b}` : `${Math.round((100 * s) / (steps - 1))}%`));
  const rows = el("div", { class: "meddl-interpolation" },
    imageRows([{ label: "the two images", images: Float32Array.from([...pick(a), ...new Float32Array(size * (steps - 2)).fill(NaN), ...pick(b)]) }, { label: "decoded walk", images: walk.images }], ds.imageShape, { scale, captions }));
  return rows;
}

/** New images decoded from random codes drawn from N(0, I). */
export function priorSamplesPanel(ae: Autoencoder, { count = 16, seed = 1, scale = 3 } = {}): HTMLElement {
  return imageGrid(sampleFromPrior(ae, count, seed), count, ae.inputShape, { scale, className: "meddl-prior-samples" });
}

export interface AnomalyScores {
  /** Mean squared reconstruction error of each validation image: the anomaly score. */
  errors: Float32Array;
  reconstructions: Float32Array;
  /** 1 for an abnormal (not normal-class) image. */
  abnormal: Uint8Array;
  roc: RocPoint[];
  auc: number;
  /** The same ROC for plain brightness (mean pixel value): the baseline to beat. */
  brightnessAuc: number;
}

/** Scores every validation image by how badly the normal-only auto-encoder rebuilds it. */
export function anomalyScores(ae: Autoencoder, ds: ClassificationDataset): AnomalyScores {
  const n = ds.val.count;
  const size = ds.imageShape[0] * ds.imageShape[1] * ds.imageShape[2];
  const reconstructions = reconstruct(ae, ds.val.images, n);
  const errors = perImageError(ds.val.images, reconstructions, n);
  const abnormal = Uint8Array.from({ length: n }, (_, i) => (isNormal(ds, ds.val, i) ? 0 : 1));
  const brightness = Float32Array.from({ length: n }, (_, i) => ds.val.images.subarray(i * size, (i + 1) * size).reduce((a, b) => a + b, 0) / size);
  return { errors, reconstructions, abnormal, roc: rocCurve(errors, abnormal), auc: auc(errors, abnormal), brightnessAuc: auc(brightness, abnormal) };
}

/** The anomaly detector's ROC, and the error maps of the abnormal and normal images it scores highest. */
export function anomalyPanel(ae: Autoencoder, ds: ClassificationDataset, { maps = 6, width = 340 } = {}): HTMLElement {
  const s = anomalyScores(ae, ds);
  if (!s.abnormal.some((a) => a === 1) || s.abnormal.every((a) => a === 1)) {
    return el("p", { class: "meddl-message" }, "The validation set needs both normal and abnormal images to draw a ROC curve.");
  }
  const size = ds.imageShape[0] * ds.imageShape[1] * ds.imageShape[2];
  const c = ds.imageShape[2];
  const order = Array.from(s.errors.keys()).sort((p, q) => s.errors[q] - s.errors[p]);
  const { classNames, labels } = displayLabels(ds, ds.val);
  const abnormalFirst = order.filter((i) => s.abnormal[i]).slice(0, maps / 2);
  const normalFirst = order.filter((i) => !s.abnormal[i]).slice(0, maps / 2);
  const items = [...abnormalFirst, ...normalFirst].map((i) => {
    const image = ds.val.images.subarray(i * size, (i + 1) * size);
    const reconstruction = s.reconstructions.subarray(i * size, (i + 1) * size);
    return { image, reconstruction, error: errorMap(image, reconstruction, c), caption: `${classNames[labels[i]]} · score ${s.errors[i].toFixed(4)} (rank ${order.indexOf(i) + 1})` };
  });
  return el("div", { class: "meddl-anomaly", "data-auc": String(s.auc), "data-brightness-auc": String(s.brightnessAuc) },
    el("div", { class: "grid grid-cols-2" },
      el("div", { class: "meddl-anomaly-roc" }, rocChart([{ name: "reconstruction error", points: s.roc, auc: s.auc }], { width, reference: { auc: s.brightnessAuc, label: "brightness alone" } })),
      el("div", {}, el("p", { class: "meddl-caption" }, "Each triple: the image, its reconstruction, and the squared error at every pixel (bright = badly rebuilt). First the abnormal images with the highest scores, then the normal images with the highest scores (the false alarms)."),
        errorMaps(items, ds.imageShape, { scale: 3 }))));
}

// ── Words from the record ─────────────────────────────────────────────────────────────────

const f3 = (x: number) => x.toFixed(3);
const pm = (s: Spread, digits = 3) => `${s.mean.toFixed(digits)} ± ${s.sd.toFixed(digits)}`;

/** The "what to expect" box: measured numbers from the record for the built-in data, or a plain note for other data. */
export function autoencoderExpectations(record: AutoencoderRecord | null, ds: ClassificationDataset): HTMLElement {
  const box = el("p", { class: "meddl-note meddl-expect" }, el("b", {}, "What to expect: "));
  if (!record) return (box.append("no measurements are recorded yet (run ", el("code", {}, "npm run record:autoencoders"), ")."), box);
  if (ds.id !== record.settings.dataset) {
    box.append(`the numbers recorded for this lesson are for the built-in synthetic patches; on ${ds.title} measure your own. Watch the reconstructions sharpen and the PSNR climb over the first epochs.`);
    return box;
  }
  const s = record.settings;
  box.append(
    `with the defaults (${s.corruption.kind} corruption at ${s.corruption.level}, a ${s.architecture.codeSize}-number code, ${s.epochs} epochs), `,
    `the validation PSNR rises from ${record.psnr.input.mean.toFixed(1)} dB for the corrupted input to ${pm(record.psnr.output, 1)} dB for the reconstruction `,
    `(mean ± sd over ${record.psnr.output.runs} seeds, measured by `, el("code", {}, "npm run record:autoencoders"), `). `,
    "The first reconstructions are blurry blobs of the average brightness; vessels and bright spots appear, blurred, over the next epochs.");
  return box;
}

/** Do the classes separate in code space? One sentence, written from the record. */
export function separationSentence(record: AutoencoderRecord): string {
  const sep = record.separation;
  const better = sep.probeCodes.mean > sep.probePixels;
  return `A linear classifier trained on the ${sep.codeSize}-number codes (labels used only for this test, never by the auto-encoder) reaches a validation AUC of ${pm(sep.probeCodes)} ` +
    `over ${sep.probeCodes.runs} seeds, against ${f3(sep.probePixels)} for the same classifier on the ${sep.pixels} raw pixels: ` +
    (better ? "the code makes the classes easier to separate than the pixels do, without a single label. " : "the code does not make the classes easier to separate than the raw pixels. ") +
    `The silhouette score says how visible that is as clusters: ${pm(sep.silhouetteCodes)} in code space against ${f3(sep.silhouettePixels)} on pixels` +
    (sep.silhouetteCodes.mean < 0.2 ? ", close to 0: the classes overlap heavily, so do not expect two clean clouds in the scatter." : ".");
}

/** Does pretraining help at small N? Written from the record's sweep. */
export function pretrainingSentence(record: AutoencoderRecord): string {
  const verdicts = pretrainingVerdicts(record.sweep.summary);
  const helps = verdicts.filter((v) => v.verdict === "helps").map((v) => v.n);
  const hurts = verdicts.filter((v) => v.verdict === "hurts").map((v) => v.n);
  const list = (ns: number[]) => ns.join(", ");
  const seeds = record.settings.seeds.length;
  let text = `Over ${seeds} seeds, the better pretrained strategy beats training from scratch by more than the seed-to-seed spread `;
  text += helps.length ? `at N = ${list(helps)}` : "at no N";
  if (hurts.length) text += `, and falls behind it by more than the spread at N = ${list(hurts)}`;
  const unclear = verdicts.filter((v) => v.verdict === "unclear").map((v) => v.n);
  if (unclear.length) text += `; at N = ${list(unclear)} the difference is within the spread`;
  return text + ".";
}

/** The record's sweep as a table: mean ± sd per strategy and N, and the verdict. */
export function pretrainingTable(record: AutoencoderRecord): HTMLElement {
  const verdicts = pretrainingVerdicts(record.sweep.summary);
  const cell = (n: number, strategy: Strategy) => {
    const s = record.sweep.summary.find((x) => x.n === n && x.strategy === strategy);
    return el("td", { style: "text-align: right" }, s ? `${s.mean.toFixed(3)} ± ${s.sd.toFixed(3)}` : "–");
  };
  return el("table", { class: "meddl-record-table" },
    el("thead", {}, el("tr", {}, el("th", {}, "N labelled"), ...record.settings.strategies.map((st) => el("th", {}, STRATEGY_NAMES[st])), el("th", {}, "pretraining"))),
    el("tbody", {}, ...verdicts.map((v) => el("tr", {}, el("td", { style: "text-align: right" }, String(v.n)), ...record.settings.strategies.map((st) => cell(v.n, st)),
      el("td", {}, v.verdict === "helps" ? "✓ helps" : v.verdict === "hurts" ? "✗ hurts" : "≈ within the spread")))));
}

/** The anomaly result in one sentence, from the record. */
export function anomalySentence(record: AutoencoderRecord): string {
  const a = record.anomaly;
  const verdict = a.auc.mean - a.auc.sd > a.brightnessAuc ? "the auto-encoder sees more than brightness alone"
    : a.auc.mean + a.auc.sd < a.brightnessAuc ? "the auto-encoder does worse than a one-line rule: brightness alone"
      : "within one standard deviation of brightness alone: here the auto-encoder adds little to a one-line rule";
  return `Measured over ${a.auc.runs} seeds with these defaults: an AUC of ${pm(a.auc)} for the reconstruction error, against ${f3(a.brightnessAuc)} for plain brightness (${verdict}). ` +
    `The same detector trained as a denoiser (${AUTOENCODER_LESSON.corruption.kind} corruption at ${AUTOENCODER_LESSON.corruption.level}, as in section 3) reaches ${pm(a.denoisingAuc)}.`;
}

/** The VAE's β trade-off from the record: PSNR and KL at each β, with their range over seeds. */
export function vaeSentence(record: AutoencoderRecord): string {
  const range = (x: Spread, digits: number) => `${x.mean.toFixed(digits)} (${x.min.toFixed(digits)}–${x.max.toFixed(digits)})`;
  const runs = record.vae[0]?.kl.runs ?? 0;
  let text = `Measured over ${runs} seeds (mean, and the range over seeds): ` +
    record.vae.map((v) => `β = ${v.beta}: PSNR ${range(v.psnr, 1)} dB, KL ${range(v.kl, 1)} nats per image`).join("; ") + ".";
  // Posterior collapse: at some β, some seeds keep an informative code and others lose it.
  const edge = record.vae.filter((v) => v.kl.min < 1 && v.kl.max > 5).map((v) => v.beta);
  if (edge.length) text += ` At β = ${edge.join(", ")} the seed decides: some runs keep an informative code, others collapse to KL near 0 (the “posterior collapse” of VAEs): near this β the balance is fragile.`;
  return text;
}
