/**
 * Pinned runs: copies of earlier runs' learning curves, kept for the page's lifetime so the next
 * run, after a change of settings, is compared on the same axes. Plain numbers only (no tensors),
 * so pinning and unpinning never touch tfjs memory. Pins survive a rebuild of the model (that is
 * their point), not a page reload. The learning-curve charts draw them by default.
 */
import type { History } from "../train/types";

export interface PinnedRun {
  /** 1, 2, 3…: the number shown on the chart and the dock. */
  id: number;
  /** What differs from the current settings, e.g. "filters=8, learning-rate=0.005". */
  label: string;
  history: History;
}

export const MAX_PINS = 3;

let pins: PinnedRun[] = [];
let nextId = 1;
const listeners = new Set<() => void>();

function changed(): void {
  for (const listener of listeners) listener();
}

/** A run's history as plain data, detached from the trainer (which keeps changing its own). */
export function copyHistory(history: History): History {
  return {
    scoreName: history.scoreName,
    batches: history.batches.map((b) => ({ ...b })),
    epochs: history.epochs.map((e) => ({ ...e, metrics: { ...e.metrics } })),
  };
}

export function pinnedRuns(): readonly PinnedRun[] {
  return pins;
}

/** Pins a copy of `history`; null when MAX_PINS are pinned already or the run has no steps yet. */
export function addPin(history: History, label = ""): PinnedRun | null {
  if (pins.length >= MAX_PINS || history.batches.length === 0) return null;
  const pin = { id: nextId++, label, history: copyHistory(history) };
  pins = [...pins, pin];
  changed();
  return pin;
}

export function removePin(id: number): void {
  pins = pins.filter((p) => p.id !== id);
  if (pins.length === 0) nextId = 1;
  changed();
}

/** Gives every pin a new label (when the current settings change, so do the differences). */
export function relabelPins(label: (pin: PinnedRun) => string): void {
  let any = false;
  pins = pins.map((p) => {
    const next = label(p);
    any ||= next !== p.label;
    return next === p.label ? p : { ...p, label: next };
  });
  if (any) changed();
}

export function clearPins(): void {
  pins = [];
  nextId = 1;
  changed();
}

/** Calls `listener` after every change of the pins; returns the way to stop. */
export function onPinsChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** "pin 2: filters=8, dropout=0.25", or "pin 2 (same settings)". */
export function pinCaption(pin: PinnedRun): string {
  return `pin ${pin.id}${pin.label ? `: ${pin.label}` : " (same settings)"}`;
}
