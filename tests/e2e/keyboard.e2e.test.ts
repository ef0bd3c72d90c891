/**
 * Keyboard-only training on the CNN lesson: no mouse and no focus() call. Tab until the Train
 * button has the focus, press Enter and watch the step count rise; Tab to Pause and press Space:
 * training pauses. Then the clickable charts: a prediction tile opens its activation maps with
 * Enter, a confusion-matrix cell lists its images with Space.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { useBrowserSession } from "./site";

const { enabled, open } = useBrowserSession();

/** What has the focus, in a form a test can match: "BUTTON ▶ Train", "FIGURE 3", "rect true nodule, …". */
const focused = (page: Page) =>
  page.evaluate(() => {
    const e = document.activeElement as HTMLElement | null;
    if (!e) return "";
    const inControls = e.closest(".meddl-controls") ? "controls " : "";
    const index = e.getAttribute("data-index");
    return `${inControls}${e.tagName} ${index ?? e.getAttribute("aria-label") ?? e.textContent?.trim() ?? ""}`;
  });

/** Presses Tab until `wanted` matches what has the focus; fails after `limit` presses. */
async function tabTo(page: Page, wanted: RegExp, limit = 400): Promise<number> {
  for (let presses = 1; presses <= limit; presses++) {
    await page.keyboard.press("Tab");
    if (wanted.test(await focused(page))) return presses;
  }
  throw new Error(`${limit} presses of Tab never reached ${wanted} (last focus: ${await focused(page)})`);
}

const step = (page: Page) =>
  page.evaluate(() => Number((document.querySelector(".meddl-controls") as HTMLElement).dataset.step));

describe.skipIf(!enabled)("CNN lesson from the keyboard alone", () => {
  it(
    "Tab to Train, Enter: the step count rises; Tab to Pause, Space: it pauses; tiles and cells work with Enter and Space",
    { timeout: 600_000 },
    async () => {
      const { page, watch } = await open("/cnn", ".meddl-controls");
      await page.locator(".meddl-controls").first().waitFor();
      expect(await step(page)).toBe(0);

      const presses = await tabTo(page, /^controls BUTTON ▶ Train$/);
      console.log(`Train reached after ${presses} presses of Tab`);
      await page.keyboard.press("Enter");
      await page.waitForFunction(
        () => Number((document.querySelector(".meddl-controls") as HTMLElement).dataset.step) >= 3,
        null,
        { timeout: 180_000, polling: 250 },
      );
      const early = await step(page);
      // Train is disabled while it runs; the next Tab goes on to Pause.
      await tabTo(page, /^controls BUTTON Pause$/, 20);
      // Let one epoch finish first, so the predictions and the confusion matrix have something to show.
      await page.waitForFunction(
        () => ((document.querySelector(".meddl-controls") as HTMLElement).dataset.epochLosses ?? "") !== "",
        null,
        { timeout: 300_000, polling: 500 },
      );
      expect(await step(page)).toBeGreaterThan(early);
      await page.keyboard.press(" ");
      await page.waitForFunction(
        () => (document.querySelector(".meddl-controls") as HTMLElement).dataset.state === "paused",
        null,
        { timeout: 60_000 },
      );
      const paused = await step(page);
      await page.waitForTimeout(1500);
      expect(await step(page)).toBe(paused);

      // A prediction tile: Tab to image 3 of the validation grid, Enter shows its activation maps.
      await page
        .locator(".meddl-chart-predictions figure.correct, .meddl-chart-predictions figure.wrong")
        .first()
        .waitFor();
      const imageBox = page.locator(".meddl-field", { hasText: "Validation image" }).locator("input").first();
      expect(await imageBox.inputValue()).toBe("1");
      await tabTo(page, /^FIGURE 3$/);
      await page.keyboard.press("Enter");
      await page.waitForFunction(
        () =>
          [...document.querySelectorAll<HTMLInputElement>(".meddl-field input")].some(
            (i) => i.closest(".meddl-field")?.textContent?.includes("Validation image") && i.value === "3",
          ),
        null,
        { timeout: 30_000 },
      );

      // A confusion cell: Tab to "true nodule, predicted nodule", Space lists its images.
      await page.locator('.meddl-confusion rect[role="button"]').first().waitFor();
      await tabTo(page, /^rect true nodule, predicted nodule: \d+ images$/);
      await page.keyboard.press(" ");
      await page.locator(".meddl-confusion .meddl-caption").first().waitFor();
      expect(await page.locator(".meddl-confusion .meddl-caption").first().textContent()).toMatch(
        /of class “nodule” predicted as “nodule”/,
      );
      // The redrawn cell keeps the focus, so the next Tab goes on from there.
      expect(await focused(page)).toMatch(/^rect true nodule, predicted nodule/);
      expect(await step(page)).toBe(paused); // Space on a cell did not resume training

      expect(watch.errors).toEqual([]);
      expect(watch.external).toEqual([]);
      await page.close();
    },
  );
});
