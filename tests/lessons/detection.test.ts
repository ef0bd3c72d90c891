// @vitest-environment jsdom
import * as tf from "@tensorflow/tfjs";
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { makeChestSlices } from "../../src/data/chestSlices";
import { stubCanvas } from "../helpers/dom";
import { DETECTION_LESSON_DEFAULTS, detectionExpectations, detectionSetup, roundMiningLeads, type DetectionRecord } from "../../src/lessons/detection";

beforeAll(async () => {
  stubCanvas();
  await tf.setBackend("cpu");
});

describe("the detection page's 'what to expect' box", () => {
  const record = JSON.parse(readFileSync("data/records/detection.json", "utf8")) as DetectionRecord;
  const data = makeChestSlices({ trainCount: 2, valCount: 1 });

  it("quotes the record: seeds, low-FP sensitivities with and without mining, CPMs, and on how many seeds mining won", () => {
    const text = detectionExpectations(record, data).textContent!;
    const s = record.summary;
    const pct = (x: number) => `${(100 * x).toFixed(0)}%`;
    expect(text).toContain(`over ${s.seeds} seeds (${record.runs.map((r) => r.seed).join(", ")})`);
    expect(text).toContain(`finds ${pct(s.plainLowFp)} of the nodules`);
    expect(text).toContain(`with hard-negative mining, ${pct(s.miningLowFp)}`);
    expect(text).toContain(`CPM ${s.plainCpm.toFixed(2)}`);
    expect(text).toContain(`CPM ${s.miningCpm.toFixed(2)}`);
    expect(text).toContain(`Mining did better on ${s.miningBetterSeeds} of ${s.seeds} seeds`);
    const lead = roundMiningLeads(record)!;
    expect(text).toContain(`stays ahead from round ${lead} of ${record.settings.rounds}`);
    // The direction the page's prose teaches holds in the record.
    expect(s.miningLowFp).toBeGreaterThan(s.plainLowFp);
  });

  it("says plainly when there is no record, and does not quote synthetic numbers for real data", () => {
    expect(detectionExpectations(null, data).textContent).toMatch(/No record yet/);
    expect(detectionExpectations(record, { ...data, synthetic: false }).textContent).toMatch(/no measured record/);
  });
});

describe("the detection page's set-up", () => {
  it("turns settings that cannot train into a plain message instead of a broken page", () => {
    const data = makeChestSlices({ trainCount: 2, valCount: 1 });
    const { trainer, message } = detectionSetup(data, { ...DETECTION_LESSON_DEFAULTS, negativeRatio: Number.NaN }, { mining: true });
    expect(trainer).toBeNull();
    expect(message!.getAttribute("role")).toBe("alert");
    expect(message!.textContent).toMatch(/These settings cannot train: negativeRatio must be/);
    expect(tf.memory().numTensors).toBe(0); // the model built before the check was freed
  });
});

describe("when mining pulls ahead", () => {
  const run = (plain: number[], mining: number[]) => ({ seed: 1, plain: { cpmByRound: plain }, mining: { cpmByRound: mining } });
  it("is the first round from which the mining run's mean CPM stays ahead to the end", () => {
    const record = { runs: [run([0.1, 0.5, 0.5, 0.6], [0.1, 0.4, 0.6, 0.7]), run([0.2, 0.4, 0.5, 0.5], [0.3, 0.4, 0.6, 0.8])] } as unknown as DetectionRecord;
    expect(roundMiningLeads(record)).toBe(3); // round 1 ahead, round 2 behind, ahead from round 3 on
    const never = { runs: [run([0.5, 0.6], [0.4, 0.5])] } as unknown as DetectionRecord;
    expect(roundMiningLeads(never)).toBeNull();
  });
});
