/**
 * The training dock: a compact bar fixed to the bottom of the window, on every lesson, so a
 * teacher never scrolls back to the Train button. It holds the training buttons, step and epoch,
 * progress, the current loss, the lesson's headline metric and a tiny loss sparkline, plus Copy
 * link, presenter view and the keyboard help. The page is padded by the dock's height, so the dock
 * never covers anything that cannot be scrolled into view.
 *
 * There is one dock per page. `trainingControls` attaches the trainer it is given, so any lesson
 * that shows the kit's training buttons gets the dock, the keyboard shortcuts and `train=1`:
 *   Space train/pause · → one step · R reset · P presenter view · ? this help.
 * The keys do nothing while focus is in a text or number field (or any input or menu).
 */
import { metricLabel } from "../train/task";
import type { Controllable, TrainerState } from "../train/types";
import { sparkline } from "../viz/sparkline";
import { ensureClassroomStyle } from "./classroomStyle";
import { el, replace } from "../core/dom";
import { copyLinkButton, linkFlag } from "./linkState";
import { pinControls } from "./pins";
import { saveLoadControls } from "./saveLoad";
import { applyPresentFlag, isPresenting, onPresentingChange, togglePresenting } from "./presenter";
import { throttle } from "./throttle";

export interface DockOptions {
  /** The metric to show beside the loss (default: the first of AUC, Dice, PSNR, SSIM, accuracy that the run reports). */
  headline?: string;
}

/** Which validation metric a lesson is judged by, in order of preference. */
export const HEADLINE_METRICS = ["auc", "dice", "psnr", "ssim", "accuracy"];

export const SHORTCUTS: { key: string; label: string; does: string }[] = [
  { key: " ", label: "Space", does: "train / pause" },
  { key: "ArrowRight", label: "→", does: "train one step" },
  { key: "r", label: "R", does: "reset to the initial weights" },
  { key: "p", label: "P", does: "presenter view on / off" },
  { key: "?", label: "?", does: "show / hide this help" },
  { key: "Escape", label: "Esc", does: "close this help or a full-screen panel" },
];

const STATE_WORDS: Record<TrainerState, string> = {
  idle: "ready",
  running: "training",
  paused: "paused",
  stopped: "stopped",
  done: "finished",
  diverged: "diverged",
};

/** The headline metric of a run's latest validation: its key and value, or null before any. */
export function headlineMetric(
  metrics: Record<string, number> | undefined,
  preferred?: string,
): { key: string; value: number } | null {
  if (!metrics) return null;
  const key =
    [preferred, ...HEADLINE_METRICS].find((k) => k && Number.isFinite(metrics[k])) ??
    Object.keys(metrics).find((k) => Number.isFinite(metrics[k]));
  return key ? { key, value: metrics[key] } : null;
}

export function formatMetric(key: string, value: number): string {
  if (key === "accuracy") return `${(100 * value).toFixed(1)}%`;
  if (key === "psnr") return `${value.toFixed(2)} dB`;
  return value.toFixed(3);
}

/** Train or pause, whichever the run needs now (what Space and the dock's first button do). */
export function toggleTraining(trainer: Controllable): void {
  if (trainer.state === "running") trainer.pause();
  else if (trainer.state === "paused") void trainer.resume();
  else void trainer.start();
}

interface Dock {
  root: HTMLElement;
  extra: HTMLElement;
  trainer: Controllable | null;
  detach: () => void;
  help: HTMLElement | null;
}

let dock: Dock | null = null;
/** `train=1` starts the runs the page builds until the user first touches the page. */
let autoTrain = true;

/** Shows `trainer` in the page's dock (making the dock on first use); a new trainer replaces the old. */
export function attachDock(trainer: Controllable, options: DockOptions = {}): HTMLElement {
  const d = dock ?? (dock = makeDock());
  d.detach();
  d.trainer = trainer;
  const { root } = d;
  const update = () => drawDock(d, trainer, options);
  const offs = [trainer.on("state", update), trainer.on("batch", throttle(update, 150)), trainer.on("epoch", update)];
  d.detach = () => offs.forEach((off) => off());
  update();
  if (autoTrain && linkFlag("train")) {
    // After the page's own set-up (warm-up) has had its turn; only if this run is still the dock's.
    setTimeout(() => {
      if (autoTrain && d.trainer === trainer && trainer.state === "idle") void trainer.start();
    }, 300);
  }
  return root;
}

/** The trainer the dock (and the keyboard) drives now, if any. */
export function dockTrainer(): Controllable | null {
  return dock?.trainer ?? null;
}

/** Adds a control to the dock (pinned runs, downloads…), before its tools. */
export function addToDock(node: HTMLElement): void {
  (dock ?? (dock = makeDock())).extra.append(node);
}

/** Removes the dock and its keys (tests; a page load does this by itself). */
export function removeDock(): void {
  if (!dock) return;
  dock.detach();
  dock.root.remove();
  dock.help?.remove();
  document.documentElement.classList.remove("meddl-has-dock");
  document.removeEventListener("keydown", onKey);
  dock = null;
  autoTrain = true;
}

function dockButton(text: string, label: string, action: () => void): HTMLButtonElement {
  // Names start in lower case ("train or pause"): they must not match the page's own "▶ Train", "Pause" buttons.
  // A name that contains the visible word ("+1: one step (→)"), so speech users can say what they see.
  const name = /[A-Za-z0-9]/.test(text) ? `${text}: ${label}` : label;
  const b = el("button", { type: "button", "aria-label": name, title: label }, text);
  b.addEventListener("click", action);
  return b;
}

function makeDock(): Dock {
  ensureClassroomStyle();
  const drive = (action: (t: Controllable) => void) => () => {
    if (dock?.trainer) action(dock.trainer);
  };
  const extra = el(
    "span",
    { class: "meddl-dock-group meddl-dock-extra" },
    pinControls(() => dock?.trainer ?? null),
  );
  const presenter = dockButton("Present", "presenter view (P)", togglePresenting);
  const root = el(
    "div",
    { class: "meddl-dock", role: "region", "aria-label": "training dock" },
    el(
      "span",
      { class: "meddl-dock-group" },
      dockButton("▶", "train or pause (Space)", drive(toggleTraining)),
      dockButton(
        "+1",
        "one step (→)",
        drive((t) => void t.step()),
      ),
      dockButton(
        "↺",
        "reset (R)",
        drive((t) => void t.reset()),
      ),
    ),
    el("span", { class: "meddl-dock-group meddl-dock-status" }),
    extra,
    saveLoadControls(() => dock?.trainer ?? null),
    el(
      "span",
      { class: "meddl-dock-group meddl-dock-tools" },
      copyLinkButton(),
      presenter,
      dockButton("?", "keyboard shortcuts (?)", toggleHelp),
    ),
  );
  const d: Dock = { root, extra, trainer: null, detach: () => {}, help: null };
  const showPresenting = (on: boolean) => presenter.setAttribute("aria-pressed", String(on));
  onPresentingChange(showPresenting);
  document.body.append(root);
  document.documentElement.classList.add("meddl-has-dock");
  // Pad the page by the dock's height (it wraps to two lines on narrow screens).
  const pad = () => document.documentElement.style.setProperty("--meddl-dock-height", `${root.offsetHeight}px`);
  // The observer reports the first size once the browser lays the page out anyway: reading
  // offsetHeight here, mid-load, would force a layout of the whole page.
  if (typeof ResizeObserver !== "undefined") new ResizeObserver(pad).observe(root);
  else pad();
  document.addEventListener("keydown", onKey);
  // The first touch of the page ends `train=1`'s automatic starts: from then on the user decides.
  const stopAuto = () => {
    autoTrain = false;
  };
  document.addEventListener("pointerdown", stopAuto, { once: true, capture: true });
  document.addEventListener("keydown", stopAuto, { once: true, capture: true });
  applyPresentFlag();
  showPresenting(isPresenting());
  return d;
}

function drawDock(d: Dock, trainer: Controllable, options: DockOptions): void {
  const s = trainer.state;
  const last = trainer.history.batches.at(-1);
  const lastEpoch = trainer.history.epochs.at(-1);
  const headline = headlineMetric(lastEpoch?.metrics, options.headline);
  const [play] = d.root.querySelectorAll("button");
  play.textContent = s === "running" ? "❚❚" : "▶";
  const epoch = Math.min(trainer.epochs, last?.epoch ?? 1);
  replace(
    d.root.querySelector(".meddl-dock-status")!,
    el("span", { class: "meddl-dock-state" }, STATE_WORDS[s]),
    el("span", {}, `step ${trainer.stepsTaken}/${trainer.totalSteps} · epoch ${epoch}/${trainer.epochs}`),
    el("progress", {
      max: Math.max(1, trainer.totalSteps),
      value: trainer.stepsTaken,
      "aria-label": "training progress",
    }),
    el("span", { class: "meddl-dock-loss" }, `loss ${last ? last.loss.toFixed(3) : "–"}`),
    sparkline(
      trainer.history.batches.map((b) => b.loss),
      { width: 100, height: 22, label: "training loss" },
    ),
    el(
      "span",
      { class: "meddl-dock-headline" },
      headline ? `${metricLabel(headline.key).replace(" (dB)", "")} ${formatMetric(headline.key, headline.value)}` : "",
    ),
    trainer.message && s !== "done"
      ? el("span", { class: "meddl-dock-message", role: "alert" }, trainer.message)
      : null,
  );
  d.root.dataset.state = s;
  d.root.dataset.step = String(trainer.stepsTaken);
  d.root.dataset.loss = last ? String(last.loss) : "";
  d.root.dataset.headline = headline ? `${headline.key}=${headline.value}` : "";
}

/** Whether a key press belongs to a field (typing, moving a slider, choosing in a menu), not to us. */
function inField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

function onKey(event: KeyboardEvent): void {
  if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || inField(event.target)) return;
  const trainer = dock?.trainer ?? null;
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
  // Space on a focused button already clicks that button: leave it be.
  if (key === " " && event.target instanceof HTMLElement && ["BUTTON", "SUMMARY", "A"].includes(event.target.tagName))
    return;
  const act = (action: () => void) => {
    event.preventDefault();
    action();
  };
  switch (key) {
    case " ":
      if (trainer) act(() => toggleTraining(trainer));
      break;
    case "ArrowRight":
      if (trainer && trainer.state !== "running") act(() => void trainer.step());
      break;
    case "r":
      if (trainer) act(() => void trainer.reset());
      break;
    case "p":
      act(togglePresenting);
      break;
    case "?":
      act(toggleHelp);
      break;
    case "Escape":
      if (dock?.help?.isConnected) act(toggleHelp);
      else if (document.querySelector(".meddl-fullscreen"))
        act(() =>
          document.querySelectorAll(".meddl-fullscreen").forEach((p) => p.classList.remove("meddl-fullscreen")),
        );
      break;
  }
}

/** The help overlay listing the keys; ? or Esc or a click outside closes it. */
function toggleHelp(): void {
  if (!dock) return;
  if (dock.help?.isConnected) {
    dock.help.remove();
    return;
  }
  const close = el("button", { type: "button" }, "Close");
  const overlay = el(
    "div",
    { class: "meddl-help-overlay", role: "dialog", "aria-modal": "true", "aria-label": "Keyboard shortcuts" },
    el(
      "div",
      {},
      el("h3", {}, "Keyboard shortcuts"),
      el(
        "table",
        {},
        el(
          "tbody",
          {},
          ...SHORTCUTS.map((s) => el("tr", {}, el("td", {}, el("kbd", {}, s.label)), el("td", {}, s.does))),
        ),
      ),
      el("p", {}, "They do nothing while you type in a field. The bar at the bottom has the same buttons."),
      close,
    ),
  );
  close.addEventListener("click", toggleHelp);
  overlay.addEventListener("click", (event) => {
    if (event.target === overlay) toggleHelp();
  });
  dock.help = overlay;
  document.body.append(overlay);
  close.focus();
}
