/**
 * Reading a result out of tfjs without freezing the page.
 *
 * `tf.tidy` walks whatever its function returns, looking for tensors to keep. A typed array is an
 * object to it, so it walks it element by element: returning a 64×64×16 feature map's values from
 * a tidy costs hundreds of thousands of steps (a quarter of a second on a busy laptop). So the
 * tidy returns the tensor, and the values are read after it.
 */
import * as tf from "@tensorflow/tfjs";

/** Runs `fn` inside tf.tidy, reads the tensor it returns, frees it, and returns the values. */
export function tidyRead(fn: () => tf.Tensor): Float32Array {
  return tidyReadAll(() => [fn()])[0];
}

/** Like tidyRead, for a function returning several tensors: their values, in order. */
export function tidyReadAll(fn: () => tf.Tensor[]): Float32Array[] {
  const tensors = tf.tidy(fn);
  try {
    return tensors.map((t) => t.dataSync() as Float32Array);
  } finally {
    tf.dispose(tensors);
  }
}
