/**
 * What every lesson's "Try this" exercises share: a way to make a change on the page for the
 * student (set a control, as if they had moved it), the reveal's layout (what happens and why,
 * then what the kit recorded), and a box that shows nothing when a build has no records.
 *
 * Exercise content lives in one file per lesson (cnn.ts, transfer.ts, …), as a function of the
 * page's records, so every number a reveal quotes is read from a record, never typed.
 */
import { el } from "../../core/dom";
import { tryThis, type Exercise } from "../../ui/exercise";

/** One way to set a page control (by label, optionally within a group), shared by every lesson's exercises. */
export { setPageControl as setControl, type SetControl } from "./pageControls";

/**
 * An exercise's apply, made safe: when the change cannot be made (say, N = 600 while a real
 * dataset with fewer images is the target), the exercise says so in its feedback line instead of
 * throwing from a click.
 */
export function applyOrSay(id: string, change: () => void): () => void {
  return () => {
    try {
      change();
    } catch (error) {
      const feedback = document.querySelector(`#exercise-${id} .meddl-exercise-feedback`);
      if (!feedback) throw error;
      feedback.textContent = `This change cannot be made here: ${(error as Error).message}.`;
    }
  };
}

/** A reveal: what happens and why, then the measured result, with where it was recorded. */
export function reveal(why: string, recorded: string, source: string): HTMLElement {
  return el(
    "div",
    {},
    el("p", {}, why),
    el("p", { class: "meddl-exercise-recorded" }, el("b", {}, "Recorded: "), recorded, " ", el("small", {}, `(${source})`)),
  );
}

/** A "Try this" box for the exercises a section has records for; an empty span when it has none. */
export function exerciseBox(exercises: Exercise[], options?: { title?: string }): HTMLElement {
  return exercises.length ? tryThis(exercises, options) : el("span");
}

/** Seeds and values as words: "0.79, 0.79 and 0.78". */
export function listed(values: (number | string)[], format: (v: number) => string = (v) => v.toFixed(3)): string {
  const words = values.map((v) => (typeof v === "number" ? format(v) : v));
  return words.length < 2 ? words.join("") : `${words.slice(0, -1).join(", ")} and ${words.at(-1)}`;
}

/** Mean ± sd as text. */
export function meanSd(s: { mean: number; sd: number }, digits = 3): string {
  return `${s.mean.toFixed(digits)} ± ${s.sd.toFixed(digits)}`;
}
