// @vitest-environment jsdom
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { makeNucleiDataset } from "../../src/data/nuclei";
import { checkerboardExperiment } from "../../src/lessons/unet";
import { stubCanvas } from "../helpers/dom";

beforeAll(async () => {
  stubCanvas();
  await tf.setBackend("cpu");
});

describe("checkerboard experiment", () => {
  it("trains two fresh U-Nets, shows both maps with their checkerboard strength, and frees them", async () => {
    const data = makeNucleiDataset({ trainCount: 8, valCount: 2 });
    const before = tf.memory().numTensors;
    const view = checkerboardExperiment(data, { depth: 2, baseFilters: 2, steps: 1, batchSize: 2 }); // tiny: the cpu backend is slow
    (view.querySelector("button") as HTMLButtonElement).click();
    await expect.poll(() => view.querySelectorAll("figure").length, { timeout: 60_000, interval: 100 }).toBe(2);
    const figures = [...view.querySelectorAll("figure")];
    expect(figures.map((f) => f.querySelector("figcaption")!.textContent)).toEqual([
      expect.stringMatching(/^transposed convolution\ncheckerboard strength \d\.\d\d$/),
      expect.stringMatching(/^resize \+ convolution\ncheckerboard strength \d\.\d\d$/),
    ]);
    expect(figures.every((f) => f.querySelectorAll("canvas").length === 2)).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
  });
});
