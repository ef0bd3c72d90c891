import { describe, expect, it } from "vitest";
import { makeNoduleDataset } from "../../src/data/nodules";
import { errorText, transferablesOf, type FromWorker, type ToWorker } from "../../src/worker/protocol";

const data = makeNoduleDataset({ size: 16, trainCount: 8, valCount: 4, seed: 3 });

const toWorker: ToWorker[] = [
  { type: "setup", id: 1, requested: "auto", wasmPaths: { "tfjs-backend-wasm.wasm": "http://x/a.wasm" }, threads: 2 },
  {
    type: "create",
    id: 2,
    runId: 7,
    recipe: {
      kind: "trainer",
      model: { topology: { class_name: "Sequential", config: { layers: [] } }, weights: [new Float32Array([1, 2, 3])] },
      task: {
        kind: "classification",
        data,
        augment: { flip: true, maxRotation: 15 },
        loss: { name: "focal", gamma: 2 },
      },
      options: { batchSize: 4, epochs: 2, learningRate: 0.01, seed: 1 },
    },
  },
  {
    type: "create",
    id: 9,
    runId: 8,
    recipe: {
      kind: "group",
      names: ["a", "b"],
      members: [0, 1].map(() => ({
        kind: "trainer" as const,
        model: { topology: {}, weights: [new Float32Array(2)] },
        task: { kind: "segmentation" as const, data: { id: "x" } as never, options: { loss: "dice" as const } },
        options: { epochs: 1 },
      })),
    },
  },
  { type: "command", id: 3, runId: 7, command: "step" },
  { type: "setLearningRate", id: 4, runId: 7, learningRate: 0.5 },
  { type: "snapshot", id: 5, runId: 7 },
  { type: "dispose", id: 6, runId: 7 },
  { type: "memory", id: 8 },
];

const status = { state: "paused", message: "", stepsTaken: 1, learningRate: 0.01, batches: 1, epochs: 0 } as const;
const fromWorker: FromWorker[] = [
  {
    type: "ready",
    id: 1,
    backend: {
      name: "cpu",
      reason: "r",
      auto: { name: "cpu", reason: "r" },
      probe: { webgl: false, wasm: true },
      failures: [],
      threads: { on: false, count: 1, reason: "not cross-origin isolated: one thread" },
    },
  },
  {
    type: "created",
    id: 2,
    runId: 7,
    shape: { batchesPerEpoch: 2, epochs: 2, totalSteps: 4, batchSize: 4, seed: 1, scoreName: "accuracy" },
    status,
    parts: [],
  },
  { type: "done", id: 3, runId: 7 },
  {
    type: "event",
    runId: 7,
    event: "batch",
    value: { step: 1, epoch: 1, batch: 1, batchesPerEpoch: 2, loss: 0.7, score: 0.5, learningRate: 0.01 },
    status,
  },
  {
    type: "event",
    runId: 7,
    event: "epoch",
    value: { epoch: 1, step: 2, trainLoss: 0.7, trainScore: 0.5, valLoss: 0.6, metrics: { auc: 0.8 } },
    status,
    validation: { probs: new Float32Array([0.1, 0.9]), predicted: new Int32Array([1]), epoch: 1 },
  },
  { type: "weights", runId: 7, part: 0, step: 1, weights: [new Float32Array([0.5, -1]), new Float32Array(3)] },
  { type: "error", id: 3, runId: 7, message: "boom" },
];

describe("worker protocol", () => {
  it("every message survives the structured clone postMessage uses, typed arrays included", () => {
    for (const message of [...toWorker, ...fromWorker]) {
      const copy = structuredClone(message);
      expect(copy).toEqual(message);
    }
    const create = structuredClone(toWorker[1]) as Extract<ToWorker, { type: "create" }>;
    const recipe = create.recipe as Extract<typeof create.recipe, { kind: "trainer" }>;
    expect(recipe.task.data.train.images).toBeInstanceOf(Float32Array);
    expect((recipe.task as { data: { train: { labels: unknown } } }).data.train.labels).toBeInstanceOf(Int32Array);
  });

  it("hands weight buffers over instead of copying them, and nothing else", () => {
    const weights = fromWorker.find((m) => m.type === "weights")!;
    const buffers = transferablesOf(weights);
    expect(buffers).toHaveLength(2);
    const moved = structuredClone(weights, { transfer: buffers }) as Extract<FromWorker, { type: "weights" }>;
    expect(Array.from(moved.weights[0])).toEqual([0.5, -1]);
    expect((weights as Extract<FromWorker, { type: "weights" }>).weights[0].length).toBe(0); // detached: moved, not copied
    expect(transferablesOf(toWorker[2])).toEqual([]);
  });

  it("turns anything thrown into text", () => {
    expect(errorText(new RangeError("bad"))).toBe("bad");
    expect(errorText("plain")).toBe("plain");
    expect(errorText(undefined)).toBe("undefined");
  });
});
