// The CNN lesson's records (data/records/cnn-nodules.json, cnn-medmnist.json; `npm run record`)
// against the page: recorded with the page's defaults, the "what to expect" note quotes them, and a
// short run of the defaults reproduces the record's first epoch.
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { medmnistFromFile } from "../../src/data/medmnist";
import { makeNoduleDataset } from "../../src/data/nodules";
import { buildCnn } from "../../src/models/cnn";
import {
  learningRateOutcomes,
  learningRateSummary,
  medmnistRecommendation,
  meanSd,
  noduleDefaults,
} from "../../src/records/cnn";
import { Trainer } from "../../src/train/trainer";
import { cnnExpectations } from "../../src/ui/expectations";
import { useBackend } from "../helpers/backend";
import { sharedFile } from "../helpers/data";
import { lesson, pageDefault, readRecord } from "./helpers";

const nodules = readRecord("cnn-nodules");
const medmnist = readRecord("cnn-medmnist");
const md = lesson("cnn");

/** The page's defaults, read from lessons/cnn.md itself. */
const page = {
  filters: pageDefault(md, "Filters (first layer)"),
  kernelSize: pageDefault(md, "Kernel size"),
  depth: pageDefault(md, "Depth (conv blocks)"),
  dropout: pageDefault(md, "Dropout"),
  batchSize: pageDefault(md, "Batch size"),
  epochs: pageDefault(md, "Epochs"),
  learningRate: pageDefault(md, "Learning rate"),
};

describe.skipIf(!nodules)("CNN nodules record", () => {
  beforeAll(() => useBackend("wasm"));

  it("was made with the page's current defaults", () => {
    expect(nodules.settings).toMatchObject(page);
  });

  it("what to expect: every seed passes 85% accuracy and 0.95 AUC, and the note quotes the record", () => {
    const d = noduleDefaults(nodules)!;
    expect(d.passAccuracy.every((e) => e !== null)).toBe(true);
    expect(d.passAuc.every((e) => e !== null)).toBe(true);
    const note = cnnExpectations(makeNoduleDataset({ seed: 42, trainCount: 10, valCount: 10 }), { nodules });
    expect(note).toContain(`AUC ${d.finalAuc.map((a) => a.toFixed(3)).join(", ")}`);
  });

  it("learning rates: the default learns in every seed; too large a rate stalls or diverges", () => {
    const rows = learningRateOutcomes(nodules)!;
    const byRate = (lr: number) => rows.find((r) => r.learningRate === lr)!;
    expect(byRate(page.learningRate).learns).toBe(byRate(page.learningRate).runs);
    expect(byRate(1).learns).toBe(0);
    expect(learningRateSummary(nodules)).toMatch(/learned at 0\.005/);
  });

  it("a short run of the page defaults reproduces the record's first epoch (seed 1)", async () => {
    const ds = makeNoduleDataset({ seed: 42 });
    const model = buildCnn({
      inputShape: ds.imageShape,
      outputs: 2,
      filters: page.filters,
      kernelSize: page.kernelSize,
      depth: page.depth,
      dropout: page.dropout,
      head: "softmax",
      seed: 1,
    });
    const trainer = new Trainer(model, ds, {
      batchSize: page.batchSize,
      epochs: 1,
      learningRate: page.learningRate,
      seed: 1,
    });
    while (trainer.state !== "done" && trainer.state !== "diverged") await trainer.step();
    const measured = trainer.history.epochs[0].metrics.accuracy;
    const recorded = nodules.defaults.find((r: { seed: number }) => r.seed === 1).epochs[0].accuracy;
    console.log(`epoch 1 accuracy: ${measured.toFixed(3)} now, ${recorded.toFixed(3)} recorded`);
    expect(Math.abs(measured - recorded)).toBeLessThan(0.03);
    await trainer.dispose();
  }, 300_000);
});

describe.skipIf(!medmnist)("CNN MedMNIST record", () => {
  it("the first candidate of each dataset is exactly the page defaults (what the note quotes as 'page defaults')", () => {
    for (const entry of Object.values(medmnist.datasets) as { runs: { settings: Record<string, number> }[] }[]) {
      expect(entry.runs[0].settings).toMatchObject({ ...page, flip: false, rotate: false });
    }
  });

  it("offers recorded settings chosen by validation AUC, and says whether they match the published AUC", () => {
    for (const id of Object.keys(medmnist.datasets)) {
      const r = medmnistRecommendation(medmnist, id)!;
      const bestVal = Math.max(...medmnist.datasets[id].runs.map((x: { valAuc: { mean: number } }) => x.valAuc.mean));
      expect(r.valAuc.mean).toBe(bestVal);
      expect(r.matchesPublished).toBe(r.testAuc.mean >= r.published.auc - 0.0005);
      expect(r.testAuc.values.length).toBeGreaterThanOrEqual(3); // several seeds
    }
  });

  it("on both PneumoniaMNIST and BreastMNIST, the recorded settings match or beat the published ResNet-18's test AUC (mean over seeds)", () => {
    for (const id of ["pneumoniamnist", "breastmnist"]) {
      const r = medmnistRecommendation(medmnist, id);
      expect(r, `${id} has a record`).toBeTruthy();
      expect(r!.matchesPublished, `${id}: ${r!.testAuc.mean} against ${r!.published.auc}`).toBe(true);
    }
  });

  for (const id of ["pneumoniamnist", "breastmnist"]) {
    const { file, exists } = sharedFile(`medmnist/${id}.npz`);
    it.skipIf(!exists || !medmnist?.datasets?.[id])(`the ${id} note quotes the record`, () => {
      const ds = medmnistFromFile(readFileSync(file), `${id}.npz`);
      const note = cnnExpectations(ds, { medmnist });
      expect(note).toContain(meanSd(medmnistRecommendation(medmnist, id)!.defaults.testAuc));
    });
  }
});
