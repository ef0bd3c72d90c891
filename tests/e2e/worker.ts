/** Browser-test helpers for training in the worker: where a run trains, and waiting for steps. */
import type { Page } from "playwright-core";

/** The note under the trainer cell: data-place is "worker" or "main", data-backend the backend it trains on. */
export async function trainingPlace(page: Page): Promise<{ place: string; backend: string; text: string }> {
  const note = page.locator(".meddl-training-place").first();
  await note.waitFor({ timeout: 180_000 });
  return {
    place: (await note.getAttribute("data-place")) ?? "",
    backend: (await note.getAttribute("data-backend")) ?? "",
    text: (await note.textContent()) ?? "",
  };
}

/** The step count the first training controls show. */
export async function stepOf(page: Page): Promise<number> {
  return Number(await page.locator(".meddl-controls").first().getAttribute("data-step"));
}

/** Waits until the first training controls show at least `steps` steps. */
export async function waitForStep(page: Page, steps: number, timeout = 240_000): Promise<void> {
  await page.waitForFunction(
    (n) => Number((document.querySelector(".meddl-controls") as HTMLElement | null)?.dataset.step ?? 0) >= n,
    steps,
    { timeout },
  );
}

export async function waitForState(page: Page, state: string, timeout = 120_000): Promise<void> {
  await page.waitForFunction(
    (s) => (document.querySelector(".meddl-controls") as HTMLElement | null)?.dataset.state === s,
    state,
    { timeout },
  );
}
