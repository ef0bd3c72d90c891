/**
 * Monte Carlo dropout (Gal & Ghahramani, 2016): keep dropout ON at test time and run each image
 * T times. Each pass drops different features, so the passes disagree more where the model is
 * unsure. The mean of the T softmax outputs is the prediction; their spread, and the entropy of
 * the mean, say how unsure it is. With no dropout every pass is the same and the spread is zero.
 *
 * (Dropout is the only layer the kit's classifiers switch with `training`; a model with batch
 * normalisation would need that layer kept in inference mode.)
 */
import * as tf from "@tensorflow/tfjs";
import { withSeededRandom } from "../data/random";
import { yieldToBrowser } from "../train/yield";
import { tidyRead } from "../core/tensors";

export interface McDropoutOptions {
  /** Forward passes per image (T). */
  passes?: number;
  /** Seeds the dropout masks, so the same settings give the same answer. */
  seed?: number;
  /** Images per forward pass (memory). */
  chunk?: number;
  /** Called after each chunk with the fraction done (for a progress bar). */
  onProgress?: (done: number) => void;
}

export interface McDropoutResult {
  /** Mean probability over the passes, [N, K]. */
  mean: Float32Array;
  /** Predictive entropy of the mean, −Σ p̄ log p̄, per image (0 = certain; ln K = no idea). */
  entropy: Float32Array;
  /** Standard deviation over the passes of the predicted class's probability, per image. */
  spread: Float32Array;
  passes: number;
  classes: number;
}

export const MC_DROPOUT_DEFAULTS = { passes: 20, seed: 1, chunk: 100 } as const;

/** Entropy (nats) of each row of an [N, K] probability array. */
export function predictiveEntropy(probs: ArrayLike<number>, k: number): Float32Array {
  const n = probs.length / k;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let h = 0;
    for (let j = 0; j < k; j++) {
      const p = probs[i * k + j];
      if (p > 0) h -= p * Math.log(p);
    }
    out[i] = h;
  }
  return out;
}

/** Mean over T passes [T, n, K] into `mean` [n, K]; the predicted class's standard deviation into `spread` [n]. */
function summarisePasses(
  probs: Float32Array,
  passes: number,
  n: number,
  k: number,
  mean: Float32Array,
  spread: Float32Array,
): void {
  for (let i = 0; i < n * k; i++) {
    let s = 0;
    for (let t = 0; t < passes; t++) s += probs[t * n * k + i];
    mean[i] = s / passes;
  }
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < k; j++) if (mean[i * k + j] > mean[i * k + best]) best = j;
    let ss = 0;
    for (let t = 0; t < passes; t++) ss += (probs[t * n * k + i * k + best] - mean[i * k + best]) ** 2;
    spread[i] = Math.sqrt(ss / passes);
  }
}

/** T stochastic passes over `count` images [count, H, W, C]; plain arrays out, no tensors left. */
export async function mcDropout(
  model: tf.LayersModel,
  images: Float32Array,
  count: number,
  shape: [number, number, number],
  options: McDropoutOptions = {},
): Promise<McDropoutResult> {
  const { passes, seed, chunk } = { ...MC_DROPOUT_DEFAULTS, ...options };
  if (!(Number.isInteger(passes) && passes >= 1 && passes <= 500))
    throw new RangeError(`passes must be a whole number from 1 to 500, got ${passes}`);
  const size = shape[0] * shape[1] * shape[2];
  if (images.length < count * size) throw new RangeError(`expected ${count} images of ${shape.join("×")}`);
  const k = (model.outputShape as number[]).at(-1)!;
  const mean = new Float32Array(count * k);
  const spread = new Float32Array(count);
  for (let start = 0; start < count; start += chunk) {
    const end = Math.min(count, start + chunk);
    // Pass after pass, [passes, n, k]; every pass gets its own seeded dropout masks. One pass is
    // one slice of work, with a pause after it, so the page stays responsive while a model trains.
    const n = end - start;
    const probs = new Float32Array(passes * n * k);
    for (let t = 0; t < passes; t++) {
      const pass = tidyRead(() => {
        const x = tf.tensor4d(images.subarray(start * size, end * size), [n, ...shape]);
        return withSeededRandom(
          seed * 7919 + t * 104729 + start,
          () => model.apply(x, { training: true }) as tf.Tensor,
        );
      });
      probs.set(pass, t * n * k);
      options.onProgress?.((start + (n * (t + 1)) / passes) / count);
      await yieldToBrowser();
    }
    summarisePasses(probs, passes, n, k, mean.subarray(start * k, end * k), spread.subarray(start, end));
  }
  return { mean, entropy: predictiveEntropy(mean, k), spread, passes, classes: k };
}
