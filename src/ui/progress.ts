/** A progress bar for long work that is not training (making data, pretraining, a sweep). */
import { el } from "../core/dom";

/** Called while work goes on: items done, items in all. */
export type Progress = (done: number, total: number) => void;

/** A progress bar with a label; `update(done, total)` moves it, and it hides when done. */
export function workProgress(label: string): HTMLElement & { update: Progress } {
  const bar = el("progress", { max: 1, value: 0 });
  const text = el("span", { class: "meddl-progress-label" }, label);
  const root = el("div", { class: "meddl-progress", role: "status" }, bar, text) as unknown as HTMLElement & {
    update: Progress;
  };
  root.update = (done, total) => {
    bar.max = total;
    bar.value = done;
    text.textContent = `${label}: ${done} of ${total}`;
    root.style.display = done >= total ? "none" : ""; // (the kit's progress style sets display, which beats `hidden`)
  };
  return root;
}
