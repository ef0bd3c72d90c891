import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { gaussian, mulberry32 } from "../../src/data/random";
import type { ImagePairs } from "../../src/data/ct";
import { boundedPsnr as psnr } from "../../src/metrics/image";
import { buildDiscriminator, buildGenerator } from "../../src/models/gan";
import {
  detectModeCollapse,
  discriminatorWins,
  DISCRIMINATOR_WIN_WINDOW,
  DISCRIMINATOR_WINS_MESSAGE,
  GanTrainer,
  generatorObjective,
  pixelLossOf,
  pixelSpread,
  type GanData,
  type GanTrainerOptions,
  type GanWarning,
} from "../../src/train/gan";
import type { Controllable, TrainerState } from "../../src/train/types";
import { useBackend } from "../helpers/backend";

beforeAll(() => useBackend("wasm"));

const SIZE = 16;
const NOISE = 0.1;

/** Smooth blobs on a grey background (targets), and the same with Gaussian noise (inputs). */
function blobPairs(count: number, seed: number, size = SIZE, noise = NOISE): ImagePairs {
  const rand = mulberry32(seed);
  const normal = gaussian(rand);
  const n = size * size;
  const targets = new Float32Array(count * n);
  const inputs = new Float32Array(count * n);
  for (let i = 0; i < count; i++) {
    const blobs = Array.from({ length: 3 }, () => ({
      x: rand() * size,
      y: rand() * size,
      r: size * (0.1 + 0.2 * rand()),
      a: 0.2 + 0.5 * rand(),
    }));
    for (let p = 0; p < n; p++) {
      const [x, y] = [p % size, Math.floor(p / size)];
      let v = 0.2;
      for (const b of blobs) v += b.a * Math.exp(-((x - b.x) ** 2 + (y - b.y) ** 2) / (2 * b.r * b.r));
      targets[i * n + p] = Math.min(1, v);
      inputs[i * n + p] = Math.min(1, v) + noise * normal();
    }
  }
  return { inputs, targets, count, size };
}

const data: GanData = { train: blobPairs(32, 1), val: blobPairs(8, 2) };

function makeTrainer(options: GanTrainerOptions = {}, d: GanData = data, seed = 1): GanTrainer {
  const generator = buildGenerator({ size: SIZE, filters: 4, layers: 3, seed });
  const discriminator = buildDiscriminator({ size: SIZE, filters: 4, seed });
  return new GanTrainer(generator, discriminator, d, { batchSize: 8, maxSteps: 12, validationEvery: 4, ...options });
}

function weightsOf(model: tf.LayersModel): Float32Array[] {
  return model.getWeights().map((w) => w.dataSync() as Float32Array);
}

function maxDifference(a: Float32Array[], b: Float32Array[]): number {
  let m = 0;
  a.forEach((w, i) => w.forEach((v, j) => (m = Math.max(m, Math.abs(v - b[i][j])))));
  return m;
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function until(trainer: GanTrainer, ...states: TrainerState[]): Promise<void> {
  return new Promise((resolve) => {
    if (states.includes(trainer.state)) return resolve();
    const off = trainer.on("state", ({ state }) => states.includes(state) && (off(), resolve()));
  });
}

/** The training pairs as tensors (call inside tf.tidy). */
function batch(pairs: ImagePairs): { xs: tf.Tensor4D; ys: tf.Tensor4D } {
  const shape = [pairs.count, pairs.size, pairs.size, 1] as [number, number, number, number];
  return { xs: tf.tensor4d(pairs.inputs, shape), ys: tf.tensor4d(pairs.targets, shape) };
}

describe("GAN losses", () => {
  it("λ changes the generator's gradient; at λ = 0 it is exactly the pixel-loss gradient", () => {
    const g = buildGenerator({ size: SIZE, filters: 4, layers: 3 });
    const d = buildDiscriminator({ size: SIZE, filters: 4 });
    const vars = g.trainableWeights.map((w) => w.read() as tf.Variable);
    const pairs = blobPairs(4, 3);
    const gradient = (loss: () => tf.Scalar) =>
      tf.tidy(() => {
        const { grads } = tf.variableGrads(loss, vars);
        return Array.from(tf.concat(vars.map((v) => grads[v.name].flatten())).dataSync());
      });
    const at = (lambda: number) =>
      gradient(() =>
        tf.tidy(() => {
          const { xs, ys } = batch(pairs);
          return generatorObjective(g, d, xs, ys, { pixelLoss: "l1", lambda }).total;
        }),
      );
    const pure = gradient(() =>
      tf.tidy(() => {
        const { xs, ys } = batch(pairs);
        return pixelLossOf("l1", ys, g.apply(xs) as tf.Tensor);
      }),
    );
    const [g0, g1, g2] = [at(0), at(1), at(2)];
    expect(g0).toEqual(pure);
    const size = Math.max(...pure.map(Math.abs));
    const change = Math.max(...g1.map((v, i) => Math.abs(v - g0[i])));
    console.log(
      `largest gradient ${size.toExponential(2)}; largest change from λ = 0 to 1: ${change.toExponential(2)}`,
    );
    expect(change).toBeGreaterThan(1e-3 * size);
    // The adversarial part scales with λ: g(2) − g(0) = 2 · (g(1) − g(0)).
    g2.forEach((v, i) => expect(v - g0[i]).toBeCloseTo(2 * (g1[i] - g0[i]), 4));
    g.dispose();
    d.dispose();
  });

  it("a λ = 0 step is exactly a pure pixel-loss Adam step; a λ > 0 step is not", async () => {
    const one: GanData = { train: blobPairs(8, 4), val: data.val }; // one batch: the whole training set
    const reference = buildGenerator({ size: SIZE, filters: 4, layers: 3, seed: 1 });
    const optimizer = tf.train.adam(1e-3, 0.5, 0.999);
    tf.tidy(() => {
      const { xs, ys } = batch(one.train);
      const vars = reference.trainableWeights.map((w) => w.read() as tf.Variable);
      optimizer.applyGradients(
        tf.variableGrads(() => pixelLossOf("l1", ys, reference.apply(xs) as tf.Tensor), vars)
          .grads as unknown as Record<string, tf.Variable>,
      );
    });
    const expected = weightsOf(reference);
    const differences: number[] = [];
    for (const lambda of [0, 1]) {
      const trainer = makeTrainer({ lambda, generatorLearningRate: 1e-3 }, one);
      await trainer.step();
      differences.push(maxDifference(weightsOf(trainer.generator), expected));
      await trainer.dispose();
    }
    console.log(
      `generator weights vs the pixel-only step: λ = 0 differs by ${differences[0].toExponential(1)}, λ = 1 by ${differences[1].toExponential(1)}`,
    );
    expect(differences[0]).toBeLessThan(1e-6); // the batch order only changes float rounding
    expect(differences[1]).toBeGreaterThan(1e-5);
    optimizer.dispose();
    reference.dispose();
  });

  it("psnr, pixel spread and the two failure detectors", () => {
    const t = new Float32Array([0, 0.5, 1, 0.5]);
    expect(psnr(t, t)).toBe(100); // capped: identical images
    expect(
      psnr(
        t.map((v) => v + 0.1),
        t,
      ),
    ).toBeCloseTo(20, 4);
    const { inputs, targets, count } = data.val;
    expect(pixelSpread(new Float32Array(count * SIZE * SIZE).fill(0.4), count, SIZE)).toBe(0);
    expect(pixelSpread(targets, count, SIZE)).toBeGreaterThan(0.05);
    expect(detectModeCollapse(new Float32Array(count * SIZE * SIZE).fill(0.4), targets, count, SIZE)).toMatch(
      /^mode collapse: the generator outputs the same image for every input/,
    );
    expect(detectModeCollapse(targets, targets, count, SIZE)).toBeNull();
    expect(detectModeCollapse(inputs, targets, count, SIZE)).toBeNull();
    const winning = Array<number>(DISCRIMINATOR_WIN_WINDOW).fill(0.01);
    expect(discriminatorWins(winning, 0.1)).toBe(true);
    expect(discriminatorWins(winning, 0)).toBe(false); // at λ = 0 the generator does not listen anyway
    expect(discriminatorWins(winning.slice(1), 0.1)).toBe(false); // not yet a whole window
    expect(discriminatorWins([...winning.slice(1), 0.4], 0.1)).toBe(false);
  });
});

describe("GanTrainer", () => {
  it("pixel-only training (λ = 0) lowers the loss and beats the noisy input's PSNR", async () => {
    const d: GanData = { train: blobPairs(64, 5), val: blobPairs(16, 6) };
    const generator = buildGenerator({ size: SIZE, filters: 8, layers: 4 });
    const trainer = new GanTrainer(generator, buildDiscriminator({ size: SIZE, filters: 4 }), d, {
      lambda: 0,
      generatorLearningRate: 3e-3,
      maxSteps: 80,
      validationEvery: 40,
    });
    await trainer.start();
    expect(trainer.state).toBe("done");
    const losses = trainer.history.steps.map((s) => s.pixelLoss);
    const v = trainer.validation!;
    console.log(
      `pixel loss ${mean(losses.slice(0, 10)).toFixed(4)} → ${mean(losses.slice(-10)).toFixed(4)}; val PSNR ${v.inputMetrics.psnr.toFixed(2)} dB (noisy input) → ${v.metrics.psnr.toFixed(2)} dB`,
    );
    expect(mean(losses.slice(-10))).toBeLessThan(0.7 * mean(losses.slice(0, 10)));
    expect(v.metrics.psnr).toBeGreaterThan(v.inputMetrics.psnr + 3);
    expect(trainer.history.validations.map((r) => r.step)).toEqual([40, 80]);
    await trainer.dispose();
  });

  it("reports every step and validation, and drives the shared controls", async () => {
    const trainer = makeTrainer({
      lambda: 0.1,
      metrics: (o, t) => ({ psnr: psnr(o, t), mae: o.reduce((s, v, i) => s + Math.abs(v - t[i]), 0) / t.length }),
    });
    const controls: Controllable = trainer; // the same buttons and charts drive it
    const events: string[] = [];
    trainer.on("step", (s) => events.push(`step ${s.step}`));
    trainer.on("batch", (b) => events.push(`batch ${b.step}`));
    trainer.on("validation", (v) => events.push(`validation ${v.step}`));
    trainer.on("epoch", (e) => events.push(`epoch ${e.step}`));
    expect([controls.batchesPerEpoch, controls.epochs, controls.totalSteps]).toEqual([4, 3, 12]);
    await controls.step();
    expect(controls.state).toBe("paused");
    const off = trainer.on("step", (s) => s.step === 5 && trainer.pause());
    await controls.resume();
    off();
    expect(controls.stepsTaken).toBe(5);
    await controls.resume();
    expect(controls.state).toBe("done");
    expect(trainer.message).toBe("finished 12 steps");
    expect(events.slice(0, 10)).toEqual([
      "step 1",
      "batch 1",
      "step 2",
      "batch 2",
      "step 3",
      "batch 3",
      "step 4",
      "batch 4",
      "validation 4",
      "epoch 4",
    ]);

    const s = trainer.history.steps[0];
    for (const key of [
      "pixelLoss",
      "adversarialLoss",
      "generatorLoss",
      "discriminatorLoss",
      "realScore",
      "fakeScore",
      "psnr",
    ] as const)
      expect(Number.isFinite(s[key])).toBe(true);
    expect(s.generatorLoss).toBeCloseTo(s.pixelLoss + 0.1 * s.adversarialLoss, 5);
    expect(s.discriminatorLoss).toBeCloseTo(Math.LN2, 1); // an untrained critic is a coin toss
    expect(s.realScore).toBeGreaterThan(0.3);
    expect(s.realScore).toBeLessThan(0.7);
    expect(s.pixelLoss).toBeCloseTo(NOISE * Math.sqrt(2 / Math.PI), 2); // starts near identity: L1 of the noise itself
    expect(trainer.history.batches[0]).toMatchObject({
      step: 1,
      epoch: 1,
      batch: 1,
      batchesPerEpoch: 4,
      loss: s.pixelLoss,
      score: s.psnr,
    });
    expect(trainer.history.validations.map((v) => v.step)).toEqual([4, 8, 12]);
    expect(trainer.history.epochs.map((e) => [e.epoch, e.step])).toEqual([
      [1, 4],
      [2, 8],
      [3, 12],
    ]);
    const v = trainer.validation!;
    expect(Object.keys(v.metrics)).toEqual(["psnr", "mae"]);
    expect(v.inputMetrics.mae).toBeCloseTo(NOISE * Math.sqrt(2 / Math.PI), 2);
    expect(v.outputSpread).toBeGreaterThan(0.5 * v.targetSpread);
    expect(trainer.history.warnings).toEqual([]);
    await trainer.dispose();
  });

  it("trains with the MSE pixel loss too", async () => {
    const trainer = makeTrainer({ pixelLoss: "mse", maxSteps: 2 });
    await trainer.start();
    expect(trainer.history.steps[0].pixelLoss).toBeCloseTo(NOISE ** 2, 2);
    expect(trainer.state).toBe("done");
    await trainer.dispose();
  });

  it("keeps tf.memory().numTensors flat: steps, validation, predict, setLambda mid-run, reset", async () => {
    const trainer = makeTrainer({ lambda: 0.1, maxSteps: 1000, validationEvery: 3 });
    const afterConstruction = tf.memory().numTensors;
    await trainer.step(); // the first step creates both optimizers' moment estimates
    const flat = tf.memory().numTensors;
    const counts: number[] = [];
    for (let i = 0; i < 4; i++) {
      await trainer.step(); // includes validations at steps 3 and 6
      counts.push(tf.memory().numTensors);
    }
    trainer.predict(data.val.inputs, data.val.count);
    await trainer.predictAsync(data.val.inputs, data.val.count);
    trainer.discriminate(data.val.targets, data.val.count);
    counts.push(tf.memory().numTensors);
    trainer.setDiscriminatorSteps(2);
    const off = trainer.on("step", (s) => {
      if (s.step === 8) trainer.setLambda(0); // live, while running
      if (s.step === 10) trainer.setLambda(0.5);
      if (s.step === 12) trainer.pause();
      counts.push(tf.memory().numTensors);
    });
    await trainer.resume();
    off();
    await trainer.warmUp(); // not idle: does nothing
    counts.push(tf.memory().numTensors);
    expect(trainer.history.steps.map((s) => s.lambda).slice(6)).toEqual([0.1, 0.1, 0, 0, 0.5, 0.5]);
    console.log(`numTensors after construction ${afterConstruction}, after step 1 ${flat}, then ${counts.join(", ")}`);
    expect(new Set(counts)).toEqual(new Set([flat]));
    await trainer.reset();
    expect(tf.memory().numTensors).toBe(afterConstruction);
    await trainer.step();
    expect(tf.memory().numTensors).toBe(flat);
    await trainer.dispose();
  });

  it("dispose frees both models, both optimizers and the saved weights", async () => {
    const before = tf.memory().numTensors;
    const trainer = makeTrainer({ lambda: 0.1, discriminatorSteps: 2 });
    await trainer.warmUp();
    await trainer.step();
    await trainer.step();
    await trainer.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => trainer.predict(data.val.inputs, data.val.count)).toThrow(/disposed/);
    expect(() => trainer.start()).toThrow(/disposed/);
  });

  it("reset returns to the same initial weights, and a restart repeats the run exactly", async () => {
    const trainer = makeTrainer({ lambda: 0.1, discriminatorSteps: 2, maxSteps: 6 });
    const initial = [weightsOf(trainer.generator), weightsOf(trainer.discriminator)];
    await trainer.start();
    const firstRun = trainer.history.steps.map((s) => [s.pixelLoss, s.discriminatorLoss]);
    expect(maxDifference(weightsOf(trainer.generator), initial[0])).toBeGreaterThan(0);
    await trainer.reset();
    expect(trainer.state).toBe("idle");
    expect(trainer.history.steps).toHaveLength(0);
    expect(trainer.history.epochs).toHaveLength(0);
    expect(trainer.validation).toBeNull();
    expect(maxDifference(weightsOf(trainer.generator), initial[0])).toBe(0);
    expect(maxDifference(weightsOf(trainer.discriminator), initial[1])).toBe(0);
    await trainer.start();
    expect(trainer.history.steps.map((s) => [s.pixelLoss, s.discriminatorLoss])).toEqual(firstRun);
    await trainer.dispose();
  });

  it("starts from a given generator (warm start, loadGenerator), and reset returns there", async () => {
    const source = makeTrainer({ lambda: 0, maxSteps: 4 });
    await source.start();
    const shipped = weightsOf(source.generator);
    const warm = makeTrainer({ warmStart: source.generator }, data, 2);
    expect(maxDifference(weightsOf(warm.generator), shipped)).toBe(0);
    await warm.step();
    await warm.reset();
    expect(maxDifference(weightsOf(warm.generator), shipped)).toBe(0);

    const later = makeTrainer({}, data, 3);
    await later.step();
    await later.loadGenerator(source.generator);
    expect(later.state).toBe("idle");
    expect(later.stepsTaken).toBe(0);
    expect(maxDifference(weightsOf(later.generator), shipped)).toBe(0);
    await later.step();
    await later.reset();
    expect(maxDifference(weightsOf(later.generator), shipped)).toBe(0);

    const other = buildGenerator({ size: SIZE, filters: 8, layers: 3 });
    await expect(later.loadGenerator(other)).rejects.toThrow(/different architecture/);
    other.dispose();
    for (const t of [source, warm, later]) await t.dispose();
  });

  it("rejects a λ that is not a number ≥ 0, and impossible settings", async () => {
    const trainer = makeTrainer();
    expect(() => trainer.setLambda(NaN)).toThrow(/λ \(the adversarial weight\) must be a number ≥ 0/);
    expect(() => trainer.setLambda(-0.1)).toThrow(/≥ 0/);
    expect(() => trainer.setLambda(Infinity)).toThrow(/λ/);
    trainer.setLambda(0);
    expect(trainer.lambda).toBe(0);
    expect(() => makeTrainer({ lambda: -1 })).toThrow(/λ/);
    expect(() => makeTrainer({ generatorLearningRate: 1e3 })).toThrow(/learning rate must be between/);
    expect(() => trainer.setDiscriminatorLearningRate(NaN)).toThrow(/learning rate/);
    expect(() => makeTrainer({ discriminatorSteps: 0 })).toThrow(/discriminator steps/);
    expect(() => makeTrainer({ pixelLoss: "l2" as "mse" })).toThrow(/"l1" or "mse"/);
    expect(() => makeTrainer({}, { train: blobPairs(4, 1, 32), val: data.val })).toThrow(/32×32/);
    await trainer.dispose();
  });

  it("names a divergence: an absurd learning rate, or a NaN in the data", async () => {
    // 1 is the largest learning rate the kit accepts (1e3 is refused above); for Adam it is absurd.
    // One discriminator update per step, so the generator's side blows up first (with two, the discriminator does).
    const trainer = makeTrainer({
      lambda: 0.1,
      discriminatorSteps: 1,
      generatorLearningRate: 1,
      discriminatorLearningRate: 1,
      maxSteps: 60,
    });
    await trainer.start();
    console.log(`diverged after ${trainer.stepsTaken} steps: ${trainer.message}`);
    expect(trainer.state).toBe("diverged");
    expect(trainer.message).toMatch(
      /^training diverged; try lower learning rates or a smaller λ \(the generator's pixel loss /,
    );
    expect(trainer.stepsTaken).toBeLessThan(60);
    await trainer.dispose();

    const broken = blobPairs(8, 1);
    broken.inputs[5] = NaN;
    const nan = makeTrainer({}, { train: broken, val: data.val });
    const states: string[] = [];
    nan.on("state", (s) => states.push(s.state));
    await nan.start();
    expect(states).toEqual(["running", "diverged"]);
    expect(nan.message).toMatch(/the pixel loss became NaN/);
    await nan.dispose();
  });

  it("names mode collapse when the generator paints the same image for every input", async () => {
    // Not a residual generator: one 1×1 conv with zero weights and bias 0.5, a flat grey image whatever comes in.
    const flat = tf.sequential({
      layers: [
        tf.layers.conv2d({
          inputShape: [SIZE, SIZE, 1],
          filters: 1,
          kernelSize: 1,
          kernelInitializer: "zeros",
          biasInitializer: tf.initializers.constant({ value: 0.5 }),
        }),
      ],
    });
    const trainer = new GanTrainer(flat, buildDiscriminator({ size: SIZE, filters: 4 }), data, {
      lambda: 0.1,
      generatorLearningRate: 1e-6,
      maxSteps: 4,
      validationEvery: 2,
    });
    const warnings: GanWarning[] = [];
    trainer.on("warning", (w) => warnings.push(w));
    await trainer.start();
    expect(warnings.map((w) => [w.kind, w.step])).toEqual([["mode-collapse", 2]]); // announced once
    expect(warnings[0].message).toMatch(/^mode collapse: the generator outputs the same image for every input/);
    expect(trainer.warning?.kind).toBe("mode-collapse");
    expect(trainer.validation!.outputSpread).toBeLessThan(1e-3);
    expect(trainer.state).toBe("done"); // a warning, not a stop, unless asked
    expect(trainer.history.warnings).toEqual(warnings);

    const stopping = new GanTrainer(flat, buildDiscriminator({ size: SIZE, filters: 4 }), data, {
      generatorLearningRate: 1e-6,
      maxSteps: 4,
      validationEvery: 2,
      stopOnWarning: true,
    });
    await stopping.start();
    expect(stopping.state).toBe("stopped");
    expect(stopping.stepsTaken).toBe(2);
    expect(stopping.message).toMatch(/^mode collapse/);
    await stopping.dispose({ keepModels: true }); // the flat generator is still the first trainer's
    stopping.discriminator.dispose();
    await trainer.dispose();
  });

  it("names a discriminator that wins, keeps the warning on show while paused, and clears it at λ = 0", async () => {
    // Blank inputs and a generator that barely learns: its outputs are easy to tell from the blobs.
    const easy: GanData = {
      train: { ...data.train, inputs: new Float32Array(data.train.inputs.length) },
      val: data.val,
    };
    const trainer = makeTrainer(
      { lambda: 0.1, generatorLearningRate: 1e-6, discriminatorLearningRate: 0.01, maxSteps: 40, validationEvery: 40 },
      easy,
    );
    const warnings: GanWarning[] = [];
    trainer.on("warning", (w) => (warnings.push(w), trainer.pause()));
    await trainer.start();
    const recent = trainer.history.steps.slice(-DISCRIMINATOR_WIN_WINDOW).map((s) => s.discriminatorLoss);
    console.log(
      `the discriminator won at step ${trainer.stepsTaken}; its last losses ${recent
        .slice(-3)
        .map((l) => l.toExponential(1))
        .join(", ")}`,
    );
    expect(warnings.map((w) => w.kind)).toEqual(["discriminator-wins"]);
    expect(trainer.state).toBe("paused");
    expect(trainer.message).toBe(DISCRIMINATOR_WINS_MESSAGE);
    expect(trainer.message).toMatch(/^the discriminator wins: D loss ≈ 0, the generator gets no useful gradient/);
    expect(Math.max(...recent)).toBeLessThan(0.05);
    await trainer.step();
    expect(trainer.message).toBe(DISCRIMINATOR_WINS_MESSAGE); // still winning, still said (once)
    expect(warnings).toHaveLength(1);
    trainer.setLambda(0); // the generator no longer listens to the discriminator: nothing to warn about
    expect(trainer.warning).toBeNull();
    expect(trainer.message).toBe("");
    await trainer.dispose();
  });

  it("stops an unusable run from step() too, and restarts after divergence", async () => {
    const trainer = makeTrainer({ generatorLearningRate: 1, discriminatorLearningRate: 1, maxSteps: 60 });
    await trainer.start();
    await until(trainer, "diverged");
    trainer.setGeneratorLearningRate(1e-3);
    trainer.setDiscriminatorLearningRate(1e-3);
    await trainer.step(); // restarts from the initial weights
    expect(trainer.stepsTaken).toBe(1);
    expect(trainer.state).toBe("paused");
    expect(trainer.message).toBe("");
    await trainer.dispose();
  });
});
