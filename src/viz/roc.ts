/**
 * ROC curve: sensitivity against 1 − specificity at every threshold. Its area (AUC) does not
 * depend on one chosen threshold, which is why MedMNIST reports it first.
 */
import * as Plot from "@observablehq/plot";
import type { RocPoint } from "../metrics/classification";
import { describe, num } from "./describe";

export interface RocSeries {
  name: string;
  points: RocPoint[];
  auc: number;
}

export function rocChart(
  series: RocSeries[],
  { width = 320, reference }: { width?: number; reference?: { auc: number; label: string } } = {},
): SVGSVGElement | HTMLElement {
  const rows = series.flatMap((s) => s.points.map((p) => ({ ...p, series: `${s.name} (AUC ${s.auc.toFixed(3)})` })));
  const figure = Plot.plot({
    width,
    height: width,
    x: { label: "False-positive rate (1 − specificity) →", domain: [0, 1] },
    y: { label: "↑ True-positive rate (sensitivity)", domain: [0, 1], grid: true },
    color: { legend: true },
    marks: [
      Plot.line(
        [
          [0, 0],
          [1, 1],
        ],
        { stroke: "#aaa", strokeDasharray: "4,3" },
      ), // a coin flip
      Plot.line(rows, { x: "fpr", y: "tpr", stroke: "series", strokeWidth: 2, curve: "step-after" }),
      ...(reference
        ? [
            Plot.text([reference], {
              x: 0.98,
              y: 0.05,
              text: (d: { auc: number; label: string }) => `${d.label}: AUC ${d.auc.toFixed(3)}`,
              textAnchor: "end",
              fill: "currentColor",
            }),
          ]
        : []),
    ],
  });
  return describe(figure, rocSummary(series, reference));
}

/** "ROC curve, AUC 0.912" (one series) or "ROC curves: nodule AUC 0.912; vessel AUC 0.874", and the reference. */
export function rocSummary(series: RocSeries[], reference?: { auc: number; label: string }): string {
  const curves = !series.length
    ? "ROC curve: no predictions yet"
    : series.length === 1
      ? `ROC curve, AUC ${num(series[0].auc)}`
      : `ROC curves: ${series.map((s) => `${s.name} AUC ${num(s.auc)}`).join("; ")}`;
  return reference ? `${curves}; ${reference.label}: AUC ${num(reference.auc)}` : curves;
}
