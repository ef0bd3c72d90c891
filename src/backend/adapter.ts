/**
 * What WebGPU adapter the browser offers, and whether it is a real GPU. A software adapter
 * (SwiftShader, llvmpipe, or one the browser marks as a fallback) draws on the CPU: slow, and in
 * headless Chromium it fails on the kit's models. The badge says so before training starts.
 */
import { isSoftwareRenderer } from "./choose";

/** The parts of GPUAdapter / GPUAdapterInfo the kit reads (typed here: no @webgpu/types needed). */
export interface AdapterFacts {
  isFallbackAdapter?: boolean;
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
}

export interface WebGpuProbe {
  available: boolean;
  /** A readable name of the adapter, when the browser tells. */
  name?: string;
  software: boolean;
  /** Why it counts as software, in a sentence. */
  why?: string;
}

/** Pure: is this adapter software, and what is it called? */
export function classifyAdapter(facts: AdapterFacts | null | undefined): WebGpuProbe {
  if (!facts) return { available: false, software: false };
  const words = [facts.vendor, facts.architecture, facts.device, facts.description].filter((w) => w);
  const name = words.length ? [...new Set(words)].join(" ") : undefined;
  if (facts.isFallbackAdapter)
    return { available: true, name, software: true, why: "the browser marks it as a fallback (software) adapter" };
  if (isSoftwareRenderer(name))
    return { available: true, name, software: true, why: `its name (${name}) is a software renderer` };
  return { available: true, name, software: false };
}

interface GpuLike {
  requestAdapter(): Promise<
    | (AdapterFacts & {
        info?: AdapterFacts;
        requestAdapterInfo?: () => Promise<AdapterFacts>;
      })
    | null
  >;
}

/** Asks the browser (page or worker) for its WebGPU adapter; never throws. */
export async function probeWebGpu(): Promise<WebGpuProbe> {
  const gpu = (globalThis.navigator as unknown as { gpu?: GpuLike } | undefined)?.gpu;
  if (!gpu) return { available: false, software: false };
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) return { available: false, software: false };
    const info: AdapterFacts = adapter.info ?? (await adapter.requestAdapterInfo?.().catch(() => undefined)) ?? {};
    // GPUAdapterInfo's fields are getters on its prototype: read them one by one (a spread copies none).
    return classifyAdapter({
      vendor: info.vendor,
      architecture: info.architecture,
      device: info.device,
      description: info.description,
      isFallbackAdapter: adapter.isFallbackAdapter ?? info.isFallbackAdapter,
    });
  } catch {
    return { available: false, software: false };
  }
}
