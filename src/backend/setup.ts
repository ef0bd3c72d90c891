/**
 * Sets tfjs up, in the page, in a worker and in node: registers our wasm kernels, probes the
 * graphics, picks a backend (or the one asked for) and falls back when it fails. It gives the
 * WebAssembly backend its threads where the page is cross-origin isolated, and hands the rescue
 * (rescue.ts) a way to switch backends when one fails mid-training.
 */
import * as tf from "@tensorflow/tfjs";
import { getThreadsCount, setThreadsCount, setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { registerWasmGradientKernels } from "./kernels";
import { chooseBackend, fallbackOrder, type BackendChoice, type BackendName, type GraphicsProbe } from "./choose";
import { probeWebGpu, type WebGpuProbe } from "./adapter";
import { setBackendSwitcher } from "./rescue";
import { chooseThreads, threadsFromSearch, type ThreadsChoice } from "./threads";

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
  /**
   * WebAssembly threads wanted (`?threads=N`). Default: read from this page's address; a worker
   * whose own address lacks it should pass the page's value.
   */
  threads?: number | null;
}

export interface WasmThreads extends ThreadsChoice {
  /** Threads the wasm backend actually runs with, once it has started. */
  actual?: number;
}

export interface BackendStatus extends BackendChoice {
  /** What the automatic choice would have been. */
  auto: BackendChoice;
  probe: GraphicsProbe;
  /** Backends that failed to start before this one, with their errors. */
  failures: string[];
  /** The WebAssembly thread plan (whatever backend runs: it says what wasm would do). */
  threads: WasmThreads;
  /** The WebGPU adapter, probed when WebGPU was asked for. */
  webgpu?: WebGpuProbe;
}

/** Learns what the browser (or node) offers. Works without `document` (workers: OffscreenCanvas). */
export function probeGraphics(): GraphicsProbe {
  const wasm = typeof WebAssembly === "object";
  const canvas =
    typeof document !== "undefined"
      ? document.createElement("canvas")
      : typeof OffscreenCanvas !== "undefined"
        ? new OffscreenCanvas(1, 1)
        : null;
  if (!canvas) return { webgl: false, wasm };
  try {
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

/** The thread plan for this page or worker (`self`, never `window`: it runs in workers too). */
export function threadsHere(requested?: number | null): ThreadsChoice {
  const g = globalThis as { crossOriginIsolated?: boolean; location?: { search?: string } };
  return chooseThreads({
    isolated: g.crossOriginIsolated === true,
    cores: typeof navigator !== "undefined" ? navigator.hardwareConcurrency : undefined,
    requested: requested !== undefined ? requested : threadsFromSearch(g.location?.search),
  });
}

let wasmPathsSet = false;
let wasmStarted = false;

async function trySetBackend(name: BackendName): Promise<void> {
  if (!tf.findBackendFactory(name)) throw new Error(`${name} backend is not bundled`);
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`${name} backend failed to initialise`);
  await tf.ready();
}

/**
 * Starts wasm; if its threaded build cannot start (a browser or server that blocks its worker),
 * starts the single-threaded build instead and says so.
 */
async function startWasm(threads: WasmThreads): Promise<void> {
  try {
    await trySetBackend("wasm");
  } catch (error) {
    if (!threads.on) throw error;
    tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
    const factory = tf.findBackendFactory("wasm");
    tf.removeBackend("wasm");
    tf.registerBackend("wasm", factory, 2);
    await trySetBackend("wasm");
    threads.on = false;
    threads.reason = `the threaded build failed to start (${(error as Error).message}), so WebAssembly runs on one thread`;
  }
  wasmStarted = true;
  try {
    threads.actual = getThreadsCount();
    if (threads.actual !== threads.count && threads.on) {
      threads.on = threads.actual > 1;
      threads.reason += `; the wasm backend started ${threads.actual} instead`;
    }
  } catch {
    /* not started: nothing to report */
  }
}

/** Sets the backend up and says which one runs and why. Safe to call again to switch. */
export async function setupBackend({
  requested = "auto",
  wasmPaths,
  threads,
}: SetupOptions = {}): Promise<BackendStatus> {
  registerWasmGradientKernels();
  if (wasmPaths && !wasmPathsSet) {
    setWasmPaths(wasmPaths as never);
    wasmPathsSet = true;
  }
  const plan: WasmThreads = { ...threadsHere(threads) };
  if (!wasmStarted) setThreadsCount(plan.count); // read when the wasm backend first starts
  const probe = probeGraphics();
  const auto = chooseBackend(probe);
  const wanted = requested === "auto" ? auto.name : requested;
  const webgpu = wanted === "webgpu" ? await probeWebGpu() : undefined;
  const failures: string[] = [];
  const start = async (name: BackendName) => (name === "wasm" ? startWasm(plan) : trySetBackend(name));

  // Mid-training failures (rescue.ts) move the run to the automatic choice, then wasm, then cpu.
  setBackendSwitcher(async (failed) => {
    const errors: string[] = [];
    for (const name of fallbackOrder(auto.name, auto.name).filter((n) => !failed.has(n))) {
      try {
        await start(name);
        return { name };
      } catch (error) {
        errors.push(`${name}: ${(error as Error).message}`);
      }
    }
    throw new Error(errors.join("; ") || "every backend has failed");
  });

  for (const name of fallbackOrder(wanted, auto.name)) {
    try {
      await start(name);
      const reason =
        name === auto.name && requested === "auto"
          ? auto.reason
          : name === requested
            ? "you selected it"
            : `fell back after: ${failures.join("; ")}`;
      return { name, reason, auto, probe, failures, threads: plan, webgpu };
    } catch (error) {
      failures.push(`${name}: ${(error as Error).message}`);
    }
  }
  throw new Error(`no tfjs backend could start (${failures.join("; ")})`);
}
