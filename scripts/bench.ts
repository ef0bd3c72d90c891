// `npm run bench`: trains the CNN lesson's default model in headless Chromium, in the real lesson
// page (charts live), and prints ms per training step (batch 32) with the kit's automatic backend
// and with stock tfjs's default backend (WebGL in a browser), their ratio, and the longest
// main-thread task seen while training; then the same for the U-Net and GAN lessons (ms per U-Net
// step; ms per generator+discriminator step) and the transfer lesson's sweep (wall time).
// Speed is measured here, never asserted in tests.
import { existsSync, readFileSync } from "node:fs";
import os from "node:os";
import { resolve } from "node:path";
import type { Page } from "playwright-core";
import { findChromium, INSTALL_HINT, launchChromium } from "../tests/e2e/browser";
import { serveDirectory } from "../tests/e2e/server";

const WARMUP = 10;
const MEASURED = Number(process.env.BENCH_STEPS ?? 100);

interface Result {
  backend: string;
  msPerStep: number;
  longestTaskMs: number;
}

const stepOf = (page: Page) =>
  page.evaluate(() => Number((document.querySelector(".meddl-controls") as HTMLElement | null)?.dataset.step ?? 0));

async function waitForStep(page: Page, step: number): Promise<number> {
  await page.waitForFunction(
    (n) => Number((document.querySelector(".meddl-controls") as HTMLElement).dataset.step) >= n,
    step,
    { timeout: 900_000, polling: 20 },
  );
  return performance.now();
}

/** Opens the lesson with the kit's automatic backend, or switches to the named one. */
async function openLesson(url: string, chrome: string, backendLabel: string | null, path = "/cnn") {
  const browser = await launchChromium(chrome);
  const page = await browser.context.newPage();
  // Record every main-thread task over 50 ms (the browser's "long task" threshold).
  await page.addInitScript(() => {
    (window as unknown as { longTasks: number[] }).longTasks = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries())
        (window as unknown as { longTasks: number[] }).longTasks.push(entry.duration);
    }).observe({ type: "longtask", buffered: true });
  });
  await page.goto(`${url}${path}`);
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
  await page.evaluate(() => ((window as unknown as { longTasks: number[] }).longTasks = []));
  await page.getByRole("button", { name: /Train/ }).first().click();
  const t0 = await waitForStep(page, warmup);
  const s0 = await stepOf(page);
  const t1 = await waitForStep(page, s0 + measured);
  const s1 = await stepOf(page);
  const longTasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
  await browser.close();
  return { backend, msPerStep: (t1 - t0) / (s1 - s0), longestTaskMs: Math.max(0, ...longTasks) };
}

const chrome = findChromium();
if (!chrome) {
  console.error(INSTALL_HINT);
  process.exit(1);
}
// BENCH_ONLY=cnn,unet,gan,detection,sweep,pneumonia runs only those sections (all by default).
const only = process.env.BENCH_ONLY?.split(",").map((x) => x.trim());
const wanted = (section: string) => !only || only.includes(section);
const server = await serveDirectory("dist");
console.log(
  `MedDL Lab benchmark · ${new Date().toISOString().slice(0, 10)} · ${os.cpus()[0]?.model ?? "cpu"} ×${os.cpus().length} · Chromium headless`,
);
if (wanted("cnn")) {
  console.log(
    `CNN lesson defaults (conv 8-16-32, 32×32 input, batch 32), ${MEASURED} steps after ${WARMUP} warm-up, charts live\n`,
  );
  const kit = await run(server.url, chrome, null);
  console.log(
    `kit automatic backend (${kit.backend}): ${kit.msPerStep.toFixed(1)} ms/step, longest main-thread task ${kit.longestTaskMs.toFixed(0)} ms`,
  );
  const stock = await run(server.url, chrome, "WebGL (GPU)");
  console.log(
    `stock tfjs default (${stock.backend}): ${stock.msPerStep.toFixed(1)} ms/step, longest main-thread task ${stock.longestTaskMs.toFixed(0)} ms`,
  );
  console.log(`\nratio kit/stock: ${(kit.msPerStep / stock.msPerStep).toFixed(3)} (target ≤ 0.2)`);
  console.log(`longest task with the kit's backend: ${kit.longestTaskMs.toFixed(0)} ms (target ≤ 100 ms)`);
}

// The U-Net lesson trains two networks in lockstep (with and without skips): a "step" of its page
// is one step of each, so ms per U-Net step is half the page's ms per step.
if (wanted("unet")) {
  const UNET_STEPS = Number(process.env.BENCH_UNET_STEPS ?? 20);
  console.log(
    `\nU-Net lesson defaults (depth 3, 8 base filters, 64×64, batch 8), ${UNET_STEPS} page steps after 3 warm-up`,
  );
  const unetKit = await run(server.url, chrome, null, "/unet", 3, UNET_STEPS);
  console.log(`kit automatic backend (${unetKit.backend}): ${(unetKit.msPerStep / 2).toFixed(1)} ms per U-Net step`);
  const unetStock = await run(server.url, chrome, "WebGL (GPU)", "/unet", 3, Math.max(3, Math.round(UNET_STEPS / 4)));
  console.log(`stock tfjs default (${unetStock.backend}): ${(unetStock.msPerStep / 2).toFixed(1)} ms per U-Net step`);
  console.log(`ratio kit/stock: ${(unetKit.msPerStep / unetStock.msPerStep).toFixed(3)}`);
}

// The GAN lesson trains two GANs in lockstep (pixel loss only; pixel + adversarial): a page step is
// one generator+discriminator step of each, so ms per G+D step is half the page's ms per step.
if (wanted("gan")) {
  const GAN_STEPS = Number(process.env.BENCH_GAN_STEPS ?? 12);
  console.log(
    `\nGAN lesson defaults (generator 6 conv × 16 filters, PatchGAN 16-32-64, 64×64, batch 8, 2 D updates per G update), ${GAN_STEPS} page steps after 3 warm-up`,
  );
  const ganKit = await run(server.url, chrome, null, "/gan", 3, GAN_STEPS);
  console.log(
    `kit automatic backend (${ganKit.backend}): ${(ganKit.msPerStep / 2).toFixed(1)} ms per G+D step, longest main-thread task ${ganKit.longestTaskMs.toFixed(0)} ms`,
  );
  const ganStock = await run(server.url, chrome, "WebGL (GPU)", "/gan", 2, Math.max(2, Math.round(GAN_STEPS / 4)));
  console.log(`stock tfjs default (${ganStock.backend}): ${(ganStock.msPerStep / 2).toFixed(1)} ms per G+D step`);
  console.log(`ratio kit/stock: ${(ganKit.msPerStep / ganStock.msPerStep).toFixed(3)}`);
}

// The detection lesson trains two patch classifiers in lockstep (random negatives; with hard-negative
// mining). Its page reports the time spent in training steps alone, so ms per step here leaves out
// the end-of-round validation and mining. Then the page's own button times the sliding window
// against the fully convolutional network on one validation slice (ms per slice, after a warm-up).
async function detectionBench(url: string, chrome: string, backendLabel: string | null, steps: number) {
  const { browser, page, backend } = await openLesson(url, chrome, backendLabel, "/detection");
  await page.getByRole("button", { name: /Train/ }).first().click();
  await waitForStep(page, steps);
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

if (wanted("detection")) {
  const DETECTION_STEPS = Number(process.env.BENCH_DETECTION_STEPS ?? 40);
  console.log(
    `\nDetection lesson defaults (patch CNN conv 8-16 unpadded, 32×32 patches, batch 32, two runs; 128×128 slices), ${DETECTION_STEPS} page steps with the kit, fewer with stock`,
  );
  const kit = await detectionBench(server.url, chrome, null, DETECTION_STEPS);
  console.log(
    `kit automatic backend (${kit.backend}): ${kit.msPerStep.toFixed(1)} ms per patch-classifier step; one slice: sliding window ${kit.slidingMs.toFixed(1)} ms, fully convolutional ${kit.convolutionalMs.toFixed(1)} ms (${(kit.slidingMs / kit.convolutionalMs).toFixed(1)}× faster), max heatmap difference ${kit.maxDifference.toExponential(1)}`,
  );
  const stock = await detectionBench(server.url, chrome, "WebGL (GPU)", Math.max(4, Math.round(DETECTION_STEPS / 8)));
  console.log(
    `stock tfjs default (${stock.backend}): ${stock.msPerStep.toFixed(1)} ms per patch-classifier step; one slice: sliding window ${stock.slidingMs.toFixed(1)} ms, fully convolutional ${stock.convolutionalMs.toFixed(1)} ms (${(stock.slidingMs / stock.convolutionalMs).toFixed(1)}× faster)`,
  );
  console.log(`ratio kit/stock (training step): ${(kit.msPerStep / stock.msPerStep).toFixed(3)}`);
}

// The transfer lesson's sweep (3 strategies × 6 training-set sizes × seeds), timed from the click
// to the last run. At full default size (3 seeds, 25 rounds) on the kit's backend; and, for the
// ratio, a reduced sweep (1 seed, 4 rounds) on both backends: the stock one would take an hour.
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
  const run = page.getByRole("button", { name: /Run the sweep/ });
  await run.waitFor({ timeout: 300_000 });
  const start = performance.now();
  await run.click();
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

if (wanted("sweep")) {
  const SWEEP_SEEDS = Number(process.env.BENCH_SWEEP_SEEDS ?? 3);
  console.log(
    `\nTransfer lesson sweep (3 strategies × 6 sizes × ${SWEEP_SEEDS} seeds, 25 rounds of 8 steps, batch 32)`,
  );
  if (SWEEP_SEEDS > 0) {
    // BENCH_SWEEP_SEEDS=0 skips the long full-size sweep
    const sweepFull = await sweepSeconds(server.url, chrome, null, SWEEP_SEEDS, 25);
    console.log(
      `kit automatic backend (${sweepFull.backend}): ${sweepFull.seconds.toFixed(0)} s for ${sweepFull.runs} runs`,
    );
  }
  console.log("reduced sweep (1 seed, 4 rounds), both backends:");
  const sweepKit = await sweepSeconds(server.url, chrome, null, 1, 4);
  console.log(
    `kit automatic backend (${sweepKit.backend}): ${sweepKit.seconds.toFixed(1)} s for ${sweepKit.runs} runs`,
  );
  const sweepStock = await sweepSeconds(server.url, chrome, "WebGL (GPU)", 1, 4);
  console.log(
    `stock tfjs default (${sweepStock.backend}): ${sweepStock.seconds.toFixed(1)} s for ${sweepStock.runs} runs`,
  );
  console.log(`ratio kit/stock: ${(sweepKit.seconds / sweepStock.seconds).toFixed(3)}`);
}

// With the real PneumoniaMNIST file at hand: seconds from "Train" until validation AUC first reaches 0.93.
const AUC_TARGET = 0.93;
const STOCK_LIMIT_S = Number(process.env.BENCH_STOCK_LIMIT_S ?? 600);
const pneumonia = [process.env.MEDDL_DATA_DIR ?? "data", "data", "../shared/data/medmnist"]
  .map((d) => resolve(d, "pneumoniamnist.npz"))
  .find(existsSync);

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

if (wanted("pneumonia") && pneumonia) {
  console.log(`\nPneumoniaMNIST (${pneumonia}): seconds until validation AUC ≥ ${AUC_TARGET}, lesson defaults`);
  const k = await secondsToAuc(server.url, chrome, pneumonia, null, STOCK_LIMIT_S);
  console.log(
    `kit automatic backend (${k.backend}): ${k.seconds?.toFixed(1) ?? `not within ${STOCK_LIMIT_S} s`} s (AUC ${k.auc.toFixed(3)})`,
  );
  const s = await secondsToAuc(server.url, chrome, pneumonia, "WebGL (GPU)", STOCK_LIMIT_S);
  console.log(
    `stock tfjs default (${s.backend}): ${s.seconds?.toFixed(1) ?? `not within ${STOCK_LIMIT_S} s`} s (AUC ${Number.isFinite(s.auc) ? s.auc.toFixed(3) : "–"})`,
  );
  if (k.seconds && s.seconds) console.log(`ratio kit/stock: ${(k.seconds / s.seconds).toFixed(3)}`);
} else if (wanted("pneumonia")) {
  console.log(
    "\n(PneumoniaMNIST not found in data/ or ../shared/data: skipping the time-to-AUC benchmark; `npm run data -- pneumoniamnist` fetches it.)",
  );
}
await server.close();
