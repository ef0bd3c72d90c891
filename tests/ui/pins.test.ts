// @vitest-environment jsdom
/**
 * Pinned runs: a pin keeps a copy of the run's curves, which the learning-curve chart draws as a
 * faint labelled line beside the current run; the label names the settings that differ from now;
 * at most three; unpinned one by one; they outlive the trainer (a rebuilt model); tfjs memory is
 * flat across pin, unpin and reset.
 */
import * as tf from "@tensorflow/tfjs";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { makeNoduleDataset } from "../../src/data/nodules";
import { buildCnn } from "../../src/models/cnn";
import { Trainer } from "../../src/train/trainer";
import { slider } from "../../src/ui/inputs";
import { resetLinkState } from "../../src/ui/linkState";
import { pinControls, pinRun, settingsDifference } from "../../src/ui/pins";
import { learningCurves } from "../../src/viz/curves";
import { clearPins, MAX_PINS, pinnedRuns } from "../../src/viz/pinStore";
import { stubCanvas } from "../helpers/dom";

beforeAll(async () => {
  stubCanvas();
  await tf.setBackend("cpu");
});
afterEach(() => {
  clearPins();
  resetLinkState();
});

const data = makeNoduleDataset({ seed: 3, trainCount: 48, valCount: 16 });
const makeTrainer = (filters: number) =>
  new Trainer(buildCnn({ inputShape: data.imageShape, outputs: 2, filters, depth: 1, seed: 1 }), data, {
    batchSize: 16,
    epochs: 2,
    seed: 1,
  });

describe("pinned runs", () => {
  it("pin → change a setting → train again: two runs on one chart, the pin labelled with what differed; memory flat", async () => {
    const filters = slider({ label: "Filters (first layer)", min: 2, max: 32, step: 1, value: 8 });
    const first = makeTrainer(filters.value);
    for (let i = 0; i < 4; i++) await first.step();
    const before = tf.memory().numTensors;
    const pin = pinRun(first)!;
    expect(tf.memory().numTensors).toBe(before);
    expect(pin.history.batches).toHaveLength(4);
    expect(pin.history).not.toBe(first.history); // a copy: the trainer's later steps do not change it
    // Reset and the same four steps again: the same tensors as before (Adam's slots come back with the first step).
    await first.reset();
    for (let i = 0; i < 4; i++) await first.step();
    expect(tf.memory().numTensors).toBe(before);
    expect(pinnedRuns()[0].history.batches).toHaveLength(4);
    expect(pinnedRuns()[0].history.batches[3].loss).toBe(first.history.batches[3].loss); // same seed, same run

    // A new setting rebuilds the model; the pin stays, labelled with its own value.
    filters.value = 4;
    filters.dispatchEvent(new Event("input", { bubbles: true }));
    expect(pinnedRuns()[0].label).toBe("filters=8");
    await first.dispose();
    const second = makeTrainer(filters.value);
    for (let i = 0; i < 3; i++) await second.step();
    const chart = learningCurves(second.history, { metric: "loss" });
    expect(chart.querySelectorAll("g.meddl-pinned-run path").length).toBeGreaterThanOrEqual(1);
    expect(chart.querySelector("g.meddl-pinned-label")!.textContent).toBe("pin 1: filters=8");
    // The current run is drawn as before (raw, smoothed): its lines are there too.
    expect(chart.querySelectorAll('g[aria-label="line"] path').length).toBeGreaterThanOrEqual(2);
    await second.dispose();
  });

  it("up to three pins, unpinned one by one from the dock's chips", async () => {
    const trainer = makeTrainer(4);
    await trainer.step();
    const controls = pinControls(() => trainer);
    const button = controls.querySelector("button.meddl-pin") as HTMLButtonElement;
    for (let i = 0; i < MAX_PINS + 1; i++) button.click();
    expect(pinnedRuns()).toHaveLength(MAX_PINS);
    expect(button.disabled).toBe(true);
    expect(controls.querySelectorAll(".meddl-pin-chip")).toHaveLength(3);
    expect(controls.querySelector(".meddl-pin-chip")!.textContent).toContain("pin 1 (same settings)");
    (controls.querySelector('[aria-label="unpin 2"]') as HTMLButtonElement).click();
    expect(pinnedRuns().map((p) => p.id)).toEqual([1, 3]);
    expect(button.disabled).toBe(false);
    expect(learningCurves(trainer.history).querySelectorAll("g.meddl-pinned-label")).toHaveLength(2);
    await trainer.dispose();
  });

  it("a run with no steps cannot be pinned; differences list only the pin's own values", () => {
    const trainer = makeTrainer(4);
    expect(pinRun(trainer)).toBeNull();
    expect(
      settingsDifference(
        new Map([
          ["a", "1"],
          ["b", "2"],
        ]),
        new Map([
          ["a", "1"],
          ["b", "3"],
          ["c", "9"],
        ]),
      ),
    ).toBe("b=2");
    void trainer.dispose();
  });
});
