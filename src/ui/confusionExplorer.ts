/**
 * The confusion matrix next to the images behind one of its cells: click a cell to see,
 * for example, every nodule the model missed.
 */
import type { ClassificationDataset } from "../data/types";
import { confusionCounts } from "../metrics/classification";
import type { Trainer } from "../train/trainer";
import { confusionMatrix, type ConfusionCell } from "../viz/confusion";
import { predictionGrid } from "../viz/predictions";
import { el, replace } from "../core/dom";
import { live } from "./live";

export function confusionExplorer(trainer: Trainer, data: ClassificationDataset, { maxImages = 24 } = {}): HTMLElement {
  let selected: { t: number; p: number } | null = null;
  const render = (root: HTMLElement): Node => {
    const validation = trainer.validation;
    if (!validation)
      return el("p", { class: "meddl-help" }, "The confusion matrix appears after the first epoch's validation.");
    const labels = data.val.labels;
    const counts = confusionCounts(labels, validation.predicted, data.classNames.length);
    const matrix = confusionMatrix(counts, {
      classNames: data.classNames,
      selected,
      onSelect: (cell: ConfusionCell) => {
        selected = { t: cell.t, p: cell.p };
        // A keyboard user keeps their place: the redrawn cell gets the focus back.
        const hadFocus = root.contains(document.activeElement);
        replace(root, render(root));
        if (hadFocus)
          (
            root.querySelectorAll('[role="button"]')[cell.t * data.classNames.length + cell.p] as SVGElement | undefined
          )?.focus();
      },
    });
    let images: Node = el("p", { class: "meddl-help" }, "Click a cell to see its images.");
    if (selected) {
      const { t, p } = selected;
      const indices: number[] = [];
      for (let i = 0; i < labels.length; i++) if (labels[i] === t && validation.predicted[i] === p) indices.push(i);
      images = el(
        "div",
        {},
        el(
          "div",
          { class: "meddl-caption" },
          `${indices.length} validation images of class “${data.classNames[t]}” predicted as “${data.classNames[p]}”${indices.length > maxImages ? ` (first ${maxImages} shown)` : ""}:`,
        ),
        predictionGrid(data.val, {
          imageShape: data.imageShape,
          classNames: data.classNames,
          probs: validation.probs,
          indices: indices.slice(0, maxImages),
        }),
      );
    }
    root.dataset.epoch = String(validation.epoch);
    return el("div", { class: "meddl-confusion-layout" }, matrix, images);
  };
  // Redrawn after each validation (and state change), each time as its own task.
  return live(trainer, render, { events: ["epoch", "state"], interval: 0, className: "meddl-confusion" });
}
