// @vitest-environment jsdom
// The transfer lesson's "Try this" exercises against the sweep record (data/pretrained/shapes/sweep.json)
// and the real-data record: each stated answer must be what the records show.
import { describe, expect, it } from "vitest";
import { N_LABEL, REAL_N, transferExercises } from "../../src/lessons/exercises/transfer";
import { msPerStep, realTransferVerdicts, separated, type SweepRecord } from "../../src/records/transfer";
import { readRecord } from "../records/helpers";
import { answerOf, applied, byId, recordingSet, revealText } from "./exercises-helpers";

const sweep = readRecord<SweepRecord>("data/pretrained/shapes/sweep.json")!;
const real = readRecord("transfer-real");
const { calls, set } = recordingSet();
const ex = transferExercises({ sweep, real }, { set });
const mean = (strategy: string, n: number) => sweep.summary.find((s) => s.strategy === strategy && s.n === n)!.mean;
const strategies = ["scratch", "frozen", "finetune"] as const;

describe("transfer exercises", () => {
  it("has one to two exercises in each main section's box", () => {
    for (const box of [ex.strategies, ex.sweep]) {
      expect(box.length).toBeGreaterThanOrEqual(1);
      expect(box.length).toBeLessThanOrEqual(2);
    }
  });

  it("all images: scratch beats frozen features in every seed and is within fine-tuning's reach", () => {
    const e = byId(ex.strategies, "transfer-all-images");
    expect(answerOf(e)).toMatch(/scratch catches up/);
    const all = sweep.settings.sizes.at(-1)!;
    expect(separated(sweep, "scratch", "frozen", all)).toBe(true);
    expect(separated(sweep, "finetune", "scratch", all)).toBe(false); // fine-tuning does not clearly win
    expect(mean("scratch", all)).toBeGreaterThan(mean("finetune", all) - 0.03);
    expect(revealText(e)).toContain(mean("scratch", all).toFixed(3));
    expect(applied(e, calls, "transfer")).toEqual([[N_LABEL, all]]);
  });

  it("speed: a frozen step is at least twice as fast as a scratch step", () => {
    const e = byId(ex.strategies, "transfer-speed");
    expect(answerOf(e)).toMatch(/Several times faster/);
    expect(msPerStep(sweep, "scratch") / msPerStep(sweep, "frozen")).toBeGreaterThan(2);
  });

  it("ten images: no strategy separates from another, and all stay near chance", () => {
    const e = byId(ex.sweep, "transfer-ten-images");
    expect(answerOf(e)).toMatch(/None clearly/);
    const fewest = sweep.settings.sizes[0];
    for (const a of strategies)
      for (const b of strategies) if (a !== b) expect(separated(sweep, a, b, fewest), `${a} over ${b}`).toBe(false);
    for (const s of strategies) expect(mean(s, fewest)).toBeLessThan(0.6);
    expect(applied(e, calls, "transfer")).toEqual([[N_LABEL, fewest]]);
  });

  it.skipIf(!real || real.skipped)("real data: at no N is a pretrained strategy above scratch in every seed", () => {
    const e = byId(ex.sweep, "transfer-real");
    expect(answerOf(e)).toMatch(/^No/);
    expect(real.settings.sizes).toContain(REAL_N);
    for (const v of realTransferVerdicts(real)) {
      expect(v.frozen).not.toBe("above");
      expect(v.finetune).not.toBe("above");
    }
  });
});
