// The transfer lesson quotes the sweep recorded with the shipped source (data/pretrained/shapes/sweep.json)
// and the real-data record (data/records/transfer-real.json): check the records say what the prose says.
import { describe, expect, it } from "vitest";
import {
  chanceAllAbove,
  msPerStep,
  realTransferVerdicts,
  separations,
  stepsPerRound,
  sweepRun,
  sweepTable,
  type SweepRecord,
} from "../../src/records/transfer";
import { TRANSFER_DEFAULTS } from "../../src/train/sweep";
import { lesson, readRecord } from "./helpers";

const sweep = readRecord<SweepRecord>("data/pretrained/shapes/sweep.json");

describe.skipIf(!sweep)("transfer sweep record and the lesson's claims", () => {
  it("was made with the page's current defaults", () => {
    expect(sweep!.settings).toMatchObject({ ...TRANSFER_DEFAULTS });
  });

  it("the steps per N the page states are the steps the sweep took (not the same for every N)", () => {
    for (const p of sweep!.points) expect(p.curve.at(-1)!.step).toBe(stepsPerRound(p.n) * sweep!.settings.rounds);
    const budgets = sweep!.settings.sizes.map((n) => stepsPerRound(n) * sweep!.settings.rounds);
    expect(budgets).toEqual([200, 200, 225, 225, 300, 450]);
  });

  it("what to expect: seed 1 at N = 100 (the side-by-side run) ranks pretrained above scratch, and the frozen net is faster", () => {
    expect(sweepRun(sweep!, "frozen", 100, 1)).toBeGreaterThan(sweepRun(sweep!, "scratch", 100, 1));
    expect(sweepRun(sweep!, "finetune", 100, 1)).toBeGreaterThan(sweepRun(sweep!, "scratch", 100, 1));
    expect(msPerStep(sweep!, "scratch") / msPerStep(sweep!, "frozen")).toBeGreaterThan(2); // "several times faster"
  });

  it("the bullets: nothing works at 10, pretrained features beat scratch at small N, scratch catches fine-tuning and beats frozen at 600", () => {
    const table = sweepTable(sweep!);
    const at = (n: number) => table.find((r) => r.n === n)!.cells;
    expect(at(10).every((c) => c.mean < 0.6)).toBe(true);
    const seps = separations(sweep!);
    expect(seps.some((s) => s.winner !== "scratch" && s.loser === "scratch" && s.n <= 100)).toBe(true);
    const [scratch, frozen, finetune] = at(600);
    expect(Math.abs(scratch.mean - finetune.mean)).toBeLessThan(scratch.sd + finetune.sd); // "within the spread"
    expect(scratch.mean).toBeGreaterThan(frozen.mean);
  });

  it("three seeds: all-above by chance is 1 in 20", () => {
    expect(Math.round(1 / chanceAllAbove(3))).toBe(20);
  });

  it("the side-by-side run the note describes is the sweep's seed 1 at an N the sweep recorded", () => {
    const md = lesson("transfer");
    expect(md).toMatch(/n: trainingImages, seed: 1,/);
    const n = Number(/const DEFAULT_N = (\d+);/.exec(md)![1]);
    expect(sweep!.settings.sizes).toContain(n);
    expect(sweep!.settings.seeds).toContain(1);
  });

  it("the page renders the table from the record instead of typing it", () => {
    const md = lesson("transfer");
    expect(md).toContain("sweepTable(sweepRecord)");
    expect(md).not.toMatch(/\| 100 \| 0\.591/);
  });
});

const real = readRecord("transfer-real");

describe.skipIf(!real || real.skipped)("real-data transfer record", () => {
  it("was measured at the page's defaults, and the page states its settings", () => {
    expect(real.settings).toMatchObject({
      rounds: TRANSFER_DEFAULTS.rounds,
      learningRate: TRANSFER_DEFAULTS.learningRate,
      finetuneFactor: TRANSFER_DEFAULTS.finetuneFactor,
    });
    expect(lesson("transfer")).toContain("real.settings.finetuneFactor");
  });

  it("has a verdict for every N", () => {
    const v = realTransferVerdicts(real);
    expect(v.map((x) => x.n)).toEqual(real.settings.sizes);
    for (const x of v) for (const s of [x.frozen, x.finetune]) expect(["above", "below", "overlap"]).toContain(s);
  });
});
