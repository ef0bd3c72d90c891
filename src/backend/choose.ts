/**
 * Which tfjs backend should train here, and why. Pure logic, so it is easy to test.
 *
 * - webgl: a real GPU is present.
 * - wasm: WebGL is missing or runs on a software renderer (SwiftShader, llvmpipe): there,
 *   WebAssembly with our gradient kernels is several times faster than "GPU" shaders on the CPU.
 * - cpu: the last resort, plain JavaScript.
 * - webgpu: only when asked for.
 */
export type BackendName = "webgl" | "wasm" | "cpu" | "webgpu";

export const BACKEND_NAMES: BackendName[] = ["webgl", "wasm", "cpu", "webgpu"];

/** What we could learn about the browser's graphics. */
export interface GraphicsProbe {
  webgl: boolean;
  /** The unmasked WebGL renderer string, when the browser reveals it. */
  renderer?: string;
  wasm: boolean;
}

export interface BackendChoice {
  name: BackendName;
  reason: string;
}

const SOFTWARE_RENDERERS = /swiftshader|llvmpipe|softpipe|software|basic render|mesa offscreen/i;

export function isSoftwareRenderer(renderer: string | undefined): boolean {
  return renderer != null && SOFTWARE_RENDERERS.test(renderer);
}

/** The automatic choice, with a sentence a learner can read. */
export function chooseBackend(probe: GraphicsProbe): BackendChoice {
  if (probe.webgl && !isSoftwareRenderer(probe.renderer)) {
    return {
      name: "webgl",
      reason: `a GPU is available (${probe.renderer ?? "WebGL renderer not named"}), so training runs on it`,
    };
  }
  if (probe.wasm) {
    const why = probe.webgl
      ? `WebGL here is a software renderer (${probe.renderer}), slower than WebAssembly on the same CPU`
      : "WebGL is not available";
    return { name: "wasm", reason: `${why}; WebAssembly (with the kit's own gradient kernels) is the fastest option` };
  }
  return { name: "cpu", reason: "neither a GPU nor WebAssembly is available, so plain JavaScript is used (slow)" };
}

/** Backends to try, best first, when the user asks for one explicitly. */
export function fallbackOrder(requested: BackendName, auto: BackendName): BackendName[] {
  return [...new Set<BackendName>([requested, auto, "wasm", "cpu"])];
}
