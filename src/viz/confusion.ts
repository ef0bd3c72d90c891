/**
 * Confusion matrix: rows are the true classes, columns the predictions. The diagonal is right;
 * every other cell is one kind of mistake. Clicking a cell reports which one.
 */
import * as Plot from "@observablehq/plot";
import { describe, plural } from "./describe";
import { OKABE_ITO } from "./palette";

export interface ConfusionCell {
  truth: string;
  predicted: string;
  t: number;
  p: number;
  count: number;
  /** Share of the true class's images that landed here. */
  rate: number;
}

export function confusionCells(counts: number[][], classNames: string[]): ConfusionCell[] {
  return counts.flatMap((row, t) => {
    const total = row.reduce((a, b) => a + b, 0) || 1;
    return row.map((count, p) => ({
      truth: classNames[t],
      predicted: classNames[p],
      t,
      p,
      count,
      rate: count / total,
    }));
  });
}

export interface ConfusionOptions {
  classNames: string[];
  width?: number;
  onSelect?: (cell: ConfusionCell) => void;
  /** The cell currently selected, outlined. */
  selected?: { t: number; p: number } | null;
}

export function confusionMatrix(
  counts: number[][],
  { classNames, width = 320, onSelect, selected }: ConfusionOptions,
): SVGSVGElement | HTMLElement {
  const cells = confusionCells(counts, classNames);
  const figure = Plot.plot({
    width,
    height: Math.max(160, 50 * classNames.length + 70),
    marginLeft: 90,
    marginBottom: 50,
    x: { label: "Predicted →", domain: classNames, tickRotate: classNames.length > 4 ? -30 : 0 },
    y: { label: "↓ True", domain: classNames },
    color: { scheme: "blues", domain: [0, 1], legend: false },
    marks: [
      Plot.cell(cells, { x: "predicted", y: "truth", fill: "rate", inset: 1 }),
      Plot.text(cells, {
        x: "predicted",
        y: "truth",
        text: (d: ConfusionCell) => String(d.count),
        fill: (d: ConfusionCell) => (d.rate > 0.5 ? "white" : "black"),
        fontSize: 14,
      }),
      ...(selected
        ? [
            Plot.cell(
              cells.filter((d) => d.t === selected.t && d.p === selected.p),
              { x: "predicted", y: "truth", stroke: OKABE_ITO.vermillion, strokeWidth: 3, fill: "none" },
            ),
          ]
        : []),
    ],
  });
  // The counts sit on top of the cells; let clicks pass through them to the cell below.
  figure.querySelectorAll('g[aria-label="text"]').forEach((g) => g.setAttribute("pointer-events", "none"));
  if (onSelect) {
    // Plot draws one rect per cell, in data order: attach each cell's datum to its rect.
    const rects = figure.querySelectorAll('g[aria-label="cell"]')[0]?.querySelectorAll("rect") ?? [];
    rects.forEach((rect, i) => {
      const cell = cells[i];
      (rect as SVGRectElement).style.cursor = "pointer";
      rect.addEventListener("click", () => onSelect(cell));
      // A button for the keyboard too: Tab reaches it, Enter or Space opens it, its name says what it holds.
      rect.setAttribute("tabindex", "0");
      rect.setAttribute("role", "button");
      rect.setAttribute("aria-label", `true ${cell.truth}, predicted ${cell.predicted}: ${cell.count} images`);
      rect.addEventListener("keydown", (event) => {
        const key = (event as KeyboardEvent).key;
        if (key !== "Enter" && key !== " ") return;
        event.preventDefault();
        onSelect(cell);
      });
    });
  }
  // With clickable cells the chart is a group of buttons (an image role would hide them).
  return describe(figure, confusionSummary(cells), onSelect ? "group" : "img");
}

/**
 * "Confusion matrix of 40 images, 34 right (85%): true nodule predicted nodule 15, true nodule
 * predicted no nodule 3, …": every cell's count, read row by row.
 */
export function confusionSummary(cells: ConfusionCell[]): string {
  const total = cells.reduce((s, c) => s + c.count, 0);
  const right = cells.filter((c) => c.t === c.p).reduce((s, c) => s + c.count, 0);
  if (!total) return "Confusion matrix: no predictions yet";
  const share = ((100 * right) / total).toFixed(0);
  return (
    `Confusion matrix of ${plural(total, "image")}, ${right} right (${share}%): ` +
    cells.map((c) => `true ${c.truth} predicted ${c.predicted} ${c.count}`).join(", ")
  );
}
