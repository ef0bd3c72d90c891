/** Rate limiting for redraws: the trainer emits far more events than a screen needs. */

/** Calls fn at most once per `ms`, and once more after the last call, so the final value shows. */
export function throttle(fn: () => void, ms: number): () => void {
  let last = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  return () => {
    const now = Date.now();
    if (now - last >= ms) {
      last = now;
      fn();
    } else if (!timer) {
      timer = setTimeout(
        () => {
          timer = null;
          last = Date.now();
          fn();
        },
        ms - (now - last),
      );
    }
  };
}
