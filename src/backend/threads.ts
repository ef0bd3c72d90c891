/**
 * How many threads the WebAssembly backend may use, and why. Pure logic, so it is easy to test.
 *
 * WebAssembly threads share memory through SharedArrayBuffer, which browsers allow only on a
 * cross-origin isolated page (served with COOP/COEP headers: `npm run serve` and `npm run dev` send
 * them). There tfjs loads its threaded SIMD build; elsewhere it runs on one thread.
 */
export interface ThreadsChoice {
  /** Threads the wasm backend is asked to use (1: no worker threads). */
  count: number;
  /** Whether more than one thread trains. */
  on: boolean;
  reason: string;
}

export interface ThreadsProbe {
  /** `crossOriginIsolated` of the page or worker. */
  isolated: boolean;
  /** `navigator.hardwareConcurrency`, when known. */
  cores?: number;
  /** A count the user asked for (`?threads=N`), if any. */
  requested?: number | null;
}

/** Reads `?threads=N` from a URL's search string; null when absent or not a whole number ≥ 1. */
export function threadsFromSearch(search: string | undefined): number | null {
  if (!search) return null;
  const raw = new URLSearchParams(search).get("threads");
  if (raw == null || raw.trim() === "") return null;
  const n = Number(raw);
  return Number.isInteger(n) && n >= 1 ? Math.min(n, 64) : null;
}

/**
 * The most threads tfjs 4.22's wasm build will run: half the logical cores (it assumes two
 * hyper-threads per core), at least 1 and at most 8 (its pre-made worker pool). Asking for more
 * gets this many, so the kit asks for no more and says so.
 */
export function wasmThreadCap(cores: number): number {
  return Math.max(1, Math.min(8, Math.floor(cores / 2)));
}

export function chooseThreads({ isolated, cores, requested }: ThreadsProbe): ThreadsChoice {
  const logical = cores && Number.isFinite(cores) && cores >= 1 ? Math.floor(cores) : 1;
  if (!isolated) {
    return {
      count: 1,
      on: false,
      reason: "the page is not cross-origin isolated (no COOP/COEP headers), so WebAssembly runs on one thread",
    };
  }
  const cap = wasmThreadCap(logical);
  const capNote = `tfjs's wasm build uses at most half the logical cores (${logical} here)`;
  if (requested != null) {
    const count = Math.min(requested, cap);
    const asked = `?threads=${requested} in the address asks for ${requested === 1 ? "one thread" : `${requested} threads`}`;
    return { count, on: count > 1, reason: count < requested ? `${asked}, but ${capNote}: ${count}` : asked };
  }
  return {
    count: cap,
    on: cap > 1,
    reason:
      cap > 1
        ? `cross-origin isolated: ${cap} threads, as ${capNote}`
        : `cross-origin isolated, but ${capNote}: one thread`,
  };
}
