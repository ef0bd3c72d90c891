/**
 * A background tab keeps training, and its charts catch up when it is shown again.
 *
 * Headless Chromium keeps every tab "visible" (bringing another tab to the front hides nothing), so
 * the test plays the browser: it reports the page as hidden (document.visibilityState and the
 * visibilitychange event) and slows its timers as a background tab's are (at most once a second),
 * then shows it again. Training runs in the worker and is paced by messages, not timers.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { useBrowserSession } from "./site";

const { enabled, open } = useBrowserSession();

const stepOf = (page: Page) =>
  page.evaluate(() => Number((document.querySelector(".meddl-controls") as HTMLElement).dataset.step ?? 0));
/** The step the loss chart's text alternative reports ("Loss 0.31 after 240 steps, falling"). */
const chartStep = (page: Page) =>
  page.evaluate(() => {
    const label = document.querySelector(".meddl-chart-loss [aria-label^='Loss']")?.getAttribute("aria-label") ?? "";
    return Number(/after (\d+) steps/.exec(label)?.[1] ?? 0);
  });

/** Hides or shows the page as a browser does for a background tab (timers held to once a second). */
function setHidden(page: Page, hidden: boolean) {
  return page.evaluate((hide) => {
    const w = window as unknown as { __timeout?: typeof setTimeout };
    w.__timeout ??= window.setTimeout.bind(window);
    const real = w.__timeout;
    Object.defineProperty(document, "visibilityState", {
      configurable: true,
      get: () => (hide ? "hidden" : "visible"),
    });
    Object.defineProperty(document, "hidden", { configurable: true, get: () => hide });
    window.setTimeout = (
      hide ? (f: () => void, ms = 0, ...rest: unknown[]) => real(f, Math.max(1000, ms), ...rest) : real
    ) as typeof setTimeout;
    document.dispatchEvent(new Event("visibilitychange"));
  }, hidden);
}

describe.skipIf(!enabled)("CNN lesson in a background tab", () => {
  it("keeps training while hidden, and its loss chart catches up when shown", { timeout: 600_000 }, async () => {
    const { page, watch } = await open("/cnn", ".meddl-controls");
    await page.getByRole("button", { name: /Train/ }).first().click();
    await page.waitForFunction(
      () => Number((document.querySelector(".meddl-controls") as HTMLElement).dataset.step) >= 3,
      null,
      { timeout: 180_000 },
    );

    await setHidden(page, true);
    const hiddenAt = await stepOf(page);
    await page.waitForTimeout(10_000);
    expect(await stepOf(page), "training went on in the background").toBeGreaterThan(hiddenAt + 2);

    await setHidden(page, false);
    const shownAt = await stepOf(page);
    // Within a moment the chart shows (at least) the steps trained while hidden.
    await expect.poll(() => chartStep(page), { timeout: 5_000, interval: 200 }).toBeGreaterThanOrEqual(shownAt - 5);
    expect(watch.errors).toEqual([]);
    expect(watch.external).toEqual([]);
  });
});
