/**
 * The rescue in node: a "flaky" backend (the cpu kernels under another name, counted as a GPU)
 * fails or hangs mid-training; the run must move to cpu with the weights it had, and end up
 * exactly where a run that never failed ends up.
 */
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeNoduleDataset } from "../../src/data/nodules";
import { buildCnn } from "../../src/models/cnn";
import { setBackendSwitcher, setStepTimeout, VOLATILE_BACKENDS } from "../../src/backend/rescue";
import { Trainer } from "../../src/train/trainer";

const data = makeNoduleDataset({ size: 16, trainCount: 64, valCount: 16, seed: 5 });
const FLAKY = "flaky";
let breakAdam = false;

/** A fresh flaky backend each time (a test breaks the last one on purpose). */
function registerFlaky(): void {
  if (tf.findBackendFactory(FLAKY)) tf.removeBackend(FLAKY);
  const Cpu = tf.findBackend("cpu")!.constructor as new () => tf.KernelBackend;
  tf.registerBackend(FLAKY, () => new Cpu(), 0);
}

beforeAll(async () => {
  await tf.setBackend("cpu");
  for (const kernel of tf.getKernelsForBackend("cpu")) {
    // Sqrt runs inside Adam's update, after it has assigned some variables: a failure there leaves
    // the model half updated, the hardest case for a rescue.
    const kernelFunc: tf.KernelFunc =
      kernel.kernelName === "Sqrt"
        ? (args) => {
            if (breakAdam) throw new Error("GPU fault in Sqrt");
            return kernel.kernelFunc(args);
          }
        : kernel.kernelFunc;
    tf.registerKernel({ ...kernel, kernelFunc, backendName: FLAKY });
  }
  VOLATILE_BACKENDS.add(FLAKY); // treated like a GPU: its variables are saved before every step
  setBackendSwitcher(async () => {
    await tf.setBackend("cpu");
    return { name: "cpu" };
  });
});

afterAll(() => {
  VOLATILE_BACKENDS.delete(FLAKY);
  setStepTimeout(90_000);
});

function makeTrainer(): Trainer {
  const model = buildCnn({ inputShape: data.imageShape, outputs: 2, filters: 4, depth: 2, seed: 3 });
  return new Trainer(model, data, { batchSize: 16, epochs: 2, learningRate: 0.01, seed: 1 });
}

async function weightsOf(trainer: Trainer): Promise<number[]> {
  const all = await Promise.all(trainer.model.getWeights().map((w) => w.data()));
  return all.flatMap((a) => Array.from(a));
}

/** Weights after `steps` steps on cpu with nothing going wrong. */
async function reference(steps: number): Promise<number[]> {
  await tf.setBackend("cpu");
  const trainer = makeTrainer();
  for (let i = 0; i < steps; i++) await trainer.step();
  const weights = await weightsOf(trainer);
  await trainer.dispose();
  return weights;
}

async function onFlaky(): Promise<Trainer> {
  registerFlaky();
  await tf.setBackend(FLAKY);
  const trainer = makeTrainer();
  for (let i = 0; i < 3; i++) await trainer.step();
  expect(tf.getBackend()).toBe(FLAKY);
  return trainer;
}

describe("backend rescue", () => {
  it("moves a run whose step fails half-way through the update to another backend, weights and optimizer as before the step", async () => {
    const expected = await reference(5);
    const trainer = await onFlaky();
    breakAdam = true;
    await trainer.step(); // fails on flaky inside Adam, runs again on cpu
    breakAdam = false;
    expect(tf.getBackend()).toBe("cpu");
    expect(trainer.state).toBe("paused");
    expect(trainer.message).toMatch(
      /flaky failed \(GPU fault in Sqrt\)\. Training goes on with plain JavaScript from the same weights/,
    );
    expect(trainer.stepsTaken).toBe(4);
    await trainer.step();
    // Weights and Adam's moments came back as they were: the run matches one that never failed, to the bit.
    expect(await weightsOf(trainer)).toEqual(expected);
    await trainer.dispose();
  });

  it("moves a run whose backend fails before the step (it cannot even make a tensor), and says so", async () => {
    const expected = await reference(5);
    const trainer = await onFlaky();
    const backend = tf.backend() as unknown as { write: (...a: unknown[]) => unknown };
    backend.write = () => {
      throw new RangeError("createBuffer failed, size (131072) is too large for the implementation");
    };
    await trainer.step(); // fails on flaky, runs again on cpu
    expect(tf.getBackend()).toBe("cpu");
    expect(trainer.state).toBe("paused");
    expect(trainer.message).toMatch(
      /flaky failed \(createBuffer failed.*\)\. Training goes on with plain JavaScript from the same weights/,
    );
    expect(trainer.stepsTaken).toBe(4);
    await trainer.step();
    // Weights and Adam's moments came across intact: the run matches one that never failed, to the bit.
    expect(await weightsOf(trainer)).toEqual(expected);
    await trainer.dispose();
  });

  it("a failure while validating keeps the finished update, validates on the new backend, and goes on", async () => {
    // Reference: 5 steps on cpu (4 batches per epoch, so a validation after step 4).
    await tf.setBackend("cpu");
    const clean = makeTrainer();
    for (let i = 0; i < 5; i++) await clean.step();
    const expected = { weights: await weightsOf(clean), valLoss: clean.history.epochs[0].valLoss };
    await clean.dispose();

    const trainer = await onFlaky(); // 3 steps
    const flaky = tf.backend() as unknown as { write: () => never };
    const off = trainer.on("batch", (b) => {
      if (b.batch === b.batchesPerEpoch)
        flaky.write = () => {
          throw new Error("context lost while validating");
        };
    });
    await trainer.step(); // batch 4 trains on flaky, its validation fails there and runs again on cpu
    off();
    expect(tf.getBackend()).toBe("cpu");
    expect(trainer.message).toMatch(/context lost while validating/);
    expect(trainer.stepsTaken).toBe(4);
    expect(trainer.history.batches).toHaveLength(4);
    expect(trainer.history.epochs).toHaveLength(1);
    expect(trainer.history.epochs[0].valLoss).toBe(expected.valLoss);
    await trainer.step();
    expect(trainer.history.batches.at(-1)!.epoch).toBe(2);
    expect(await weightsOf(trainer)).toEqual(expected.weights);
    await trainer.dispose();
  });

  it("gives up on a step that hangs, after the timeout, and goes on elsewhere", async () => {
    const expected = await reference(4);
    const trainer = await onFlaky();
    setStepTimeout(300);
    const backend = tf.backend() as unknown as { read: (...a: unknown[]) => Promise<unknown> };
    backend.read = () => new Promise(() => {}); // an async read that never returns, like a stuck GPU
    await trainer.step();
    setStepTimeout(90_000);
    expect(tf.getBackend()).toBe("cpu");
    expect(trainer.message).toMatch(/did not finish in 0.3 s/);
    expect(trainer.stepsTaken).toBe(4);
    expect(await weightsOf(trainer)).toEqual(expected);
    await trainer.dispose();
  });

  it("saving the variables before every GPU step leaves no tensor behind", async () => {
    const trainer = await onFlaky(); // 3 saved steps
    const before = tf.memory().numTensors;
    for (let i = 0; i < 4; i++) await trainer.step(); // crosses an epoch end (validation) too
    expect(tf.getBackend()).toBe(FLAKY);
    expect(tf.memory().numTensors).toBe(before);
    await trainer.dispose();
  });

  it("keeps memory flat: a rescued run holds as many tensors as a run that never failed", async () => {
    await tf.setBackend("cpu");
    const before = tf.memory().numTensors;
    const trainer = await onFlaky();
    (tf.backend() as unknown as { write: () => never }).write = () => {
      throw new Error("lost");
    };
    await trainer.step();
    const during = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) await trainer.step();
    expect(tf.memory().numTensors).toBe(during);
    await trainer.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("a warm-up on a failing backend does not throw into the page; the first step then moves the run", async () => {
    registerFlaky();
    await tf.setBackend(FLAKY);
    const trainer = makeTrainer();
    (tf.backend() as unknown as { write: () => never }).write = () => {
      throw new Error("device gone");
    };
    await expect(trainer.warmUp()).resolves.toBeUndefined();
    await trainer.step();
    expect(tf.getBackend()).toBe("cpu");
    expect(trainer.message).toMatch(/flaky failed \(device gone\)/);
    expect(trainer.stepsTaken).toBe(1);
    await trainer.dispose();
  });

  it("an error that is not the backend's (on cpu) stops the run with a message, not an exception", async () => {
    await tf.setBackend("cpu");
    const trainer = makeTrainer();
    (trainer.task as { batch: unknown }).batch = () => {
      throw new Error("bad batch");
    };
    await trainer.step();
    expect(trainer.state).toBe("stopped");
    expect(trainer.message).toBe("training failed: bad batch");
    expect(tf.getBackend()).toBe("cpu");
    await trainer.dispose();
  });
});
