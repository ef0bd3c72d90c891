/**
 * The GAN lesson's experiment: two denoisers trained side by side on the same pairs, from the same
 * seed, one step each in turn. The first learns from the pixel loss alone (λ = 0, the baseline);
 * the second from pixel + λ · adversarial. Everything else is the same, so any difference between
 * them comes from the adversarial term.
 *
 * A GanPair is a RunGroup (the same lockstep, controls and events as any side-by-side runs). It
 * adds what the lesson's charts need and one GanTrainer does not keep: after every validation,
 * each run's outputs on the validation set and how they compare with the clean targets (PSNR, SSIM,
 * high-frequency power, power spectra), also at step 0, so a run that starts from shipped,
 * converged weights shows its result before any training. Each scoring is an "evaluation" event.
 */
import { meanRadialSpectrum, scoreDenoising, type DenoisingScore } from "../metrics/image";
import type * as tf from "@tensorflow/tfjs";
import { buildDiscriminator, buildGenerator } from "../models/gan";
import { checkLambda, GanTrainer, type GanData, type GanStepRecord, type GanWarning } from "./gan";
import type { GanSettings } from "./ganSettings";
import { RunGroup } from "./pair";
import type { TrainerEvents, TrainerState } from "./types";
import { yieldToBrowser } from "./yield";

/** One run's scores at one step, with its outputs on the validation set (row-major [count, size, size]). */
export interface GanEvaluation extends DenoisingScore {
  step: number;
  outputs: Float32Array;
}

/** The scalar part of an evaluation, one point of the "quality over time" charts. */
export interface GanQualityPoint {
  step: number;
  psnr: number;
  ssim: number;
  hfRatio: number;
}

export type GanRunName = "pixel" | "adversarial";

export interface GanPairEvents extends TrainerEvents {
  /** A step of one run. */
  step: { run: number; record: GanStepRecord };
  /** A run was scored (at step 0 and after each of its validations): what the quality charts redraw on. */
  evaluation: { run: number; evaluation: GanEvaluation };
  warning: { run: number; warning: GanWarning };
}

export const GAN_PAIR_NAMES: [string, string] = ["pixel loss only", "pixel + adversarial"];

/** The reference every run is measured against: the noisy inputs and the clean targets of the validation set. */
export interface GanReference {
  input: DenoisingScore;
  targetSpectrum: number[];
}

export interface GanPairOptions {
  names?: [string, string];
  /**
   * Steps of pixel loss only before the adversarial run's λ switches on (0: from the first step).
   * From random weights the discriminator's first verdicts are noise, and at full λ they pull the
   * generator off course before it has learnt to denoise at all; the shipped generators were made
   * the same way (a pixel-loss warm start, then the adversarial term). During the warm start the
   * two runs are the same run: same data, same seed, same loss.
   */
  adversarialFrom?: number;
}

export class GanPair extends RunGroup<GanTrainer, GanPairEvents> {
  declare readonly runs: [GanTrainer, GanTrainer];
  declare readonly names: [string, string];
  /** Each run's quality over time, from step 0. */
  readonly quality: [GanQualityPoint[], GanQualityPoint[]] = [[], []];
  /** Each run's latest evaluation (outputs and spectra), or null before the first. */
  readonly latest: [GanEvaluation | null, GanEvaluation | null] = [null, null];
  /** The noisy inputs' own scores and the targets' spectrum (null until computed, once). */
  reference: GanReference | null = null;
  /** Resolves when both runs have been scored at their current step 0 (after construction or reset). Never rejects. */
  ready: Promise<void>;
  /** Why scoring failed, if it did (shown by the page; training can still go on). */
  evaluationError = "";

  /** Steps of pixel loss only before the adversarial run's λ applies. */
  readonly adversarialFrom: number;

  private lambdaTarget: number;
  private validated = [false, false];
  private unsubscribe: (() => void)[] = [];

  /** `pixel` must train at λ = 0; `adversarial` at λ > 0 (it may be set to 0 live, to see the two merge). */
  constructor(
    pixel: GanTrainer,
    adversarial: GanTrainer,
    { names = GAN_PAIR_NAMES, adversarialFrom = 0 }: GanPairOptions = {},
  ) {
    if (!(Number.isInteger(adversarialFrom) && adversarialFrom >= 0))
      throw new RangeError(`the pixel-only warm start must be a whole number of steps ≥ 0, got ${adversarialFrom}`);
    if (pixel.lambda !== 0) throw new RangeError(`the pixel-loss run must have λ = 0, got ${pixel.lambda}`);
    if (pixel.data !== adversarial.data) throw new RangeError("both runs must train on the same data");
    if (pixel.seed !== adversarial.seed) throw new RangeError("both runs must use the same seed");
    if (pixel.maxSteps !== adversarial.maxSteps || pixel.batchSize !== adversarial.batchSize)
      throw new RangeError("both runs must take the same number of steps of the same batch size");
    super([pixel, adversarial], names);
    this.adversarialFrom = adversarialFrom;
    this.lambdaTarget = adversarial.lambda;
    this.applyLambda();
    this.runs.forEach((run, i) => {
      this.unsubscribe.push(
        run.on("step", (record) => this.emit("step", { run: i, record })),
        run.on("validation", () => (this.validated[i] = true)),
        run.on("warning", (warning) => {
          this.message = this.warningText();
          this.emit("warning", { run: i, warning });
        }),
      );
    });
    this.ready = this.evaluateAll();
  }

  get second(): GanTrainer {
    return this.runs[1];
  }
  get data() {
    return this.first.data;
  }

  // ---- live settings: λ belongs to the adversarial run, the rest to both ----

  /** The adversarial run's λ (it applies from step adversarialFrom + 1 on). */
  get lambda(): number {
    return this.lambdaTarget;
  }
  setLambda(lambda: number): void {
    checkLambda(lambda);
    this.lambdaTarget = lambda;
    this.applyLambda();
  }
  /** Whether the adversarial run is still in its pixel-only warm start. */
  get warmingUp(): boolean {
    return this.second.stepsTaken < this.adversarialFrom;
  }

  /** λ for the adversarial run's next step: 0 during the warm start. */
  private applyLambda(): void {
    const lambda = this.warmingUp ? 0 : this.lambdaTarget;
    if (this.second.lambda !== lambda) this.second.setLambda(lambda);
  }
  setDiscriminatorSteps(k: number): void {
    for (const r of this.runs) r.setDiscriminatorSteps(k);
  }
  setGeneratorLearningRate(lr: number): void {
    for (const r of this.runs) r.setGeneratorLearningRate(lr);
  }
  setDiscriminatorLearningRate(lr: number): void {
    for (const r of this.runs) r.setDiscriminatorLearningRate(lr);
  }

  /** Every warning that holds now, each with its run's name. */
  get warnings(): { run: number; name: string; warning: GanWarning }[] {
    return this.runs.flatMap((r, i) => (r.warning ? [{ run: i, name: this.names[i], warning: r.warning }] : []));
  }

  override async dispose(): Promise<void> {
    if (this.disposed) return;
    await this.stop();
    this.disposed = true;
    await this.ready;
    for (const off of this.unsubscribe) off();
    for (const r of this.runs) await r.dispose();
    this.clear();
  }

  // ---- the loop: the group's, with λ's warm start and scoring around each step ----

  protected override async restart(): Promise<void> {
    await this.ready;
    await super.restart();
    this.applyLambda();
    this.quality.forEach((q) => (q.length = 0));
    this.latest.fill(null);
    this.message = "";
    this.ready = this.evaluateAll();
    await this.ready;
  }

  protected override async advance(): Promise<void> {
    await this.ready;
    await super.advance();
    if (this.state === "running") this.message = this.warningText();
  }

  /** Run i's step; the adversarial run gets its λ first, and a run that validated is scored after. */
  protected override async stepRun(i: number): Promise<void> {
    if (i === 1) this.applyLambda();
    this.validated[i] = false;
    await this.runs[i].step();
    if (this.validated[i] && !this.disposed) await this.evaluate(i);
  }

  protected override get doneMessage(): string {
    return `finished ${this.totalSteps} steps`;
  }

  /** While a warning holds, pausing and resuming keep it on show. */
  protected override setState(state: TrainerState, message = ""): void {
    const live = state === "running" || state === "paused" || state === "idle";
    super.setState(state, message || (live ? this.warningText() : ""));
  }

  private warningText(): string {
    return this.warnings.map((w) => `${w.name}: ${w.warning.message}`).join(" · ");
  }

  /** Scores the inputs (once) and both runs at their current weights (step 0 after construction or reset). */
  private async evaluateAll(): Promise<void> {
    try {
      await yieldToBrowser(); // let the page draw first
      if (!this.reference) {
        const { val } = this.data;
        const input = await scoreDenoising(val.inputs, val.targets, val.count, val.size, { pause: yieldToBrowser });
        this.reference = { input, targetSpectrum: meanRadialSpectrum(val.targets, val.count, val.size) };
      }
      for (let i = 0; i < this.runs.length && !this.disposed; i++) await this.evaluate(i);
      this.evaluationError = "";
    } catch (error) {
      if (this.disposed) return;
      this.evaluationError = `could not score the denoisers: ${(error as Error).message}`;
      // Panels that show failures redraw on state events: announce the state again.
      this.emitShared("state", { state: this.state, message: this.message });
    }
  }

  /** Run i's outputs on the validation set, and their scores. */
  private async evaluate(i: number): Promise<void> {
    const run = this.runs[i];
    const { val } = run.data;
    const step = run.stepsTaken;
    let outputs: Float32Array;
    try {
      outputs = await run.predictAsync(val.inputs, val.count);
    } catch (error) {
      if (this.disposed) return; // the page moved on while this was running
      throw error;
    }
    const score = await scoreDenoising(outputs, val.targets, val.count, val.size, { pause: yieldToBrowser });
    if (this.disposed) return;
    const evaluation: GanEvaluation = { step, outputs, ...score };
    this.latest[i] = evaluation;
    this.quality[i].push({ step, psnr: score.psnr, ssim: score.ssim, hfRatio: score.hfRatio });
    this.emit("evaluation", { run: i, evaluation });
  }
}

/** The settings of the lesson's pair (those of GanSettings a pair uses, and when the adversarial run's λ switches on). */
export type GanRunSettings = Pick<
  GanSettings,
  | "generatorFilters"
  | "generatorLayers"
  | "discriminatorFilters"
  | "seed"
  | "pixelLoss"
  | "lambda"
  | "discriminatorSteps"
  | "generatorLearningRate"
  | "discriminatorLearningRate"
  | "batchSize"
  | "maxSteps"
  | "validationEvery"
> & {
  /** Pixel-loss-only steps before the adversarial run's λ switches on. */
  adversarialFrom: number;
};

/** Where a generator starts: a model's weights or plain tensors (copied in). */
type WarmStart = tf.LayersModel | tf.Tensor[];

/**
 * Two GanTrainers on the same data from the same seed: "pixel loss only" (λ = 0) and
 * "pixel + adversarial" (λ from the settings, after `adversarialFrom` pixel-only steps), in
 * lockstep. Both discriminators start from the same random weights; with `start`, each generator
 * from its given weights (a model's or plain tensors, copied in; reset returns to them). The
 * lesson's page (makeGanPair) and the training worker build the pair with it.
 */
export function ganPairFromSettings(
  data: GanData,
  s: GanRunSettings,
  start: { pixel: WarmStart; adversarial: WarmStart } | null = null,
  makePair: (pixel: GanTrainer, adversarial: GanTrainer, options: GanPairOptions) => GanPair = (p, a, o) =>
    new GanPair(p, a, o),
): GanPair {
  const size = data.val.size;
  const run = (lambda: number, warmStart?: WarmStart) =>
    new GanTrainer(
      buildGenerator({ size, filters: s.generatorFilters, layers: s.generatorLayers, seed: s.seed }),
      buildDiscriminator({ size, filters: s.discriminatorFilters, seed: s.seed }),
      data,
      {
        pixelLoss: s.pixelLoss,
        lambda,
        discriminatorSteps: s.discriminatorSteps,
        generatorLearningRate: s.generatorLearningRate,
        discriminatorLearningRate: s.discriminatorLearningRate,
        batchSize: s.batchSize,
        maxSteps: s.maxSteps,
        seed: s.seed,
        validationEvery: s.validationEvery,
        warmStart,
      },
    );
  const pixel = run(0, start?.pixel);
  let adversarial: GanTrainer | null = null;
  try {
    adversarial = run(s.lambda, start?.adversarial);
    return makePair(pixel, adversarial, { adversarialFrom: s.adversarialFrom });
  } catch (error) {
    void pixel.dispose();
    void adversarial?.dispose();
    throw error;
  }
}
