/**
 * Keeps a chart current while a trainer runs: re-renders on its events, at most a few times
 * a second, so drawing never starves training of the main thread.
 */
import type { TrainerEvents } from "../train/types";
import { onPinsChange } from "../viz/pinStore";
import { el, replace } from "../core/dom";
import { ensureClassroomStyle } from "./classroomStyle";
import { panelTools } from "./panelTools";
import { registerPanel } from "./stage";
import { throttle } from "./throttle";
import { watchWidth } from "./watchWidth";
import { recycleCanvases } from "../viz/raster";

/** Anything that announces events: a trainer, a group of runs, a GAN pair (with events of its own). */
export interface Listenable<E> {
  on<K extends keyof E>(event: K, listener: (value: E[K]) => void): () => void;
}

export interface LiveOptions<E = TrainerEvents> {
  /** Which of the run's events redraw the chart. */
  events?: (keyof E)[];
  /** Minimum milliseconds between redraws. */
  interval?: number;
  className?: string;
  /**
   * Stop listening when this settles: pass a Framework cell's `invalidation` when the cell re-runs
   * often (a control moves), so a chart nobody sees stops computing.
   */
  invalidation?: Promise<unknown>;
  /** Show this chart on presenter view's stage (default: decided by its class, see stage.ts). */
  key?: boolean;
  /** @internal a stage copy: not registered again. */
  onStage?: boolean;
}

/**
 * `render` gets the chart's container, to label it (data attributes) or redraw it on a click, and
 * the container's width in pixels once the page has laid it out (undefined before): pass it on as
 * the chart's `width` and the chart fits a phone, a laptop or a projector, and redraws when the
 * window (or full-screen view) changes size. `undefined` leaves the chart's own default width.
 *
 * A chart with heavy work (a model's predictions for many images, a PCA) may return a promise of
 * its node and do the work in slices with pauses between them (yieldToBrowser), so no single slice
 * holds the page up. The old drawing stays until the new one is ready, and while one is being
 * made, further redraws wait and make one more when it is done.
 */
export type LiveRender = (root: HTMLElement, width: number | undefined) => Node | Promise<Node>;

export function live<E extends object = TrainerEvents>(
  trainer: Listenable<E>,
  render: LiveRender,
  options: LiveOptions<E> = {},
): HTMLElement {
  return liveChart(trainer, render, options).node;
}

/** live(), and the way to stop its redraws (for copies on presenter view's stage). */
function liveChart<E extends object>(
  trainer: Listenable<E>,
  render: LiveRender,
  options: LiveOptions<E>,
): { node: HTMLElement; stop: () => void } {
  const {
    events = ["batch", "epoch", "state"] as (keyof E)[],
    interval = 400,
    className,
    key,
    onStage = false,
  } = options;
  const root = el("div", { class: `meddl-live ${className ?? ""}`.trim() });
  ensureClassroomStyle();
  const tools = panelTools(root); // full screen, PNG, SVG: kept across redraws
  let width: number | undefined; // the container's, once laid out
  // In a browser the first drawing waits for the page's layout (watchWidth below): each chart is
  // drawn once, at its own width, not first at a default width and again at its own.
  const waitsForLayout = typeof ResizeObserver !== "undefined";
  let pending = false; // an asynchronous drawing is being made
  let again = false; // and another was asked for meanwhile
  const show = (node: Node) => {
    const old = [...root.children];
    replace(root, tools, node);
    // The old drawing's image canvases serve the next one (a new canvas context is slow to make).
    for (const child of old) if (!child.isConnected) recycleCanvases(child);
  };
  // A chart that fails shows why, and training goes on.
  const fail = (error: unknown) =>
    show(el("div", { class: "meddl-message" }, `This chart could not be drawn: ${(error as Error).message}`));
  const draw = () => {
    if (waitsForLayout && width === undefined) return; // not laid out yet (or hidden): drawn when it is
    if (pending) return void (again = true);
    let drawing: Node | Promise<Node>;
    try {
      drawing = render(root, width);
    } catch (error) {
      return fail(error);
    }
    if (!(drawing instanceof Promise)) return show(drawing);
    pending = true;
    drawing.then(show, fail).finally(() => {
      pending = false;
      // The latest values, drawn in a task of their own.
      if (again) setTimeout(() => ((again = false), draw()), 0);
    });
  };
  // Each redraw runs as its own task, after the trainer's event: a training step and a
  // chart update never add up to one long block of the main thread.
  const redraw = throttle(() => setTimeout(draw, 0), interval);
  const offs = events.map((event) => trainer.on(event, redraw));
  // Pinned runs appear on (and leave) the learning curves at once; a chart no longer on the page stops listening.
  let shown = false;
  const stop = onPinsChange(() => {
    if (root.isConnected) shown = true;
    else if (shown) return stop();
    redraw();
  });
  offs.push(stop);
  // The first drawing is a task of its own: a page that makes many charts at once (every chart
  // of a new trainer) draws them one task after another, never in one long block.
  offs.push(
    watchWidth(root, (w) => {
      const first = width === undefined;
      width = w;
      if (first) setTimeout(draw, 0);
      else draw();
    }),
  );
  // A background tab keeps training (in the worker, or between MessageChannel turns) while the
  // browser slows its timers; the moment it is shown again, the chart catches up at once.
  if (typeof document !== "undefined") {
    const catchUp = () => document.visibilityState === "visible" && root.isConnected && draw();
    document.addEventListener("visibilitychange", catchUp);
    offs.push(() => document.removeEventListener("visibilitychange", catchUp));
  }
  const stopAll = () => offs.splice(0).forEach((off) => off());
  void options.invalidation?.then(stopAll);
  if (!waitsForLayout) draw(); // jsdom, old browsers: no layout to wait for
  if (!onStage) {
    registerPanel({ root, key, make: () => liveChart(trainer, render, { ...options, onStage: true }) });
    forgetRemovedCharts();
    made.add({ root, stop: stopAll, created: Date.now() });
  }
  return { node: root, stop: stopAll };
}

/**
 * The page's live charts. A chart whose cell re-ran is gone from the page, but the pins' listeners
 * (global) would keep it, its old trainer and its drawings alive for good: every rebuild of a model
 * would leak a set of charts. Each new chart lets go of those gone for more than a few seconds
 * (a chart just made is not on the page yet).
 */
const made = new Set<{ root: HTMLElement; stop: () => void; created: number }>();
const GRACE_MS = 10_000;

function forgetRemovedCharts(now = Date.now()): void {
  for (const chart of made) {
    if (chart.root.isConnected || now - chart.created < GRACE_MS) continue;
    chart.stop();
    made.delete(chart);
  }
}

/** How many live charts still listen (for tests). */
export function liveChartCount(): number {
  return made.size;
}
