/**
 * Validation images with their true and predicted labels. Mistakes are framed in the kit's "wrong"
 * colour AND marked ✗ (right answers ✓), so the colour is never the only cue.
 */
import type { Split } from "../data/types";
import { describe, plural } from "./describe";
import { OUTCOME_STYLES } from "./palette";
import { imageCanvas } from "./raster";

export interface PredictionGridOptions {
  /** [height, width, channels] of one image. */
  imageShape: [number, number, number];
  classNames: string[];
  /** The model's class probabilities for every image of the split ([count, classes]), or null before training. */
  probs?: Float32Array | null;
  /** Which images to show (defaults to the first `count`). */
  indices?: number[];
  count?: number;
  scale?: number;
  /** Called with an image's index when it is clicked (e.g. to show its activations). */
  onSelect?: (index: number) => void;
  /** false: captions give the class only (a preview of data, not of a model). */
  showPrediction?: boolean;
}

export function predictionGrid(
  split: Split,
  {
    imageShape,
    classNames,
    probs = null,
    indices,
    count = 24,
    scale = 2,
    onSelect,
    showPrediction = true,
  }: PredictionGridOptions,
): HTMLElement {
  const [h, w, c] = imageShape;
  const k = classNames.length;
  const size = h * w * c;
  const shown = indices ?? Array.from({ length: Math.min(count, split.count) }, (_, i) => i);
  const root = document.createElement("div");
  root.className = "meddl-grid meddl-predictions";
  let wrong = 0;
  for (const i of shown) {
    const truth = split.labels[i];
    const row = probs ? probs.subarray(i * k, (i + 1) * k) : null;
    const predicted = row ? row.indexOf(Math.max(...row)) : -1;
    if (row && predicted !== truth) wrong++;
    const figure = document.createElement("figure");
    figure.className = "meddl-prediction" + (row ? (predicted === truth ? " correct" : " wrong") : "");
    figure.dataset.index = String(i);
    const image = imageCanvas(split.images.subarray(i * size, (i + 1) * size), h, w, c === 3 ? 3 : 1, {
      scale,
      min: 0,
      max: 1,
    });
    const caption = document.createElement("figcaption");
    caption.textContent = !showPrediction
      ? classNames[truth]
      : row
        ? `${predicted === truth ? OUTCOME_STYLES.correct.mark : OUTCOME_STYLES.wrong.mark} true: ${classNames[truth]}\npred: ${classNames[predicted]} (${(100 * row[predicted]).toFixed(0)}%)`
        : `true: ${classNames[truth]}\npred: –`;
    figure.append(image, caption);
    // The picture's words for a screen reader: the caption, with "right" or "wrong" spelled out.
    const verdict = row ? (predicted === truth ? "right" : "wrong") + ": " : "";
    image.setAttribute("role", "img");
    image.setAttribute(
      "aria-label",
      `image ${i}, ${verdict}${(caption.textContent ?? "").replace(/^[✓✗] /, "").replace("\n", ", ")}`,
    );
    if (onSelect) {
      // Clickable, and reachable and operable from the keyboard too (Tab, then Enter or Space).
      figure.style.cursor = "pointer";
      figure.tabIndex = 0;
      figure.setAttribute("role", "button");
      figure.addEventListener("click", () => onSelect(i));
      figure.addEventListener("keydown", (event) => {
        if (event.key !== "Enter" && event.key !== " ") return;
        event.preventDefault();
        onSelect(i);
      });
    }
    root.append(figure);
  }
  // The grid in one sentence; each image keeps its own label (a group, not one image, so they stay readable).
  return describe(root, predictionGridSummary(shown.length, probs && showPrediction ? wrong : null), "group");
}

/** "Image grid: 40 validation images, 6 predicted wrong" (or, before any prediction, just the count). */
export function predictionGridSummary(count: number, wrong: number | null): string {
  return `Image grid: ${plural(count, "validation image")}` + (wrong === null ? "" : `, ${wrong} predicted wrong`);
}
