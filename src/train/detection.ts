/**
 * Training a detector the way the survey's lung-nodule papers did: a patch classifier learns from
 * patches cut out of whole slices (a few around each nodule, many more elsewhere), then runs over
 * every slice as a fully convolutional network. Each round ends with a validation on whole slices
 * (FROC, CPM) and, when hard-negative mining is on, a search of the training slices for the
 * false alarms the detector is surest of: they join the next round's negatives.
 */
import * as tf from "@tensorflow/tfjs";
import { ignoringBackendFailure } from "../backend/rescue";
import type { DetectionDataset, DetectionSplit, TrueObject } from "../data/chestSlices";
import { mulberry32, shuffle, withSeededRandom } from "../data/random";
import {
  cpm,
  frocCurve,
  imageOutcomes,
  matchRadius,
  nonMaximumSuppression,
  pixelAccuracy,
  type Candidate,
  type FrocPoint,
  type Heatmap,
  type ImageOutcomes,
  type NmsOptions,
} from "../metrics/detection";
import {
  fullyConvolutionalHeatmap,
  networkStride,
  syncFullyConvolutional,
  toFullyConvolutional,
} from "../models/fullyConvolutional";
import { checkLearningRate, LossWatch } from "./checks";
import { TrainingLoop } from "./loop";
import { RunGroup } from "./pair";
import { adam, setAdamLearningRate, WeightSnapshot } from "./snapshot";
import type { BatchRecord, EpochRecord, History } from "./types";
import { yieldToBrowser } from "./yield";

export interface DetectionTrainingOptions {
  /** Random negative patches per positive patch. */
  negativeRatio?: number;
  /** Positive patches (around true objects) in each round. */
  positivesPerRound?: number;
  /** Rounds: sample patches, train on them once, validate (and mine). */
  rounds?: number;
  batchSize?: number;
  learningRate?: number;
  /** Hard-negative mining: after each round, the surest false alarms on the training slices become negatives. */
  mining?: boolean;
  /** False alarms mined per round. */
  minedPerRound?: number;
  /** Fraction of each round's negatives drawn from the mined ones (once there are any). */
  minedFraction?: number;
  /** Candidate extraction (threshold, suppression radius, cap per slice). */
  nms?: NmsOptions;
  seed?: number;
}

export const DETECTION_DEFAULTS = {
  negativeRatio: 3,
  positivesPerRound: 128,
  rounds: 10,
  batchSize: 32,
  learningRate: 0.003,
  mining: false,
  minedPerRound: 96,
  minedFraction: 0.5,
  nms: {},
  seed: 1,
} as const;

/** Limits the page checks its controls against. */
export const DETECTION_LIMITS = {
  negativeRatio: { min: 0.25, max: 50 },
  positivesPerRound: { min: 8, max: 2048, integer: true },
  rounds: { min: 1, max: 100, integer: true },
  batchSize: { min: 2, max: 256, integer: true },
};

/** Patches and their labels (1 object, 0 background), row-major [N, P, P]. */
export interface PatchSet {
  images: Float32Array;
  labels: Int32Array;
  count: number;
}

/** A place in a split: image index and a centre pixel. */
export interface Location {
  image: number;
  x: number;
  y: number;
  score?: number;
}

/**
 * Copies the P×P patch centred at (cx, cy) of image `image` into `out` at `offset`, turned by one of
 * the 8 flips/rotations. Outside the image it repeats the edge pixels, as the detector's padding does.
 */
export function cutPatch(
  split: DetectionSplit,
  shape: [number, number],
  image: number,
  cx: number,
  cy: number,
  size: number,
  out: Float32Array,
  offset: number,
  turn = 0,
): void {
  const [h, w] = shape;
  const top = Math.round(cy) - size / 2,
    left = Math.round(cx) - size / 2;
  const base = image * h * w;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      // The 8 symmetries of a square: optional transpose, then optional flips.
      let u = turn & 4 ? y : x,
        v = turn & 4 ? x : y;
      if (turn & 1) u = size - 1 - u;
      if (turn & 2) v = size - 1 - v;
      const sy = Math.min(h - 1, Math.max(0, top + v)),
        sx = Math.min(w - 1, Math.max(0, left + u));
      out[offset + y * size + x] = split.images[base + sy * w + sx];
    }
  }
}

/** Is (x, y) far enough from every object to be a clean negative? */
function clearOfObjects(objects: TrueObject[], x: number, y: number, minRadius: number): boolean {
  return objects.every((o) => Math.hypot(o.x - x, o.y - y) > matchRadius(o, minRadius) + 2);
}

/** Uniformly random background locations of a split, `count` of them. */
export function randomNegatives(
  ds: DetectionDataset,
  split: DetectionSplit,
  count: number,
  rand: () => number,
): Location[] {
  const [h, w] = ds.imageShape;
  const out: Location[] = [];
  for (let tries = 0; out.length < count && tries < count * 50; tries++) {
    const image = Math.floor(rand() * split.count);
    const x = Math.floor(rand() * w),
      y = Math.floor(rand() * h);
    if (clearOfObjects(split.objects[image], x, y, ds.minMatchRadius)) out.push({ image, x, y });
  }
  return out;
}

/** Locations near the centres of true objects (a little jitter, so the centre need not be exact). */
export function positiveLocations(
  ds: DetectionDataset,
  split: DetectionSplit,
  count: number,
  rand: () => number,
): Location[] {
  const all = split.objects.flatMap((objects, image) => objects.map((o) => ({ image, o })));
  if (all.length === 0) return [];
  return Array.from({ length: count }, () => {
    const { image, o } = all[Math.floor(rand() * all.length)];
    const jitter = Math.max(1, 0.25 * o.r);
    return { image, x: o.x + (2 * rand() - 1) * jitter, y: o.y + (2 * rand() - 1) * jitter };
  });
}

/** Cuts the patches of a list of locations with their labels, each under a random flip/rotation. */
export function patchSet(
  ds: DetectionDataset,
  split: DetectionSplit,
  positives: Location[],
  negatives: Location[],
  rand: () => number,
): PatchSet {
  const size = ds.patchSize,
    all = [...positives.map((l) => ({ l, label: 1 })), ...negatives.map((l) => ({ l, label: 0 }))];
  const images = new Float32Array(all.length * size * size);
  const labels = new Int32Array(all.length);
  all.forEach(({ l, label }, i) => {
    cutPatch(split, ds.imageShape, l.image, l.x, l.y, size, images, i * size * size, Math.floor(rand() * 8));
    labels[i] = label;
  });
  return { images, labels, count: all.length };
}

/** What one validation on whole slices found. */
export interface DetectionValidation {
  round: number;
  heatmaps: Heatmap[];
  candidates: Candidate[][];
  outcomes: ImageOutcomes[];
  froc: FrocPoint[];
  cpm: number;
  pixelAccuracy: number;
  /** Fraction of heatmap cells that lie on an object: the imbalance. */
  objectFraction: number;
  /** The validation false alarms with the highest scores, surest first. */
  topFalseAlarms: Location[];
}

/** Heatmaps and candidates of every image of a split, one image per main-thread task. */
async function detectAll(
  fcn: tf.LayersModel,
  ds: DetectionDataset,
  split: DetectionSplit,
  stride: number,
  nms: NmsOptions,
): Promise<{ heatmaps: Heatmap[]; candidates: Candidate[][] }> {
  const [h, w] = ds.imageShape,
    px = h * w;
  const heatmaps: Heatmap[] = [],
    candidates: Candidate[][] = [];
  for (let i = 0; i < split.count; i++) {
    const map = await fullyConvolutionalHeatmap(
      fcn,
      split.images.subarray(i * px, (i + 1) * px),
      h,
      w,
      ds.patchSize,
      stride,
    );
    heatmaps.push(map);
    candidates.push(nonMaximumSuppression(map, nms));
    await yieldToBrowser();
  }
  return { heatmaps, candidates };
}

/** Scores the detector on whole validation slices. */
export function scoreDetections(
  ds: DetectionDataset,
  split: DetectionSplit,
  heatmaps: Heatmap[],
  candidates: Candidate[][],
  round: number,
): DetectionValidation {
  const outcomes = candidates.map((c, i) => imageOutcomes(c, split.objects[i], ds.minMatchRadius));
  const froc = frocCurve(candidates, split.objects, ds.minMatchRadius);
  const pixels = pixelAccuracy(heatmaps, split.objects, ds.minMatchRadius);
  const topFalseAlarms = outcomes
    .flatMap((o, image) =>
      o.candidates.filter((c) => c.outcome === "false alarm").map((c) => ({ image, x: c.x, y: c.y, score: c.score })),
    )
    .sort((a, b) => b.score - a.score)
    .slice(0, 24);
  return {
    round,
    heatmaps,
    candidates,
    outcomes,
    froc,
    cpm: cpm(froc),
    pixelAccuracy: pixels.accuracy,
    objectFraction: pixels.objectFraction,
    topFalseAlarms,
  };
}

/**
 * One detector in training. It has the shared training controls (start, pause, step, stop, reset),
 * and a history the learning-curve charts and the training buttons read: one "epoch" per round.
 */
export class DetectionTrainer extends TrainingLoop {
  readonly model: tf.LayersModel;
  readonly fcn: tf.LayersModel;
  readonly data: DetectionDataset;
  readonly options: Required<Omit<DetectionTrainingOptions, "nms">> & { nms: NmsOptions };
  readonly stride: number;
  readonly history: History = { scoreName: "accuracy", batches: [], epochs: [] };
  validation: DetectionValidation | null = null;
  /** The hard negatives mined so far (training-slice locations, surest first within each round). */
  mined: Location[] = [];

  private optimizer: tf.AdamOptimizer;
  /** Kept so reset() can return to exactly the same starting point. */
  private readonly initialWeights: WeightSnapshot;
  private readonly lossWatch = new LossWatch(Math.LN2);
  private patches: PatchSet = { images: new Float32Array(0), labels: new Int32Array(0), count: 0 };
  private order = new Int32Array(0);
  private round = 0;
  private batchInRound = 0;
  private roundLoss = 0;
  private roundScore = 0;
  private trainMs = 0;
  private disposed = false;

  constructor(patchModel: tf.LayersModel, data: DetectionDataset, options: DetectionTrainingOptions = {}) {
    super();
    const o = {
      ...DETECTION_DEFAULTS,
      ...options,
      nms: { radius: data.suppressRadius, maxCandidates: data.maxPerImage, ...options.nms },
    };
    checkLearningRate(o.learningRate);
    for (const [name, { min, max, integer }] of Object.entries(DETECTION_LIMITS) as [
      keyof typeof DETECTION_LIMITS,
      { min: number; max: number; integer?: boolean },
    ][]) {
      const v = o[name];
      if (!Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v)))
        throw new RangeError(`${name} must be ${integer ? "a whole number " : ""}between ${min} and ${max}, got ${v}`);
    }
    if (!data.train.objects.some((x) => x.length > 0))
      throw new RangeError(`the training images hold no ${data.objectName}: there is nothing to learn`);
    this.model = patchModel;
    this.data = data;
    this.options = o;
    this.stride = networkStride(patchModel);
    this.fcn = toFullyConvolutional(patchModel);
    this.initialWeights = new WeightSnapshot(patchModel);
    this.optimizer = adam(o.learningRate);
    this.newRound();
  }

  get learningRate(): number {
    return this.options.learningRate;
  }
  get epochs(): number {
    return this.options.rounds;
  }
  /** Batches in one round: every patch of the round once (a last partial batch is dropped). */
  get batchesPerEpoch(): number {
    return Math.max(1, Math.floor(this.patchesPerRound / this.options.batchSize));
  }
  get patchesPerRound(): number {
    return this.options.positivesPerRound + Math.round(this.options.positivesPerRound * this.options.negativeRatio);
  }
  get stepsTaken(): number {
    return this.round * this.batchesPerEpoch + this.batchInRound;
  }
  get totalSteps(): number {
    return this.options.rounds * this.batchesPerEpoch;
  }
  /** Milliseconds spent in training steps so far (validation and mining excluded). */
  get trainingMs(): number {
    return this.trainMs;
  }

  setLearningRate(lr: number): void {
    checkLearningRate(lr);
    this.options.learningRate = lr;
    setAdamLearningRate(this.optimizer, lr);
  }

  /** One forward and backward pass on zeros, thrown away: the backend prepares its kernels before the first real step. */
  async warmUp(): Promise<void> {
    await yieldToBrowser();
    if (this.disposed || this.state !== "idle") return;
    ignoringBackendFailure(() =>
      tf.tidy(() => {
        const xs = tf.zeros([this.options.batchSize, this.data.patchSize, this.data.patchSize, 1]);
        const vars = this.model.trainableWeights.map((v) => v.read() as tf.Variable);
        tf.variableGrads(() => tf.mean(this.model.apply(xs, { training: true }) as tf.Tensor) as tf.Scalar, vars);
      }),
    );
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    await this.stop();
    this.disposed = true;
    this.optimizer.dispose();
    this.initialWeights.dispose();
    this.model.dispose();
    this.fcn.dispose();
    this.clear();
  }

  protected get usable(): boolean {
    return !this.disposed;
  }

  protected advance(): Promise<void> {
    return this.trainOneBatch();
  }

  protected restart(): void {
    this.initialWeights.restore();
    this.optimizer.dispose();
    this.optimizer = adam(this.options.learningRate);
    this.history.batches = [];
    this.history.epochs = [];
    this.lossWatch.reset();
    this.validation = null;
    this.mined = [];
    this.state = "idle";
    this.message = "";
    this.round = 0;
    this.batchInRound = 0;
    this.roundLoss = 0;
    this.roundScore = 0;
    this.trainMs = 0;
    this.newRound();
  }

  /** This round's patches: positives, random negatives and (with mining) the mined hard negatives. */
  private newRound(): void {
    const o = this.options,
      rand = mulberry32(o.seed * 7919 + this.round);
    const negatives = Math.round(o.positivesPerRound * o.negativeRatio);
    const fromMined = o.mining ? Math.min(this.mined.length, Math.round(negatives * o.minedFraction)) : 0;
    const mined = this.mined.slice();
    shuffle(mined, rand);
    const positives = positiveLocations(this.data, this.data.train, o.positivesPerRound, rand);
    const randomOnes = randomNegatives(this.data, this.data.train, negatives - fromMined, rand);
    this.patches = patchSet(this.data, this.data.train, positives, [...randomOnes, ...mined.slice(0, fromMined)], rand);
    this.order = Int32Array.from({ length: this.patches.count }, (_, i) => i);
    shuffle(this.order, rand);
  }

  private async trainOneBatch(): Promise<void> {
    const { batchSize, seed } = this.options;
    const indices = this.order.subarray(this.batchInRound * batchSize, (this.batchInRound + 1) * batchSize);
    const started = performance.now();
    const { loss, score } = withSeededRandom(seed * 1_000_003 + this.stepsTaken, () => this.optimiseOn(indices));
    const [lossValue] = await loss.data();
    const [scoreValue] = await score.data();
    this.trainMs += performance.now() - started;
    loss.dispose();
    score.dispose();
    this.batchInRound++;
    const record: BatchRecord = {
      step: this.stepsTaken,
      epoch: this.round + 1,
      batch: this.batchInRound,
      batchesPerEpoch: this.batchesPerEpoch,
      loss: lossValue,
      score: scoreValue,
      learningRate: this.options.learningRate,
    };
    const diverged = this.lossWatch.check(lossValue);
    this.history.batches.push(record);
    this.roundLoss += lossValue;
    this.roundScore += scoreValue;
    this.emit("batch", record);
    if (diverged) {
      this.setState("diverged", diverged);
      return;
    }
    if (this.batchInRound >= this.batchesPerEpoch) await this.finishRound();
  }

  /** Forward pass, cross-entropy, gradients and update, in one tidy: only the two scalars escape. */
  private optimiseOn(indices: Int32Array): { loss: tf.Scalar; score: tf.Scalar } {
    const size = this.data.patchSize * this.data.patchSize;
    const xs = new Float32Array(indices.length * size),
      ys = new Float32Array(indices.length * 2);
    indices.forEach((k, b) => {
      xs.set(this.patches.images.subarray(k * size, (k + 1) * size), b * size);
      ys[2 * b + this.patches.labels[k]] = 1;
    });
    return tf.tidy(() => {
      const x = tf.tensor4d(xs, [indices.length, this.data.patchSize, this.data.patchSize, 1]);
      const y = tf.tensor2d(ys, [indices.length, 2]);
      const kept: { probs?: tf.Tensor } = {};
      const vars = this.model.trainableWeights.map((w) => w.read() as tf.Variable);
      const { value, grads } = tf.variableGrads(() => {
        const probs = this.model.apply(x, { training: true }) as tf.Tensor;
        kept.probs = tf.keep(probs);
        return tf.mean(tf.metrics.categoricalCrossentropy(y, probs)) as tf.Scalar;
      }, vars);
      this.optimizer.applyGradients(grads as unknown as tf.NamedTensorMap & Record<string, tf.Variable>);
      const score = tf.mean(tf.cast(tf.equal(tf.argMax(kept.probs!, -1), tf.argMax(y, -1)), "float32")) as tf.Scalar;
      kept.probs!.dispose();
      return { loss: value as tf.Scalar, score };
    });
  }

  /** Validates on whole slices, mines hard negatives if asked, and prepares the next round. */
  private async finishRound(): Promise<void> {
    const n = this.batchesPerEpoch;
    const validation = await this.validate();
    const record: EpochRecord = {
      epoch: this.round + 1,
      step: this.stepsTaken,
      trainLoss: this.roundLoss / n,
      trainScore: this.roundScore / n,
      valLoss: NaN,
      metrics: { cpm: validation.cpm, pixelAccuracy: validation.pixelAccuracy },
      trainMs: this.trainMs,
    };
    this.history.epochs.push(record);
    if (this.options.mining && this.round + 1 < this.options.rounds) await this.mine();
    this.round++;
    this.batchInRound = 0;
    this.roundLoss = 0;
    this.roundScore = 0;
    if (this.round < this.options.rounds) this.newRound();
    this.emit("epoch", record);
    if (this.round >= this.options.rounds) this.setState("done", `finished ${this.options.rounds} rounds`);
  }

  /** Runs the fully convolutional twin over every validation slice and scores it. */
  async validate(): Promise<DetectionValidation> {
    syncFullyConvolutional(this.model, this.fcn);
    const { heatmaps, candidates } = await detectAll(this.fcn, this.data, this.data.val, this.stride, this.options.nms);
    this.validation = scoreDetections(this.data, this.data.val, heatmaps, candidates, this.round + 1);
    return this.validation;
  }

  /** Hard-negative mining: the training-slice false alarms the detector is surest of join the negatives. */
  private async mine(): Promise<void> {
    const { candidates } = await detectAll(this.fcn, this.data, this.data.train, this.stride, {
      ...this.options.nms,
      threshold: 0.01,
    });
    const falseAlarms = candidates
      .flatMap((cands, image) =>
        cands
          .filter((c) => clearOfObjects(this.data.train.objects[image], c.x, c.y, this.data.minMatchRadius))
          .map((c) => ({ image, x: c.x, y: c.y, score: c.score })),
      )
      .sort((a, b) => b.score - a.score)
      .slice(0, this.options.minedPerRound);
    // Newest first; the pool keeps a few rounds' worth, so old, now-solved mistakes fade out.
    this.mined = [...falseAlarms, ...this.mined].slice(0, 4 * this.options.minedPerRound);
  }
}

/**
 * Several detectors trained in lockstep (e.g. without and with hard-negative mining), one step each
 * in turn, so at every moment they have taken the same number of steps: the kit's RunGroup, with one
 * live learning rate for all. The shared buttons drive it.
 */
export class DetectionComparison extends RunGroup<DetectionTrainer> {
  get learningRate() {
    return this.first.learningRate;
  }

  setLearningRate(lr: number): void {
    for (const r of this.runs) r.setLearningRate(lr);
  }

  protected override get doneMessage(): string {
    return `finished ${this.epochs} rounds`;
  }
}
