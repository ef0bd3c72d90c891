/**
 * The transfer lesson's panels: where the source model comes from (shipped weights, or pretrained
 * now, with progress), the sweep (button, progress, the central chart), the speed table, the
 * first-layer filters of the three models side by side, and the feature-space picture.
 */
import type * as tf from "@tensorflow/tfjs";
import type { ClassificationDataset } from "../data/types";
import { pcaSlices } from "../metrics/pca";
import { featureSlices, STRATEGY_NAMES, type Strategy } from "../models/transfer";
import { runAtOnce, runInSlices, type Slices } from "../core/slices";
import { modelFromBundle, type WeightsBundle } from "../models/weights";
import type { TrainerGroup } from "../train/pair";
import { pretrainSource, type PretrainRecord } from "../train/pretrain";
import { runSweep, type SweepOptions, type SweepPoint } from "../train/sweep";
import { featureScatter, sweepChart, timeToReach, type StrategyRun } from "../viz/transfer";
import { filterGrid } from "../viz/filters";
import { sweepRunner } from "../ui/sweepRunner";
import { el, replace } from "../core/dom";
import type { Input } from "../ui/inputs";

/** A source model with what is known about how it was trained. */
export interface SourceModel {
  model: tf.LayersModel;
  record: PretrainRecord | null;
  /** "shipped" weights from data/, or trained "live" in this page. */
  origin: "shipped" | "live";
}

/** A way to pretrain a source now: a menu label and the dataset it trains on. */
export interface SourceOption {
  id: string;
  label: string;
  data: () => Promise<ClassificationDataset> | ClassificationDataset;
}

function describeSource(s: SourceModel | null): HTMLElement {
  if (!s) return el("p", { class: "meddl-message" }, "No source model yet: the shipped weights are missing (run `npm run pretrain`), so pretrain one now.");
  const r = s.record;
  const how = r ? `${r.source}, ${r.trainCount.toLocaleString("en")} images, ${r.epochs} epoch${r.epochs === 1 ? "" : "s"}, seed ${r.seed}` : "unknown training";
  return el("p", { class: "meddl-source-record", "data-origin": s.origin, "data-val-accuracy": r ? String(r.valAccuracy) : "" },
    el("b", {}, s.origin === "shipped" ? "Shipped source weights" : "Source pretrained in this page"),
    ` (${how}): source validation accuracy `, el("b", {}, r ? `${(100 * r.valAccuracy).toFixed(1)}%` : "?"),
    r ? ` over ${r.valCount.toLocaleString("en")} images${r.classes ? ` (chance ${(100 / r.classes).toFixed(0)}%)` : ""}.` : ".");
}

/**
 * Shows the current source model and a "pretrain the source model now" button with a progress bar.
 * Its value is the source model in use; it fires "input" when a newly pretrained one replaces it.
 */
export function sourcePanel(
  shipped: WeightsBundle<PretrainRecord> | null, options: SourceOption[],
  /** `pretrain`: what trains a source now (default pretrainSource, on the main thread; the page passes workerPretrain). */
  { epochs = 2, pretrain = pretrainSource }: { epochs?: number; pretrain?: typeof pretrainSource } = {},
): Input<SourceModel | null> & { ready: Promise<void> } {
  let current: SourceModel | null = null;
  const info = el("div", {});
  const filters = el("div", {});
  const menu = el("select", { "aria-label": "Source task" }, ...options.map((o) => el("option", { value: o.id }, o.label)));
  const epochsInput = el("input", { type: "number", min: 1, max: 20, value: epochs, style: "width: 4em" });
  const button = el("button", { type: "button" }, "Pretrain the source model now");
  const progress = el("progress", { max: 1, value: 0, hidden: true });
  const status = el("span", { class: "meddl-status", role: "status" });
  const error = el("div", { class: "meddl-message", role: "alert", hidden: true });
  const root = el("div", { class: "meddl-source-panel" }, info, filters,
    el("div", { class: "meddl-buttons" }, menu, el("label", {}, " epochs ", epochsInput), button),
    el("div", { class: "meddl-progress" }, progress, status), error,
  ) as unknown as Input<SourceModel | null> & { ready: Promise<void> };
  Object.defineProperty(root, "value", { get: () => current });

  const show = (s: SourceModel | null) => {
    const old = current;
    current = s;
    replace(info, describeSource(s));
    replace(filters, s ? filterGrid(s.model, { scale: 10 }) : el("span"));
    root.dataset.origin = s?.origin ?? "none";
    if (old && old !== s) old.model.dispose();
    root.dispatchEvent(new Event("input", { bubbles: true }));
  };

  button.addEventListener("click", async () => {
    const option = options.find((o) => o.id === menu.value) ?? options[0];
    const n = Number(epochsInput.value);
    error.hidden = true;
    if (!(Number.isInteger(n) && n >= 1 && n <= 20)) {
      error.textContent = `Epochs must be a whole number from 1 to 20, got "${epochsInput.value}".`;
      error.hidden = false;
      return;
    }
    button.disabled = true;
    progress.hidden = false;
    try {
      status.textContent = `making ${option.label}…`;
      const data = await option.data();
      const arch = current?.record?.architecture;
      const { model, record } = await pretrain(data, {
        epochs: n, filters: arch?.filters ?? 16, depth: arch?.depth ?? 3,
        onBatch: (step, total, loss) => {
          progress.value = step / total;
          status.textContent = `pretraining on ${data.title}: step ${step} of ${total}, loss ${loss.toFixed(3)}`;
        },
      });
      status.textContent = `done: source validation accuracy ${(100 * record.valAccuracy).toFixed(1)}%`;
      show({ model, record, origin: "live" });
    } catch (e) {
      error.textContent = `Pretraining failed: ${(e as Error).message}. The previous source model is still in use.`;
      error.hidden = false;
      status.textContent = "";
    } finally {
      button.disabled = false;
      progress.hidden = true;
    }
  });

  root.ready = (async () => {
    if (!shipped) return show(null);
    try {
      show({ model: await modelFromBundle(shipped), record: shipped.record, origin: "shipped" });
    } catch (e) {
      show(null);
      error.textContent = `The shipped weights could not be loaded: ${(e as Error).message}`;
      error.hidden = false;
    }
  })();
  return root;
}

/** The side-by-side runs as chart input: each strategy's history and its training time per round. */
export function groupRuns(group: TrainerGroup<unknown>, strategies: Strategy[]): StrategyRun[] {
  return group.trainers.map((t, i) => ({ strategy: strategies[i], history: t.history, ms: t.history.epochs.map((e) => e.trainMs ?? NaN) }));
}

/** How long each strategy took to reach a validation AUC (training time only, validation excluded). */
export function speedTable(runs: StrategyRun[], target: number): HTMLElement {
  const rows = runs.map((r) => {
    const hit = timeToReach(r, target);
    const steps = r.history.batches.length;
    const ms = r.ms?.at(-1);
    return el("tr", { "data-strategy": r.strategy },
      el("td", {}, STRATEGY_NAMES[r.strategy]),
      el("td", {}, steps && ms ? `${(ms / steps).toFixed(0)} ms` : "–"),
      el("td", {}, hit ? `step ${hit.step} · ${(hit.ms / 1000).toFixed(1)} s` : "not yet"));
  });
  return el("table", { class: "meddl-table meddl-speed" },
    el("thead", {}, el("tr", {}, el("th", {}, "strategy"), el("th", {}, "time per step"), el("th", {}, `first reached val AUC ≥ ${target.toFixed(2)}`))),
    el("tbody", {}, ...rows));
}

/** First-layer filters of several models side by side, one titled column each. */
export function filterComparison(models: { label: string; model: tf.LayersModel }[]): HTMLElement {
  return el("div", { class: "meddl-side-by-side" },
    ...models.map(({ label, model }) => el("div", { class: "meddl-column" }, el("h4", {}, label), filterGrid(model, { scale: 8 }))));
}

/**
 * PCA of the head's input features for up to `max` validation images, coloured by class: the
 * pretrained features (before) and the fine-tuned ones (after). Separated clouds mean a linear head can
 * tell the classes apart. `before` must be a frozen model: its projection is computed once and kept.
 */
export function featurePanel(before: tf.LayersModel, after: tf.LayersModel, data: ClassificationDataset, options: FeaturePanelOptions = {}): HTMLElement {
  return runAtOnce(featurePanelSlices(before, after, data, options));
}

/** The same panel, made in slices while the page goes on (for a live chart during training). */
export function featurePanelInSlices(before: tf.LayersModel, after: tf.LayersModel, data: ClassificationDataset, options: FeaturePanelOptions = {}): Promise<HTMLElement> {
  return runInSlices(featurePanelSlices(before, after, data, options));
}

export interface FeaturePanelOptions {
  max?: number;
  afterLabel?: string;
}

function* featurePanelSlices(before: tf.LayersModel, after: tf.LayersModel, data: ClassificationDataset, { max = 300, afterLabel = "after fine-tuning" }: FeaturePanelOptions): Slices<HTMLElement> {
  const count = Math.min(max, data.val.count);
  const labels = data.val.labels.subarray(0, count);
  const project = function* (model: tf.LayersModel) {
    const { rows, d } = yield* featureSlices(model, data.val.images, count);
    return yield* pcaSlices(rows, count, d);
  };
  // The frozen features never change, so their PCA is computed once per model and dataset,
  // not at every redraw while the fine-tuned side moves.
  const key = `${data.id}|${data.val.count}|${count}`;
  let frozen = frozenProjections.get(before);
  if (frozen?.key !== key) frozenProjections.set(before, (frozen = { key, ...(yield* project(before)) }));
  const moving = yield* project(after);
  return el("div", { class: "meddl-side-by-side meddl-features" },
    featureScatter({ coords: frozen.coords, labels }, { classNames: data.classNames, title: "pretrained features (frozen)", explained: frozen.explained }),
    featureScatter({ coords: moving.coords, labels }, { classNames: data.classNames, title: afterLabel, explained: moving.explained }));
}

const frozenProjections = new WeakMap<tf.LayersModel, { key: string; coords: Float32Array; explained: number[] }>();

export interface SweepPanelOptions extends Omit<SweepOptions, "onRun" | "cancelled"> {
  /** A recorded sweep (from `npm run sweep`) drawn until the learner's own sweep has points. */
  recorded?: SweepPoint[] | null;
  /** The command that recorded it, named in the caption. */
  recordedBy?: string;
  /** Tick label for the largest N ("all" when it is the whole training split; "" for none). */
  allLabel?: string;
  /** What runs the sweep (default runSweep, on the main thread; the page passes workerSweep to run it in the training worker). */
  runner?: typeof runSweep;
}

/**
 * The "sweep" button: all strategies × sizes × seeds, with progress and a stop button; the chart
 * fills in as runs finish. The source model is read when the button is pressed.
 */
export function sweepPanel(getSource: () => tf.LayersModel | null, target: ClassificationDataset, options: SweepPanelOptions): HTMLElement {
  const { recorded, recordedBy = "npm run sweep", allLabel = "all", runner = runSweep, ...sweep } = options;
  let source: tf.LayersModel | null = null;
  return sweepRunner<SweepPoint>({
    total: sweep.sizes.length * sweep.seeds.length * sweep.strategies.length,
    recorded,
    recordedBy,
    problem: () => ((source = getSource()) ? null : "There is no source model yet: load the shipped weights or pretrain one first."),
    run: (hooks) => runner(source!, target, { ...sweep, ...hooks }),
    chart: (points, width) => sweepChart(points, { allLabel, width }),
    describe: (shown) => ({ curves: String(new Set(shown.map((p) => p.strategy)).size) }),
  });
}

/** The N menu: 10, 25, 50, 100, 200 and "all", keeping only sizes the target has (and ≥ its class count). */
export function targetSizes(target: ClassificationDataset): number[] {
  const all = target.train.count;
  const classes = target.classNames.length;
  return [...new Set([10, 25, 50, 100, 200, all].filter((n) => n <= all && n >= classes))];
}

/** Why this source cannot be transferred to this target (in words for the page), or null if it can. */
export function transferProblem(source: tf.LayersModel | null, target: ClassificationDataset): string | null {
  if (!source) return "There is no source model yet: pretrain one in section 2.";
  if (target.task === "multilabel") return `${target.title} has several labels per image; this lesson needs one class per image.`;
  const expected = (source.inputs[0].shape.slice(1) as number[]).join("×");
  const got = target.imageShape.join("×");
  if (expected !== got) {
    return `The source model takes ${expected} images, but ${target.title} has ${got} images. ` +
      "Pick a target of the same size and channels (e.g. BreastMNIST, 28×28×1), or pretrain a source on such images.";
  }
  if (target.train.count < target.classNames.length) return `${target.title} has too few training images (${target.train.count}).`;
  return null;
}
