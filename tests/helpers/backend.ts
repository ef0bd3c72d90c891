import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { registerWasmGradientKernels } from "../../src/backend/kernels";

/** Switches tfjs to a backend for a test file (wasm gets the kit's gradient kernels). */
export async function useBackend(name: "wasm" | "cpu"): Promise<void> {
  registerWasmGradientKernels();
  await tf.setBackend(name);
  await tf.ready();
}
