/**
 * What every trainer needs to go back to its start: copies of a model's weights that outlive it
 * and every tidy, an Adam optimizer whose learning rate can change mid-run, and predictions over a
 * whole set in small chunks so the page keeps answering clicks.
 */
import * as tf from "@tensorflow/tfjs";
import { yieldToBrowser } from "./yield";

/** A model's weights as they are now, to restore later (reset) — e.g. its initial weights. */
export class WeightSnapshot {
  private saved: tf.Tensor[];

  constructor(private readonly model: tf.LayersModel) {
    this.saved = this.take();
  }

  /** Puts the saved weights back into the model. */
  restore(): void {
    this.model.setWeights(this.saved);
  }

  /** Saves the model's weights as they are now, instead of the old ones. */
  retake(): void {
    tf.dispose(this.saved);
    this.saved = this.take();
  }

  dispose(): void {
    tf.dispose(this.saved);
    this.saved = [];
  }

  private take(): tf.Tensor[] {
    return this.model.getWeights().map((w) => tf.keep(w.clone()));
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
