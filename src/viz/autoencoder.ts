/**
 * The auto-encoder lesson's pictures: rows of images (input, corrupted input, reconstruction),
 * the code space as a scatter coloured AND shaped by class (labels the network never saw) with a
 * thumbnail of the image under the pointer, and error maps. Plain records in, DOM out.
 */
import * as Plot from "@observablehq/plot";
import { el } from "../core/dom";
import { describe, num, plural, scatterSummary } from "./describe";
import { SERIES_COLOURS, SERIES_SYMBOLS } from "./palette";
import { imageCanvas } from "./raster";

type Shape = readonly [number, number, number];

/** Image i of a row-major [N, H, W, C] array. */
function imageOf(images: Float32Array, shape: Shape, i: number): Float32Array {
  const size = shape[0] * shape[1] * shape[2];
  return images.subarray(i * size, (i + 1) * size);
}

function canvasOf(
  values: ArrayLike<number>,
  shape: Shape,
  scale: number,
  range: [number, number] = [0, 1],
  title?: string,
): HTMLCanvasElement {
  return imageCanvas(values, shape[0], shape[1], shape[2] === 3 ? 3 : 1, {
    scale,
    min: range[0],
    max: range[1],
    title,
  });
}

export interface ImageRow {
  /** Row heading, e.g. "input", "corrupted", "reconstruction". */
  label: string;
  /** The row's images, one per column, row-major [N, H, W, C]; an image of NaN leaves its cell empty. */
  images: Float32Array;
  /** Value range drawn black..white (default 0..1). */
  range?: [number, number];
}

/**
 * A table of images: one row per entry of `rows`, one column per image. The reconstruction
 * sits under the image it rebuilds, so the eye can compare them directly.
 */
export function imageRows(
  rows: ImageRow[],
  shape: Shape,
  { scale = 3, captions }: { scale?: number; captions?: string[] } = {},
): HTMLElement {
  const size = shape[0] * shape[1] * shape[2];
  const table = el("div", { class: "meddl-image-rows" });
  for (const row of rows) {
    const line = el(
      "div",
      { class: "meddl-image-row", "data-row": row.label },
      el("span", { class: "meddl-image-row-label" }, row.label),
    );
    for (let j = 0; j < row.images.length / size; j++) {
      const image = imageOf(row.images, shape, j);
      // An image of NaN is a gap: an empty cell keeps the columns aligned.
      const gap = image.every((v) => Number.isNaN(v));
      const words = `${row.label}, image ${j + 1}${captions?.[j] ? ` (${captions[j]})` : ""}`;
      line.append(
        el(
          "figure",
          { class: "meddl-image-cell", style: `min-width: ${shape[1] * scale + 2}px` },
          gap ? null : describe(canvasOf(image, shape, scale, row.range), words),
        ),
      );
    }
    table.append(line);
  }
  describe(table, imageRowsSummary(rows, size), "group");
  if (captions) {
    table.append(
      el(
        "div",
        { class: "meddl-image-row meddl-image-captions" },
        el("span", { class: "meddl-image-row-label" }, ""),
        ...captions.map((c) =>
          el("figcaption", { class: "meddl-image-cell", style: `width: ${shape[1] * scale + 2}px` }, c),
        ),
      ),
    ); // + the canvas border
  }
  return table;
}

/**
 * "Image rows: input, corrupted, reconstruction, 8 images each; mean squared difference between the
 * input and reconstruction rows 0.0123" (the first row against the last, over the images both have).
 */
export function imageRowsSummary(rows: ImageRow[], size: number): string {
  if (!rows.length) return "Image rows: none";
  const count = Math.round(rows[0].images.length / size);
  let text = `Image rows: ${rows.map((r) => r.label).join(", ")}, ${plural(count, "image")} each`;
  if (rows.length > 1) {
    const first = rows[0].images,
      last = rows.at(-1)!.images;
    let sum = 0,
      n = 0;
    for (let i = 0; i < Math.min(first.length, last.length); i++) {
      const d = first[i] - last[i];
      if (Number.isFinite(d)) ((sum += d * d), n++);
    }
    if (n)
      text += `; mean squared difference between the ${rows[0].label} and ${rows.at(-1)!.label} rows ${(sum / n).toPrecision(3)}`;
  }
  return text;
}

/** A grid of images, e.g. samples from a VAE's prior, or a walk through code space. */
export function imageGrid(
  images: Float32Array,
  count: number,
  shape: Shape,
  { scale = 3, captions, className = "" }: { scale?: number; captions?: string[]; className?: string } = {},
): HTMLElement {
  const root = el("div", { class: `meddl-grid meddl-image-grid ${className}`.trim() });
  for (let i = 0; i < count; i++) {
    root.append(
      el(
        "figure",
        {},
        describe(
          canvasOf(imageOf(images, shape, i), shape, scale),
          `image ${i + 1}${captions?.[i] ? `: ${captions[i]}` : ""}`,
        ),
        captions?.[i] ? el("figcaption", {}, captions[i]) : null,
      ),
    );
  }
  return describe(root, `Image grid of ${plural(count, "image")}`, "group");
}

export interface CodeScatterOptions {
  /** Axis names, e.g. ["code unit 1", "code unit 2"] or ["PC1 (40%)", "PC2 (22%)"]. */
  axes?: [string, string];
  width?: number;
  height?: number;
  title?: string;
  /** The images behind the dots, to show the one under the pointer. */
  thumbnails?: { images: Float32Array; shape: Shape; scale?: number };
}

interface CodePoint {
  index: number;
  x: number;
  y: number;
  cls: string;
}

/**
 * Each validation image as a dot at its 2-D code, coloured and shaped by its class. The network
 * never saw these labels: if the classes gather in different places, it found what tells them
 * apart on its own. Hover a dot to see its image.
 */
export function codeScatter(
  coords: Float32Array,
  labels: ArrayLike<number>,
  classNames: string[],
  options: CodeScatterOptions = {},
): HTMLElement {
  const { axes = ["code 1", "code 2"], width = 420, height = 360, title, thumbnails } = options;
  const points: CodePoint[] = Array.from({ length: labels.length }, (_, i) => ({
    index: i,
    x: coords[2 * i],
    y: coords[2 * i + 1],
    cls: classNames[labels[i]] ?? String(labels[i]),
  }));
  const domain = classNames.filter((_, k) => Array.from(labels).includes(k));
  const plot = Plot.plot({
    width,
    height,
    marginLeft: 44,
    title,
    x: { label: `${axes[0]} →`, ticks: [] },
    y: { label: `↑ ${axes[1]}`, ticks: [] },
    color: { domain, range: SERIES_COLOURS.slice(0, domain.length) as unknown as string[] },
    symbol: { domain, range: SERIES_SYMBOLS.slice(0, domain.length) as unknown as string[], legend: true },
    marks: [
      Plot.dot(points, { x: "x", y: "y", stroke: "cls", symbol: "cls", r: 3, strokeWidth: 1.3 }),
      Plot.dot(points, Plot.pointer({ x: "x", y: "y", r: 7, stroke: "currentColor", strokeWidth: 2 })),
    ],
  }) as HTMLElement & { value?: CodePoint | null };
  describe(plot, scatterSummary(`Code space${title ? ` (${title})` : ""}, ${axes[0]} against ${axes[1]}`, points));
  const root = el("div", { class: "meddl-code-scatter", "data-points": points.length }, plot);
  if (thumbnails) {
    const { images, shape, scale = 4 } = thumbnails;
    const preview = el(
      "div",
      { class: "meddl-code-thumbnail", "aria-live": "polite" },
      el("span", { class: "meddl-help" }, "Point at a dot to see its image."),
    );
    plot.addEventListener("input", () => {
      const p = plot.value;
      preview.replaceChildren(
        ...(p
          ? [
              canvasOf(imageOf(images, shape, p.index), shape, scale),
              el("div", { class: "meddl-help" }, `validation image ${p.index}: ${p.cls}`),
            ]
          : [el("span", { class: "meddl-help" }, "Point at a dot to see its image.")]),
      );
    });
    root.append(preview);
  }
  return root;
}

/**
 * Error maps: each image beside its reconstruction and the squared error at every pixel
 * (bright = badly rebuilt), with the image's anomaly score as caption.
 */
export function errorMaps(
  items: { image: Float32Array; reconstruction: Float32Array; error: Float32Array; caption: string }[],
  shape: Shape,
  { scale = 3, maxError }: { scale?: number; maxError?: number } = {},
): HTMLElement {
  const top = maxError ?? Math.max(1e-6, ...items.flatMap((it) => Array.from(it.error)));
  const errorShape: Shape = [shape[0], shape[1], 1];
  const root = el("div", { class: "meddl-grid meddl-error-maps" });
  for (const it of items) {
    let worst = 0,
      total = 0;
    for (const e of it.error) ((worst = Math.max(worst, e)), (total += e));
    root.append(
      el(
        "figure",
        { class: "meddl-error-map" },
        el(
          "div",
          {},
          describe(canvasOf(it.image, shape, scale, [0, 1], "image"), `image: ${it.caption}`),
          describe(canvasOf(it.reconstruction, shape, scale, [0, 1], "reconstruction"), "its reconstruction"),
          describe(
            canvasOf(it.error, errorShape, scale, [0, top], "squared error"),
            `squared error map: mean ${num(total / it.error.length, 4)}, largest ${num(worst, 4)}`,
          ),
        ),
        el("figcaption", {}, it.caption),
      ),
    );
  }
  return describe(
    root,
    `Error maps of ${plural(items.length, "image")}: each image, its reconstruction and the squared error`,
    "group",
  );
}
