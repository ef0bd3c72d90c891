/**
 * "Pin this run", in the training dock: keeps the current run's curves on the learning-curve
 * charts as a faint, labelled line (see viz/pinStore.ts), so a run after a change of settings is
 * compared with it on the same axes. Up to three pins, each with its own unpin button. A pin's
 * label lists the settings in which it differs from the current ones, and follows as they change.
 */
import type { Controllable } from "../train/types";
import {
  addPin,
  MAX_PINS,
  onPinsChange,
  pinCaption,
  pinnedRuns,
  relabelPins,
  removePin,
  type PinnedRun,
} from "../viz/pinStore";
import { el, replace } from "../core/dom";
import { linkSettings, onLinkChange } from "./linkState";

/** The settings each pin was made with (kept here: the chart needs only the label). */
const pinSettings = new Map<number, Map<string, string>>();

/** "filters=8, learning-rate=0.005": the pin's values where they differ from now ("" when none do). */
export function settingsDifference(then: Map<string, string>, now: Map<string, string>): string {
  const keys = [...new Set([...then.keys(), ...now.keys()])];
  return keys
    .filter((k) => then.get(k) !== now.get(k) && then.has(k))
    .map((k) => `${k}=${then.get(k)}`)
    .join(", ");
}

function relabel(): void {
  const now = linkSettings();
  relabelPins((pin) => settingsDifference(pinSettings.get(pin.id) ?? new Map(), now));
}

/** Pins the run's curves as they are now; null when three are pinned or it has not trained yet. */
let following = false;

export function pinRun(trainer: Controllable): PinnedRun | null {
  if (!following) {
    onLinkChange(relabel); // labels follow the settings from the first pin on
    following = true;
  }
  const pin = addPin(trainer.history, "");
  if (pin) {
    pinSettings.set(pin.id, linkSettings());
    relabel();
  }
  return pin;
}

/** The dock's pin button and one chip per pin (with its unpin button). */
export function pinControls(currentTrainer: () => Controllable | null): HTMLElement {
  const button = el(
    "button",
    { type: "button", class: "meddl-pin", title: `Keep this run's curves on the charts (up to ${MAX_PINS})` },
    "Pin this run",
  );
  const chips = el("span", { class: "meddl-pins" });
  const root = el("span", { class: "meddl-dock-group meddl-pin-controls" }, button, chips);
  button.addEventListener("click", () => {
    const trainer = currentTrainer();
    if (trainer) pinRun(trainer);
  });
  const draw = () => {
    const pins = pinnedRuns();
    button.disabled = pins.length >= MAX_PINS;
    button.title =
      pins.length >= MAX_PINS
        ? `${MAX_PINS} runs are pinned: unpin one first`
        : `Keep this run's curves on the charts (up to ${MAX_PINS})`;
    replace(
      chips,
      ...pins.map((pin) => {
        const unpin = el(
          "button",
          { type: "button", class: "meddl-unpin", "aria-label": `unpin ${pin.id}`, title: "Unpin" },
          "×",
        );
        unpin.addEventListener("click", () => {
          pinSettings.delete(pin.id);
          removePin(pin.id);
        });
        return el("span", { class: "meddl-pin-chip", "data-pin": pin.id }, pinCaption(pin), unpin);
      }),
    );
    root.dataset.pins = String(pins.length);
  };
  onPinsChange(draw);
  draw();
  return root;
}
