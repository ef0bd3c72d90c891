// @vitest-environment jsdom
/**
 * The training dock in jsdom: trainingControls puts one dock on the page and moves it to the newest
 * trainer; Space, →, R and P act on that trainer, and do nothing while focus is in a field; the
 * headline metric is the lesson's (AUC, Dice, PSNR…) when the run reports it.
 */
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeNoduleDataset } from "../../src/data/nodules";
import { buildCnn } from "../../src/models/cnn";
import { Trainer } from "../../src/train/trainer";
import { dockTrainer, headlineMetric, removeDock } from "../../src/ui/dock";
import { isPresenting } from "../../src/ui/presenter";
import { trainingControls } from "../../src/ui/trainingControls";
import { stubCanvas } from "../helpers/dom";

beforeAll(async () => {
  stubCanvas();
  await tf.setBackend("cpu");
});
afterAll(() => removeDock());

const data = makeNoduleDataset({ seed: 3, trainCount: 48, valCount: 16 });
const makeTrainer = () =>
  new Trainer(buildCnn({ inputShape: data.imageShape, outputs: 2, filters: 4, depth: 1, seed: 1 }), data, {
    batchSize: 16,
    epochs: 1,
    seed: 1,
  });
const press = (key: string, target: EventTarget = document.body) =>
  target.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true }));
const until = async (test: () => boolean) => {
  for (let i = 0; i < 200 && !test(); i++) await new Promise((r) => setTimeout(r, 20));
  expect(test()).toBe(true);
};

describe("training dock", () => {
  it("one dock, on the newest trainer; keys act on it, not while typing", async () => {
    const first = makeTrainer();
    trainingControls(first);
    const second = makeTrainer();
    document.body.append(trainingControls(second));
    expect(document.querySelectorAll(".meddl-dock")).toHaveLength(1);
    expect(dockTrainer()).toBe(second);

    press("ArrowRight");
    await until(() => second.stepsTaken === 1);
    expect(first.stepsTaken).toBe(0);
    expect(document.querySelector<HTMLElement>(".meddl-dock")!.dataset.step).toBe("1");

    // In a number field the keys belong to the field.
    const box = document.createElement("input");
    box.type = "number";
    document.body.append(box);
    press("ArrowRight", box);
    press("r", box);
    press("p", box);
    await new Promise((r) => setTimeout(r, 100));
    expect(second.stepsTaken).toBe(1);
    expect(isPresenting()).toBe(false);

    press("r");
    await until(() => second.stepsTaken === 0 && second.state === "idle");
    press(" ");
    await until(() => second.state === "running" || second.state === "done");
    press(" ");
    await until(() => second.state !== "running");
    press("p");
    expect(isPresenting()).toBe(true);
    press("p");
    expect(isPresenting()).toBe(false);
    press("?");
    expect(document.querySelector('[role="dialog"]')).not.toBeNull();
    press("Escape");
    expect(document.querySelector('[role="dialog"]')).toBeNull();
    await first.dispose();
    await second.dispose();
  });

  it("headline metric: the lesson's own, else the first the run reports", () => {
    expect(headlineMetric({ accuracy: 0.9, auc: 0.95 })).toEqual({ key: "auc", value: 0.95 });
    expect(headlineMetric({ dice: 0.8, iou: 0.7, boundaryDice: 0.75 })).toEqual({ key: "dice", value: 0.8 });
    expect(headlineMetric({ psnr: 31, ssim: 0.9 })).toEqual({ key: "psnr", value: 31 });
    expect(headlineMetric({ accuracy: 0.9, auc: 0.95 }, "accuracy")).toEqual({ key: "accuracy", value: 0.9 });
    expect(headlineMetric({ custom: 2 })).toEqual({ key: "custom", value: 2 });
    expect(headlineMetric({ auc: NaN })).toBeNull();
    expect(headlineMetric(undefined)).toBeNull();
  });
});
