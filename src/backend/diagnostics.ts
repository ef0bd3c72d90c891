/**
 * What the benchmarks and the memory tests read off a running page: `window.meddl.memory()`.
 *
 * It reports the page's tfjs tensor count and JS heap, plus the tensor counts of anything else
 * that holds tensors (a training worker registers itself here), so a leak anywhere shows.
 */
import * as tf from "@tensorflow/tfjs";

export interface MemoryReport {
  /** tf.memory().numTensors on the page. */
  pageTensors: number;
  /** The page's used JS heap in bytes, where the browser tells (Chromium does). */
  heapBytes: number | null;
  /** Tensor counts of other holders by name (e.g. "worker-1"). */
  others: Record<string, number>;
}

type TensorCounter = () => number | Promise<number>;
const counters = new Map<string, TensorCounter>();

/** Registers another tensor holder; returns a function that unregisters it (call it on dispose). */
export function addTensorCounter(name: string, count: TensorCounter): () => void {
  counters.set(name, count);
  return () => {
    if (counters.get(name) === count) counters.delete(name);
  };
}

export async function memoryReport(): Promise<MemoryReport> {
  const others: Record<string, number> = {};
  for (const [name, count] of counters) others[name] = await count();
  const heap = (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory;
  return { pageTensors: tf.memory().numTensors, heapBytes: heap ? heap.usedJSHeapSize : null, others };
}

if (typeof window !== "undefined") {
  const w = window as unknown as { meddl?: Record<string, unknown> };
  w.meddl = { ...w.meddl, memory: memoryReport };
}
