/**
 * The buttons every lesson shares (train, pause, step, stop, reset), the epoch progress bar,
 * and a status line. Plain-language messages (e.g. a diverging loss) appear here too.
 */
import { metricLabel } from "../train/task";
import type { Controllable, TrainerState } from "../train/types";
import { el, replace } from "../core/dom";
import { attachDock, type DockOptions } from "./dock";
import { throttle } from "./throttle";

const STATE_TEXT: Record<TrainerState, string> = {
  idle: "ready",
  running: "training…",
  paused: "paused",
  stopped: "stopped",
  done: "finished",
  diverged: "stopped: diverged",
};

/** "val accuracy 85.7% · val AUC 0.940": every metric of the latest validation. */
function formatMetrics(metrics: Record<string, number>): string {
  return Object.entries(metrics)
    .map(([key, v]) => `val ${metricLabel(key)} ${key === "accuracy" ? `${(100 * v).toFixed(1)}%` : v.toFixed(3)}`)
    .join(" · ");
}

export interface TrainingControlsOptions extends DockOptions {
  /** Also drive the page's training dock (bottom bar, keyboard, `train=1`); on by default. */
  dock?: boolean;
}

export function trainingControls(
  trainer: Controllable,
  { dock = true, ...dockOptions }: TrainingControlsOptions = {},
): HTMLElement {
  const button = (label: string, title: string, action: () => unknown) => {
    const b = el("button", { type: "button", title }, label);
    b.addEventListener("click", () => void action());
    return b;
  };
  const train = button("▶ Train", "Start (or resume) training", () =>
    trainer.state === "paused" ? trainer.resume() : trainer.start(),
  );
  const pause = button("Pause", "Pause after this batch", () => trainer.pause());
  const step = button("Step +1", "Train on exactly one batch", () => trainer.step());
  const stop = button("■ Stop", "End this run (the weights stay, to inspect)", () => trainer.stop());
  const reset = button("↺ Reset", "Back to the same initial weights", () => trainer.reset());
  const progress = el("progress", { max: trainer.batchesPerEpoch, value: 0 });
  const progressLabel = el("span", { class: "meddl-progress-label" });
  const status = el("span", { class: "meddl-status", role: "status" });
  const message = el("div", { class: "meddl-message", role: "alert" });
  const root = el(
    "div",
    { class: "meddl-controls" },
    el("div", { class: "meddl-buttons" }, train, pause, step, stop, reset),
    el("div", { class: "meddl-progress" }, progress, progressLabel),
    status,
    message,
  );

  const update = () => {
    const s = trainer.state;
    const running = s === "running";
    train.disabled = running;
    train.textContent =
      s === "paused" ? "▶ Resume" : s === "idle" ? "▶ Train" : running ? "▶ Training…" : "▶ Train again";
    pause.disabled = !running;
    step.disabled = running;
    stop.disabled = !(running || s === "paused");
    const last = trainer.history.batches.at(-1);
    const lastEpoch = trainer.history.epochs.at(-1);
    const epoch = Math.min(trainer.epochs, last?.epoch ?? 1);
    progress.max = trainer.batchesPerEpoch;
    // Batches done in the running epoch (0 right after an epoch ends; full once training is done).
    const inEpoch = last && last.batch < last.batchesPerEpoch ? last.batch : 0;
    progress.value = s === "done" ? trainer.batchesPerEpoch : inEpoch;
    progressLabel.textContent = `epoch ${epoch} of ${trainer.epochs} · batch ${inEpoch} of ${trainer.batchesPerEpoch}`;
    replace(
      status,
      el("b", {}, STATE_TEXT[s]),
      ` · step ${trainer.stepsTaken} of ${trainer.totalSteps}`,
      last ? ` · loss ${last.loss.toFixed(3)}` : "",
      lastEpoch ? ` · ${formatMetrics(lastEpoch.metrics)}` : "",
    );
    message.textContent = trainer.message && s !== "done" ? trainer.message : "";
    message.hidden = !message.textContent;
    root.dataset.state = s;
    root.dataset.step = String(trainer.stepsTaken);
    if (last) root.dataset.loss = String(last.loss);
    // The rate the last step used, as the run (in the worker too) recorded it: a live change shows here.
    if (last) root.dataset.learningRate = String(last.learningRate);
    // data-val-accuracy, data-val-auc, data-val-dice…: what tests and the benchmark read.
    for (const [key, v] of Object.entries(lastEpoch?.metrics ?? {}))
      root.dataset[`val${key[0].toUpperCase()}${key.slice(1)}`] = String(v);
    // Mean training loss of each finished epoch: what a test or a curious reader can check.
    root.dataset.epochLosses = trainer.history.epochs.map((e) => e.trainLoss.toFixed(4)).join(",");
  };
  trainer.on("state", update);
  trainer.on("batch", throttle(update, 100));
  trainer.on("epoch", update);
  update();
  if (dock) attachDock(trainer, dockOptions);
  return root;
}
