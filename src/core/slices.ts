/**
 * Long work on the page, cut into slices so it never holds the page up.
 *
 * The work is written once, as a generator that `yield`s wherever it may pause (after a chunk of
 * images, a few iterations). `runAtOnce` runs it to the end in one go (tests, scripts, a worker);
 * `runInSlices` gives the browser a turn whenever a slice has taken more than a few milliseconds,
 * so clicks and other charts get in between. Both give the same result.
 */
import { yieldToBrowser } from "../train/yield";

/** Work that yields between slices and returns a T at the end. */
export type Slices<T> = Generator<void, T, void>;

/** Runs the work to the end without pausing. */
export function runAtOnce<T>(work: Slices<T>): T {
  for (;;) {
    const step = work.next();
    if (step.done) return step.value;
  }
}

/** Milliseconds of work between pauses: well under the browser's 50 ms "long task". */
const SLICE_MS = 8;

/** Runs the work, pausing for the browser whenever the current slice has run SLICE_MS or more. */
export async function runInSlices<T>(work: Slices<T>, pause: () => Promise<void> = yieldToBrowser): Promise<T> {
  let sliceStart = performance.now();
  for (;;) {
    const step = work.next();
    if (step.done) return step.value;
    if (performance.now() - sliceStart >= SLICE_MS) {
      await pause();
      sliceStart = performance.now();
    }
  }
}
