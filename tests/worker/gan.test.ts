/**
 * The GAN lesson's pair in the training worker (a fake worker in node, cpu backend): it builds from
 * a plain recipe, trains exactly as the pair on the main thread does, its events give the page
 * what the charts read (step records, evaluations with outputs, reference), live settings reach it,
 * bad ones come back as messages, and the worker's tensor count stays flat.
 */
import { beforeAll, describe, expect, it, vi } from "vitest";
import {
  GAN_LESSON_DEFAULTS,
  makeCtGanData,
  makeGanPair,
  SYNTHETIC_CT_SOURCE,
  type CtGanData,
  type GanRunSettings,
} from "../../src/lessons/gan";
import * as tf from "@tensorflow/tfjs";
import { buildGenerator } from "../../src/models/gan";
import type { GanPair } from "../../src/train/ganPair";
import { loadModel } from "../../src/ui/saveLoad";
import type { TrainerState } from "../../src/train/types";
import { remoteGanPair, type RemoteGanPair } from "../../src/worker/ganRemote";
import { WorkerConnection } from "../../src/worker/remote";
import type { GanPairView } from "../../src/viz/gan";
import { useBackend } from "../helpers/backend";
import { fakeWorker } from "./fakeWorker";

beforeAll(() => useBackend("cpu"));

const SIZE = 16;
const SETTINGS: GanRunSettings = {
  ...GAN_LESSON_DEFAULTS,
  generatorFilters: 4,
  generatorLayers: 3,
  discriminatorFilters: 4,
  batchSize: 4,
  maxSteps: 6,
  validationEvery: 3,
};
let dataPromise: Promise<CtGanData> | null = null;
const smallData = () =>
  (dataPromise ??= makeCtGanData(SYNTHETIC_CT_SOURCE, { size: SIZE, trainCount: 12, valCount: 4, dose: 1500 }));

async function connect() {
  const worker = fakeWorker();
  const connection = new WorkerConnection(worker);
  await connection.setup("cpu");
  return { worker, connection };
}

function until(run: { state: TrainerState; on: RemoteGanPair["on"] }, ...states: TrainerState[]): Promise<void> {
  return new Promise((resolve) => {
    if (states.includes(run.state)) return resolve();
    const off = run.on("state", ({ state }) => states.includes(state) && (off(), resolve()));
  });
}

describe("the GAN pair in the training worker", () => {
  it("trains as the main-thread pair does, and the page gets records, evaluations and the reference", async () => {
    const data = await smallData();
    const { worker, connection } = await connect();
    const pair = await remoteGanPair(connection, { data, settings: SETTINGS });
    await pair.ready;
    expect(pair.runsIn).toBe("worker");
    expect(pair.quality.map((q) => q.map((p) => p.step))).toEqual([[0], [0]]);
    expect(pair.latest.every((e) => e && e.outputs.length === data.val.count * SIZE * SIZE)).toBe(true);
    expect(pair.reference!.input.hfRatio).toBeGreaterThan(1);

    const evaluations: number[] = [];
    pair.on("evaluation", ({ run }) => evaluations.push(run));
    await pair.step();
    await pair.step();
    await pair.step(); // step 3: both validate, both are scored
    expect(pair.stepsTaken).toBe(3);
    expect(pair.state).toBe("paused");
    expect(pair.runs.map((r) => r.history.steps.map((s) => s.step))).toEqual([
      [1, 2, 3],
      [1, 2, 3],
    ]);
    expect(pair.quality.map((q) => q.map((p) => p.step))).toEqual([
      [0, 3],
      [0, 3],
    ]);
    expect(evaluations).toEqual([0, 1]);
    expect(pair.history.batches).toHaveLength(3);
    expect(pair.runs.map((r) => r.history.batches.length)).toEqual([3, 3]); // the dock's CSV reads these
    // No "weights" snapshots (there is no replica for them): the charts' data comes as events.
    expect(worker.sent.some((m) => m.type === "weights")).toBe(false);

    // The same run on the main thread gives the same losses.
    const local = makeGanPair({ data, settings: SETTINGS });
    await local.ready;
    for (let i = 0; i < 3; i++) await local.step();
    const losses = (p: {
      runs: readonly { history: { steps: readonly { generatorLoss: number; discriminatorLoss: number }[] } }[];
    }) => p.runs.map((r) => r.history.steps.map((s) => [s.generatorLoss, s.discriminatorLoss]));
    const remote = losses(pair),
      here = losses(local);
    expect(pair.runs.map((r) => r.history.epochs.length)).toEqual(local.runs.map((r) => r.history.epochs.length));
    // The page's copies of the generators hold the worker's weights as of step 3 (the dock saves them).
    pair.runs.forEach((r, i) => {
      const [a, b] = [r.generator.getWeights()[0].dataSync(), local.runs[i].generator.getWeights()[0].dataSync()];
      a.forEach((v, k) => expect(v).toBeCloseTo(b[k], 4));
    });
    remote.flat(2).forEach((v, i) => expect(v).toBeCloseTo(here.flat(2)[i], 4));
    expect(pair.quality[1][1].psnr).toBeCloseTo(local.quality[1][1].psnr, 3);

    // It has all the charts read of a GanPair (they are drawn from it in tests/e2e/worker-gan-transfer.e2e.test.ts).
    const view: GanPairView = pair;
    expect(view.runs[0].history.warnings).toEqual([]);
    expect(view.latest.map((e) => e!.spectrum.length)).toEqual(local.latest.map((e) => e!.spectrum.length));
    await local.dispose();

    await pair.start();
    await until(pair, "done");
    expect(pair.stepsTaken).toBe(6);
    expect(pair.runs[1].history.steps.every((s) => s.lambda === SETTINGS.lambda)).toBe(true);

    // Reset: the worker starts again; the page's histories follow.
    await pair.reset();
    await until(pair, "idle");
    expect(pair.stepsTaken).toBe(0);
    await pair.step();
    expect(pair.runs.map((r) => r.history.steps.map((s) => s.step))).toEqual([[1], [1]]);
    expect(pair.quality.map((q) => q.map((p) => p.step))).toEqual([[0], [0]]);
    await pair.dispose();
    connection.terminate();
  });

  it("live λ and learning rates reach the worker; a bad value is refused on the page, a failure arrives as a message", async () => {
    const data = await smallData();
    const { connection } = await connect();
    const pair = await remoteGanPair(connection, { data, settings: SETTINGS });
    await pair.ready;
    pair.setLambda(0);
    pair.setDiscriminatorSteps(2);
    pair.setGeneratorLearningRate(0.001);
    await pair.step();
    expect(pair.runs[1].history.steps[0].lambda).toBe(0);
    expect(pair.history.batches[0].learningRate).toBe(0.001);
    expect(() => pair.setLambda(-1)).toThrow();
    expect(() => pair.setDiscriminatorSteps(0.5)).toThrow();
    // A setting the pair does not have comes back as the run's message, not an exception.
    void pair.setOption("momentum", 1);
    await vi.waitFor(() => expect(pair.message).toMatch(/no live setting "momentum"/), { timeout: 10_000 });
    await pair.dispose();
    connection.terminate();
  });

  it("starts from shipped generators' weights, and the worker's tensors go back to where they were", async () => {
    const data = await smallData();
    const { connection } = await connect();
    const gen = () => buildGenerator({ size: SIZE, filters: 4, layers: 3, seed: 9 });
    const start = { pixel: gen(), adversarial: gen() };
    const before = await connection.numTensors(); // (in node the page and the worker share one tfjs)
    const pair = await remoteGanPair(connection, { data, settings: SETTINGS, start });
    await pair.ready;
    const local = makeGanPair({ data, settings: SETTINGS, start });
    await local.ready;
    expect(pair.quality[0][0].psnr).toBeCloseTo(local.quality[0][0].psnr, 3); // scored from the same weights
    await local.dispose();
    await pair.step();
    const afterFirst = await connection.numTensors();
    await pair.step();
    await pair.step();
    await pair.step();
    expect(await connection.numTensors()).toBe(afterFirst);
    await pair.dispose();
    expect(await connection.numTensors()).toBe(before);
    start.pixel.dispose();
    start.adversarial.dispose();
    connection.terminate();
  });

  it("Load model: a saved generator loaded on the page reaches the worker's generator, and training goes on from it", async () => {
    const data = await smallData();
    const { worker, connection } = await connect();
    const pair = await remoteGanPair(connection, { data, settings: SETTINGS });
    await pair.ready;
    // A saved adversarial generator (as the dock saves it), with weights no run has.
    const saved = buildGenerator({ size: SIZE, filters: 4, layers: 3, seed: 42 });
    saved.setUserDefinedMetadata({ meddl: { lesson: "lesson", run: pair.names[1] } });
    let artifacts: tf.io.ModelArtifacts | null = null;
    await saved.save(tf.io.withSaveHandler(async (a) => ((artifacts = a), { modelArtifactsInfo: {} as never })));
    const result = await loadModel(pair, tf.io.fromMemory(artifacts!));
    expect(result.ok).toBe(true);
    const hosted = (worker.host as unknown as { runs: Map<number, { loop: GanPair }> }).runs;
    const [inWorker] = [...hosted.values()];
    const workerWeights = inWorker.loop.runs[1].generator.getWeights()[0].dataSync();
    expect(Array.from(workerWeights)).toEqual(Array.from(saved.getWeights()[0].dataSync()));
    expect(Array.from(inWorker.loop.runs[0].generator.getWeights()[0].dataSync())).not.toEqual(
      Array.from(workerWeights),
    ); // the other run kept its own
    await pair.step(); // and the run trains on from the loaded weights
    expect(pair.stepsTaken).toBe(1);
    saved.dispose();
    await pair.dispose();
    connection.terminate();
  });

  it("a diverging run stops the pair in the worker, and the page gets the state and its message", async () => {
    const data = await smallData();
    const { connection } = await connect();
    const pair = await remoteGanPair(connection, {
      data,
      settings: {
        ...SETTINGS,
        generatorLearningRate: 1,
        discriminatorLearningRate: 1,
        maxSteps: 30,
        validationEvery: 100,
      },
    });
    await pair.ready;
    await pair.start();
    await until(pair, "diverged", "done");
    expect(pair.state).toBe("diverged");
    expect(pair.message).toMatch(/^pixel (loss only|\+ adversarial): training diverged; try lower learning rates/);
    await pair.dispose();
    connection.terminate();
  });

  it("a recipe the worker cannot build is refused with its reason", async () => {
    const data = await smallData();
    const { connection } = await connect();
    const wrong = {
      pixel: buildGenerator({ size: SIZE, filters: 4, layers: 2 }),
      adversarial: buildGenerator({ size: SIZE, filters: 4, layers: 2 }),
    };
    await expect(remoteGanPair(connection, { data, settings: SETTINGS, start: wrong })).rejects.toThrow(
      /start generator/,
    );
    wrong.pixel.dispose();
    wrong.adversarial.dispose();
    connection.terminate();
  });
});
