// The U-Net lesson's records (data/records/unet-nuclei.json, unet-bbbc039.json; `npm run record`)
// against the page: recorded with its defaults, the claims its prose makes hold in the record, and
// a short run of the defaults reproduces the record's first check.
import { beforeAll, describe, expect, it } from "vitest";
import { makeNucleiDataset } from "../../src/data/nuclei";
import * as tf from "@tensorflow/tfjs";
import { buildUNet, multiplyAdds } from "../../src/models/unet";
import { bbbc039Facts, unetFacts } from "../../src/records/unet";
import { segmentationTask } from "../../src/train/segmentation";
import { Trainer } from "../../src/train/trainer";
import { useBackend } from "../helpers/backend";
import { lesson, pageDefault, readRecord } from "./helpers";

const record = readRecord("unet-nuclei");
const md = lesson("unet");
const page = {
  size: pageDefault(md, "Image size"),
  depth: pageDefault(md, "Depth (levels)"),
  baseFilters: pageDefault(md, "Base filters"),
  batchSize: pageDefault(md, "Batch size"),
  epochs: pageDefault(md, "Epochs"),
  learningRate: pageDefault(md, "Learning rate"),
};

describe.skipIf(!record)("U-Net nuclei record", () => {
  beforeAll(() => useBackend("wasm"));
  const facts = unetFacts(record)!;

  it("was made with the page's current defaults", () => {
    expect(record.settings).toMatchObject(page);
  });

  it("what to expect: the U-Net passes both thresholds in every seed and ends above the network without skips", () => {
    expect(facts.depth3.passing.every((s) => s !== null)).toBe(true);
    expect(facts.depth3.gap).toBeGreaterThan(0);
    for (let i = 0; i < facts.depth3.seeds.length; i++)
      expect(facts.depth3.dice.withSkips[i]).toBeGreaterThan(facts.depth3.dice.withoutSkips[i]);
  });

  it("depth 4 squeezes a 64×64 image through a 4×4 bottleneck; the record has both networks there", () => {
    expect(facts.depth4).not.toBeNull();
    expect(facts.settings.size / 2 ** facts.depth4!.depth).toBe(4);
    const model = buildUNet({ inputShape: [64, 64, 1], depth: 4, baseFilters: 4 });
    expect(model.getLayer("bottleneck_out").outputShape).toEqual([null, 4, 4, 64]);
    model.dispose();
  });

  it("IoU is never above Dice in any recorded check", () => {
    for (const run of [...record.depth3, ...record.depth4]) {
      for (const e of [...run.withSkips.epochs, ...run.withoutSkips.epochs])
        expect(e.iou).toBeLessThanOrEqual(e.dice + 1e-9);
    }
  });

  it("resize-then-convolve costs more multiply-adds than the transposed convolution (what the page counts)", () => {
    const count = (upsample: "resize" | "transpose", depth: number) => {
      const model = buildUNet({ inputShape: [64, 64, 1], depth, baseFilters: 8, upsample });
      const n = multiplyAdds(model);
      model.dispose();
      return n;
    };
    for (const depth of [2, 3, 4]) {
      const ratio = count("resize", depth) / count("transpose", depth);
      console.log(`depth ${depth}: resize ÷ transpose multiply-adds = ${ratio.toFixed(3)}`);
      expect(ratio).toBeGreaterThan(1);
    }
    // The count itself: one 3×3 conv, 1 → 4 channels on 8×8 "same": 64 pixels × 9 × 1 × 4.
    const input = tf.input({ shape: [8, 8, 1] });
    const one = tf.model({
      inputs: input,
      outputs: tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: "same" }).apply(input) as tf.SymbolicTensor,
    });
    expect(multiplyAdds(one)).toBe(64 * 9 * 4);
    one.dispose();
  });

  it("the bottleneck sentence holds: the gap in boundary Dice vs Dice is what the page words say", () => {
    expect(facts.depth3.boundaryGap).toBeGreaterThan(0);
    expect(facts.depth4!.passingWithout.every((s) => s === null)).toBe(true); // "never above the thresholds"
  });

  it("a short run of the page defaults reproduces the record's first check (seed 1, with skips)", async () => {
    const data = makeNucleiDataset({ size: page.size, seed: 7 });
    const prior = data.train.masks.reduce((a, b) => a + b, 0) / data.train.masks.length;
    const model = buildUNet({
      inputShape: data.imageShape,
      depth: page.depth,
      baseFilters: page.baseFilters,
      upsample: "transpose",
      skips: true,
      foregroundPrior: prior,
      seed: 1,
    });
    const trainer = new Trainer(model, segmentationTask(data, { loss: "both" }), {
      batchSize: page.batchSize,
      epochs: 1,
      learningRate: page.learningRate,
      seed: 1,
    });
    while (trainer.state !== "done" && trainer.state !== "diverged") await trainer.step();
    const measured = trainer.history.epochs[0].metrics.dice;
    const recorded = record.depth3[0].withSkips.epochs[0].dice;
    console.log(`U-Net first check: Dice ${measured.toFixed(3)} now, ${recorded.toFixed(3)} recorded`);
    expect(Math.abs(measured - recorded)).toBeLessThan(0.05);
    await trainer.dispose();
  }, 600_000);
});

const real = readRecord("unet-bbbc039");
describe.skipIf(!real || real.skipped)("U-Net BBBC039 record", () => {
  it("has the threshold baselines and both networks the page quotes", () => {
    const f = bbbc039Facts(real)!;
    for (const v of [f.threshold, f.otsu, f.withSkips, f.withoutSkips]) expect(v).toBeGreaterThan(0);
  });
});
