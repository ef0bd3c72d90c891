// @vitest-environment jsdom
/**
 * The black-box page quotes data/records/explain.json (written by `npm run record:explain`).
 * These checks keep the record consistent with what the page's prose claims about it.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { makeNoduleDataset } from "../../src/data/nodules";
import { EXPLAIN_DEFAULTS, explainExpectations, type ExplainRecord } from "../../src/lessons/explain";

const record = JSON.parse(readFileSync("data/records/explain.json", "utf8")) as ExplainRecord & { settings: Record<string, unknown> };
const { clean, shortcut } = record.summary;

describe("data/records/explain.json", () => {
  it("was measured with the page's default settings, over several seeds", () => {
    for (const key of ["filters", "kernelSize", "depth", "dropout", "batchSize", "learningRate", "dataSeed"] as const) {
      expect(record.settings[key]).toBe(EXPLAIN_DEFAULTS[key]);
    }
    expect(record.settings.seeds.length).toBeGreaterThanOrEqual(3);
  });

  it("the shortcut: training accuracy up, validation down, a wide train–validation gap (the page's claim)", () => {
    expect(shortcut.trainAccuracy.mean).toBeGreaterThan(clean.trainAccuracy.mean);
    expect(shortcut.valAccuracy.mean).toBeLessThan(clean.valAccuracy.mean - 0.15);
    expect(shortcut.gap.min).toBeGreaterThan(clean.gap.max + 0.15);
  });

  it("saliency and HiResCAM put several times the tag's area on it; Grad-CAM varies from seed to seed", () => {
    for (const method of ["saliencyOnTag", "hiResCamOnTag"] as const) {
      expect(shortcut[method].mean).toBeGreaterThan(3 * record.tagArea);
      expect(shortcut[method].mean).toBeGreaterThan(2 * clean[method].mean);
    }
    // The page says Grad-CAM is less reliable: some seed misses the tag, another finds it.
    expect(shortcut.gradCamOnTag.min).toBeLessThan(2 * record.tagArea);
    expect(shortcut.gradCamOnTag.max).toBeGreaterThan(5 * record.tagArea);
  });

  it("temperature scaling lowers the ECE it was fitted for", () => {
    expect(record.calibration.eceAfter.mean).toBeLessThan(record.calibration.eceBefore.mean);
  });

  it("the what-to-expect box quotes the record's numbers", () => {
    const text = explainExpectations(record, makeNoduleDataset({ size: 16, trainCount: 2, valCount: 2 })).textContent!;
    expect(text).toContain(`gap of ${(100 * shortcut.gap.mean).toFixed(0)} ± ${(100 * shortcut.gap.sd).toFixed(0)} points`);
    expect(text).toContain(`validation ${(100 * shortcut.valAccuracy.mean).toFixed(0)}%`);
    expect(text).toContain(`ECE ${record.calibration.eceBefore.mean.toFixed(3)} before`);
    expect(explainExpectations(null, makeNoduleDataset({ size: 16, trainCount: 2, valCount: 2 })).textContent).toMatch(/record:explain/);
  });
});
