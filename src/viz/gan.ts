/**
 * Pictures of GAN denoising (survey §3.5.2): the low-dose input, each run's output, the full-dose
 * target and the errors, side by side; the losses of both networks and the discriminator's verdicts;
 * validation PSNR, SSIM and high-frequency power over time; and the power spectra that show what
 * PSNR misses (an over-smoothed output loses power at high spatial frequencies).
 *
 * Every function takes plain data (a GanPair, or anything shaped like one) and returns a DOM node.
 */
import * as Plot from "@observablehq/plot";
import { boundedPsnr, HF_CUTOFF, ssim, ssimWindow } from "../metrics/image";
import type { ImagePairs } from "../data/ct";
import type { GanData, GanStepRecord, GanWarning } from "../train/gan";
import type { GanEvaluation, GanQualityPoint, GanReference } from "../train/ganPair";
import type { PretrainingPoint } from "../train/ganPretrain";
import { el } from "../core/dom";
import { OKABE_ITO, SERIES_COLOURS, SERIES_DASHES } from "./palette";
import { describe, latestValues, num } from "./describe";
import { imageCanvas } from "./raster";

/** What the charts read from a GanPair (tests pass plain objects). */
export interface GanPairView {
  readonly names: readonly string[];
  readonly runs: readonly {
    readonly history: { readonly steps: readonly GanStepRecord[]; readonly warnings: readonly GanWarning[] };
  }[];
  readonly quality: readonly (readonly GanQualityPoint[])[];
  readonly latest: readonly (GanEvaluation | null)[];
  readonly reference: GanReference | null;
  readonly data: GanData;
}

/** Run colours (pixel-only blue, adversarial orange, as the kit's first and second runs), target and input. */
export const GAN_COLOURS = {
  runs: [SERIES_COLOURS[0], SERIES_COLOURS[1]],
  target: "currentColor",
  input: "#9a9a9a",
} as const;
const TARGET = "full-dose target";
const INPUT = "low-dose input";

/** Errors (output − target) are drawn blue–white–red over ± this much. */
export const ERROR_RANGE = 0.2;

/** A display window for CT values: [min, max] mapped to black … white. */
export type DisplayWindow = [number, number];
export const FULL_WINDOW: DisplayWindow = [0, 1];

// ---- images ---------------------------------------------------------------------------------

/** A square crop [size, size] of a square image, from (x, y). */
export function crop(image: ArrayLike<number>, imageSize: number, x: number, y: number, size: number): Float32Array {
  if (!(x >= 0 && y >= 0 && x + size <= imageSize && y + size <= imageSize))
    throw new RangeError(`a ${size}-px crop at (${x}, ${y}) does not fit a ${imageSize}-px image`);
  const out = new Float32Array(size * size);
  for (let row = 0; row < size; row++)
    for (let col = 0; col < size; col++) out[row * size + col] = image[(y + row) * imageSize + x + col];
  return out;
}

export interface PanelOptions {
  /** Validation images to show (rows). */
  indices?: number[];
  /** Screen pixels per image pixel. */
  scale?: number;
  /** Values drawn black … white. */
  window?: DisplayWindow;
  /** Show only a centred square of this many pixels (a zoom on texture), or the whole image. */
  zoom?: number | null;
}

interface Cell {
  header: string;
  image: Float32Array | null;
  /** Error images are drawn in blue–white–red. */
  error?: boolean;
  caption?: string;
}

function view(
  image: Float32Array,
  size: number,
  zoom: number | null | undefined,
): { values: Float32Array; side: number } {
  if (!zoom || zoom >= size) return { values: image, side: size };
  const start = Math.floor((size - zoom) / 2);
  return { values: crop(image, size, start, start, zoom), side: zoom };
}

/** Per-image PSNR and SSIM, as a caption. */
function scoreCaption(image: Float32Array, target: Float32Array, size: number): string {
  return `${boundedPsnr(image, target).toFixed(1)} dB · SSIM ${ssim(image, target, size, { window: ssimWindow(size) }).toFixed(2)}`;
}

function difference(a: Float32Array, b: Float32Array): Float32Array {
  return a.map((v, i) => v - b[i]);
}

function panelTable(
  rows: { index: number; cells: Cell[] }[],
  size: number,
  { scale = 2, window = FULL_WINDOW, zoom = null }: PanelOptions,
  className: string,
): HTMLElement {
  const headers = rows[0]?.cells.map((c) => c.header) ?? [];
  const side = zoom && zoom < size ? zoom : size;
  const draw = (cell: Cell, index: number) => {
    if (!cell.image)
      return el(
        "div",
        {
          class: "meddl-help",
          style: `width:${side * scale}px;height:${side * scale}px;display:flex;align-items:center;justify-content:center;border:1px dashed #ccc`,
        },
        "not yet scored",
      );
    const { values } = view(cell.image, size, zoom);
    const words = `${cell.header}, image ${index}${cell.caption ? `: ${cell.caption.replace(" · ", ", ")}` : ""}`;
    const canvas = cell.error
      ? imageCanvas(values, side, side, 1, {
          scale,
          diverging: true,
          min: -ERROR_RANGE,
          max: ERROR_RANGE,
          title: cell.header,
        })
      : imageCanvas(values, side, side, 1, { scale, min: window[0], max: window[1], title: cell.header });
    return describe(canvas, words);
  };
  return el(
    "table",
    { class: `meddl-seg-grid ${className}` },
    el("thead", {}, el("tr", {}, ...headers.map((h) => el("th", { style: `max-width:${side * scale}px` }, h)))),
    el(
      "tbody",
      {},
      ...rows.map(({ index, cells }) =>
        el(
          "tr",
          { "data-index": index },
          ...cells.map((cell) =>
            el(
              "td",
              { style: "vertical-align:top" },
              draw(cell, index),
              cell.caption ? el("div", { class: "meddl-help", style: "font-size:11px" }, cell.caption) : null,
            ),
          ),
        ),
      ),
    ),
  );
}

function imageOf(pairs: ImagePairs, which: "inputs" | "targets", i: number): Float32Array {
  const n = pairs.size * pairs.size;
  return pairs[which].subarray(i * n, (i + 1) * n);
}

/** The data itself: full-dose target, low-dose input and the noise the scan added (input − target). */
export function ctPairPanel(pairs: ImagePairs, options: PanelOptions = {}): HTMLElement {
  const { indices = [0, 1, 2, 3] } = options;
  const size = pairs.size;
  const rows = indices
    .filter((i) => i < pairs.count)
    .map((i) => {
      const input = imageOf(pairs, "inputs", i),
        target = imageOf(pairs, "targets", i);
      return {
        index: i,
        cells: [
          { header: TARGET, image: target },
          { header: INPUT, image: input, caption: scoreCaption(input, target, size) },
          { header: "noise: input − target", image: difference(input, target), error: true },
        ] as Cell[],
      };
    });
  const table = panelTable(rows, size, options, "meddl-ct-pairs");
  table.setAttribute(
    "aria-label",
    `${rows.length} CT images: full-dose target, low-dose input with its PSNR and SSIM, and the noise`,
  );
  return el("div", {}, table, errorLegend());
}

function errorLegend(): HTMLElement {
  return el(
    "div",
    { class: "meddl-legend" },
    el("span", { class: "swatch" }),
    ` errors: blue where the image is darker than the target, red where brighter (±${ERROR_RANGE}); white: no error`,
  );
}

/**
 * The central picture: for each validation image, the low-dose input, both runs' outputs, the
 * full-dose target, and each output's error (output − target). Captions: per-image PSNR and SSIM.
 */
export function enhancementPanel(pair: GanPairView, options: PanelOptions = {}): HTMLElement {
  const { indices = [0, 1, 2] } = options;
  const { val } = pair.data;
  const size = val.size,
    n = size * size;
  const rows = indices
    .filter((i) => i < val.count)
    .map((i) => {
      const input = imageOf(val, "inputs", i),
        target = imageOf(val, "targets", i);
      const outputs = pair.latest.map((e) => (e ? e.outputs.subarray(i * n, (i + 1) * n) : null));
      return {
        index: i,
        cells: [
          { header: INPUT, image: input, caption: scoreCaption(input, target, size) },
          ...outputs.map((o, r) => ({
            header: pair.names[r],
            image: o,
            caption: o ? scoreCaption(o, target, size) : undefined,
          })),
          { header: TARGET, image: target },
          ...outputs.map((o, r) => ({
            header: `error: ${pair.names[r]}`,
            image: o ? difference(o, target) : null,
            error: true,
          })),
        ] as Cell[],
      };
    });
  const steps = pair.latest
    .map((e, r) => (e ? `${pair.names[r]} at step ${e.step}` : null))
    .filter(Boolean)
    .join(", ");
  return el(
    "div",
    { "data-steps": pair.latest.map((e) => e?.step ?? "").join(",") },
    labelled(
      panelTable(rows, size, options, "meddl-gan-panel"),
      `${rows.length} validation images: the low-dose input, ${pair.names.join(" and ")}, the full-dose target, and each output's error` +
        (steps ? `; outputs of ${steps}` : "; not scored yet"),
    ),
    errorLegend(),
    steps
      ? el(
          "div",
          { class: "meddl-help" },
          `Outputs of ${steps}; captions: that image's PSNR and SSIM against the target.`,
        )
      : null,
  );
}

/** A table keeps its rows and columns for a screen reader; its name says what it shows. */
function labelled(table: HTMLElement, sentence: string): HTMLElement {
  table.setAttribute("aria-label", sentence);
  return table;
}

/** Rows of several named series as the sentence helpers want them. */
function inWords<R extends { step: number; value: number }>(
  rows: readonly R[],
  names: readonly string[],
  nameOf: (row: R) => string,
) {
  return names.map((name) => ({
    name,
    points: rows.filter((d) => nameOf(d) === name).map((d) => ({ x: d.step, y: d.value })),
  }));
}

// ---- numbers --------------------------------------------------------------------------------

const fmt = {
  psnr: (v: number) => `${v.toFixed(2)} dB`,
  ssim: (v: number) => v.toFixed(3),
  hfRatio: (v: number) => v.toFixed(2),
};

/**
 * PSNR, SSIM and the high-frequency power ratio of the input and of both runs, always together:
 * the ratio alone would rank a noisy image (≈ 1.5) above a faithful one.
 */
export function ganScoreboard(pair: GanPairView): HTMLElement {
  const input = pair.reference?.input;
  const row = (
    name: string,
    values: { psnr: number; ssim: number; hfRatio: number } | null | undefined,
    attrs: Record<string, string | number> = {},
    note = "",
  ) =>
    el(
      "tr",
      {
        ...attrs,
        ...(values ? { "data-psnr": values.psnr, "data-ssim": values.ssim, "data-hf-ratio": values.hfRatio } : {}),
      },
      el("td", {}, name, note ? el("span", { class: "meddl-help" }, ` ${note}`) : null),
      el("td", {}, values ? fmt.psnr(values.psnr) : "…"),
      el("td", {}, values ? fmt.ssim(values.ssim) : "…"),
      el("td", {}, values ? fmt.hfRatio(values.hfRatio) : "…"),
    );
  return el(
    "table",
    { class: "meddl-table meddl-gan-scores" },
    el(
      "thead",
      {},
      el(
        "tr",
        {},
        el("th", {}, `validation set (${pair.data.val.count} images)`),
        el("th", {}, "PSNR ↑"),
        el("th", {}, "SSIM ↑"),
        el(
          "th",
          {
            title: `power above ${HF_CUTOFF} × Nyquist, divided by the target's: 1 = the target's amount of fine detail and noise`,
          },
          "high-freq. power ÷ target's (1 = target)",
        ),
      ),
    ),
    el(
      "tbody",
      {},
      row(INPUT, input, { "data-run": "input" }, "(no denoising)"),
      ...pair.names.map((name, r) =>
        row(name, pair.latest[r], { "data-run": r }, pair.latest[r] ? `(step ${pair.latest[r]!.step})` : ""),
      ),
      el(
        "tr",
        { "data-run": "target" },
        el("td", {}, TARGET),
        el("td", {}, "∞"),
        el("td", {}, "1"),
        el("td", {}, "1.00"),
      ),
    ),
  );
}

/**
 * Says in words what the numbers show now: which run scores higher PSNR, and whose fine detail is
 * closer to the target's. Honest at every step, including when there is no difference yet.
 */
export function ganVerdict(pair: GanPairView): HTMLElement {
  const [a, b] = pair.latest;
  const input = pair.reference?.input;
  if (!a || !b || !input) return el("p", { class: "meddl-help" }, "Scoring the two denoisers on the validation set…");
  const [na, nb] = pair.names;
  const dPsnr = a.psnr - b.psnr;
  const gapA = Math.abs(Math.log(a.hfRatio)),
    gapB = Math.abs(Math.log(b.hfRatio));
  // Bands, not a single "close enough": the ratio wanders by about ±0.02 between checks.
  const describe = (e: GanEvaluation) =>
    e.hfRatio < 0.85
      ? "smoother than the target: fine detail lost"
      : e.hfRatio < 0.95
        ? "a little smoother than the target"
        : e.hfRatio <= 1.05
          ? "about the target's amount of fine detail"
          : e.hfRatio <= 1.15
            ? "a little more high-frequency power than the target"
            : "more high-frequency power than the target: noise left in, or invented detail";
  return el(
    "p",
    { class: "meddl-note", "data-psnr-gap": dPsnr },
    el(
      "b",
      {},
      Math.max(a.step, b.step) === 0 ? "Before training in this page. " : `At step ${Math.max(a.step, b.step)}. `,
    ),
    Math.abs(dPsnr) < 0.05
      ? "Same PSNR. "
      : el("span", {}, "Ahead on PSNR: ", el("b", {}, dPsnr > 0 ? na : nb), `, by ${Math.abs(dPsnr).toFixed(2)} dB. `),
    Math.abs(gapA - gapB) < 0.02
      ? "Same overall high-frequency power (look at the finest scales in the spectrum, section 6). "
      : el("span", {}, "Closer to the target's texture: ", el("b", {}, gapA < gapB ? na : nb), ". "),
    `High-frequency ratio of ${na}: ${fmt.hfRatio(a.hfRatio)}, ${describe(a)}; of ${nb}: ${fmt.hfRatio(b.hfRatio)}, ${describe(b)}. `,
    `(The noisy input: ${fmt.psnr(input.psnr)}, SSIM ${fmt.ssim(input.ssim)}, ratio ${fmt.hfRatio(input.hfRatio)}.)`,
  );
}

// ---- charts over time -----------------------------------------------------------------------

export type QualityMetric = "psnr" | "ssim" | "hfRatio";

const QUALITY_AXES: Record<QualityMetric, { title: string; label: string }> = {
  psnr: { title: "Validation PSNR", label: "PSNR (dB) ↑" },
  ssim: { title: "Validation SSIM", label: "SSIM ↑" },
  hfRatio: { title: "Fine detail vs. the target", label: "high-freq. power ÷ target's (1 = same)" },
};

export interface ChartOptions {
  width?: number;
  height?: number;
}

/** One validation metric of both runs over training, with the noisy input (and, for the ratio, the target) as reference lines. */
export function qualityChart(
  pair: GanPairView,
  { metric = "psnr", width = 340, height = 230 }: ChartOptions & { metric?: QualityMetric } = {},
): SVGSVGElement | HTMLElement {
  const rows = pair.quality.flatMap((points, r) =>
    points.map((p) => ({ run: pair.names[r], step: p.step, value: p[metric] })),
  );
  const input = pair.reference?.input[metric];
  const references = [
    ...(input !== undefined ? [{ name: `${INPUT}: ${fmt[metric](input)}`, value: input }] : []),
    ...(metric === "hfRatio" ? [{ name: "target: 1", value: 1 }] : []),
  ];
  const values = [...rows.map((r) => r.value), ...references.map((r) => r.value)].filter(Number.isFinite);
  const lo = Math.min(...values),
    hi = Math.max(...values),
    pad = (hi - lo) * 0.1 || 0.05;
  const figure = Plot.plot({
    title: QUALITY_AXES[metric].title,
    width,
    height,
    marginLeft: 50,
    x: { label: "Training step →", domain: [0, Math.max(10, ...rows.map((r) => r.step))] },
    y: { label: QUALITY_AXES[metric].label, grid: true, domain: values.length ? [lo - pad, hi + pad] : undefined },
    color: { legend: true, domain: [...pair.names], range: [...GAN_COLOURS.runs] },
    marks: [
      ...references.flatMap((r) => [
        Plot.ruleY([r.value], {
          stroke: r.name.startsWith("target") ? GAN_COLOURS.target : GAN_COLOURS.input,
          strokeDasharray: "5,4",
        }),
        Plot.text([r], { x: 0, y: "value", text: "name", textAnchor: "start", dy: -6, fill: "currentColor" }),
      ]),
      Plot.line(rows, { x: "step", y: "value", stroke: "run", strokeWidth: 2, z: "run" }),
      Plot.dot(rows, {
        x: "step",
        y: "value",
        fill: "run",
        r: 3,
        tip: true,
        title: (d: { run: string; step: number; value: number }) => `${d.run}, step ${d.step}: ${fmt[metric](d.value)}`,
      }),
    ],
  });
  const sentence = latestValues(
    QUALITY_AXES[metric].title,
    inWords(rows, pair.names, (d) => d.run),
  );
  const refs = references.map((r) => r.name).join(", ");
  return describe(figure, refs ? `${sentence}; reference: ${refs}` : sentence);
}

export type LossKind = "pixel" | "adversarial" | "discriminator";

const LOSS_AXES: Record<
  LossKind,
  { title: string; label: string; key: "pixelLoss" | "adversarialLoss" | "discriminatorLoss" }
> = {
  pixel: { title: "Generator: pixel loss", label: "pixel loss ↓", key: "pixelLoss" },
  adversarial: { title: "Generator: adversarial loss", label: "−log D(G(x)) ↓", key: "adversarialLoss" },
  discriminator: { title: "Discriminator loss", label: "D loss ↓", key: "discriminatorLoss" },
};

/** One loss of both runs, per step (faint) and smoothed. For the discriminator: a line at ln 2, a coin toss. */
export function ganLossChart(
  pair: GanPairView,
  { kind = "pixel", width = 340, height = 220, smooth = 10 }: ChartOptions & { kind?: LossKind; smooth?: number } = {},
): SVGSVGElement | HTMLElement {
  const { key, title, label } = LOSS_AXES[kind];
  const rows = pair.runs
    .flatMap((run, r) => run.history.steps.map((s) => ({ run: pair.names[r], step: s.step, value: s[key] })))
    .filter((d) => Number.isFinite(d.value));
  const figure = Plot.plot({
    title,
    width,
    height,
    marginLeft: 50,
    x: { label: "Training step →", domain: [0, Math.max(10, ...rows.map((r) => r.step))] },
    y: {
      label,
      grid: true,
      zero: kind !== "pixel",
      ...(kind === "discriminator" ? { domain: [0, Math.max(1, ...rows.map((r) => r.value))] } : {}),
    },
    color: { legend: true, domain: [...pair.names], range: [...GAN_COLOURS.runs] },
    marks: [
      ...(kind === "discriminator"
        ? [
            Plot.ruleY([Math.LN2], { stroke: "#777", strokeDasharray: "5,4" }),
            Plot.text([{ value: Math.LN2 }], {
              x: 0,
              y: "value",
              text: () => "ln 2: a coin toss",
              textAnchor: "start",
              dy: -6,
              fill: "currentColor",
            }),
          ]
        : []),
      Plot.line(rows, { x: "step", y: "value", stroke: "run", strokeOpacity: 0.25, z: "run" }),
      Plot.line(
        rows,
        Plot.windowY({ k: smooth, anchor: "end" }, { x: "step", y: "value", stroke: "run", strokeWidth: 2, z: "run" }),
      ),
      ...emptyHint(rows.length),
    ],
  });
  return describe(
    figure,
    latestValues(
      title,
      inWords(rows, pair.names, (d) => d.run),
    ),
  );
}

/** A chart with no steps yet says what will fill it. */
function emptyHint(rows: number): Plot.Markish[] {
  return rows ? [] : [Plot.text(["Press Train: each step adds a point"], { frameAnchor: "middle", fill: "#888" })];
}

const REAL = "on full-dose (real) images";
const FAKE = "on denoised (generated) images";

/**
 * The discriminator's mean "real" probability on clean targets and on the generator's outputs,
 * one panel per run. Apart: it tells them apart; both at 0.5: it cannot.
 */
export function discriminatorOutputChart(
  pair: GanPairView,
  { width = 680, height = 220, smooth = 10 }: ChartOptions & { smooth?: number } = {},
): SVGSVGElement | HTMLElement {
  const rows = pair.runs
    .flatMap((run, r) =>
      run.history.steps.flatMap((s) => [
        { run: pair.names[r], step: s.step, value: s.realScore, kind: REAL },
        { run: pair.names[r], step: s.step, value: s.fakeScore, kind: FAKE },
      ]),
    )
    .filter((d) => Number.isFinite(d.value));
  const figure = Plot.plot({
    title: "What the discriminator says: its mean output, the probability “real”",
    width,
    height,
    marginLeft: 50,
    x: { label: "Training step →", domain: [0, Math.max(10, ...rows.map((r) => r.step))] },
    y: { label: "D output ↑ real", domain: [0, 1], grid: true },
    fx: { label: null, domain: [...pair.names] },
    color: { legend: true, domain: [REAL, FAKE], range: [OKABE_ITO.bluishGreen, OKABE_ITO.reddishPurple] },
    marks: [
      Plot.frame({ stroke: "#ddd" }),
      Plot.ruleY([0.5], { stroke: "#777", strokeDasharray: "5,4" }),
      // "Real" solid, "denoised" dashed: where the two coincide (a fresh discriminator near 0.5) both stay visible.
      ...[REAL, FAKE].map((kind, i) =>
        Plot.line(
          rows.filter((d) => d.kind === kind),
          Plot.windowY(
            { k: smooth, anchor: "end" },
            { x: "step", y: "value", stroke: "kind", fx: "run", strokeWidth: 2, strokeDasharray: SERIES_DASHES[i] },
          ),
        ),
      ),
      ...emptyHint(rows.length),
    ],
  });
  const names = pair.names.flatMap((run) => [REAL, FAKE].map((kind) => `${run}, ${kind}`));
  const series = inWords(rows, names, (d) => `${d.run}, ${d.kind}`);
  return describe(figure, latestValues("Discriminator's mean probability “real” (0.5: it cannot tell)", series));
}

// ---- spectra --------------------------------------------------------------------------------

export type SpectrumMode = "power" | "ratio" | "noise";

const SPECTRUM_AXES: Record<SpectrumMode, { title: string; label: string }> = {
  power: { title: "Radially averaged power spectrum", label: "power (log scale)" },
  ratio: { title: "Power spectrum ÷ the target's", label: "ratio (log scale; 1 = target)" },
  noise: { title: "Error power spectrum (image − target)", label: "error power (log scale) ↓" },
};

/**
 * Spectra of the validation set, against spatial frequency (cycles per pixel; 0.5 is the finest
 * pattern a pixel grid holds). "power": each set's mean radial spectrum; "ratio": divided by the
 * target's (below 1: smoother than the target, above 1: noisier or sharper); "noise": the
 * spectrum of the error, the noise power spectrum (NPS) of CT image quality.
 */
export function spectrumChart(
  pair: GanPairView,
  { mode = "ratio", width = 340, height = 250 }: ChartOptions & { mode?: SpectrumMode } = {},
): SVGSVGElement | HTMLElement {
  const ref = pair.reference;
  const size = pair.data.val.size;
  const series: { name: string; values: number[] }[] = [];
  if (ref) {
    const target = ref.targetSpectrum;
    const of = (values: number[], noise: number[]) =>
      mode === "power"
        ? values
        : mode === "noise"
          ? noise
          : values.map((v, r) => (target[r] > 0 ? v / target[r] : NaN));
    if (mode === "power") series.push({ name: TARGET, values: target });
    series.push({ name: INPUT, values: of(ref.input.spectrum, ref.input.noisePowerSpectrum) });
    pair.latest.forEach(
      (e, r) => e && series.push({ name: pair.names[r], values: of(e.spectrum, e.noisePowerSpectrum) }),
    );
  }
  const rows = series
    .flatMap((s) => s.values.map((value, r) => ({ series: s.name, frequency: r / size, value })))
    .filter((d) => d.frequency > 0 && d.value > 0 && Number.isFinite(d.value));
  const names = [...(mode === "power" ? [TARGET] : []), INPUT, ...pair.names];
  const colours = [...(mode === "power" ? [GAN_COLOURS.target] : []), GAN_COLOURS.input, ...GAN_COLOURS.runs];
  const cutoff = HF_CUTOFF * 0.5;
  const figure = Plot.plot({
    title: SPECTRUM_AXES[mode].title,
    width,
    height,
    marginLeft: 56,
    x: { label: "Spatial frequency (cycles per pixel) →", domain: [0, 0.5] },
    y: { label: SPECTRUM_AXES[mode].label, type: "log", grid: true },
    color: { legend: true, domain: names, range: colours },
    marks: [
      Plot.ruleX([cutoff], { stroke: "#bbb", strokeDasharray: "2,3" }),
      Plot.text([cutoff], {
        x: (d: number) => d,
        frameAnchor: "top",
        text: () => "high frequencies →",
        textAnchor: "start",
        dx: 4,
        dy: 4,
        fill: "#777",
      }),
      ...(mode === "ratio" ? [Plot.ruleY([1], { stroke: GAN_COLOURS.target, strokeDasharray: "5,4" })] : []),
      Plot.line(
        rows.filter((d) => d.series === INPUT),
        { x: "frequency", y: "value", stroke: "series", strokeWidth: 2, strokeDasharray: "4,3" },
      ),
      Plot.line(
        rows.filter((d) => d.series !== INPUT),
        { x: "frequency", y: "value", stroke: "series", z: "series", strokeWidth: 2 },
      ),
      Plot.tip(
        rows,
        Plot.pointer({
          x: "frequency",
          y: "value",
          stroke: "series",
          title: (d: { series: string; frequency: number; value: number }) =>
            `${d.series}\n${d.frequency.toFixed(3)} cycles/px: ${d.value.toPrecision(3)}`,
        }),
      ),
    ],
  });
  return describe(figure, spectrumSummary(SPECTRUM_AXES[mode].title, rows, names, cutoff));
}

/** "Power spectrum ÷ the target's, mean above 0.25 cycles per pixel: low-dose input 1.8, pixel loss only 0.62, …". */
export function spectrumSummary(
  title: string,
  rows: readonly { series: string; frequency: number; value: number }[],
  names: readonly string[],
  cutoff: number,
): string {
  const parts = names
    .map((name) => {
      const high = rows.filter((d) => d.series === name && d.frequency >= cutoff);
      return high.length ? `${name} ${(high.reduce((s, d) => s + d.value, 0) / high.length).toPrecision(3)}` : "";
    })
    .filter(Boolean);
  return `${title}, mean above ${num(cutoff, 2)} cycles per pixel: ${parts.length ? parts.join(", ") : "not measured yet"}`;
}

// ---- how the shipped generators were trained -----------------------------------------------

const WARM = "shared warm start (pixel loss)";

/**
 * The shipped generators' own training, recorded when they were made: a shared pixel-loss warm
 * start, then the fork into "pixel loss only" and "pixel + adversarial", same budget each. The
 * whole converged story in one chart, without waiting for it in the page.
 */
export function pretrainingChart(
  history: readonly Pick<PretrainingPoint, "phase" | "step" | "psnr" | "hfRatio">[],
  {
    metric = "psnr",
    names = ["pixel loss only", "pixel + adversarial"],
    width = 340,
    height = 230,
  }: ChartOptions & { metric?: "psnr" | "hfRatio"; names?: readonly string[] } = {},
): SVGSVGElement | HTMLElement {
  const label = { warm: WARM, pixel: names[0], adversarial: names[1] };
  const rows = history
    .filter((p) => Number.isFinite(p[metric]))
    .map((p) => ({ series: label[p.phase], step: p.step, value: p[metric] }));
  const warm = rows.filter((r) => r.series === WARM);
  const fork = warm.at(-1);
  // Each branch starts where the warm start ended, so the lines join.
  const branches = [names[0], names[1]].flatMap((name) => [
    ...(fork ? [{ ...fork, series: name }] : []),
    ...rows.filter((r) => r.series === name),
  ]);
  const figure = Plot.plot({
    title: metric === "psnr" ? "Pretraining: validation PSNR" : "Pretraining: fine detail vs. the target",
    width,
    height,
    marginLeft: 50,
    x: { label: "Pretraining step →" },
    y: { label: metric === "psnr" ? "PSNR (dB) ↑" : "high-freq. power ÷ target's (1 = same)", grid: true },
    color: { legend: true, domain: [WARM, ...names], range: [GAN_COLOURS.input, ...GAN_COLOURS.runs] },
    marks: [
      ...(metric === "hfRatio" ? [Plot.ruleY([1], { stroke: GAN_COLOURS.target, strokeDasharray: "5,4" })] : []),
      ...(fork ? [Plot.ruleX([fork.step], { stroke: "#bbb", strokeDasharray: "2,3" })] : []),
      Plot.line(warm, { x: "step", y: "value", stroke: "series", strokeWidth: 2 }),
      Plot.line(branches, { x: "step", y: "value", stroke: "series", z: "series", strokeWidth: 2 }),
      Plot.dot(rows, {
        x: "step",
        y: "value",
        fill: "series",
        r: 2,
        tip: true,
        title: (d: { series: string; step: number; value: number }) =>
          `${d.series}, step ${d.step}: ${metric === "psnr" ? fmt.psnr(d.value) : fmt.hfRatio(d.value)}`,
      }),
    ],
  });
  const what = metric === "psnr" ? "Pretraining: validation PSNR (dB)" : "Pretraining: high-frequency power ÷ target's";
  const sentence = latestValues(
    what,
    inWords(rows, [WARM, ...names], (d) => d.series),
    { digits: 2 },
  );
  return describe(figure, fork ? `${sentence}; the runs fork at step ${fork.step}` : sentence);
}
