/**
 * Charts in words, for screen readers. Every chart of the kit gets an `aria-label` sentence that
 * summarises its data ("ROC curve: nodule AUC 0.912"), built from the same data the chart draws,
 * so it changes whenever the chart is redrawn. These helpers keep the sentences alike.
 */

/**
 * Labels a chart node: `role` (default "img", which a screen reader announces as one picture) and
 * its sentence. Containers whose children are buttons (clickable tiles) use role "group" instead,
 * because an image role would hide the buttons inside it.
 */
export function describe<T extends Element>(node: T, sentence: string, role: "img" | "group" | "figure" = "img"): T {
  node.setAttribute("role", role);
  node.setAttribute("aria-label", sentence);
  // Plot names its mark groups (<g aria-label="line">) on elements with no role, which ARIA does not
  // allow. The sentence stands for them, so they are hidden from screen readers; a group that holds
  // a focusable control (a clickable cell) becomes a named group instead, so the control stays reachable.
  for (const g of node.querySelectorAll("g[aria-label]:not([role])")) {
    if (g.querySelector("[tabindex]")) g.setAttribute("role", "group");
    else g.setAttribute("aria-hidden", "true");
  }
  return node;
}

/** A number for a sentence: fixed digits, "none yet" when it is missing or not finite. */
export function num(value: number | null | undefined, digits = 3): string {
  return value === null || value === undefined || !Number.isFinite(value) ? "none yet" : value.toFixed(digits);
}

/** A percentage for a sentence: 0.873 → "87%". */
export function percent(value: number, digits = 0): string {
  return Number.isFinite(value) ? `${(100 * value).toFixed(digits)}%` : "none yet";
}

/** "1 image", "6 images". */
export function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : nouns}`;
}

/** Where a series heads: its recent mean against the mean just before ("falling", "rising", "flat"). */
export function trend(values: readonly number[], window = 10): "falling" | "rising" | "flat" {
  const finite = values.filter(Number.isFinite);
  if (finite.length < 2) return "flat";
  const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const recent = finite.slice(-window);
  const before = finite.slice(-2 * window, -window);
  const then = mean(before.length ? before : finite.slice(0, 1));
  const change = (mean(recent) - then) / (Math.abs(then) || 1);
  return Math.abs(change) < 0.02 ? "flat" : change < 0 ? "falling" : "rising";
}

/** One series of a chart, for its sentence: a name and its points in drawing order. */
export interface SeriesInWords {
  name: string;
  points: readonly { x: number; y: number }[];
}

/**
 * The latest value of each series: "pixel loss 0.031 at step 120, falling; adversarial 0.52 at
 * step 120, flat". `what` names the chart ("Training loss"); `at` words the x ("step", "N =").
 */
export function latestValues(
  what: string,
  series: readonly SeriesInWords[],
  { digits = 3, at = "step", withTrend = true }: { digits?: number; at?: string; withTrend?: boolean } = {},
): string {
  const drawn = series.filter((s) => s.points.some((p) => Number.isFinite(p.y)));
  if (!drawn.length) return `${what}: no data yet`;
  const parts = drawn.map((s) => {
    const finite = s.points.filter((p) => Number.isFinite(p.y));
    const last = finite.at(-1)!;
    const heading = withTrend && finite.length > 1 ? `, ${trend(finite.map((p) => p.y))}` : "";
    return `${s.name} ${num(last.y, digits)} at ${at} ${formatX(last.x)}${heading}`;
  });
  return `${what}: ${parts.join("; ")}`;
}

function formatX(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toPrecision(3);
}

/**
 * A scatter of classes in words: how many dots, and where each class's centre sits, e.g.
 * "PCA of features, 200 images: nodule 90 centred at (1.20, −0.31); no nodule 110 centred at (−0.98, 0.25)".
 */
export function scatterSummary(what: string, points: readonly { x: number; y: number; cls: string }[]): string {
  const finite = points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  if (!finite.length) return `${what}: no points yet`;
  const byClass = new Map<string, { n: number; x: number; y: number }>();
  for (const p of finite) {
    const c = byClass.get(p.cls) ?? { n: 0, x: 0, y: 0 };
    byClass.set(p.cls, { n: c.n + 1, x: c.x + p.x, y: c.y + p.y });
  }
  const centres = [...byClass].map(
    ([cls, c]) => `${cls} ${c.n} centred at (${num(c.x / c.n, 2)}, ${num(c.y / c.n, 2)})`,
  );
  return `${what}, ${plural(finite.length, "image")}: ${centres.join("; ")}`;
}

/**
 * A sweep's bands in words: "Validation AUC against training images N, mean ± spread over seeds:
 * from scratch N 25 0.712 ± 0.040, N 100 0.850 ± 0.021; fine-tuned …".
 */
export function sweepSummary<S extends string>(
  summary: readonly { strategy: S; n: number; mean: number; sd: number }[],
  name: (strategy: S) => string,
  what = "Validation AUC against training images N",
): string {
  if (!summary.length) return `${what}: no runs yet`;
  const arms = [...new Set(summary.map((s) => s.strategy))];
  const parts = arms.map(
    (s) =>
      `${name(s)} ` +
      summary
        .filter((p) => p.strategy === s)
        .sort((a, b) => a.n - b.n)
        .map((p) => `N ${p.n} ${num(p.mean)} ± ${num(p.sd)}`)
        .join(", "),
  );
  return `${what}, mean ± spread over seeds: ${parts.join("; ")}`;
}
