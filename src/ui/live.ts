/**
 * Keeps a chart current while a trainer runs: re-renders on its events, at most a few times
 * a second, so drawing never starves training of the main thread.
 */
import type { TrainerEvents } from "../train/types";
import { el, replace } from "../core/dom";
import { throttle } from "./throttle";

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
}

/** `render` gets the chart's container, to label it (data attributes) or redraw it on a click. */
export function live<E extends object = TrainerEvents>(trainer: Listenable<E>, render: (root: HTMLElement) => Node, { events = ["batch", "epoch", "state"] as (keyof E)[], interval = 400, className }: LiveOptions<E> = {}): HTMLElement {
  const root = el("div", { class: `meddl-live ${className ?? ""}`.trim() });
  const draw = () => {
    try {
      replace(root, render(root));
    } catch (error) {
      // A chart that fails shows why, and training goes on.
      replace(root, el("div", { class: "meddl-message" }, `This chart could not be drawn: ${(error as Error).message}`));
    }
  };
  // Each redraw runs as its own task, after the trainer's event: a training step and a
  // chart update never add up to one long block of the main thread.
  const redraw = throttle(() => setTimeout(draw, 0), interval);
  for (const event of events) trainer.on(event, redraw);
  draw();
  return root;
}
