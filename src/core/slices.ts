/**
 * Long work cut into small steps, so a page stays responsive while it runs. The work is written
 * once, as a generator that yields after each step (one image, one slice) and returns its result;
 * `finishSteps` runs it in one go (tests, scripts, the worker), `finishStepsInSlices` runs it in
 * slices of a few milliseconds and lets the browser paint and answer clicks in between. Both run
 * the same steps in the same order, so a seeded generator gives the same data either way.
 */
import { yieldToBrowser } from "./yield";

/** Work that yields after each step and returns its result. */
export type Steps<T> = Generator<void, T, void>;

/** Runs every step at once. */
export function finishSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/** Runs the steps, giving the browser a turn every `sliceMs` milliseconds. */
export async function finishStepsInSlices<T>(steps: Steps<T>, sliceMs = 25): Promise<T> {
  let sliceStart = performance.now();
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    if (performance.now() - sliceStart > sliceMs) {
      await yieldToBrowser();
      sliceStart = performance.now();
    }
  }
}
