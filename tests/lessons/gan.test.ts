// @vitest-environment jsdom
/**
 * The GAN lesson's parts in jsdom: its pairs equal the CT simulation's own, the side-by-side pair
 * moves in lockstep and keeps tfjs memory flat, the charts contain the marks they claim, the image
 * panels render, and bad input (corrupt weights, absurd λ) gets a message.
 */
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { ctPairsFromImages, makeCtPairs } from "../../src/data/ct";
import type { ClassificationDataset } from "../../src/data/types";
import { highFrequencyRatio, psnr, scoreDenoising, ssim } from "../../src/metrics/image";
import { buildGenerator } from "../../src/models/gan";
import { modelToFiles, type WeightsBundle } from "../../src/models/weights";
import type { GanStepRecord, GanWarning } from "../../src/train/gan";
import { GanPair } from "../../src/train/ganPair";
import {
  bindGanControls, ctSourceFromDataset, ganDefaults, ganFailurePanel, GAN_LESSON_DEFAULTS, lambdaInput, loadShippedGenerators, makeCtGanData,
  makeGanPair, SYNTHETIC_CT_SOURCE, type CtGanData, type GanRunSettings, type ShippedRecord,
} from "../../src/lessons/gan";
import { slider } from "../../src/ui/inputs";
import { live } from "../../src/ui/live";
import { trainingControls } from "../../src/ui/trainingControls";
import { workProgress } from "../../src/ui/progress";
import {
  ctPairPanel, discriminatorOutputChart, enhancementPanel, ganLossChart, ganScoreboard, ganVerdict, pretrainingChart, qualityChart, spectrumChart, type GanPairView,
} from "../../src/viz/gan";
import type { PretrainingPoint } from "../../src/train/ganPretrain";
import { stubCanvas } from "../helpers/dom";

beforeAll(async () => {
  stubCanvas();
  await tf.setBackend("cpu"); // jsdom: the wasm backend would look for its binary over the network
});

const SIZE = 16;
// Tiny networks: the cpu backend is slow.
const SETTINGS: GanRunSettings = { ...GAN_LESSON_DEFAULTS, generatorFilters: 4, generatorLayers: 3, discriminatorFilters: 4, batchSize: 4, maxSteps: 6, validationEvery: 3 };

let dataPromise: Promise<CtGanData> | null = null;
function smallData(): Promise<CtGanData> {
  dataPromise ??= makeCtGanData(SYNTHETIC_CT_SOURCE, { size: SIZE, trainCount: 12, valCount: 4, dose: 1500 });
  return dataPromise;
}

function until(pair: GanPair, ...states: string[]): Promise<void> {
  return new Promise((resolve) => {
    if (states.includes(pair.state)) return resolve();
    const off = pair.on("state", ({ state }) => states.includes(state) && (off(), resolve()));
  });
}

describe("the lesson's CT pairs", () => {
  it("are exactly the CT simulation's pairs (synthetic: the pretraining's first pairs and its validation set), with progress", async () => {
    const seen: number[] = [];
    const data = await makeCtGanData(SYNTHETIC_CT_SOURCE, { size: SIZE, trainCount: 5, valCount: 3, dose: 800, seed: 3, valSeed: 7 }, (done, total) => {
      expect(total).toBe(8);
      seen.push(done);
    });
    const train = makeCtPairs({ count: 5, size: SIZE, dose: 800, seed: 3, includeSheppLogan: false });
    const val = makeCtPairs({ count: 3, size: SIZE, dose: 800, seed: 7, includeSheppLogan: true });
    expect(data.train.inputs).toEqual(train.inputs);
    expect(data.train.targets).toEqual(train.targets);
    expect(data.val.inputs).toEqual(val.inputs);
    expect(data.val.targets).toEqual(val.targets);
    expect(seen.at(-1)).toBe(8);
    expect(data.synthetic).toBe(true);
  });

  it("from real images: the same scan as ctPairsFromImages; colour is turned to grey", async () => {
    const rand = (i: number) => (Math.sin(i * 12.9898) * 43758.5453) % 1;
    const images = Float32Array.from({ length: 6 * 8 * 8 }, (_, i) => Math.abs(rand(i)));
    const ds: ClassificationDataset = {
      id: "toy", title: "Toy", description: "", synthetic: false, task: "binary", classNames: ["a", "b"], imageShape: [8, 8, 1],
      train: { images: images.subarray(0, 4 * 64), labels: new Int32Array(4), count: 4 }, val: { images: images.subarray(4 * 64), labels: new Int32Array(2), count: 2 },
    };
    const source = ctSourceFromDataset(ds);
    expect(source.synthetic).toBe(false);
    const data = await makeCtGanData(source, { size: SIZE, trainCount: 10, valCount: 10, dose: 2000, seed: 1, valSeed: 5 });
    expect(data.train.count).toBe(4); // no more than there are
    const expected = ctPairsFromImages(ds.train.images, 4, 8, { size: SIZE, dose: 2000, seed: 1 });
    expect(data.train.inputs).toEqual(expected.inputs);
    expect(data.train.targets).toEqual(expected.targets);

    const colour = { ...ds, imageShape: [8, 8, 3] as [number, number, number], train: { ...ds.train, images: new Float32Array(4 * 64 * 3).fill(0.5) }, val: { ...ds.val, images: new Float32Array(2 * 64 * 3).fill(0.5) } };
    expect(ctSourceFromDataset(colour).images!.train[0]).toBeCloseTo(0.5);
  });

  it("refuse bad input with a message: non-square, NaN pixels, an absurd dose", async () => {
    const base: ClassificationDataset = {
      id: "x", title: "X", description: "", synthetic: false, task: "binary", classNames: ["a", "b"], imageShape: [8, 4, 1],
      train: { images: new Float32Array(2 * 32), labels: new Int32Array(2), count: 2 }, val: { images: new Float32Array(2 * 32), labels: new Int32Array(2), count: 2 },
    };
    expect(() => ctSourceFromDataset(base)).toThrow(/square/);
    const nan = { ...base, imageShape: [4, 4, 1] as [number, number, number], train: { ...base.train, images: new Float32Array(32).fill(NaN) } };
    expect(() => ctSourceFromDataset(nan)).toThrow(/not a number/);
    await expect(makeCtGanData(SYNTHETIC_CT_SOURCE, { dose: NaN })).rejects.toThrow(/dose must be between/);
    await expect(makeCtGanData(SYNTHETIC_CT_SOURCE, { dose: 1e9 })).rejects.toThrow(/dose must be between/);
  });

  it("show their progress, and hide it when done", () => {
    const bar = workProgress("Simulating");
    bar.update(3, 10);
    expect(bar.textContent).toContain("3 of 10");
    expect(bar.style.display).toBe("");
    bar.update(10, 10);
    expect(bar.style.display).toBe("none");
  });
});

describe("scoring a denoiser", () => {
  it("gives per-image mean PSNR and SSIM, and the set's high-frequency ratio as highFrequencyRatio does", async () => {
    const data = await smallData();
    const { inputs, targets, count, size } = data.val;
    const score = await scoreDenoising(inputs, targets, count, size, { pause: () => Promise.resolve(), yieldEvery: 2 });
    const n = size * size;
    const each = (f: (a: Float32Array, b: Float32Array) => number) => Array.from({ length: count }, (_, i) => f(inputs.subarray(i * n, (i + 1) * n), targets.subarray(i * n, (i + 1) * n))).reduce((a, b) => a + b) / count;
    expect(score.psnr).toBeCloseTo(each((a, b) => psnr(a, b)), 10);
    expect(score.ssim).toBeCloseTo(each((a, b) => ssim(a, b, size, { window: 11 })), 10);
    expect(score.hfRatio).toBeCloseTo(highFrequencyRatio(inputs, targets, size, 0.25), 8);
    expect(score.hfRatio).toBeGreaterThan(1); // noise adds high frequencies
    expect(score.spectrum).toHaveLength(size / 2 + 1);
    expect(score.noisePowerSpectrum).toHaveLength(size / 2 + 1);
  });
});

describe("the side-by-side pair", () => {
  it("trains both runs in lockstep, scores them at step 0 and at each validation, and keeps numTensors flat", async () => {
    const data = await smallData();
    const before = tf.memory().numTensors;
    const pair = makeGanPair({ data, settings: SETTINGS });
    await pair.ready;
    expect(pair.quality.map((q) => q.map((p) => p.step))).toEqual([[0], [0]]);
    expect(pair.latest.every((e) => e && e.outputs.length === data.val.count * SIZE * SIZE)).toBe(true);
    expect(pair.reference!.input.hfRatio).toBeGreaterThan(1);
    expect(pair.first.lambda).toBe(0);
    expect(pair.second.lambda).toBe(SETTINGS.lambda);

    // The page's parts, all listening.
    const charts = [
      trainingControls(pair),
      live(pair, () => enhancementPanel(pair), { events: ["evaluation", "state"] }),
      live(pair, () => qualityChart(pair, { metric: "psnr" }), { events: ["evaluation", "state"], interval: 0 }),
      live(pair, () => ganLossChart(pair, { kind: "discriminator" }), { interval: 0 }),
      live(pair, () => ganFailurePanel(pair), { interval: 0 }),
    ];
    await pair.step(); // the first step makes the optimizers' slots
    const afterFirst = tf.memory().numTensors;
    expect(pair.first.stepsTaken).toBe(1);
    expect(pair.second.stepsTaken).toBe(1);
    await pair.step();
    await pair.step(); // step 3: both validate, and the pair scores both
    expect(pair.quality.map((q) => q.map((p) => p.step))).toEqual([[0, 3], [0, 3]]);
    expect(pair.latest.map((e) => e!.step)).toEqual([3, 3]);
    expect(charts[0].dataset.step).toBe("3");
    expect(charts[0].dataset.valPsnr).toBeDefined(); // PSNR shows in the controls
    // Predictions and chart updates leave nothing behind either.
    pair.first.predict(data.val.inputs, data.val.count);
    pair.second.discriminate(data.val.targets, data.val.count);
    enhancementPanel(pair);
    spectrumChart(pair, { mode: "ratio" });
    expect(tf.memory().numTensors).toBe(afterFirst);

    await pair.start();
    await until(pair, "done");
    expect(pair.state).toBe("done");
    expect(pair.first.stepsTaken).toBe(6);
    expect(pair.second.stepsTaken).toBe(6);
    expect(pair.first.history.steps.every((s) => s.lambda === 0)).toBe(true);
    expect(pair.second.history.steps.every((s) => s.lambda === SETTINGS.lambda)).toBe(true);
    expect(tf.memory().numTensors).toBe(afterFirst);

    // Reset: back to the start, scored again at step 0.
    await pair.reset();
    expect(pair.state).toBe("idle");
    expect(pair.stepsTaken).toBe(0);
    expect(pair.quality.map((q) => q.map((p) => p.step))).toEqual([[0], [0]]);

    await pair.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("disposed while a single Step (and its scoring) runs, it frees every tensor once that step ends", async () => {
    // A page that rebuilds right after a Step click disposes the pair mid-step. Freed under the
    // step, Adam would recreate its slots in applyGradients and keep them (the worker's old leak).
    const data = await smallData();
    const scoreEveryStep = { ...SETTINGS, validationEvery: 1 };
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      const pair = makeGanPair({ data, settings: scoreEveryStep });
      await pair.ready;
      await pair.step(); // Adam's slots exist from here on
      const stepping = pair.step();
      await new Promise((resolve) => setTimeout(resolve, 0)); // the step is under way
      await pair.dispose();
      await stepping;
      expect(pair.stepsTaken).toBe(2); // the step finished before anything was freed
      expect(tf.memory().numTensors).toBe(before);
    }
  });

  it("queues a Step clicked while one runs: two clicks make two steps, never two at once", async () => {
    const data = await smallData();
    const pair = makeGanPair({ data, settings: SETTINGS });
    await pair.ready;
    await Promise.all([pair.step(), pair.step()]);
    expect(pair.stepsTaken).toBe(2);
    expect(pair.runs.map((r) => r.history.steps.map((s) => s.step))).toEqual([
      [1, 2],
      [1, 2],
    ]);
    await pair.dispose();
  });

  it("sends live settings to the right run: λ to the adversarial one, the rest to both", async () => {
    const data = await smallData();
    const pair = makeGanPair({ data, settings: SETTINGS });
    const lambda = lambdaInput({ value: 0.05 });
    const dSteps = slider({ label: "D steps", min: 1, max: 10, step: 1, value: 2 });
    const gLr = slider({ label: "G lr", min: 1e-5, max: 1, value: 0.0005, log: true });
    const unbind = bindGanControls(pair, { lambda, discriminatorSteps: dSteps, generatorLearningRate: gLr });
    expect(pair.runs.map((r) => r.discriminatorSteps)).toEqual([2, 2]);
    expect(pair.runs.map((r) => r.generatorLearningRate)).toEqual([0.0005, 0.0005]);
    lambda.value = 0.3;
    lambda.dispatchEvent(new Event("input"));
    expect(pair.lambda).toBe(0.3);
    expect(pair.first.lambda).toBe(0); // the baseline stays the baseline
    unbind();
    lambda.value = 0.9;
    lambda.dispatchEvent(new Event("input"));
    expect(pair.lambda).toBe(0.3);
    await pair.dispose();
  });

  it("can warm up on pixel loss alone before λ switches on: until then the two runs are one", async () => {
    const data = await smallData();
    const pair = makeGanPair({ data, settings: { ...SETTINGS, maxSteps: 4, adversarialFrom: 2 } });
    expect(pair.warmingUp).toBe(true);
    for (let i = 0; i < 4; i++) await pair.step();
    expect(pair.second.history.steps.map((s) => s.lambda)).toEqual([0, 0, SETTINGS.lambda, SETTINGS.lambda]);
    const [a, b] = pair.runs.map((r) => r.history.steps.map((s) => s.pixelLoss));
    expect(b.slice(0, 2)).toEqual(a.slice(0, 2)); // same data, seed and loss: the same run
    // λ set during the warm start waits for it to end; reset restarts it.
    await pair.reset();
    pair.setLambda(0.2);
    expect(pair.lambda).toBe(0.2);
    expect(pair.second.lambda).toBe(0);
    expect(() => pair.setLambda(-1)).toThrow(/λ/);
    await pair.dispose();
  });

  it("starts each run from its own shipped generator, and reset returns there", async () => {
    const data = await smallData();
    const pixel = buildGenerator({ size: SIZE, filters: 4, layers: 3, seed: 11 });
    const adversarial = buildGenerator({ size: SIZE, filters: 4, layers: 3, seed: 12 });
    const pair = makeGanPair({ data, settings: SETTINGS, start: { pixel, adversarial } });
    const same = (a: tf.LayersModel, b: tf.LayersModel) => a.getWeights().every((w, i) => tf.tidy(() => tf.equal(w, b.getWeights()[i]).all().dataSync()[0] === 1));
    expect(same(pair.first.generator, pixel)).toBe(true);
    expect(same(pair.second.generator, adversarial)).toBe(true);
    await pair.step();
    await pair.reset();
    expect(same(pair.second.generator, adversarial)).toBe(true);
    await pair.dispose();
    expect(pixel.getWeights()[0].isDisposed).toBe(false); // the shipped models stay the page's
    pixel.dispose();
    adversarial.dispose();
  });

  it("a diverging run stops both, and the controls name it", async () => {
    const data = await smallData();
    const pair = makeGanPair({ data, settings: { ...SETTINGS, generatorLearningRate: 1, discriminatorLearningRate: 1, maxSteps: 30, validationEvery: 100 } });
    const controls = trainingControls(pair);
    await pair.start();
    expect(pair.state).toBe("diverged");
    const message = controls.querySelector(".meddl-message") as HTMLElement;
    expect(message.hidden).toBe(false);
    expect(message.textContent).toMatch(/^pixel (loss only|\+ adversarial): training diverged; try lower learning rates/);
    expect(ganFailurePanel(pair).textContent).not.toContain("No failure so far");
    await pair.dispose();
  });

  it("refuses a baseline with λ ≠ 0 or runs on different data", async () => {
    const data = await smallData();
    const a = makeGanPair({ data, settings: SETTINGS });
    expect(() => new GanPair(a.second, a.first)).toThrow(/λ = 0/);
    await a.dispose();
  });
});

describe("the shipped generators", () => {
  it("missing: says so; corrupt: says why; good: loads both and reads their architecture and settings", async () => {
    const missing = await loadShippedGenerators(null, null);
    expect(missing.status).toBe("missing");
    expect(missing.message).toMatch(/no shipped generators/);

    const model = buildGenerator({ size: SIZE, filters: 4, layers: 3 });
    const files = await modelToFiles(model);
    const base64 = btoa(String.fromCharCode(...new Uint8Array(files.weights)));
    const record: ShippedRecord = { options: { dose: 900, lambda: 0.02, pixelLoss: "mse", discriminatorLearningRate: 0.004 }, steps: { warm: 10, adversarial: 20, total: 30 } };
    const bundle: WeightsBundle<ShippedRecord> = { name: "gan-ct-pixel", modelJson: files.modelJson, weightsBase64: base64, record };
    const corrupt = { ...bundle, weightsBase64: base64.slice(0, 40) };
    const broken = await loadShippedGenerators(bundle, corrupt);
    expect(broken.status).toBe("error");
    expect(broken.message).toMatch(/could not be used/);

    const good = await loadShippedGenerators(bundle, { ...bundle, name: "gan-ct-adversarial" });
    expect(good.status).toBe("ready");
    expect(good.architecture).toEqual({ size: SIZE, filters: 4, layers: 3 });
    const defaults = ganDefaults(good);
    expect(defaults).toMatchObject({ dose: 900, lambda: 0.02, pixelLoss: "mse", discriminatorLearningRate: 0.004, generatorFilters: 4, generatorLayers: 3 });
    expect(ganDefaults(missing)).toMatchObject({ dose: 1500, generatorFilters: 16, generatorLayers: 6 });
    good.pixel!.dispose();
    good.adversarial!.dispose();
    model.dispose();
  });
});

describe("λ input", () => {
  it("reaches exactly 0 at the slider's left end, and refuses bad values with a message", () => {
    const input = lambdaInput({ value: 0.05 });
    const [range, box] = [...input.querySelectorAll("input")] as HTMLInputElement[];
    const error = input.querySelector(".meddl-input-error")!;
    range.value = range.min;
    range.dispatchEvent(new Event("input"));
    expect(input.value).toBe(0);
    for (const bad of ["abc", "-1", "1e6", ""]) {
      box.value = bad;
      box.dispatchEvent(new Event("change"));
      expect(error.textContent).toMatch(/λ must be a number from 0 to/);
      expect(input.value).toBe(0); // the last good value stays
    }
    box.value = "0.2";
    box.dispatchEvent(new Event("change"));
    expect(input.value).toBe(0.2);
    expect(error.textContent).toBe("");
  });
});

// ---- charts from plain data -----------------------------------------------------------------

function fakeView(withLatest = true): GanPairView {
  const size = 8, count = 3, n = size * size;
  const val = { inputs: new Float32Array(count * n).fill(0.5), targets: new Float32Array(count * n).fill(0.4), count, size };
  const step = (s: number, r: number): GanStepRecord => ({ step: s, pixelLoss: 0.05 - s * 0.001, adversarialLoss: 0.7 + r * 0.1, generatorLoss: 0.05, discriminatorLoss: 0.69 - s * 0.01, realScore: 0.5 + s * 0.01, fakeScore: 0.5 - s * 0.01, psnr: 28, lambda: r ? 0.05 : 0 });
  const spectrum = Array.from({ length: size / 2 + 1 }, (_, r) => (r ? 1 / r : 0));
  const evaluation = (r: number) => ({ step: 20, outputs: new Float32Array(count * n).fill(0.41 + r * 0.01), psnr: 30 + r, ssim: 0.8, hfRatio: 0.6 + r * 0.3, spectrum, spectrumRatio: spectrum, noisePowerSpectrum: spectrum });
  return {
    names: ["pixel loss only", "pixel + adversarial"],
    runs: [0, 1].map((r) => ({ history: { steps: Array.from({ length: 20 }, (_, s) => step(s + 1, r)), warnings: [] as GanWarning[] } })),
    quality: [0, 1].map((r) => [{ step: 0, psnr: 29, ssim: 0.6, hfRatio: 1.4 }, { step: 10, psnr: 30 + r, ssim: 0.7, hfRatio: 0.7 + r * 0.2 }, { step: 20, psnr: 31, ssim: 0.8, hfRatio: 0.6 + r * 0.3 }]),
    latest: withLatest ? [evaluation(0), evaluation(1)] : [null, null],
    reference: { input: { psnr: 29, ssim: 0.6, hfRatio: 1.4, spectrum, spectrumRatio: spectrum, noisePowerSpectrum: spectrum }, targetSpectrum: spectrum },
    data: { train: val, val },
  };
}

describe("GAN charts", () => {
  it("quality over time: a dot per check per run, a line per run, the input (and for the ratio, the target) as reference lines", () => {
    const view = fakeView();
    const psnrChart = qualityChart(view, { metric: "psnr" });
    expect(psnrChart.querySelectorAll('g[aria-label="dot"] circle')).toHaveLength(6);
    expect(psnrChart.querySelectorAll('g[aria-label="line"] path')).toHaveLength(2);
    expect(psnrChart.querySelectorAll('g[aria-label="rule"] line')).toHaveLength(1);
    expect(psnrChart.textContent).toContain("low-dose input: 29.00 dB");
    expect(psnrChart.textContent).toContain("Validation PSNR");
    const hf = qualityChart(view, { metric: "hfRatio" });
    expect(hf.querySelectorAll('g[aria-label="rule"] line')).toHaveLength(2);
    expect(hf.textContent).toContain("target: 1");
  });

  it("losses: raw and smoothed lines for both runs; the discriminator's with a coin-toss line at ln 2", () => {
    const view = fakeView();
    for (const kind of ["pixel", "adversarial", "discriminator"] as const) {
      const chart = ganLossChart(view, { kind });
      const lines = chart.querySelectorAll('g[aria-label="line"]');
      expect(lines).toHaveLength(2);
      expect(lines[0].querySelectorAll("path")).toHaveLength(2);
      expect(lines[1].querySelectorAll("path")).toHaveLength(2);
    }
    const d = ganLossChart(view, { kind: "discriminator" });
    expect(d.querySelectorAll('g[aria-label="rule"] line')).toHaveLength(1);
    expect(d.textContent).toContain("ln 2: a coin toss");
  });

  it("the discriminator's outputs: one panel per run, real and generated in each", () => {
    const chart = discriminatorOutputChart(fakeView());
    // Two line marks (real solid, generated dashed), each with one panel per run.
    const lines = [...chart.querySelectorAll('g[aria-label="line"]')];
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      const facets = [...line.children].filter((g) => g.tagName === "g");
      expect(facets).toHaveLength(2); // one panel per run
      expect(facets.every((g) => g.querySelectorAll("path").length === 1)).toBe(true);
    }
    expect(lines[1].outerHTML).toContain(`stroke-dasharray="6,3"`); // generated: dashed, so overlapping lines both show
    expect(lines[0].outerHTML).not.toContain("stroke-dasharray");
    expect(chart.textContent).toContain("pixel + adversarial");
    expect(chart.textContent).toContain("on denoised (generated) images");
  });

  it("spectra: target, input and both runs; the ratio has the target at 1; nothing before scoring", () => {
    const view = fakeView();
    const power = spectrumChart(view, { mode: "power" });
    const paths = (c: Element) => [...c.querySelectorAll('g[aria-label="line"]')].reduce((s, g) => s + g.querySelectorAll("path").length, 0);
    expect(paths(power)).toBe(4);
    const ratio = spectrumChart(view, { mode: "ratio" });
    expect(paths(ratio)).toBe(3);
    expect(ratio.querySelectorAll('g[aria-label="rule"] line')).toHaveLength(2); // the high-frequency band's edge, and 1
    expect(paths(spectrumChart(view, { mode: "noise" }))).toBe(3);
    expect(paths(spectrumChart({ ...fakeView(false), reference: null }, { mode: "ratio" }))).toBe(0);
  });

  it("before any step, the loss charts say what will fill them", () => {
    const empty = { ...fakeView(), runs: [0, 1].map(() => ({ history: { steps: [], warnings: [] } })) };
    expect(ganLossChart(empty, { kind: "pixel" }).textContent).toContain("Press Train");
    expect(discriminatorOutputChart(empty).textContent).toContain("Press Train");
  });

  it("the pretraining record: a shared warm start, then both runs from the fork", () => {
    const history: Pick<PretrainingPoint, "phase" | "step" | "psnr" | "hfRatio">[] = [
      { phase: "warm", step: 50, psnr: 33, hfRatio: 0.9 }, { phase: "warm", step: 100, psnr: 34, hfRatio: 0.85 },
      { phase: "pixel", step: 150, psnr: 35, hfRatio: 0.8 }, { phase: "pixel", step: 200, psnr: 35.5, hfRatio: 0.78 },
      { phase: "adversarial", step: 150, psnr: 34.5, hfRatio: 0.9 }, { phase: "adversarial", step: 200, psnr: 34.6, hfRatio: 0.95 },
    ];
    const chart = pretrainingChart(history, { metric: "hfRatio" });
    const lines = chart.querySelectorAll('g[aria-label="line"]');
    expect(lines[0].querySelectorAll("path")).toHaveLength(1); // the warm start
    expect(lines[1].querySelectorAll("path")).toHaveLength(2); // the two branches
    expect(chart.querySelectorAll('g[aria-label="dot"] circle')).toHaveLength(6);
    expect(chart.querySelectorAll('g[aria-label="rule"] line')).toHaveLength(2); // ratio 1, and the fork
    expect(chart.textContent).toContain("shared warm start (pixel loss)");
  });
});

describe("GAN panels", () => {
  it("the enhancement panel: input, both outputs, target and both errors per image, with per-image scores", () => {
    const panel = enhancementPanel(fakeView(), { indices: [0, 2] });
    expect(panel.querySelectorAll("tbody tr")).toHaveLength(2);
    expect(panel.querySelectorAll("tbody tr:first-child canvas")).toHaveLength(6);
    expect([...panel.querySelectorAll("th")].map((t) => t.textContent)).toEqual([
      "low-dose input", "pixel loss only", "pixel + adversarial", "full-dose target", "error: pixel loss only", "error: pixel + adversarial",
    ]);
    expect(panel.querySelector("tbody td:nth-child(2)")!.textContent).toMatch(/dB · SSIM/);
    const zoomed = enhancementPanel(fakeView(), { zoom: 4, scale: 4 });
    expect((zoomed.querySelector("canvas") as HTMLCanvasElement).width).toBe(4);
  });

  it("before scoring, the outputs say so instead of drawing", () => {
    const panel = enhancementPanel(fakeView(false), { indices: [0] });
    expect(panel.querySelectorAll("tbody canvas")).toHaveLength(2); // input and target
    expect(panel.textContent).toContain("not yet scored");
  });

  it("the data panel: target, input and noise per image", () => {
    const view = fakeView();
    const panel = ctPairPanel(view.data.val, { indices: [0, 1] });
    expect(panel.querySelectorAll("tbody canvas")).toHaveLength(6);
  });

  it("the scoreboard shows PSNR, SSIM and the high-frequency ratio together, and the verdict says who leads on what", () => {
    const view = fakeView();
    const board = ganScoreboard(view);
    const rows = [...board.querySelectorAll("tbody tr")].map((r) => [...r.querySelectorAll("td")].map((td) => td.textContent));
    expect(rows).toHaveLength(4);
    expect(rows[0]).toEqual(["low-dose input (no denoising)", "29.00 dB", "0.600", "1.40"]);
    expect(rows[2][1]).toBe("31.00 dB");
    expect(board.querySelector('tr[data-run="1"]')!.getAttribute("data-psnr")).toBe("31");
    const verdict = ganVerdict(view).textContent!;
    expect(verdict).toContain("Ahead on PSNR: pixel + adversarial, by 1.00 dB");
    expect(verdict).toContain("Closer to the target's texture: pixel + adversarial");
    expect(verdict).toContain("High-frequency ratio of pixel loss only: 0.60, smoother than the target");
    expect(ganVerdict(fakeView(false)).textContent).toContain("Scoring");
  });

  it("the failure panel names a winning discriminator and mode collapse (divergence: the controls' message)", () => {
    const warning = (kind: GanWarning["kind"]): GanWarning => ({ kind, step: 40, message: kind === "mode-collapse" ? "mode collapse: the generator outputs the same image for every input" : "the discriminator wins" });
    const run = (warnings: GanWarning[]) => ({ history: { warnings }, warning: warnings.at(-1) ?? null });
    const fake = { state: "diverged", message: "pixel + adversarial: training diverged; try lower learning rates", names: ["pixel loss only", "pixel + adversarial"], runs: [run([]), run([warning("discriminator-wins"), warning("mode-collapse")])], evaluationError: "" };
    const panel = ganFailurePanel(fake as unknown as GanPair);
    expect([...panel.querySelectorAll("li")].map((li) => li.getAttribute("data-failure"))).toEqual(["discriminator-wins", "mode-collapse"]);
    expect(panel.textContent).toContain("Mode collapse (the same output for every input): pixel + adversarial, step 40");
    expect(panel.textContent).not.toContain("No failure so far");
    const calm = ganFailurePanel({ ...fake, state: "running", runs: [run([]), run([])] } as unknown as GanPair);
    expect(calm.dataset.failures).toBe("0");
  });
});
