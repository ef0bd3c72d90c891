/**
 * The GAN lesson's pair of denoisers, built in the training worker from a plain recipe.
 *
 * The page's GAN charts never read the networks themselves: they read each run's step records and
 * warnings, and each evaluation (the generator's outputs on the validation set and their scores).
 * So the worker computes all of that where the networks are, and sends it as events. Only the
 * generators' weights cross, at each scoring, for the page's copies (the dock saves them); never per step.
 */
import * as tf from "@tensorflow/tfjs";
import { buildGenerator } from "../../models/gan";
import type { GanStepRecord, GanWarning } from "../../train/gan";
import { GanPair, ganPairFromSettings, type GanEvaluation, type GanReference } from "../../train/ganPair";
import type { BatchRecord, EpochRecord, TrainerEvents } from "../../train/types";
import type { GanPairRecipe } from "../protocol";
import type { BuiltRun, RunLoop } from "../run";

/** The live settings the page may change while the pair trains (sent as "setOption" messages). */
export type GanSettingName = "lambda" | "discriminatorSteps" | "generatorLearningRate" | "discriminatorLearningRate";

/** New entries of one of a run's history lists: they start at index `from` (a reset starts again at 0). */
export interface HistorySlice<T> {
  from: number;
  items: T[];
}

/** After each step of one run: its new step records, batches and validations, its warnings, and the warning that holds now. */
export interface GanRunUpdate {
  run: number;
  steps: HistorySlice<GanStepRecord>;
  batches: HistorySlice<BatchRecord>;
  epochs: HistorySlice<EpochRecord>;
  warnings: GanWarning[];
  warning: GanWarning | null;
}

/** One run scored: its evaluation, how many quality points it has after it, the reference scores, and the generator's weights (for the page's copy, which the dock saves). */
export interface GanEvaluationUpdate {
  run: number;
  evaluation: GanEvaluation;
  qualityLength: number;
  reference: GanReference | null;
  generator: Float32Array[];
}

/** What the pair sends with its state and epoch events (the host calls it `validation`). */
export interface GanPairStatus {
  evaluationError: string;
  lambda: number;
}

/** The events of a pair in the worker, beyond batch, epoch and state. */
export interface WorkerGanPairEvents extends TrainerEvents {
  "gan:run": GanRunUpdate;
  "gan:evaluation": GanEvaluationUpdate;
}

/** A GanPair that also reports, after each run's step and evaluation, what the page's charts need. */
class WorkerGanPair extends GanPair {
  /** How far each run's lists have been sent: steps, batches, epochs. */
  private sent = [
    [0, 0, 0],
    [0, 0, 0],
  ];

  get learningRate(): number {
    return this.first.generatorLearningRate;
  }
  /** The host's learning-rate message sets both generators' rate (the page sends "setOption" for the rest). */
  setLearningRate(lr: number): void {
    this.setGeneratorLearningRate(lr);
  }
  /** Sent with every state and epoch event. */
  get validation(): GanPairStatus {
    return { evaluationError: this.evaluationError, lambda: this.lambda };
  }

  protected override async stepRun(i: number): Promise<void> {
    try {
      await super.stepRun(i);
    } finally {
      if (!this.disposed) this.report(i);
    }
  }

  protected override async restart(): Promise<void> {
    this.sent = [
      [0, 0, 0],
      [0, 0, 0],
    ];
    await super.restart();
  }

  /** The run's entries since the last report. */
  private report(i: number): void {
    const run = this.runs[i];
    const { steps, batches, epochs, warnings } = run.history;
    const slice = <T>(list: T[], k: number): HistorySlice<T> => {
      const from = this.sent[i][k] > list.length ? 0 : this.sent[i][k];
      this.sent[i][k] = list.length;
      return { from, items: list.slice(from) };
    };
    this.emitWorker("gan:run", {
      run: i,
      steps: slice(steps, 0),
      batches: slice(batches, 1),
      epochs: slice(epochs, 2),
      warnings: [...warnings],
      warning: run.warning,
    });
  }

  emitWorker<K extends keyof WorkerGanPairEvents>(event: K, value: WorkerGanPairEvents[K]): void {
    (this.emit as (event: string, value: unknown) => void)(event, value);
  }
}

/** Builds the pair in the worker; its charts' data comes out as "gan:run" and "gan:evaluation" events. */
export function buildGanPairRun(recipe: GanPairRecipe): BuiltRun {
  const tensors = (weights: Float32Array[], model: tf.LayersModel) =>
    model.weights.map((w, i) => tf.tensor(weights[i], w.shape as number[]));
  let start: { pixel: tf.Tensor[]; adversarial: tf.Tensor[] } | null = null;
  if (recipe.start) {
    // The shapes come from a generator of the same settings (the start must match it).
    const probe = buildGenerator({
      size: recipe.data.val.size,
      filters: recipe.settings.generatorFilters,
      layers: recipe.settings.generatorLayers,
    });
    try {
      for (const weights of [recipe.start.pixel, recipe.start.adversarial])
        if (weights.length !== probe.weights.length)
          throw new RangeError(`the start generator has ${weights.length} weights, the pair's ${probe.weights.length}`);
      start = { pixel: tensors(recipe.start.pixel, probe), adversarial: tensors(recipe.start.adversarial, probe) };
    } finally {
      probe.dispose();
    }
  }
  let pair: WorkerGanPair;
  try {
    pair = ganPairFromSettings(
      recipe.data,
      recipe.settings,
      start,
      (p, a, o) => new WorkerGanPair(p, a, o),
    ) as WorkerGanPair;
  } finally {
    if (start) tf.dispose([...start.pixel, ...start.adversarial]);
  }
  pair.on("evaluation", ({ run, evaluation }) =>
    pair.emitWorker("gan:evaluation", {
      run,
      evaluation,
      qualityLength: pair.quality[run].length,
      reference: pair.reference,
      generator: pair.runs[run].generator.getWeights().map((w) => new Float32Array(w.dataSync())),
    }),
  );
  const set: Record<GanSettingName, (v: number) => void> = {
    lambda: (v) => pair.setLambda(v),
    discriminatorSteps: (v) => pair.setDiscriminatorSteps(v),
    generatorLearningRate: (v) => pair.setGeneratorLearningRate(v),
    discriminatorLearningRate: (v) => pair.setDiscriminatorLearningRate(v),
  };
  const first = pair.first;
  const loop = pair as unknown as RunLoop;
  return {
    loop,
    shape: {
      batchesPerEpoch: first.batchesPerEpoch,
      epochs: first.epochs,
      totalSteps: first.totalSteps,
      batchSize: first.batchSize,
      seed: first.seed,
      scoreName: first.history.scoreName,
    },
    parts: [], // the page keeps no replicas: the generators' weights ride on "gan:evaluation"
    replicas: false,
    loadable: pair.runs.map((r) => r.generator), // Load model on the page writes here too
    events: ["batch", "epoch", "state", "gan:run", "gan:evaluation"],
    setOption(name, value) {
      if (!(name in set)) throw new Error(`the GAN pair has no live setting "${name}"`);
      set[name as GanSettingName](value);
    },
  };
}
