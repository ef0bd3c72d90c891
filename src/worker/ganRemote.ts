/**
 * The GAN lesson's pair of denoisers, trained in the training worker and seen from the page.
 *
 * `RemoteGanPair` has what the GAN charts, the scoreboard and the failure panel read of a GanPair
 * (names, each run's step records and warnings, the quality over time, the latest outputs on the
 * validation set, the reference scores) and the same controls and live settings. The worker
 * computes the outputs and scores where the generators are, and sends them as events.
 */
import * as tf from "@tensorflow/tfjs";
import { checkWhole } from "../core/checks";
import { buildGenerator } from "../models/gan";
import { checkLambda, type GanData, type GanHistory, type GanWarning } from "../train/gan";
import {
  GAN_PAIR_NAMES,
  ganPairFromSettings,
  GanPair,
  type GanEvaluation,
  type GanPairEvents,
  type GanQualityPoint,
  type GanReference,
  type GanRunSettings,
} from "../train/ganPair";
import { checkLearningRate } from "../train/checks";
import { mainThreadReason, trainingWorker, type PlaceOptions } from "./place";
import type { FromWorker } from "./protocol";
import { createInWorker, RemoteEventRun, type WorkerConnection } from "./remote";
import type { GanEvaluationUpdate, GanPairStatus, GanRunUpdate, GanSettingName, HistorySlice } from "./recipes/gan";

/** The pair as the page describes it: its data, settings, and generators to start from (copied in). */
export interface GanPairPlan {
  data: GanData;
  settings: GanRunSettings;
  /** Generators to start from (weights copied in; reset returns to them), or null for random weights. */
  start?: { pixel: tf.LayersModel; adversarial: tf.LayersModel } | null;
}

/** One run of the pair as the page sees it: its history, warnings, and a copy of its generator (as of its last scoring). */
export interface RemoteGanRun {
  history: GanHistory;
  warning: GanWarning | null;
  generator: tf.LayersModel;
}

export class RemoteGanPair extends RemoteEventRun<GanPairStatus, GanPairEvents> {
  readonly names: [string, string] = [...GAN_PAIR_NAMES];
  readonly runs: [RemoteGanRun, RemoteGanRun];
  readonly quality: [GanQualityPoint[], GanQualityPoint[]] = [[], []];
  readonly latest: [GanEvaluation | null, GanEvaluation | null] = [null, null];
  reference: GanReference | null = null;
  evaluationError = "";
  readonly adversarialFrom: number;
  /** Resolves once both runs have been scored at step 0 in the worker. */
  ready: Promise<void>;
  private lambdaValue: number;
  private scored = new Set<number>();
  private resolveReady: () => void = () => {};

  constructor(
    connection: WorkerConnection,
    created: Extract<FromWorker, { type: "created" }>,
    readonly data: GanData,
    settings: GanRunSettings,
  ) {
    super(connection, created);
    const run = (): RemoteGanRun => ({
      history: { scoreName: "psnr", batches: [], epochs: [], steps: [], validations: [], warnings: [] },
      warning: null,
      generator: buildGenerator({
        size: data.val.size,
        filters: settings.generatorFilters,
        layers: settings.generatorLayers,
        seed: settings.seed,
      }),
    });
    this.runs = [run(), run()];
    this.adversarialFrom = settings.adversarialFrom;
    this.lambdaValue = settings.lambda;
    this.ready = new Promise((resolve) => (this.resolveReady = resolve));
  }

  get first(): RemoteGanRun {
    return this.runs[0];
  }
  get second(): RemoteGanRun {
    return this.runs[1];
  }
  get lambda(): number {
    return this.lambdaValue;
  }
  get warmingUp(): boolean {
    return this.stepsTaken < this.adversarialFrom;
  }
  get warnings(): { run: number; name: string; warning: GanWarning }[] {
    return this.runs.flatMap((r, i) => (r.warning ? [{ run: i, name: this.names[i], warning: r.warning }] : []));
  }

  // ---- live settings: checked here first, so bad values throw as they do on the page ----

  setLambda(lambda: number): void {
    checkLambda(lambda);
    this.lambdaValue = lambda;
    this.set("lambda", lambda);
  }
  setDiscriminatorSteps(k: number): void {
    checkWhole("discriminator steps", k, 1, 10);
    this.set("discriminatorSteps", k);
  }
  setGeneratorLearningRate(lr: number): void {
    checkLearningRate(lr);
    this.learningRate = lr;
    this.set("generatorLearningRate", lr);
  }
  setDiscriminatorLearningRate(lr: number): void {
    checkLearningRate(lr);
    this.set("discriminatorLearningRate", lr);
  }
  /** The shared learning-rate control sets the generators'. */
  setLearningRate(lr: number): void {
    this.setGeneratorLearningRate(lr);
  }

  private set(name: GanSettingName, value: number): void {
    void this.setOption(name, value);
  }

  /**
   * Sends a page copy's weights to its generator in the worker, after the page changed them (Load
   * model), so training goes on from them. Reset still returns to the run's starting weights.
   */
  async pushModel(model: tf.LayersModel): Promise<void> {
    const run = this.runs.findIndex((r) => r.generator === model);
    if (this.disposed || run < 0) return;
    const weights = await Promise.all(model.getWeights().map(async (w) => new Float32Array(await w.data())));
    const reply = await this.connection.request(
      { type: "setWeights", runId: this.runId, part: run, weights },
      weights.map((w) => w.buffer as ArrayBuffer),
    );
    this.check(reply, { stop: false });
  }

  private takeGenerator(model: tf.LayersModel, weights: Float32Array[]): void {
    if (!this.disposed) takeGeneratorWeights(model, weights);
  }

  override async dispose(): Promise<void> {
    if (this.disposed) return;
    await super.dispose();
    for (const r of this.runs) r.generator.dispose();
  }

  /** The worker's event, then the pair's own: a run's steps and warnings, a scoring with its outputs. */
  override apply(message: Extract<FromWorker, { type: "event" }>): void {
    super.apply(message);
    if (message.validation) this.evaluationError = (message.validation as GanPairStatus).evaluationError;
    if (message.event === "gan:run") this.takeRun(message.value as GanRunUpdate);
    if (message.event === "gan:evaluation") this.takeEvaluation(message.value as GanEvaluationUpdate);
  }

  /** A run's new step records and warnings; a reset in the worker shows as a shorter history. */
  private takeRun({ run, steps, batches, epochs, warnings, warning }: GanRunUpdate): void {
    const r = this.runs[run];
    const take = <T>(list: T[], { from, items }: HistorySlice<T>) => {
      list.length = Math.min(list.length, from);
      list.push(...items);
    };
    take(r.history.steps, steps);
    take(r.history.batches, batches);
    take(r.history.epochs, epochs);
    const fresh = warnings.length > r.history.warnings.length ? warnings.slice(r.history.warnings.length) : [];
    r.history.warnings = warnings;
    r.warning = warning;
    for (const record of steps.items) this.emitAny("step", { run, record });
    for (const w of fresh) this.emitAny("warning", { run, warning: w });
  }

  private takeEvaluation({ run, evaluation, qualityLength, reference, generator }: GanEvaluationUpdate): void {
    this.takeGenerator(this.runs[run].generator, generator);
    if (qualityLength === 1) {
      // Step 0 after construction or a reset: the worker's histories start again.
      this.quality[run].length = 0;
      if (run === 0) this.latest[1] = null;
    }
    this.quality[run].length = Math.min(this.quality[run].length, qualityLength - 1);
    const { step, psnr, ssim, hfRatio } = evaluation;
    this.quality[run].push({ step, psnr, ssim, hfRatio });
    this.latest[run] = evaluation;
    this.reference = reference;
    this.evaluationError = "";
    this.scored.add(run);
    if (this.scored.size === 2) this.resolveReady();
    this.emitAny("evaluation", { run, evaluation });
  }
}

/** The page's copy of a generator takes the worker's weights (setWeights copies: the temporaries go at once). */
function takeGeneratorWeights(model: tf.LayersModel, weights: Float32Array[]): void {
  const values = model.weights.map((w, i) => tf.tensor(weights[i], w.shape as number[]));
  try {
    model.setWeights(values);
  } finally {
    tf.dispose(values);
  }
}

/** The page's GAN pair on the main thread, with the reason it is there. */
export type LocalGanPair = GanPair & { runsIn: "main"; placeReason: string };
export type PlacedGanPair = RemoteGanPair | LocalGanPair;

/** The start generators' weights, copied out for the worker. */
async function weightsOf(model: tf.LayersModel): Promise<Float32Array[]> {
  return Promise.all(model.getWeights().map(async (w) => new Float32Array(await w.data())));
}

/** Builds the pair in the worker behind `connection`; throws with the worker's reason if it cannot. */
export async function remoteGanPair(
  connection: WorkerConnection,
  { data, settings, start }: GanPairPlan,
): Promise<RemoteGanPair> {
  const recipeStart = start
    ? { pixel: await weightsOf(start.pixel), adversarial: await weightsOf(start.adversarial) }
    : null;
  // Only the pairs' typed arrays and numbers cross (the page's data object may carry more).
  const recipeData: GanData = { train: { ...data.train }, val: { ...data.val } };
  const created = await createInWorker(connection, {
    kind: "ganPair",
    data: recipeData,
    settings: { ...settings },
    start: recipeStart,
  });
  return new RemoteGanPair(connection, created, data, settings);
}

/**
 * The GAN pair in the training worker when it can start there, else on the main thread
 * (as makeGanPair builds it). Either way it has the surface the lesson's charts and controls read.
 */
export async function placeGanPair(options: GanPairPlan, place: PlaceOptions = {}): Promise<PlacedGanPair> {
  const local = (reason: string): LocalGanPair =>
    Object.assign(ganPairFromSettings(options.data, options.settings, options.start), {
      runsIn: "main" as const,
      placeReason: reason,
    });
  const reason = mainThreadReason(place);
  if (reason) return local(reason);
  let connection;
  try {
    connection = await trainingWorker(place);
  } catch (error) {
    return local(`the training worker could not start (${(error as Error).message})`);
  }
  try {
    return await remoteGanPair(connection, options);
  } catch (error) {
    return local(`the training worker could not take this run (${(error as Error).message})`);
  }
}
