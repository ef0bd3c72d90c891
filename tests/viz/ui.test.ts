// @vitest-environment jsdom
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { makeNoduleDataset } from "../../src/data/nodules";
import { imageAt } from "../../src/data/types";
import { buildCnn } from "../../src/models/cnn";
import { Trainer } from "../../src/train/trainer";
import { confusionExplorer } from "../../src/ui/confusionExplorer";
import { slider, group, checkbox } from "../../src/ui/inputs";
import { live } from "../../src/ui/live";
import { trainingControls } from "../../src/ui/trainingControls";
import { activationMaps } from "../../src/viz/activations";
import { learningCurves } from "../../src/viz/curves";
import { filterGrid } from "../../src/viz/filters";
import { stubCanvas } from "../helpers/dom";

beforeAll(async () => {
  stubCanvas();
  await tf.setBackend("cpu");
});

const data = makeNoduleDataset({ size: 16, trainCount: 64, valCount: 16 });

function makeTrainer(epochs = 2): Trainer {
  return new Trainer(buildCnn({ inputShape: data.imageShape, outputs: 2, filters: 4, depth: 2 }), data, {
    batchSize: 16,
    epochs,
  });
}

describe("training controls", () => {
  it("enable the buttons that make sense in each state and show progress", async () => {
    const trainer = makeTrainer();
    const controls = trainingControls(trainer);
    const buttons = () =>
      Object.fromEntries(
        [...controls.querySelectorAll("button")].map((b) => [
          b.textContent!.replace(/[^A-Za-z+ ]/g, "").trim(),
          b.disabled,
        ]),
      );
    expect(controls.dataset.state).toBe("idle");
    expect(buttons()).toMatchObject({ Train: false, Pause: true, "Step +": false, Stop: true });
    await trainer.step();
    expect(controls.dataset.state).toBe("paused");
    expect(controls.textContent).toContain("step 1 of 8");
    expect(buttons()).toMatchObject({ Resume: false, Pause: true, Stop: false });
    (controls.querySelector("button") as HTMLButtonElement).click(); // Resume
    expect(trainer.state).toBe("running");
    expect(buttons()["Training"]).toBe(true);
    await trainer.stop();
    expect(controls.dataset.state).toBe("stopped");
    await trainer.dispose();
  });

  it("show the divergence message in the page", async () => {
    const trainer = new Trainer(buildCnn({ inputShape: data.imageShape, outputs: 2, filters: 4, depth: 2 }), data, {
      batchSize: 16,
      epochs: 3,
      learningRate: 1,
    });
    const controls = trainingControls(trainer);
    await trainer.start();
    const message = controls.querySelector(".meddl-message") as HTMLElement;
    expect(trainer.state).toBe("diverged");
    expect(message.hidden).toBe(false);
    expect(message.textContent).toContain("the loss diverged; try a lower learning rate");
    await trainer.dispose();
  });
});

describe("live charts", () => {
  it("redraw while training and keep numTensors flat across chart updates", async () => {
    const trainer = makeTrainer(3);
    await trainer.step(); // warm up: the optimizer creates its slots on the first step
    const draws: number[] = [];
    live(
      trainer,
      () => {
        draws.push(trainer.stepsTaken);
        return filterGrid(trainer.model);
      },
      { interval: 0 },
    );
    live(
      trainer,
      () =>
        activationMaps(trainer.model, { image: imageAt(data.val, data.imageShape, 0), imageShape: data.imageShape }),
      { interval: 0 },
    );
    live(trainer, () => learningCurves(trainer.history), { interval: 0 });
    const explorer = confusionExplorer(trainer, data);
    const counts: number[] = [];
    trainer.on("batch", () => counts.push(tf.memory().numTensors));
    await trainer.resume();
    expect(trainer.state).toBe("done");
    expect(draws.length).toBeGreaterThan(5);
    expect(new Set(counts).size).toBe(1);
    expect(explorer.querySelectorAll('g[aria-label="cell"] rect')).toHaveLength(4);
    await trainer.dispose();
  });

  it("stop listening once their cell is invalidated (a chart nobody sees stops computing)", async () => {
    const trainer = makeTrainer(1);
    let invalidate: () => void = () => {};
    const invalidation = new Promise<void>((r) => (invalidate = r));
    let draws = 0;
    live(trainer, () => (draws++, document.createElement("div")), { interval: 0, invalidation });
    await trainer.step();
    await new Promise((r) => setTimeout(r, 10));
    const before = draws;
    expect(before).toBeGreaterThan(1); // drawn at once, then again after the step
    invalidate();
    await invalidation;
    await trainer.step();
    await new Promise((r) => setTimeout(r, 10));
    expect(draws).toBe(before);
    await trainer.dispose();
  });

  it("show a message instead of a broken chart", () => {
    const trainer = makeTrainer();
    const view = live(trainer, () => {
      throw new Error("no data yet");
    });
    expect(view.textContent).toContain("This chart could not be drawn: no data yet");
    void trainer.dispose();
  });
});

describe("inputs", () => {
  it("a slider rejects NaN and out-of-range typing, keeps its last good value, and reports changes", () => {
    const s = slider({ label: "Learning rate", min: 0.0001, max: 1, value: 0.005, log: true });
    const box = s.querySelector("input[type=number]") as HTMLInputElement;
    const seen: number[] = [];
    s.addEventListener("input", () => seen.push(s.value));
    box.value = "abc";
    box.dispatchEvent(new Event("change"));
    expect(s.value).toBe(0.005);
    expect(s.textContent).toContain("enter a number from 0.0001 to 1");
    box.value = "5";
    box.dispatchEvent(new Event("change"));
    expect(s.value).toBe(0.005);
    box.value = "0.01";
    box.dispatchEvent(new Event("change"));
    expect(s.value).toBe(0.01);
    const range = s.querySelector("input[type=range]") as HTMLInputElement;
    range.value = "-3";
    range.dispatchEvent(new Event("input"));
    expect(seen).toEqual([0.01, 0.001]);
  });

  it("a group's value collects its inputs by name", () => {
    const g = group("Model", {
      filters: slider({ label: "Filters", min: 1, max: 32, step: 1, value: 8 }),
      flip: checkbox({ label: "Flip", value: true }),
    });
    expect(g.value).toEqual({ filters: 8, flip: true });
  });
});
