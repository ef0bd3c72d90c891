// @vitest-environment jsdom
import { beforeAll, describe, expect, it } from "vitest";
import { frocCurve, imageOutcomes, type Heatmap } from "../../src/metrics/detection";
import { OUTCOME_STYLES, seriesStyle } from "../../src/viz/palette";
import { detectionCurves, detectionOverlay, frocChart, frocLine, patchGrid } from "../../src/viz/detection";
import { stubCanvas } from "../helpers/dom";

beforeAll(() => stubCanvas());

const objects = [
  [
    { x: 10, y: 10, r: 3 },
    { x: 30, y: 30, r: 3 },
  ],
  [],
];
const candidates = [
  [
    { x: 10, y: 11, score: 0.9 },
    { x: 20, y: 5, score: 0.6 },
  ],
  [{ x: 5, y: 5, score: 0.4 }],
];

describe("detection charts", () => {
  it("FROC: one line per run with its own dash, LUNA16's seven points each, ticks 1/8 … 8 on a log axis, CPM in the legend", () => {
    const froc = frocCurve(candidates, objects);
    const chart = frocChart([
      { name: "A", froc, cpm: 0.5 },
      { name: "B", froc, cpm: 0.25 },
    ]) as HTMLElement;
    const svg = chart.querySelector("svg:has(g[aria-label='line'])") ?? chart;
    const lines = svg.querySelectorAll("g[aria-label='line'] path");
    expect(lines).toHaveLength(2);
    expect(lines[1].closest("g")!.getAttribute("stroke-dasharray") ?? lines[1].getAttribute("stroke-dasharray")).toBe(
      seriesStyle(1).dash,
    );
    expect(svg.querySelectorAll("g[aria-label='dot'] path, g[aria-label='dot'] circle")).toHaveLength(14);
    const ticks = [...svg.querySelectorAll("g[aria-label='x-axis tick label'] text")].map((t) => t.textContent);
    expect(ticks).toEqual(["1/8", "1/4", "1/2", "1", "2", "4", "8"]);
    expect(chart.textContent).toContain("A · CPM 0.500");
  });

  it("reads the FROC as a rising step from 1/8 to 8 FPs per image", () => {
    const line = frocLine(frocCurve(candidates, objects), 13);
    expect(line[0].fp).toBeCloseTo(1 / 8);
    expect(line.at(-1)!.fp).toBeCloseTo(8);
    for (let i = 1; i < line.length; i++) expect(line[i].sensitivity).toBeGreaterThanOrEqual(line[i - 1].sensitivity);
  });

  it("overlay: a ring per hit, a cross per false alarm, a dashed ring per missed object, and a legend with words and counts", () => {
    const heat: Heatmap = { values: new Float32Array(11 * 11).fill(0.2), rows: 11, cols: 11, stride: 4, offset: 0 };
    const outcomes = imageOutcomes(candidates[0], objects[0]);
    const fig = detectionOverlay(new Float32Array(40 * 40), 40, 40, heat, outcomes, objects[0]);
    expect(fig.querySelectorAll("circle[data-outcome='hit']")).toHaveLength(1);
    expect(fig.querySelectorAll("path[data-outcome='false alarm']")).toHaveLength(1);
    const missed = fig.querySelectorAll("circle[data-outcome='missed']");
    expect(missed).toHaveLength(1);
    expect(missed[0].getAttribute("stroke-dasharray")).not.toBeNull();
    expect(missed[0].getAttribute("stroke")).toBe(OUTCOME_STYLES.missed.colour);
    const legend = fig.querySelector("figcaption")!.textContent!;
    expect(legend).toMatch(/hit \(1\).*false alarm \(1\).*missed nodule \(1\)/s);
    expect(legend).toContain(OUTCOME_STYLES.correct.mark);
  });

  it("curves: one loss line and one CPM line per run; patch grid: one captioned tile per patch", () => {
    const history = (k: number) => ({
      scoreName: "accuracy",
      batches: Array.from({ length: 20 }, (_, i) => ({
        step: i + 1,
        epoch: 1,
        batch: i + 1,
        batchesPerEpoch: 20,
        loss: k / (i + 1),
        score: 0.5,
        learningRate: 0.003,
      })),
      epochs: [{ epoch: 1, step: 20, trainLoss: 0.5, trainScore: 0.5, valLoss: NaN, metrics: { cpm: 0.4 } }],
    });
    const runs = [
      { name: "A", history: history(1) },
      { name: "B", history: history(2) },
    ];
    expect(
      (detectionCurves(runs, { metric: "loss" }) as HTMLElement).querySelectorAll("g[aria-label='line'] path"),
    ).toHaveLength(2);
    expect(
      (detectionCurves(runs, { metric: "cpm" }) as HTMLElement).querySelectorAll(
        "g[aria-label='dot'] path, g[aria-label='dot'] circle",
      ),
    ).toHaveLength(2);
    const grid = patchGrid(new Float32Array(3 * 16), 4, ["a", "b", "c"]);
    expect(grid.querySelectorAll("canvas")).toHaveLength(3);
    expect(grid.textContent).toBe("abc");
  });
});
