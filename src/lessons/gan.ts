/**
 * The GAN lesson's page parts: where the CT pairs come from (seeded phantoms, or real images put
 * through the same simulated low-dose scan), making them with a progress bar, the shipped converged
 * generators, the λ control, the side-by-side pair of GanTrainers, and the panel that names a
 * failing GAN (divergence, a discriminator that wins outright, mode collapse).
 */
import type * as tf from "@tensorflow/tfjs";
import { checkWhole } from "../core/checks";
import { el, replace } from "../core/dom";
import { phantomTruths, realTruths, scanCtPairs, type ImagePairs } from "../data/ct";
import { DataError } from "../data/npz";
import type { ClassificationDataset, Provenance } from "../data/types";
import { conv2dLayers } from "../models/layers";
import { modelFromBundle, type WeightsBundle } from "../models/weights";
import type { GanData } from "../train/gan";
import { ganPairFromSettings, type GanPair, type GanRunSettings } from "../train/ganPair";
import type { GanPairPlan } from "../worker/ganRemote";
import type { PretrainingPoint } from "../train/ganPretrain";
import { GAN_SETTINGS, type PixelLoss } from "../train/ganSettings";
import { yieldToBrowser } from "../train/yield";
import { datasetCredit, datasetFromFile, datasetTitle, picker, type DatasetPickerOptions, type DatasetSource } from "../ui/datasetPicker";
import type { Input } from "../ui/inputs";
import type { Progress } from "../ui/progress";
import { numberCodec } from "../ui/linkCodec";
import { shareable } from "../ui/linkState";

// ---- where the images come from -------------------------------------------------------------

/** Real images to scan: grey, square, values 0..1, row-major [count, size, size]. */
export interface RealImages {
  train: Float32Array;
  trainCount: number;
  val: Float32Array;
  valCount: number;
  size: number;
}

/** The lesson's data source: the built-in phantoms (no images), or real images. */
export interface CtSource {
  id: string;
  title: string;
  synthetic: boolean;
  description: string;
  provenance?: Provenance;
  images?: RealImages;
}

export const SYNTHETIC_CT_SOURCE: CtSource = {
  id: "phantoms",
  title: "Simulated low-dose CT of random phantoms (Shepp–Logan first)",
  synthetic: true,
  description:
    "Synthetic data, made by the kit's own seeded code: cross-sections built of ellipses with tissue-like " +
    "attenuation (soft tissue, fat, air, calcifications; some with a skull) and a fine random tissue texture, and the " +
    "Shepp–Logan head phantom (its brain textured the same way), the standard test image of CT. No patient data.",
};

/** Grey image i of a split, as 0..1 values (colour images are turned to luminance). */
function greyImages(images: Float32Array, count: number, size: number, channels: number): Float32Array {
  if (channels === 1) return images.subarray(0, count * size * size);
  const out = new Float32Array(count * size * size);
  for (let p = 0; p < out.length; p++) out[p] = 0.299 * images[p * channels] + 0.587 * images[p * channels + 1] + 0.114 * images[p * channels + 2];
  return out;
}

/** Real images from a (MedMNIST-style) dataset, to be scanned by the simulated CT scanner. */
export function ctSourceFromDataset(ds: ClassificationDataset): CtSource {
  const [h, w, c] = ds.imageShape;
  if (h !== w) throw new DataError(`this lesson needs square images; “${ds.title}” has ${h}×${w}`);
  if (c !== 1 && c !== 3) throw new DataError(`this lesson needs grey or colour images; “${ds.title}” has ${c} channels`);
  if (ds.train.count < 2 || ds.val.count < 2) throw new DataError(`“${ds.title}” needs at least 2 training and 2 validation images`);
  for (const split of [ds.train, ds.val]) {
    for (let i = 0; i < split.images.length; i++) {
      if (!Number.isFinite(split.images[i])) throw new DataError(`“${ds.title}” has a pixel that is not a number (${split.images[i]})`);
    }
  }
  return {
    id: ds.id,
    title: `${ds.title}, through a simulated low-dose CT scan`,
    synthetic: false,
    description: `Real images (${ds.title}: ${h}×${w}${c === 3 ? ", colour turned to grey" : ""}), resized to the lesson's image size and read as ` +
      "attenuation maps, then scanned by the simulated CT scanner below. The images are real; the scan and its noise are simulated. " +
      "They are read in this browser and never leave it.",
    provenance: ds.provenance,
    images: { train: greyImages(ds.train.images, ds.train.count, h, c), trainCount: ds.train.count, val: greyImages(ds.val.images, ds.val.count, h, c), valCount: ds.val.count, size: h },
  };
}

/** The real datasets found at build time (the CNN lesson's menu entries), as CT sources. */
export function ctSourcesFromDatasets(sources: DatasetSource<ClassificationDataset>[]): DatasetSource<CtSource>[] {
  return sources.map((s) => ({ id: s.id, label: s.label, load: async () => ctSourceFromDataset(await s.load()) }));
}

export function ctSourceCard(source: CtSource): HTMLElement {
  const images = source.images;
  return el("div", { class: "meddl-dataset-card", "data-dataset": source.id },
    datasetTitle(source),
    images ? el("div", { class: "meddl-help" }, `${images.size}×${images.size} grey · ${images.trainCount} training and ${images.valCount} validation images available`) : null,
    el("p", { class: "meddl-dataset-description" }, source.description),
    datasetCredit(source.provenance));
}

/** Menu (phantoms, real datasets found at build time) plus a drop zone for a MedMNIST file. */
export function ctSourcePicker({ initial = SYNTHETIC_CT_SOURCE, sources = [], maxBytes }: Partial<DatasetPickerOptions<CtSource>> = {}): Input<CtSource> {
  return picker({ initial, sources, maxBytes }, {
    fileHint: "a MedMNIST .npz file (its images get the simulated low-dose scan)",
    fromFile: async (file, max) => ctSourceFromDataset(await datasetFromFile(file, max)),
    card: ctSourceCard,
  });
}

// ---- making the pairs -----------------------------------------------------------------------

export interface CtDataOptions {
  /** Photons per detector cell: the simulated dose. */
  dose?: number;
  trainCount?: number;
  valCount?: number;
  /** Seeds the training phantoms and their noise. */
  seed?: number;
  /** Seeds the validation set (Shepp–Logan first, then random phantoms). */
  valSeed?: number;
  size?: number;
}

/** The page's data: GAN_SETTINGS, with the first pageTrainCount training pairs of the shipped generators' stream. */
export const CT_DATA_DEFAULTS = {
  dose: GAN_SETTINGS.dose, trainCount: GAN_SETTINGS.pageTrainCount, valCount: GAN_SETTINGS.valCount,
  seed: GAN_SETTINGS.seed, valSeed: GAN_SETTINGS.valSeed, size: GAN_SETTINGS.size,
};

/** Doses the lesson offers (photons per detector cell). */
export const DOSE_RANGE = { min: 100, max: 1e5 } as const;

export interface CtGanData extends GanData {
  id: string;
  title: string;
  synthetic: boolean;
  description: string;
  provenance?: Provenance;
  dose: number;
  size: number;
}

/**
 * The lesson's training and validation pairs from a source, at a dose: the same pairs as
 * makeCtPairs (phantoms) or ctPairsFromImages (real images) give, made with progress and pauses.
 */
export async function makeCtGanData(source: CtSource, options: CtDataOptions = {}, onProgress?: Progress): Promise<CtGanData> {
  const o = { ...CT_DATA_DEFAULTS, ...options };
  if (!(Number.isFinite(o.dose) && o.dose >= DOSE_RANGE.min && o.dose <= DOSE_RANGE.max)) {
    throw new RangeError(`the dose must be between ${DOSE_RANGE.min} and ${DOSE_RANGE.max} photons per detector cell, got ${o.dose}`);
  }
  if (!(Number.isInteger(o.size) && o.size >= 16 && o.size <= 128 && o.size % 8 === 0)) throw new RangeError(`the image size must be a multiple of 8 from 16 to 128, got ${o.size}`);
  checkWhole("training pairs", o.trainCount, 1, 4096);
  checkWhole("validation pairs", o.valCount, 1, 4096);
  const real = source.images;
  const trainCount = real ? Math.min(o.trainCount, real.trainCount) : o.trainCount;
  const valCount = real ? Math.min(o.valCount, real.valCount) : o.valCount;
  const total = trainCount + valCount;
  const truths = (which: "train" | "val") => (real ? realTruths(real[which], real.size, o.size) : phantomTruths(o.size, { includeSheppLogan: which === "val" }));
  const scan = (which: "train" | "val", count: number, seed: number, before: number): Promise<ImagePairs> =>
    scanCtPairs(truths(which), { count, size: o.size, dose: o.dose, seed }, { onProgress: (d) => onProgress?.(before + d, total), pause: yieldToBrowser });
  const val = await scan("val", valCount, o.valSeed, 0);
  const train = await scan("train", trainCount, o.seed, valCount);
  return { train, val, id: source.id, title: source.title, synthetic: source.synthetic, description: source.description, provenance: source.provenance, dose: o.dose, size: o.size };
}

/** The pairs in use: where from (with its synthetic / real badge), how many, at which dose. */
export function ctDataCard(data: CtGanData): HTMLElement {
  return el("div", { class: "meddl-help", "data-dataset": data.id, "data-dose": data.dose },
    data.synthetic ? el("span", { class: "meddl-synthetic" }, "synthetic") : el("span", { class: "meddl-real" }, "real images, simulated scan"),
    ` ${data.size}×${data.size} pairs: ${data.train.count} for training, ${data.val.count} for validation, scanned with ${data.dose.toLocaleString("en")} photons per detector cell.`);
}

// ---- the shipped, converged generators ------------------------------------------------------

/** What the page reads from a pretraining record (data/pretrained/gan-ct-*​/pretrain.json). */
export interface ShippedRecord {
  options?: Partial<{ dose: number; lambda: number; pixelLoss: PixelLoss; generatorLearningRate: number; discriminatorLearningRate: number; discriminatorSteps: number; batchSize: number; seed: number; valSeed: number; valCount: number; trainCount: number; size: number; generatorFilters: number; generatorLayers: number; discriminatorFilters: number }>;
  steps?: { warm: number; adversarial: number; total: number };
  val?: Record<"input" | "pixel" | "adversarial", { psnr: number; ssim: number; hfRatio: number } | undefined>;
  /** Validation during pretraining: the shared warm start, then each run. */
  history?: PretrainingPoint[];
  seconds?: { total: number };
}

export interface ShippedGenerators {
  /** "ready": both loaded; "missing": not in this build; "error": there, but unusable (the message says why). */
  status: "ready" | "missing" | "error";
  message: string;
  pixel: tf.LayersModel | null;
  adversarial: tf.LayersModel | null;
  record: ShippedRecord | null;
  /** The generators' architecture, read from the models themselves. */
  architecture: { size: number; filters: number; layers: number } | null;
}

/** Image side, hidden filters and conv layers of a generator built by buildGenerator. */
export function generatorArchitecture(model: tf.LayersModel): { size: number; filters: number; layers: number } {
  const shape = model.inputs[0].shape;
  const convs = conv2dLayers(model);
  if (shape.length !== 4 || shape[1] !== shape[2] || shape[3] !== 1 || convs.length < 2) {
    throw new RangeError(`not a denoising generator: input ${shape.slice(1).join("×")}, ${convs.length} conv layers`);
  }
  return { size: shape[1] as number, filters: (convs[0].getConfig() as { filters: number }).filters, layers: convs.length };
}

/**
 * Loads the two shipped generators from their packed bundles (null: not in this build). Never
 * throws: a missing or broken bundle gives a status and a message, and the lesson trains from scratch.
 */
export async function loadShippedGenerators(pixelBundle: WeightsBundle<ShippedRecord> | null, adversarialBundle: WeightsBundle<ShippedRecord> | null): Promise<ShippedGenerators> {
  const none = { pixel: null, adversarial: null, record: null, architecture: null };
  if (!pixelBundle || !adversarialBundle) {
    return { status: "missing", message: "This build has no shipped generators (data/pretrained/gan-ct-pixel and gan-ct-adversarial, made by `npm run pretrain:gan`). Train both runs from scratch below: it takes longer to see the difference.", ...none };
  }
  let pixel: tf.LayersModel | null = null, adversarial: tf.LayersModel | null = null;
  try {
    pixel = await modelFromBundle(pixelBundle);
    adversarial = await modelFromBundle(adversarialBundle);
    const architecture = generatorArchitecture(pixel);
    const other = generatorArchitecture(adversarial);
    if (JSON.stringify(architecture) !== JSON.stringify(other)) throw new RangeError("the two shipped generators have different architectures");
    return { status: "ready", message: "", pixel, adversarial, record: adversarialBundle.record ?? pixelBundle.record, architecture };
  } catch (error) {
    pixel?.dispose();
    adversarial?.dispose();
    return { status: "error", message: `The shipped generators could not be used (${(error as Error).message}). Train from scratch below.`, ...none };
  }
}

/** What the shipped generators are, and what their pretraining recorded; or why there are none. */
export function shippedCard(shipped: ShippedGenerators): HTMLElement {
  if (shipped.status !== "ready") return el("div", { class: "meddl-message", "data-shipped": shipped.status }, shipped.message);
  const r = shipped.record;
  const o = r?.options ?? {};
  const a = shipped.architecture!;
  const recorded = r?.val && ["input", "pixel", "adversarial"].every((k) => r.val![k as "input"]);
  return el("div", { class: "meddl-dataset-card", "data-shipped": "ready" },
    el("b", {}, "Shipped converged generators"), " ", el("span", { class: "meddl-synthetic" }, "trained on synthetic phantoms"),
    el("p", { class: "meddl-dataset-description" },
      `Both are the residual CNN below (${a.layers} conv layers of ${a.filters} filters, ${a.size}×${a.size}), trained by the kit in node from the same seed: ` +
      (r?.steps ? `${r.steps.warm} steps of pixel loss, then ${r.steps.adversarial} more steps each of pixel loss only, or of pixel + ${o.lambda ?? "λ"} × adversarial loss ` : "pixel loss only, or pixel + λ × adversarial loss ") +
      `(${(o.pixelLoss ?? "l1").toUpperCase()}, dose ${o.dose?.toLocaleString("en") ?? "?"} photons, ${o.trainCount ?? "?"} training pairs). Same budget, same data: only the loss differs.`),
    recorded ? el("div", { class: "meddl-help" }, "Recorded at pretraining, on its validation set: ",
      ...(["input", "pixel", "adversarial"] as const).map((k, i) => `${i ? "; " : ""}${k === "input" ? "low-dose input" : k === "pixel" ? "pixel only" : "pixel + adversarial"} PSNR ${r!.val![k]!.psnr.toFixed(2)} dB, SSIM ${r!.val![k]!.ssim.toFixed(3)}, high-freq. ratio ${r!.val![k]!.hfRatio.toFixed(2)}`),
      ". The page scores them again, below, on its own data.") : null);
}

// ---- settings -------------------------------------------------------------------------------

/** What the page's pair of runs is built from: GAN_SETTINGS' names, plus the warm start of the adversarial run. */
export type { GanRunSettings } from "../train/ganPair";

/** The lesson's defaults: GAN_SETTINGS, with the adversarial term on from the first step. */
export const GAN_LESSON_DEFAULTS: GanRunSettings = {
  generatorFilters: GAN_SETTINGS.generatorFilters, generatorLayers: GAN_SETTINGS.generatorLayers, discriminatorFilters: GAN_SETTINGS.discriminatorFilters,
  seed: GAN_SETTINGS.seed, pixelLoss: GAN_SETTINGS.pixelLoss, lambda: GAN_SETTINGS.lambda, discriminatorSteps: GAN_SETTINGS.discriminatorSteps,
  generatorLearningRate: GAN_SETTINGS.generatorLearningRate, discriminatorLearningRate: GAN_SETTINGS.discriminatorLearningRate,
  batchSize: GAN_SETTINGS.batchSize, maxSteps: GAN_SETTINGS.maxSteps, validationEvery: GAN_SETTINGS.validationEvery, adversarialFrom: 0,
};

/** Defaults taken from the shipped generators' record (architecture, loss, λ, learning rates, dose), else the lesson's. */
export function ganDefaults(shipped: ShippedGenerators | null): GanRunSettings & { dose: number } {
  const o = shipped?.record?.options ?? {};
  const a = shipped?.architecture;
  const pick = <T>(value: T | undefined, fallback: T) => (value === undefined || value === null ? fallback : value);
  const d = GAN_LESSON_DEFAULTS;
  return {
    ...d,
    generatorFilters: pick(a?.filters, d.generatorFilters), generatorLayers: pick(a?.layers, d.generatorLayers), discriminatorFilters: pick(o.discriminatorFilters, d.discriminatorFilters),
    seed: pick(o.seed, d.seed), pixelLoss: pick(o.pixelLoss, d.pixelLoss), lambda: pick(o.lambda, d.lambda), discriminatorSteps: pick(o.discriminatorSteps, d.discriminatorSteps),
    generatorLearningRate: pick(o.generatorLearningRate, d.generatorLearningRate), discriminatorLearningRate: pick(o.discriminatorLearningRate, d.discriminatorLearningRate),
    batchSize: pick(o.batchSize, d.batchSize), dose: pick(o.dose, CT_DATA_DEFAULTS.dose),
  };
}

/** λ's range in the lesson: 0 (pixel loss only) to this. */
export const LAMBDA_MAX = 10;

/**
 * The adversarial weight λ: a log-scale slider whose far left is exactly 0 (pixel loss only), and
 * a number box for an exact value. Bad values (not a number, negative, absurdly large) are refused
 * with a message and the last good value stays.
 */
export function lambdaInput({ value = GAN_LESSON_DEFAULTS.lambda, label = "λ (adversarial weight)", help = "0 = pixel loss only; changes live" } = {}): Input<number> {
  const LOG_MIN = -4, ZERO_AT = -4.4; // slider positions left of LOG_MIN mean λ = 0
  const toSlider = (v: number) => (v <= 0 ? ZERO_AT : Math.log10(v));
  const fromSlider = (s: number) => (s < LOG_MIN ? 0 : Number((10 ** s).toPrecision(2)));
  const range = el("input", { type: "range", min: ZERO_AT, max: 1, step: 0.02, value: toSlider(value), "aria-label": label });
  const box = el("input", { type: "number", min: 0, max: LAMBDA_MAX, step: "any", value, class: "meddl-number" });
  const error = el("span", { class: "meddl-input-error", role: "alert" });
  let current = value;
  const root = el("label", { class: "meddl-field" }, el("span", { class: "meddl-label" }, label),
    el("span", { class: "meddl-slider" }, range, box, error), el("span", { class: "meddl-help" }, help)) as unknown as Input<number>;
  Object.defineProperty(root, "value", {
    get: () => current,
    set: (v: number) => {
      current = v;
      range.value = String(toSlider(v));
      box.value = String(v);
    },
  });
  const announce = () => root.dispatchEvent(new Event("input", { bubbles: true }));
  range.addEventListener("input", (event) => {
    event.stopPropagation();
    current = fromSlider(Number(range.value));
    box.value = String(current);
    error.textContent = "";
    announce();
  });
  box.addEventListener("input", (event) => event.stopPropagation());
  box.addEventListener("change", () => {
    const v = Number(box.value);
    if (box.value.trim() === "" || !Number.isFinite(v) || v < 0 || v > LAMBDA_MAX) {
      error.textContent = `λ must be a number from 0 to ${LAMBDA_MAX}`;
      box.value = String(current);
      return;
    }
    error.textContent = "";
    current = v;
    range.value = String(toSlider(v));
    announce();
  });
  return shareable(root, "lambda", numberCodec({ min: 0, max: LAMBDA_MAX })); // λ in the page's link
}

// ---- the pair -------------------------------------------------------------------------------

/** The pair as the page describes it (placeGanPair takes the same). */
export type MakeGanPairOptions = GanPairPlan;

/**
 * Two GanTrainers on the same data from the same seed: "pixel loss only" (λ = 0) and
 * "pixel + adversarial" (λ from the settings, after `adversarialFrom` pixel-only steps), in
 * lockstep. Both discriminators start from the same random weights; with `start`, each generator
 * from its shipped weights.
 */
export function makeGanPair({ data, settings, start = null }: MakeGanPairOptions): GanPair {
  return ganPairFromSettings(data, settings, start);
}

export interface LiveGanInputs {
  lambda?: Input<number>;
  discriminatorSteps?: Input<number>;
  generatorLearningRate?: Input<number>;
  discriminatorLearningRate?: Input<number>;
}

/** Sends the live controls' values to the running pair as they change; returns the function that unbinds them. */
export function bindGanControls(pair: GanPair, inputs: LiveGanInputs): () => void {
  const setters: [Input<number> | undefined, (v: number) => void][] = [
    [inputs.lambda, (v) => pair.setLambda(v)],
    [inputs.discriminatorSteps, (v) => pair.setDiscriminatorSteps(v)],
    [inputs.generatorLearningRate, (v) => pair.setGeneratorLearningRate(v)],
    [inputs.discriminatorLearningRate, (v) => pair.setDiscriminatorLearningRate(v)],
  ];
  const offs = setters.filter(([input]) => input).map(([input, set]) => {
    const apply = () => {
      try {
        set(input!.value);
      } catch (error) {
        console.warn((error as Error).message); // the inputs refuse bad values before this
      }
    };
    apply();
    input!.addEventListener("input", apply);
    return () => input!.removeEventListener("input", apply);
  });
  return () => offs.forEach((off) => off());
}

const FAILURE_NAMES = {
  "discriminator-wins": "The discriminator wins (D loss ≈ 0)",
  "mode-collapse": "Mode collapse (the same output for every input)",
} as const;

/**
 * Names what went wrong, per run: a discriminator that wins outright, mode collapse (warnings that
 * came and went stay listed, with their step). A divergence stops training and is named by the
 * training controls' message, just above. Says so when all is well.
 */
export function ganFailurePanel(pair: GanPair): HTMLElement {
  const items: HTMLElement[] = [];
  pair.runs.forEach((run, r) => {
    for (const w of run.history.warnings) {
      const holds = run.warning === w;
      items.push(el("li", { "data-failure": w.kind }, el("b", {}, `${FAILURE_NAMES[w.kind]}: `), `${pair.names[r]}, step ${w.step}. ${w.message}`, holds ? "" : el("span", { class: "meddl-help" }, " (over since)")));
    }
  });
  if (pair.evaluationError) items.push(el("li", { "data-failure": "evaluation" }, pair.evaluationError));
  const root = el("div", { class: "meddl-gan-failures", "data-failures": items.length });
  if (items.length) replace(root, el("div", { class: "meddl-message", role: "alert" }, el("b", {}, "What went wrong"), el("ul", { style: "margin:0.2rem 0" }, ...items)));
  else if (pair.state !== "diverged") replace(root, el("div", { class: "meddl-help" }, "No failure so far: no divergence, no discriminator winning outright, no mode collapse."));
  return root;
}
