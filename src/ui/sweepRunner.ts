/**
 * The panel every sweep uses (the transfer lesson's strategies over N, the data-problems lesson's
 * augmentation over N, …): a run button, a stop button, progress with the time left, and a chart
 * that fills in as runs finish. Until the learner runs their own, it shows the recorded sweep.
 */
import { el, replace } from "../core/dom";
import { watchWidth } from "./watchWidth";

/** What the sweep gets from the panel: where to report each finished run, and whether to stop. */
export interface SweepHooks<P> {
  onRun: (point: P, done: number) => void;
  cancelled: () => boolean;
}

export interface SweepRunnerOptions<P> {
  /** Runs in the whole sweep. */
  total: number;
  /** Runs the sweep (it must report each run through `onRun` and stop once `cancelled()` is true). */
  run: (hooks: SweepHooks<P>) => Promise<unknown>;
  /** The chart of the points shown, at the panel's width once the page has laid it out (else undefined). */
  chart: (points: P[], width?: number) => Node;
  /** A recorded sweep, shown until the learner's own has points, and the command that made it. */
  recorded?: P[] | null;
  recordedBy?: string;
  /** Checked when the run button is pressed: a message means the sweep cannot start now. */
  problem?: () => string | null;
  /** Extra data attributes for the root (what tests and readers can check), from the points shown. */
  describe?: (shown: P[]) => Record<string, string>;
  className?: string;
}

export function sweepRunner<P>(options: SweepRunnerOptions<P>): HTMLElement {
  const {
    total,
    run: runSweep,
    chart: chartOf,
    recorded,
    recordedBy = "",
    problem,
    describe,
    className = "",
  } = options;
  let points: P[] = [];
  let stopRequested = false;
  const run = el("button", { type: "button" }, "▶ Run the sweep");
  const stop = el("button", { type: "button", disabled: true }, "■ Stop");
  const progress = el("progress", { max: 1, value: 0 });
  const status = el("span", { class: "meddl-status", role: "status" });
  const error = el("div", { class: "meddl-message", role: "alert", hidden: true });
  const chart = el("div", { class: "meddl-sweep-chart" });
  const root = el(
    "div",
    { class: `meddl-sweep ${className}`.trim() },
    el("div", { class: "meddl-buttons" }, run, stop),
    el("div", { class: "meddl-progress" }, progress, status),
    error,
    chart,
  );

  let width: number | undefined;
  // In a browser the chart waits for the page's layout (watchWidth below): drawn once, at its width.
  const waitsForLayout = typeof ResizeObserver !== "undefined";
  const draw = () => {
    const shown = points.length ? points : (recorded ?? []);
    root.dataset.points = String(points.length);
    Object.assign(root.dataset, describe?.(shown) ?? {});
    if (!shown.length) return replace(chart, el("p", {}, "Press “Run the sweep” to fill this chart."));
    if (waitsForLayout && width === undefined) return;
    const caption = points.length
      ? el("p", { class: "meddl-caption" }, `Your sweep: ${points.length} of ${total} runs.`)
      : el(
          "p",
          { class: "meddl-caption" },
          `Recorded sweep (${shown.length} runs, made by `,
          el("code", {}, recordedBy),
          " with the same code and the default settings). Run yours to replace it.",
        );
    replace(chart, caption, chartOf(shown, width));
  };
  draw();
  // Redrawn to fit a phone, a laptop or a projector; the first drawing in a task of its own, so it
  // never adds to the page's other work while it loads.
  watchWidth(chart, (w) => {
    const first = width === undefined;
    width = w;
    if (first) setTimeout(draw, 0);
    else draw();
  });

  const fail = (message: string) => {
    error.textContent = message;
    error.hidden = false;
  };

  run.addEventListener("click", async () => {
    error.hidden = true;
    const why = problem?.();
    if (why) return fail(why);
    points = [];
    stopRequested = false;
    run.disabled = true;
    stop.disabled = false;
    root.dataset.state = "running";
    const started = performance.now();
    status.textContent = `0 of ${total} runs`;
    try {
      await runSweep({
        cancelled: () => stopRequested,
        onRun: (point, done) => {
          points.push(point);
          progress.value = done / total;
          const perRun = (performance.now() - started) / done;
          status.textContent = `${done} of ${total} runs · about ${Math.ceil((perRun * (total - done)) / 1000)} s left`;
          draw();
        },
      });
      const seconds = ((performance.now() - started) / 1000).toFixed(0);
      status.textContent = stopRequested
        ? `stopped after ${points.length} of ${total} runs`
        : `done: ${total} runs in ${seconds} s`;
      root.dataset.state = stopRequested ? "stopped" : "done";
    } catch (e) {
      fail(`The sweep failed: ${(e as Error).message}. The runs that finished are kept.`);
      root.dataset.state = "failed";
    } finally {
      run.disabled = false;
      stop.disabled = true;
      draw();
    }
  });
  stop.addEventListener("click", () => {
    stopRequested = true;
    status.textContent = "stopping after this run…";
  });
  return root;
}
