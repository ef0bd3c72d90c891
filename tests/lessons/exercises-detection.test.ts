// The detection lesson's "Try this" answers, checked against data/records/detection.json: a
// re-recorded result that flips an effect fails here, before the page promises it.
import { describe, expect, it } from "vitest";
import { roundMiningLeads, type DetectionRecord } from "../../src/lessons/detection";
import { cpmAfter, detectionExercises, EARLY_ROUNDS, LOW_THRESHOLD } from "../../src/lessons/exercises/detection";
import type { Exercise } from "../../src/ui/exercise";
import { readRecord } from "../records/helpers";

const record = readRecord<DetectionRecord>("detection")!;
const calls: [string, unknown, unknown][] = [];
const exercises = detectionExercises(record, { setControl: (label, value, options) => calls.push([label, value, options]) });
const all = [...exercises.froc, ...exercises.slices, ...exercises.curves];
const byId = (id: string) => all.find((e) => e.id === id)!;
const chosen = (e: Exercise) => e.choices![e.answer!];
const pct = (x: number) => `${(100 * x).toFixed(0)}%`;

describe("detection exercises", () => {
  it("are four, one or two per box, each with a valid answer and a reveal that quotes the record", () => {
    expect(all).toHaveLength(4);
    for (const box of Object.values(exercises)) expect(box.length).toBeGreaterThanOrEqual(1);
    for (const e of all) {
      expect(e.answer).toBeGreaterThanOrEqual(0);
      expect(e.answer).toBeLessThan(e.choices!.length);
      expect(e.reveal).toMatch(/\d/);
    }
  });

  it("mining finds more nodules at low false-alarm rates: on every seed, by a wide margin", () => {
    const e = byId("detection-mining");
    expect(chosen(e)).toMatch(/Hard-negative mining, by a wide margin/);
    const s = record.summary;
    expect(s.miningBetterSeeds).toBe(s.seeds);
    expect(s.minGain).toBeGreaterThan(0.1);
    expect(e.reveal).toContain(pct(s.miningLowFp));
    expect(e.reveal).toContain(pct(s.plainLowFp));
  });

  it("pixel accuracy is well above 90% while the plain detector finds well under all nodules", () => {
    const e = byId("detection-pixel-accuracy");
    expect(chosen(e)).toMatch(/above 90%/);
    expect(record.summary.plainPixelAccuracy).toBeGreaterThan(0.9);
    for (const run of record.runs) expect(run.mining.pixelAccuracy).toBeGreaterThan(0.9);
    expect(record.summary.plainLowFp).toBeLessThan(0.7);
    expect(e.reveal).toContain(`${(100 * record.summary.plainPixelAccuracy).toFixed(1)}%`);
  });

  it("a lower threshold finds more nodules with more false alarms: FROC sensitivity rises with the rate, short of all", () => {
    const e = byId("detection-threshold");
    expect(chosen(e)).toMatch(/More nodules are found, and more false alarms/);
    for (const sens of [record.summary.plainSensitivities, record.summary.miningSensitivities]) {
      for (let k = 1; k < sens.length; k++) expect(sens[k]).toBeGreaterThanOrEqual(sens[k - 1]);
      expect(sens.at(-1)! - sens[0]).toBeGreaterThan(0.2);
      expect(sens.at(-1)!).toBeLessThan(1);
    }
    e.apply!();
    expect(calls.at(-1)).toEqual(["…or those scoring at least", LOW_THRESHOLD, undefined]);
  });

  it(`after ${EARLY_ROUNDS} rounds random negatives are slightly ahead; mining leads only later`, () => {
    const e = byId("detection-early-rounds");
    expect(chosen(e)).toMatch(/Random negatives, slightly/);
    const plain = cpmAfter(record, "plain", EARLY_ROUNDS), mining = cpmAfter(record, "mining", EARLY_ROUNDS);
    expect(plain).toBeGreaterThan(mining);
    expect(plain - mining).toBeLessThan(0.1); // "slightly"
    expect(roundMiningLeads(record)!).toBeGreaterThan(EARLY_ROUNDS);
    expect(e.reveal).toContain(plain.toFixed(2));
    e.apply!();
    expect(calls.at(-1)).toEqual(["Rounds", EARLY_ROUNDS, { group: "Patches and rounds" }]);
  });

  it("the mining exercise's button ticks the mining box", () => {
    byId("detection-mining").apply!();
    expect(calls.at(-1)![0]).toMatch(/^Hard-negative mining/);
    expect(calls.at(-1)![1]).toBe(true);
  });
});
