/**
 * Sets tfjs up, in the page and in node: registers our wasm kernels, probes the graphics,
 * picks a backend (or the one asked for) and falls back when it fails.
 */
import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { registerWasmGradientKernels } from "./kernels";
import { chooseBackend, fallbackOrder, type BackendChoice, type BackendName, type GraphicsProbe } from "./choose";

export type { BackendChoice, BackendName } from "./choose";

/**
 * Where the wasm backend finds its .wasm files: the kit's own copies, never a CDN.
 * Either a URL prefix ending in "/" or one URL per file name.
 */
export type WasmPaths = string | Record<string, string>;

export interface SetupOptions {
  /** A backend the user picked; "auto" (the default) lets the kit choose. */
  requested?: BackendName | "auto";
  wasmPaths?: WasmPaths;
}

export interface BackendStatus extends BackendChoice {
  /** What the automatic choice would have been. */
  auto: BackendChoice;
  probe: GraphicsProbe;
  /** Backends that failed to start before this one, with their errors. */
  failures: string[];
}

/** Learns what the browser (or node) offers. */
export function probeGraphics(): GraphicsProbe {
  const wasm = typeof WebAssembly === "object";
  if (typeof document === "undefined") return { webgl: false, wasm };
  try {
    const canvas = document.createElement("canvas");
    const gl = (canvas.getContext("webgl2") ?? canvas.getContext("webgl")) as WebGLRenderingContext | null;
    if (!gl) return { webgl: false, wasm };
    const ext = gl.getExtension("WEBGL_debug_renderer_info");
    const renderer = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    gl.getExtension("WEBGL_lose_context")?.loseContext(); // free the probe's context at once
    return { webgl: true, renderer, wasm };
  } catch {
    return { webgl: false, wasm };
  }
}

let wasmPathsSet = false;

async function trySetBackend(name: BackendName): Promise<void> {
  if (!tf.findBackendFactory(name)) throw new Error(`${name} backend is not bundled`);
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`${name} backend failed to initialise`);
  await tf.ready();
}

/** Sets the backend up and says which one runs and why. Safe to call again to switch. */
export async function setupBackend({ requested = "auto", wasmPaths }: SetupOptions = {}): Promise<BackendStatus> {
  registerWasmGradientKernels();
  if (wasmPaths && !wasmPathsSet) {
    setWasmPaths(wasmPaths as never);
    wasmPathsSet = true;
  }
  const probe = probeGraphics();
  const auto = chooseBackend(probe);
  const wanted = requested === "auto" ? auto.name : requested;
  const failures: string[] = [];
  for (const name of fallbackOrder(wanted, auto.name)) {
    try {
      await trySetBackend(name);
      const reason =
        name === auto.name && requested === "auto"
          ? auto.reason
          : name === requested
            ? "you selected it"
            : `fell back after: ${failures.join("; ")}`;
      return { name, reason, auto, probe, failures };
    } catch (error) {
      failures.push(`${name}: ${(error as Error).message}`);
    }
  }
  throw new Error(`no tfjs backend could start (${failures.join("; ")})`);
}
