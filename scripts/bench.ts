// `npm run bench`: how fast and how responsive the lessons are, measured in the real lesson pages
// (charts live) in headless Chromium. It prints numbers and ratios; it never fails on speed.
// Speed is measured here, never asserted in tests. BENCHMARKS.md keeps the results.
//
// A plain `npm run bench` runs the `lessons` section only: about 3 minutes on a quiet 2-core machine, 7 when shared.
// It serves dist/ with tests/e2e/server.ts, which sends COOP/COEP as `npm run serve` does (wasm threads).
// Options (environment variables):
//   BENCH_ONLY=lessons,stock,sweep,pneumonia,soak   run only these sections (comma-separated):
//     lessons    every lesson: the longest main-thread task while the page loads and while it trains,
//                ms per training step by default, with `?worker=off` (main thread) and with `?threads=1`
//     stock      the kit's automatic backend against stock tfjs's default (WebGL, SwiftShader here) on the
//                CNN, U-Net, GAN and detection lessons, plus detection's sliding window vs fully convolutional
//     sweep      the transfer lesson's sweep: full size (3 seeds, 25 rounds) on the kit's backend, and a
//                reduced sweep (1 seed, 4 rounds) on both backends for the ratio
//     pneumonia  seconds until validation AUC ≥ 0.93 on the real PneumoniaMNIST file (skipped without it)
//     soak       10 minutes of training on every lesson at once (one tab each, charts live): tensors,
//                heap and DOM nodes at start and end (BENCH_LESSONS picks lessons)
//   BENCH_FULL=1                 every section above (about 1.5 hours here)
//   BENCH_LESSONS=cnn,gan        only these lessons in `lessons` and `stock`
//   BENCH_STEPS_SCALE=2          multiply the `lessons` step counts (default 1)
//   BENCH_REPEAT=3               run each lesson's variants in turn this many times; the tables give
//                                medians (the worst longest task in brackets): ratios a noisy machine can trust
//   BENCH_SOAK_MINUTES=10        length of the soak
//   BENCH_SWEEP_SEEDS=3          seeds of the full sweep; 0 skips it (the reduced one still runs)
//   BENCH_STOCK_LIMIT_S=600      give up on the stock backend's time-to-AUC after this long
//   BENCH_STEPS, BENCH_UNET_STEPS, BENCH_GAN_STEPS, BENCH_DETECTION_STEPS   step counts of `stock`
import { existsSync, readFileSync } from "node:fs";
import os from "node:os";
import { resolve } from "node:path";
import type { Page } from "playwright-core";
import { findChromium, INSTALL_HINT, launchChromium, type Launched } from "../tests/e2e/browser";
import { serveDirectory } from "../tests/e2e/server";

// ── options ───────────────────────────────────────────────────────────────────────────────
const SECTIONS = ["lessons", "stock", "sweep", "pneumonia", "soak"];
const only = process.env.BENCH_FULL === "1" ? SECTIONS : (process.env.BENCH_ONLY ?? "lessons").split(",");
const wanted = (section: string) => only.map((x) => x.trim()).includes(section);
for (const name of only.map((x) => x.trim()).filter((x) => !SECTIONS.includes(x)))
  console.warn(
    `BENCH_ONLY: no section "${name}" (sections: ${SECTIONS.join(", ")}; the kit-vs-stock runs of cnn, unet, gan and detection are BENCH_ONLY=stock BENCH_LESSONS=${name})`,
  );
const lessonFilter = process.env.BENCH_LESSONS?.split(",").map((x) => x.trim());
const wantedLesson = (name: string) => !lessonFilter || lessonFilter.includes(name);
const STEPS_SCALE = Number(process.env.BENCH_STEPS_SCALE ?? 1);
const REPEAT = Math.max(1, Math.round(Number(process.env.BENCH_REPEAT ?? 1)));
const SOAK_MINUTES = Number(process.env.BENCH_SOAK_MINUTES ?? 10);
// --enable-precise-memory-info: performance.memory reports the heap exactly, not in coarse buckets.
const CHROME_FLAGS = ["--enable-precise-memory-info"];

// ── page helpers ──────────────────────────────────────────────────────────────────────────
interface PageMarks {
  /** [startTime, duration] of every main-thread task over 50 ms (the browser's "long task"). */
  tasks: [number, number][];
  /** When the first chart (a canvas, or an svg at least 40 px wide) appeared in the page. */
  firstChart: number | null;
  /** When the first training controls appeared: the page can train. */
  ready: number | null;
}

/**
 * Installed before any page script: a long-task observer, and when the first chart and controls
 * appear. A string, not a function: tsx would add helpers (`__name`) the page does not have.
 */
const RECORD_PAGE_MARKS = `(() => {
  const marks = { tasks: [], firstChart: null, ready: null };
  window.benchMarks = marks;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) marks.tasks.push([entry.startTime, entry.duration]);
  }).observe({ type: "longtask", buffered: true });
  const isChart = (e) => !e.closest("button") && !e.parentElement?.closest("svg") &&
    (e.tagName === "CANVAS" || Number(e.getAttribute("width") ?? 0) >= 40);
  const watch = new MutationObserver(() => {
    if (marks.firstChart === null && [...document.querySelectorAll("main svg, main canvas")].some(isChart))
      marks.firstChart = performance.now();
    if (marks.ready === null && document.querySelector(".meddl-controls")) marks.ready = performance.now();
    if (marks.firstChart !== null && marks.ready !== null) watch.disconnect();
  });
  watch.observe(document, { childList: true, subtree: true });
})();`;

const pageMarks = (page: Page) => page.evaluate(() => (window as unknown as { benchMarks: PageMarks }).benchMarks);

/** The longest task that started in [from, to). */
const longestTask = (tasks: [number, number][], from: number, to = Infinity) =>
  Math.max(0, ...tasks.filter(([start]) => start >= from && start < to).map(([, duration]) => duration));

async function newBrowser(chrome: string): Promise<Launched> {
  return launchChromium(chrome, CHROME_FLAGS);
}

async function openPage(browser: Launched, url: string): Promise<Page> {
  const page = await browser.context.newPage();
  await page.addInitScript({ content: RECORD_PAGE_MARKS });
  page.on("pageerror", (e) => console.log(`  [page error] ${e.message}`));
  await page.goto(url);
  return page;
}

interface StepMark {
  t: number;
  step: number;
  state: string;
}

/** Waits until the controls at `root` show step ≥ n (or training ended); the page's clock at that moment. */
async function waitForStep(page: Page, root: string, n: number, timeout = 300_000): Promise<StepMark> {
  const handle = await page.waitForFunction(
    ({ root, n }) => {
      const el = document.querySelector(root) as HTMLElement | null;
      if (!el) return false;
      const step = Number(el.dataset.step ?? 0),
        state = el.dataset.state ?? "";
      return step >= n || ["done", "diverged", "stopped"].includes(state)
        ? { t: performance.now(), step, state }
        : false;
    },
    { root, n },
    { timeout, polling: 50 },
  );
  return (await handle.jsonValue()) as StepMark;
}

/** From now on, records the page's clock at every change of the controls' step counter. */
async function recordSteps(page: Page, root: string): Promise<void> {
  await page.evaluate((root) => {
    const controls = document.querySelector(root) as HTMLElement;
    const samples: [number, number][] = [];
    (window as unknown as { benchSteps: [number, number][] }).benchSteps = samples;
    new MutationObserver(() => samples.push([performance.now(), Number(controls.dataset.step ?? 0)])).observe(
      controls,
      {
        attributes: true,
        attributeFilter: ["data-step"],
      },
    );
  }, root);
}

const stepSamples = (page: Page) =>
  page.evaluate(() => (window as unknown as { benchSteps: [number, number][] }).benchSteps);

/**
 * ms per step between two marks: the mean, and the fastest stretch of at least `stretch` steps (and 1 s).
 * On a machine shared with other jobs the mean swings with their load; the fastest stretch is
 * the speed with the least interference, so ratios of fastest stretches are steadier.
 */
function stepSpeed(
  samples: [number, number][],
  start: StepMark,
  end: StepMark,
  stretch: number,
): { msPerStep: number; bestMsPerStep: number; steps: number } {
  // The first time each step count was shown, between the two marks.
  const firsts = samples.filter(
    ([, step], i) => step >= start.step && step <= end.step && samples[i - 1]?.[1] !== step,
  );
  const mean =
    firsts.length >= 2
      ? (firsts.at(-1)![0] - firsts[0][0]) / (firsts.at(-1)![1] - firsts[0][1])
      : (end.t - start.t) / (end.step - start.step);
  let best = mean;
  for (let i = 0, j = 0; i < firsts.length; i++) {
    // At least a second long too: the page shows its step count at most every 100 ms.
    while (j < firsts.length && (firsts[j][1] - firsts[i][1] < stretch || firsts[j][0] - firsts[i][0] < 1000)) j++;
    if (j === firsts.length) break;
    best = Math.min(best, (firsts[j][0] - firsts[i][0]) / (firsts[j][1] - firsts[i][1]));
  }
  return { msPerStep: mean, bestMsPerStep: best, steps: end.step - start.step };
}

/** What the page says about where it trains: the backend badge's sentences on workers and threads. */
async function reportedMode(page: Page): Promise<string> {
  const badge = page.locator(".meddl-backend").first();
  const backend = (await badge.getAttribute("data-backend")) ?? "?";
  const text = ((await badge.textContent()) ?? "").replace(/\s+/g, " ");
  const said = text
    .split(/(?<=[.;])\s*(?=[A-Z?(])/) // the badge's parts are separate elements: no space between sentences
    .filter((s) => /worker|main thread|thread/i.test(s))
    .map((s) => s.trim());
  const holders = await page.evaluate(async () => {
    const meddl = (window as unknown as { meddl?: { memory?: () => Promise<{ others: object }> } }).meddl;
    return meddl?.memory ? Object.keys((await meddl.memory()).others) : [];
  });
  return [
    backend,
    said.length ? said.join(" ") : "badge says nothing of workers or threads",
    holders.length ? `tensor holders: ${holders.join(", ")}` : "no worker registered",
  ].join(" · ");
}

const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(x < 10 ? 1 : 0) : "–");
const ratio = (a: number, b: number) => (Number.isFinite(a / b) ? (a / b).toFixed(2) : "–");

// ── lessons: responsiveness, and worker / threads against the main thread ──────────────────
interface LessonSpec {
  name: string;
  /** The training controls the bench drives (the first ones on the page unless said). */
  controls: string;
  warmup: number;
  steps: number;
  /** What one page step is, when it is not one step of one model. */
  unit: string;
}

// Small step counts keep a plain run within 10 minutes; each takes a few seconds here.
const LESSONS: LessonSpec[] = [
  { name: "cnn", controls: ".meddl-controls", warmup: 10, steps: 100, unit: "1 CNN step, batch 32" },
  { name: "transfer", controls: ".meddl-controls", warmup: 3, steps: 20, unit: "1 step of each of 3 strategies" },
  { name: "unet", controls: ".meddl-controls", warmup: 2, steps: 8, unit: "1 step of each of 2 U-Nets, batch 8" },
  { name: "gan", controls: ".meddl-controls", warmup: 2, steps: 5, unit: "G + 2 D updates of each of 2 GANs" },
  { name: "detection", controls: ".meddl-controls", warmup: 5, steps: 60, unit: "1 step of each of 2 runs (+ rounds)" },
  { name: "explain", controls: ".meddl-controls", warmup: 10, steps: 80, unit: "1 CNN step" },
  {
    name: "data-problems",
    controls: ".meddl-experiment-imbalance .meddl-controls",
    warmup: 5,
    steps: 30,
    unit: "1 step of each of 4 imbalance remedies",
  },
  {
    name: "autoencoders",
    controls: ".meddl-ae-controls .meddl-controls",
    warmup: 10,
    steps: 150,
    unit: "1 auto-encoder step",
  },
];

/** The page options compared: the default (a worker, once it lands), the main thread, one wasm thread. */
const VARIANTS = [
  { key: "default", query: "" },
  { key: "main", query: "?worker=off" },
  { key: "threads1", query: "?threads=1" },
] as const;
type VariantKey = (typeof VARIANTS)[number]["key"];

interface VariantResult {
  loadToChartMs: number;
  loadLongestMs: number;
  readyMs: number;
  readyLongestMs: number;
  trainLongestMs: number;
  /** Mean ms per step over the measured steps. */
  msPerStep: number;
  /** ms per step over the fastest stretch of a fifth of them: where other jobs got least in the way. */
  bestMsPerStep: number;
  steps: number;
  mode: string;
  isolated: boolean;
  /** With BENCH_REPEAT > 1: the worst of each longest task over the repeats (the fields above are medians). */
  worst?: { loadLongestMs: number; readyLongestMs: number; trainLongestMs: number };
}

const median = (xs: number[]) => {
  const sorted = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (!sorted.length) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** One variant's repeats as one result: the median of each number, and the worst longest tasks. */
function summarise(runs: VariantResult[]): VariantResult {
  const med = (key: keyof VariantResult) => median(runs.map((r) => r[key] as number));
  const max = (key: "loadLongestMs" | "readyLongestMs" | "trainLongestMs") => Math.max(...runs.map((r) => r[key]));
  return {
    loadToChartMs: med("loadToChartMs"),
    loadLongestMs: med("loadLongestMs"),
    readyMs: med("readyMs"),
    readyLongestMs: med("readyLongestMs"),
    trainLongestMs: med("trainLongestMs"),
    msPerStep: med("msPerStep"),
    bestMsPerStep: med("bestMsPerStep"),
    steps: med("steps"),
    mode: runs[0].mode,
    isolated: runs.every((r) => r.isolated),
    worst: {
      loadLongestMs: max("loadLongestMs"),
      readyLongestMs: max("readyLongestMs"),
      trainLongestMs: max("trainLongestMs"),
    },
  };
}

async function benchVariant(browser: Launched, url: string, spec: LessonSpec, query: string): Promise<VariantResult> {
  const page = await openPage(browser, `${url}/${spec.name}${query}`);
  await page.locator(spec.controls).first().waitFor({ timeout: 300_000 });
  await page.waitForTimeout(1500); // the page's own warm-up right after building
  const load = await pageMarks(page);
  const firstChart = load.firstChart ?? NaN;
  const isolated = await page.evaluate(() => crossOriginIsolated);
  const mode = await reportedMode(page);

  await recordSteps(page, spec.controls);
  const clickedAt = await page.evaluate(() => performance.now());
  await page.locator(spec.controls).first().getByRole("button", { name: /Train/ }).click();
  const warmup = Math.max(1, Math.round(spec.warmup * STEPS_SCALE));
  const measured = Math.max(1, Math.round(spec.steps * STEPS_SCALE));
  const start = await waitForStep(page, spec.controls, warmup);
  const end = await waitForStep(page, spec.controls, start.step + measured);
  const marks = await pageMarks(page);
  const speed = stepSpeed(await stepSamples(page), start, end, Math.ceil(measured / 5));
  await page.close();
  return {
    ...speed,
    loadToChartMs: firstChart,
    loadLongestMs: longestTask(load.tasks, 0, Number.isFinite(firstChart) ? firstChart : Infinity),
    readyMs: load.ready ?? NaN,
    readyLongestMs: longestTask(load.tasks, 0, clickedAt),
    trainLongestMs: longestTask(marks.tasks, clickedAt),
    mode,
    isolated,
  };
}

async function benchLessons(url: string, chrome: string): Promise<void> {
  console.log(
    `\n## lessons: page load, training responsiveness, worker vs main thread, 1 thread vs default\n` +
      `(load = navigation until the first chart is drawn, and until the page can train (+1.5 s); ` +
      `"train" = from the click on Train to the last measured step, warm-up included)`,
  );
  const rows: { spec: LessonSpec; results: Partial<Record<VariantKey, VariantResult>> }[] = [];
  for (const spec of LESSONS.filter((l) => wantedLesson(l.name))) {
    const steps = Math.max(1, Math.round(spec.steps * STEPS_SCALE));
    console.log(
      `\n${spec.name} (${steps} page steps after ${Math.round(spec.warmup * STEPS_SCALE)} warm-up; a page step = ${spec.unit})`,
    );
    const runs: Partial<Record<VariantKey, VariantResult[]>> = {};
    // The machine's load drifts: each lesson starts with the next variant, and repeats take the
    // variants in turn, so drift favours none of them.
    const order = VARIANTS.map((_, i) => VARIANTS[(i + rows.length) % VARIANTS.length]);
    for (let round = 0; round < REPEAT; round++)
      for (const variant of order) {
        const browser = await newBrowser(chrome); // a fresh browser each time: every load starts from an empty cache
        try {
          const r = await benchVariant(browser, url, spec, variant.query);
          (runs[variant.key] ??= []).push(r);
          console.log(
            `  ${(variant.query || "default").padEnd(11)} load: first chart ${ms(r.loadToChartMs)} ms, longest task ${ms(r.loadLongestMs)} ms ` +
              `(until it can train: ${ms(r.readyLongestMs)} ms) · train: ${ms(r.msPerStep)} ms/step over ${r.steps} (fastest stretch ${ms(r.bestMsPerStep)}), longest task ${ms(r.trainLongestMs)} ms` +
              `\n              mode: ${r.mode}${r.isolated ? "" : " · not cross-origin isolated"}`,
          );
        } catch (error) {
          console.log(
            `  ${(variant.query || "default").padEnd(11)} failed: ${(error as Error).message.split("\n")[0]}`,
          );
        }
        await browser.close();
      }
    const results: Partial<Record<VariantKey, VariantResult>> = {};
    for (const key of Object.keys(runs) as VariantKey[]) results[key] = summarise(runs[key]!);
    const d = results.default,
      m = results.main,
      t = results.threads1;
    if (d && m)
      console.log(
        `  default / worker=off: ${ratio(d.bestMsPerStep, m.bestMsPerStep)}× fastest stretches, ${ratio(d.msPerStep, m.msPerStep)}× means (target ≤ 1.1×)`,
      );
    if (d && t)
      console.log(
        `  threads=1 / default: ${ratio(t.bestMsPerStep, d.bestMsPerStep)}× fastest stretches, ${ratio(t.msPerStep, d.msPerStep)}× means (above 1: the threads help)`,
      );
    rows.push({ spec, results });
  }

  const n = (x: number | undefined) => ms(x ?? NaN);
  const worst = (v: VariantResult | undefined, key: "loadLongestMs" | "readyLongestMs" | "trainLongestMs") =>
    v?.worst && REPEAT > 1 ? ` (${ms(v.worst[key])})` : "";
  console.log(
    `\nResponsiveness: the longest main-thread task, ms (targets: loading ≤ 200, training ≤ 50)` +
      `${REPEAT > 1 ? `; median of ${REPEAT} runs (worst)` : ""}\n` +
      `| lesson | load, to first chart | load, until it can train | training (default) | training (worker=off) | training (threads=1) |\n` +
      `|---|---:|---:|---:|---:|---:|`,
  );
  for (const { spec, results: r } of rows)
    console.log(
      `| ${spec.name} | ${n(r.default?.loadLongestMs)}${worst(r.default, "loadLongestMs")} | ${n(r.default?.readyLongestMs)}${worst(r.default, "readyLongestMs")} | ` +
        `${n(r.default?.trainLongestMs)}${worst(r.default, "trainLongestMs")} | ` +
        `${n(r.main?.trainLongestMs)}${worst(r.main, "trainLongestMs")} | ${n(r.threads1?.trainLongestMs)}${worst(r.threads1, "trainLongestMs")} |`,
    );
  console.log(
    `\nSpeed: ms per page step, fastest stretch (mean) · ratios of fastest stretches (of means)` +
      `${REPEAT > 1 ? `; medians of ${REPEAT} runs` : ""}\n` +
      `| lesson | default | worker=off | default / worker=off (target ≤ 1.1) | threads=1 | threads=1 / default |\n` +
      `|---|---:|---:|---:|---:|---:|`,
  );
  const pair = (v?: VariantResult) => (v ? `${ms(v.bestMsPerStep)} (${ms(v.msPerStep)})` : "–");
  const ratios = (a?: VariantResult, b?: VariantResult) =>
    a && b ? `${ratio(a.bestMsPerStep, b.bestMsPerStep)} (${ratio(a.msPerStep, b.msPerStep)})` : "–";
  for (const { spec, results: r } of rows)
    console.log(
      `| ${spec.name} | ${pair(r.default)} | ${pair(r.main)} | ${ratios(r.default, r.main)} | ${pair(r.threads1)} | ${ratios(r.threads1, r.default)} |`,
    );
}

// ── soak: 10 minutes of training on every lesson, memory at start and end ──────────────────────────────
interface MemoryReport {
  pageTensors: number;
  heapBytes: number | null;
  others: Record<string, number>;
}

const memoryOf = (page: Page) =>
  page.evaluate(() =>
    (window as unknown as { meddl: { memory: () => Promise<MemoryReport> } }).meddl.memory(),
  ) as Promise<MemoryReport>;

const mb = (bytes: number | null) => (bytes === null ? "–" : `${(bytes / 2 ** 20).toFixed(1)} MB`);
const describeMemory = (m: MemoryReport, dom: { nodes: number; jsEventListeners: number }) =>
  `page tensors ${m.pageTensors}, heap ${mb(m.heapBytes)}, ${
    Object.entries(m.others)
      .map(([k, v]) => `${k} ${v} tensors`)
      .join(", ") || "no other tensor holders"
  }, DOM nodes ${dom.nodes}, listeners ${dom.jsEventListeners}`;

/** Slack for "flat": tensors a page or worker may hold more at the end for reasons other than a leak. */
const SOAK_TENSOR_SLACK = 4;

interface SoakResult {
  lesson: string;
  steps: number;
  runs: number;
  pageTensors: [number, number];
  others: [number, number];
  heapBytes: [number, number];
  domNodes: [number, number];
  errors: string[];
}

/**
 * 10 minutes of training on every lesson, all at once, each in its own tab (as a classroom machine
 * with every lesson open would): the main training controls of each page train, and start again
 * whenever a run ends. Memory after a forced GC at the start (after 5 steps) and at the end.
 */
async function soak(url: string, chrome: string): Promise<void> {
  const lessons = LESSONS.filter((l) => wantedLesson(l.name));
  console.log(
    `\n## soak: ${SOAK_MINUTES} minutes of training on ${lessons.map((l) => l.name).join(", ")} at once ` +
      `(each in its own tab, lesson defaults, charts live; a run that ends starts again)`,
  );
  const browser = await newBrowser(chrome);
  const results = await Promise.all(
    lessons.map((lesson) =>
      soakLesson(browser, url, lesson).catch((error: Error) => {
        console.log(`  ${lesson.name} failed: ${error.message.split("\n")[0]}`);
        return null;
      }),
    ),
  );
  await browser.close();
  const pair = ([a, b]: [number, number], unit = "") => `${a}${unit} → ${b}${unit}`;
  const heap = ([a, b]: [number, number]) => `${mb(a)} → ${mb(b)}`;
  console.log(
    "\n| lesson | steps (runs) | page tensors | worker tensors | JS heap | DOM nodes | verdict |\n|---|---:|---:|---:|---:|---:|---|",
  );
  for (const r of results) {
    if (!r) continue;
    const flat =
      Math.abs(r.pageTensors[1] - r.pageTensors[0]) <= SOAK_TENSOR_SLACK &&
      Math.abs(r.others[1] - r.others[0]) <= SOAK_TENSOR_SLACK;
    const verdict = r.errors.length ? `page errors: ${r.errors.join("; ")}` : flat ? "tensors flat" : "TENSORS GROW";
    console.log(
      `| ${r.lesson} | ${r.steps} (${r.runs}) | ${pair(r.pageTensors)} | ${pair(r.others)} | ${heap(r.heapBytes)} | ${pair(r.domNodes)} | ${verdict} |`,
    );
  }
}

async function soakLesson(browser: Launched, url: string, lesson: LessonSpec): Promise<SoakResult> {
  const page = await openPage(browser, `${url}/${lesson.name}`);
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  const cdp = await page.context().newCDPSession(page);
  const settled = async () => {
    await cdp.send("HeapProfiler.collectGarbage");
    const dom = (await cdp.send("Memory.getDOMCounters")) as { nodes: number; jsEventListeners: number };
    const { usedSize } = (await cdp.send("Runtime.getHeapUsage")) as { usedSize: number };
    return { memory: await memoryOf(page), dom, heapBytes: usedSize };
  };
  const totalOthers = (m: MemoryReport) => Object.values(m.others).reduce((a, b) => a + b, 0);
  const controls = page.locator(lesson.controls).first();
  await controls.waitFor({ timeout: 600_000 });
  if (lesson.name === "cnn") {
    // 100 epochs (the most the slider allows), so a run lasts minutes; the page rebuilds the model.
    const epochs = page.locator(".meddl-field", { hasText: "Epochs" }).locator("input[type=number]").first();
    await epochs.fill("100");
    await epochs.blur();
    await page.waitForFunction(
      () => /step 0 of \d{4,}/.test(document.querySelector(".meddl-controls")?.textContent ?? ""),
      null,
      { timeout: 120_000 },
    );
  }
  // Under load a page can take long to answer a click: never wait for navigations, and let a click
  // that times out be tried again at the next check rather than end the soak.
  const train = () =>
    controls
      .getByRole("button", { name: /Train/ })
      .click({ noWaitAfter: true, timeout: 120_000 })
      .then(
        () => true,
        () => false,
      );
  await train();
  await waitForStep(page, lesson.controls, 5, 600_000);
  const start = await settled();
  console.log(`  ${lesson.name} start (after 5 steps, GC): ${describeMemory(start.memory, start.dom)}`);
  const began = Date.now();
  const elapsed = () => Date.now() - began;
  let steps = 0,
    lastStep = Number(await controls.getAttribute("data-step")),
    runs = 1,
    nextReport = 120_000;
  // Every 5 s: count steps and start again when a run has ended; every 2 minutes: print the memory.
  // A busy page may answer slowly: a reading that times out is skipped, not fatal.
  const attribute = (name: string) => controls.getAttribute(name, { timeout: 120_000 }).catch(() => null);
  while (elapsed() < SOAK_MINUTES * 60_000) {
    await page.waitForTimeout(Math.min(5000, SOAK_MINUTES * 60_000 - elapsed()));
    const read = await attribute("data-step");
    if (read === null) continue;
    const step = Number(read);
    steps += Math.max(0, step - lastStep);
    lastStep = step;
    const state = await attribute("data-state");
    if (state !== null && state !== "running" && (await train())) {
      lastStep = 0; // "Train again" restarts from step 0
      runs++;
    }
    if (elapsed() >= nextReport) {
      nextReport += 120_000;
      const m = await memoryOf(page);
      console.log(
        `  ${lesson.name} ${(elapsed() / 60_000).toFixed(1)} min: ${steps} steps, page tensors ${m.pageTensors}, worker tensors ${totalOthers(m)} (before GC)`,
      );
    }
  }
  await controls
    .getByRole("button", { name: /Pause/ })
    .click()
    .catch(() => {});
  await page.waitForTimeout(3000); // the last redraws and the worker's replies land
  const end = await settled();
  console.log(
    `  ${lesson.name} end (${steps} steps in ${runs} run(s), paused, GC): ${describeMemory(end.memory, end.dom)}`,
  );
  await page.close();
  return {
    lesson: lesson.name,
    steps,
    runs,
    pageTensors: [start.memory.pageTensors, end.memory.pageTensors],
    others: [totalOthers(start.memory), totalOthers(end.memory)],
    heapBytes: [start.heapBytes, end.heapBytes],
    domNodes: [start.dom.nodes, end.dom.nodes],
    errors,
  };
}

// ── stock: the kit's backend against stock tfjs's default (slow: behind BENCH_ONLY=stock) ─────
const WARMUP = 10;
const MEASURED = Number(process.env.BENCH_STEPS ?? 100);

interface Result {
  backend: string;
  msPerStep: number;
  longestTaskMs: number;
}

/** Opens the lesson with the kit's automatic backend, or switches to the named one. */
async function openLesson(url: string, chrome: string, backendLabel: string | null, path = "/cnn") {
  const browser = await newBrowser(chrome);
  const page = await openPage(browser, `${url}${path}`);
  await page.locator(".meddl-backend").waitFor({ timeout: 120_000 });
  if (backendLabel) {
    await page.locator(".meddl-field", { hasText: "Backend" }).locator("select").selectOption({ label: backendLabel });
    await page.waitForFunction(() => document.querySelector(".meddl-backend")?.getAttribute("data-backend") !== "wasm");
    await page.waitForTimeout(1000);
  }
  const backend = (await page.locator(".meddl-backend").getAttribute("data-backend")) ?? "?";
  return { browser, page, backend };
}

async function run(
  url: string,
  chrome: string,
  backendLabel: string | null,
  path = "/cnn",
  warmup = WARMUP,
  measured = MEASURED,
): Promise<Result> {
  const { browser, page, backend } = await openLesson(url, chrome, backendLabel, path);
  await page.locator(".meddl-controls").first().waitFor({ timeout: 300_000 });
  const clickedAt = await page.evaluate(() => performance.now());
  await page.getByRole("button", { name: /Train/ }).first().click();
  const start = await waitForStep(page, ".meddl-controls", warmup, 900_000);
  const end = await waitForStep(page, ".meddl-controls", start.step + measured, 900_000);
  const { tasks } = await pageMarks(page);
  await browser.close();
  return {
    backend,
    msPerStep: (end.t - start.t) / (end.step - start.step),
    longestTaskMs: longestTask(tasks, clickedAt),
  };
}

async function stockComparisons(url: string, chrome: string): Promise<void> {
  console.log("\n## stock: the kit's automatic backend against stock tfjs's default backend");
  if (wantedLesson("cnn")) {
    console.log(
      `\nCNN lesson defaults (conv 8-16-32, 32×32 input, batch 32), ${MEASURED} steps after ${WARMUP} warm-up, charts live`,
    );
    const kit = await run(url, chrome, null);
    console.log(
      `kit automatic backend (${kit.backend}): ${kit.msPerStep.toFixed(1)} ms/step, longest main-thread task ${kit.longestTaskMs.toFixed(0)} ms`,
    );
    const stock = await run(url, chrome, "WebGL (GPU)");
    console.log(
      `stock tfjs default (${stock.backend}): ${stock.msPerStep.toFixed(1)} ms/step, longest main-thread task ${stock.longestTaskMs.toFixed(0)} ms`,
    );
    console.log(`ratio kit/stock: ${(kit.msPerStep / stock.msPerStep).toFixed(3)} (target ≤ 0.2)`);
  }

  // The U-Net lesson trains two networks in lockstep (with and without skips): a "step" of its page
  // is one step of each, so ms per U-Net step is half the page's ms per step.
  if (wantedLesson("unet")) {
    const UNET_STEPS = Number(process.env.BENCH_UNET_STEPS ?? 20);
    console.log(
      `\nU-Net lesson defaults (depth 3, 8 base filters, 64×64, batch 8), ${UNET_STEPS} page steps after 3 warm-up`,
    );
    const unetKit = await run(url, chrome, null, "/unet", 3, UNET_STEPS);
    console.log(`kit automatic backend (${unetKit.backend}): ${(unetKit.msPerStep / 2).toFixed(1)} ms per U-Net step`);
    const unetStock = await run(url, chrome, "WebGL (GPU)", "/unet", 3, Math.max(3, Math.round(UNET_STEPS / 4)));
    console.log(`stock tfjs default (${unetStock.backend}): ${(unetStock.msPerStep / 2).toFixed(1)} ms per U-Net step`);
    console.log(`ratio kit/stock: ${(unetKit.msPerStep / unetStock.msPerStep).toFixed(3)}`);
  }

  // The GAN lesson trains two GANs in lockstep (pixel loss only; pixel + adversarial): a page step is
  // one generator+discriminator step of each, so ms per G+D step is half the page's ms per step.
  if (wantedLesson("gan")) {
    const GAN_STEPS = Number(process.env.BENCH_GAN_STEPS ?? 12);
    console.log(
      `\nGAN lesson defaults (generator 6 conv × 16 filters, PatchGAN 16-32-64, 64×64, batch 8, 2 D updates per G update), ${GAN_STEPS} page steps after 3 warm-up`,
    );
    const ganKit = await run(url, chrome, null, "/gan", 3, GAN_STEPS);
    console.log(
      `kit automatic backend (${ganKit.backend}): ${(ganKit.msPerStep / 2).toFixed(1)} ms per G+D step, longest main-thread task ${ganKit.longestTaskMs.toFixed(0)} ms`,
    );
    const ganStock = await run(url, chrome, "WebGL (GPU)", "/gan", 2, Math.max(2, Math.round(GAN_STEPS / 4)));
    console.log(`stock tfjs default (${ganStock.backend}): ${(ganStock.msPerStep / 2).toFixed(1)} ms per G+D step`);
    console.log(`ratio kit/stock: ${(ganKit.msPerStep / ganStock.msPerStep).toFixed(3)}`);
  }

  if (wantedLesson("detection")) {
    const DETECTION_STEPS = Number(process.env.BENCH_DETECTION_STEPS ?? 40);
    console.log(
      `\nDetection lesson defaults (patch CNN conv 8-16 unpadded, 32×32 patches, batch 32, two runs; 128×128 slices), ${DETECTION_STEPS} page steps with the kit, fewer with stock`,
    );
    const kit = await detectionBench(url, chrome, null, DETECTION_STEPS);
    console.log(
      `kit automatic backend (${kit.backend}): ${kit.msPerStep.toFixed(1)} ms per patch-classifier step; one slice: sliding window ${kit.slidingMs.toFixed(1)} ms, fully convolutional ${kit.convolutionalMs.toFixed(1)} ms (${(kit.slidingMs / kit.convolutionalMs).toFixed(1)}× faster), max heatmap difference ${kit.maxDifference.toExponential(1)}`,
    );
    const stock = await detectionBench(url, chrome, "WebGL (GPU)", Math.max(4, Math.round(DETECTION_STEPS / 8)));
    console.log(
      `stock tfjs default (${stock.backend}): ${stock.msPerStep.toFixed(1)} ms per patch-classifier step; one slice: sliding window ${stock.slidingMs.toFixed(1)} ms, fully convolutional ${stock.convolutionalMs.toFixed(1)} ms (${(stock.slidingMs / stock.convolutionalMs).toFixed(1)}× faster)`,
    );
    console.log(`ratio kit/stock (training step): ${(kit.msPerStep / stock.msPerStep).toFixed(3)}`);
  }
}

// The detection lesson trains two patch classifiers in lockstep (random negatives; with hard-negative
// mining). Its page reports the time spent in training steps alone, so ms per step here leaves out
// the end-of-round validation and mining. Then the page's own button times the sliding window
// against the fully convolutional network on one validation slice (ms per slice, after a warm-up).
async function detectionBench(url: string, chrome: string, backendLabel: string | null, steps: number) {
  const { browser, page, backend } = await openLesson(url, chrome, backendLabel, "/detection");
  await page.getByRole("button", { name: /Train/ }).first().click();
  await waitForStep(page, ".meddl-controls", steps, 900_000);
  await page.getByRole("button", { name: /Pause/ }).first().click();
  await page.waitForFunction(
    () => (document.querySelector(".meddl-controls") as HTMLElement).dataset.state === "paused",
    null,
    { timeout: 900_000 },
  );
  await page.waitForTimeout(1000);
  const froc = page.locator(".meddl-chart-froc");
  const msPerStep =
    Number(await froc.getAttribute("data-train-ms")) / Number(await froc.getAttribute("data-run-steps"));
  await page.getByRole("button", { name: /Time both/ }).click();
  await page.waitForFunction(
    () => (document.querySelector(".meddl-speed") as HTMLElement).dataset.maxDifference !== undefined,
    null,
    { timeout: 900_000 },
  );
  const speed = page.locator(".meddl-speed");
  const slidingMs = Number(await speed.getAttribute("data-sliding-ms")),
    convolutionalMs = Number(await speed.getAttribute("data-convolutional-ms"));
  const maxDifference = Number(await speed.getAttribute("data-max-difference"));
  await browser.close();
  return { backend, msPerStep, slidingMs, convolutionalMs, maxDifference };
}

// ── sweep: the transfer lesson's sweep, timed from the click to the last run ──────────────────
// At full default size (3 seeds, 25 rounds) on the kit's backend; and, for the ratio, a reduced
// sweep (1 seed, 4 rounds) on both backends: the stock one would take hours at full size.
async function sweepSeconds(
  url: string,
  chrome: string,
  backendLabel: string | null,
  seeds: number,
  rounds: number,
): Promise<{ backend: string; seconds: number; runs: number }> {
  const { browser, page, backend } = await openLesson(url, chrome, backendLabel, "/transfer");
  await page.locator(".meddl-sweep button").first().waitFor({ timeout: 300_000 }); // the source model has loaded
  const setNumber = async (label: string, value: number) => {
    const box = page.locator(".meddl-field", { hasText: label }).locator("input[type=number]");
    await box.fill(String(value));
    await box.blur();
  };
  await setNumber("Rounds", rounds);
  await setNumber("Seeds per point", seeds);
  await page.waitForTimeout(1500);
  const runButton = page.getByRole("button", { name: /Run the sweep/ });
  await runButton.waitFor({ timeout: 300_000 });
  const start = performance.now();
  await runButton.click();
  await page.waitForFunction(
    () => (document.querySelector(".meddl-sweep") as HTMLElement)?.dataset.state === "done",
    null,
    { timeout: 7_200_000, polling: 200 },
  );
  const seconds = (performance.now() - start) / 1000;
  const runs = Number(await page.locator(".meddl-sweep").getAttribute("data-points"));
  await browser.close();
  return { backend, seconds, runs };
}

async function sweep(url: string, chrome: string): Promise<void> {
  const SWEEP_SEEDS = Number(process.env.BENCH_SWEEP_SEEDS ?? 3);
  console.log(
    `\n## sweep: transfer lesson (3 strategies × 6 sizes × ${SWEEP_SEEDS} seeds, 25 rounds of 8 steps, batch 32)`,
  );
  if (SWEEP_SEEDS > 0) {
    const full = await sweepSeconds(url, chrome, null, SWEEP_SEEDS, 25);
    console.log(`kit automatic backend (${full.backend}): ${full.seconds.toFixed(0)} s for ${full.runs} runs`);
  }
  console.log("reduced sweep (1 seed, 4 rounds), both backends:");
  const kit = await sweepSeconds(url, chrome, null, 1, 4);
  console.log(`kit automatic backend (${kit.backend}): ${kit.seconds.toFixed(1)} s for ${kit.runs} runs`);
  const stock = await sweepSeconds(url, chrome, "WebGL (GPU)", 1, 4);
  console.log(`stock tfjs default (${stock.backend}): ${stock.seconds.toFixed(1)} s for ${stock.runs} runs`);
  console.log(`ratio kit/stock: ${(kit.seconds / stock.seconds).toFixed(3)}`);
}

// ── pneumonia: with the real file at hand, seconds from "Train" until validation AUC first reaches 0.93 ──
const AUC_TARGET = 0.93;
const STOCK_LIMIT_S = Number(process.env.BENCH_STOCK_LIMIT_S ?? 600);

async function secondsToAuc(
  url: string,
  chrome: string,
  file: string,
  backendLabel: string | null,
  limitS: number,
): Promise<{ backend: string; seconds: number | null; auc: number }> {
  const { browser, page, backend } = await openLesson(url, chrome, backendLabel);
  const transfer = await page.evaluateHandle((base64) => {
    const dt = new DataTransfer();
    dt.items.add(new File([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], "pneumoniamnist.npz"));
    return dt;
  }, readFileSync(file).toString("base64"));
  await page.dispatchEvent(".meddl-drop", "drop", { dataTransfer: transfer });
  await page.locator('.meddl-dataset-card[data-dataset="pneumoniamnist"]').waitFor({ timeout: 60_000 });
  await page.waitForTimeout(1000);
  const start = performance.now();
  await page.getByRole("button", { name: /Train/ }).first().click();
  let seconds: number | null = null;
  try {
    await page.waitForFunction(
      (target) => Number((document.querySelector(".meddl-controls") as HTMLElement).dataset.valAuc ?? 0) >= target,
      AUC_TARGET,
      { timeout: limitS * 1000, polling: 100 },
    );
    seconds = (performance.now() - start) / 1000;
  } catch {
    seconds = null; // not reached within the limit
  }
  const auc = Number((await page.locator(".meddl-controls").getAttribute("data-val-auc")) ?? NaN);
  await browser.close();
  return { backend, seconds, auc };
}

async function pneumonia(url: string, chrome: string): Promise<void> {
  const file = [process.env.MEDDL_DATA_DIR ?? "data", "data", "../shared/data/medmnist"]
    .map((d) => resolve(d, "pneumoniamnist.npz"))
    .find(existsSync);
  if (!file) {
    console.log(
      "\n(PneumoniaMNIST not found in data/ or ../shared/data: skipping the time-to-AUC benchmark; `npm run data -- pneumoniamnist` fetches it.)",
    );
    return;
  }
  console.log(`\n## pneumonia (${file}): seconds until validation AUC ≥ ${AUC_TARGET}, CNN lesson defaults`);
  const k = await secondsToAuc(url, chrome, file, null, STOCK_LIMIT_S);
  console.log(
    `kit automatic backend (${k.backend}): ${k.seconds?.toFixed(1) ?? `not within ${STOCK_LIMIT_S} s`} s (AUC ${k.auc.toFixed(3)})`,
  );
  const s = await secondsToAuc(url, chrome, file, "WebGL (GPU)", STOCK_LIMIT_S);
  console.log(
    `stock tfjs default (${s.backend}): ${s.seconds?.toFixed(1) ?? `not within ${STOCK_LIMIT_S} s`} s (AUC ${Number.isFinite(s.auc) ? s.auc.toFixed(3) : "–"})`,
  );
  if (k.seconds && s.seconds) console.log(`ratio kit/stock: ${(k.seconds / s.seconds).toFixed(3)}`);
}

// ── main ──────────────────────────────────────────────────────────────────────────────────
const chrome = findChromium();
if (!chrome) {
  console.error(INSTALL_HINT);
  process.exit(1);
}
const began = Date.now();
// The test server sends the COOP/COEP headers `npm run serve` sends (on main since the backend work), so
// the pages are cross-origin isolated and wasm may use threads; each variant's line says if not.
const server = await serveDirectory("dist");
console.log(
  `MedDL Lab benchmark · ${new Date().toISOString().slice(0, 16)} · ${os.cpus()[0]?.model ?? "cpu"} ×${os.cpus().length} · ` +
    `load average ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(" ")} · Chromium headless · ` +
    `sections: ${only.join(", ")}`,
);
if (wanted("lessons")) await benchLessons(server.url, chrome);
if (wanted("stock")) await stockComparisons(server.url, chrome);
if (wanted("sweep")) await sweep(server.url, chrome);
if (wanted("pneumonia")) await pneumonia(server.url, chrome);
if (wanted("soak")) await soak(server.url, chrome);
await server.close();
console.log(
  `\nwall time ${((Date.now() - began) / 60_000).toFixed(1)} min · load average now ${os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(" ")}`,
);
