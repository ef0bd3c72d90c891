/**
 * axe-core on every page: the course map, and each lesson before training and again after a few
 * training steps (when the charts, image grids and messages have been drawn with data). Zero
 * "serious" or "critical" violations; a failure lists each rule, its elements and what to fix.
 */
import { writeFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { describeViolations, runAxe, seriousViolations } from "./axe";
import { useBrowserSession } from "./site";

const { enabled, open } = useBrowserSession();

const LESSONS = ["cnn", "transfer", "unet", "gan", "detection", "explain", "data-problems", "autoencoders"];

/** Runs axe, prints every violation (for the log), and returns the serious and critical ones. */
async function check(page: Page, label: string): Promise<string> {
  const violations = await runAxe(page);
  // AXE_DUMP=dir writes every violation with all its elements, for fixing them.
  if (process.env.AXE_DUMP)
    writeFileSync(`${process.env.AXE_DUMP}/${label.replace(/\W+/g, "-")}.json`, JSON.stringify(violations, null, 1));
  console.log(
    `axe ${label}: ${violations.length} rules violated (${seriousViolations(violations).length} serious/critical)` +
      (violations.length ? `\n${describeViolations(violations)}` : ""),
  );
  return describeViolations(seriousViolations(violations));
}

/** The highest step count any of the page's training controls shows. */
const stepsTaken = (page: Page) =>
  page.evaluate(() =>
    Math.max(0, ...[...document.querySelectorAll<HTMLElement>("[data-step]")].map((e) => Number(e.dataset.step) || 0)),
  );

describe.skipIf(!enabled)("axe-core: no serious or critical accessibility violations", () => {
  it("the course map", async () => {
    const { page, watch } = await open("/");
    await page.locator("main h1").first().waitFor();
    expect(await check(page, "index")).toBe("");
    expect(watch.external).toEqual([]);
    await page.close();
  });

  for (const lesson of LESSONS) {
    it(`${lesson}: before training and after a few steps`, { timeout: 600_000 }, async () => {
      const { page, watch } = await open(`/${lesson}`, "[data-step]");
      await page.waitForTimeout(1500); // let the first charts draw
      const before = await check(page, `${lesson} before training`);

      // Train the page's first run, as a user would.
      await page.locator('.meddl-controls button:has-text("Train")').first().click();

      await page.waitForFunction(
        () =>
          Math.max(
            0,
            ...[...document.querySelectorAll<HTMLElement>("[data-step]")].map((e) => Number(e.dataset.step) || 0),
          ) >= 3,
        null,
        { timeout: 300_000, polling: 500 },
      );
      // Charts that wait for a validation (ROC, confusion, predictions) should be drawn too: give the first
      // epoch up to two minutes (a page whose runs validate later is checked as it is then).
      await page
        .waitForFunction(
          () => [...document.querySelectorAll<HTMLElement>("[data-epoch-losses]")].some((e) => e.dataset.epochLosses),
          null,
          { timeout: 120_000, polling: 500 },
        )
        .catch(() => console.log(`${lesson}: no finished epoch after two minutes; checking the page as it is`));
      // Pause every running run, so the page holds still while axe reads it.
      await page.evaluate(() => {
        for (const b of document.querySelectorAll<HTMLButtonElement>(".meddl-controls button"))
          if (!b.disabled && b.textContent?.trim() === "Pause") b.click();
      });
      await page.waitForTimeout(2000); // the charts redraw at most every second
      console.log(`${lesson}: ${await stepsTaken(page)} steps`);
      const after = await check(page, `${lesson} after training`);

      expect(before, `${lesson} before training`).toBe("");
      expect(after, `${lesson} after training`).toBe("");
      expect(watch.external).toEqual([]);
      await page.close();
    });
  }
});
