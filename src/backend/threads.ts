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

export function chooseThreads({ isolated, cores, requested }: ThreadsProbe): ThreadsChoice {
  const available = cores && Number.isFinite(cores) && cores >= 1 ? Math.floor(cores) : 1;
  if (!isolated) {
    return {
      count: 1,
      on: false,
      reason: "the page is not cross-origin isolated (no COOP/COEP headers), so WebAssembly runs on one thread",
    };
  }
  if (requested != null) {
    return {
      count: requested,
      on: requested > 1,
      reason: `?threads=${requested} in the address asks for ${requested === 1 ? "one thread" : `${requested} threads`}`,
    };
  }
  return {
    count: available,
    on: available > 1,
    reason:
      available > 1
        ? `cross-origin isolated: one thread per core (${available})`
        : "cross-origin isolated, but this machine reports one core",
  };
}
