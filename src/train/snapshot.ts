/**
 * What every trainer needs to go back to its start: copies of a model's weights that outlive it
 * and every tidy, an Adam optimizer whose learning rate can change mid-run, and predictions over a
 * whole set in small chunks so the page keeps answering clicks.
 */
import * as tf from "@tensorflow/tfjs";
import { yieldToBrowser } from "./yield";

/**
 * A model's weights as they are now, to restore later (reset) — e.g. its initial weights.
 * Kept as plain arrays, not tensors: they belong to no backend, so they survive a switch of
 * backend (a lost GPU, src/backend/rescue.ts) and hold no tensor while training.
 */
export class WeightSnapshot {
  private saved: { values: Float32Array | Int32Array | Uint8Array; shape: number[]; dtype: tf.DataType }[];

  constructor(private readonly model: tf.LayersModel) {
    this.saved = this.take();
  }

  /** Puts the saved weights back into the model. */
  restore(): void {
    tf.tidy(() => this.model.setWeights(this.saved.map((w) => tf.tensor(w.values, w.shape, w.dtype))));
  }

  /** Saves the model's weights as they are now, instead of the old ones. */
  retake(): void {
    this.saved = this.take();
  }

  dispose(): void {
    this.saved = [];
  }

  private take() {
    return this.model.getWeights().map((w) => ({
      values: (w.dataSync() as Float32Array | Int32Array | Uint8Array).slice(), // a copy: the cpu backend hands out its own array
      shape: [...w.shape],
      dtype: w.dtype,
    }));
  }
}

/** Adam with a learning rate that `setAdamLearningRate` can change from the next step on. */
export function adam(learningRate: number, beta1 = 0.9): tf.AdamOptimizer {
  return tf.train.adam(learningRate, beta1, 0.999) as tf.AdamOptimizer;
}

/** Adam reads its (protected) learningRate field at every step, so a new value applies from the next one. */
export function setAdamLearningRate(optimizer: tf.AdamOptimizer, learningRate: number): void {
  (optimizer as unknown as { learningRate: number }).learningRate = learningRate;
}

/**
 * A model's outputs for `count` inputs, `chunk` at a time with a pause between chunks: one row
 * per input, flattened. `inputsFor(start, end)` makes the input tensor of one chunk.
 */
export async function predictInChunks(
  model: tf.LayersModel,
  count: number,
  chunk: number,
  inputsFor: (start: number, end: number) => tf.Tensor,
  pause: () => Promise<void> = yieldToBrowser,
): Promise<Float32Array> {
  const rowSize = (model.outputShape as number[]).slice(1).reduce((a, b) => a * b, 1);
  const out = new Float32Array(count * rowSize);
  for (let start = 0; start < count; start += chunk) {
    const end = Math.min(count, start + chunk);
    const outputs = tf.tidy(() => model.predict(inputsFor(start, end)) as tf.Tensor);
    try {
      out.set(await outputs.data(), start * rowSize); // async read: on WebGL this does not stall the GPU
    } finally {
      outputs.dispose();
    }
    await pause();
  }
  return out;
}
