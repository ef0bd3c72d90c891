/**
 * The U-Net lesson in Chromium: open it, train briefly, check that validation Dice rises for both
 * runs, that the comparison chart, overlays and feature maps render, and that the console stays clean.
 */
import { describe, expect, it } from "vitest";
import { useBrowserSession } from "./site";

const { enabled, open } = useBrowserSession();

describe.skipIf(!enabled)("U-Net lesson in Chromium", () => {
  it("trains both runs: Dice rises, the overlays and charts render, no console error", async () => {
    const { page, watch } = await open("/unet", ".meddl-controls");
    const thresholdDice = Number(await page.locator("[data-threshold-dice]").getAttribute("data-threshold-dice"));
    expect(thresholdDice).toBeGreaterThan(0.3);

    await page.getByRole("button", { name: /Train/ }).first().click();
    // Two validation checks (epochs of 30 steps) of the U-Net run.
    await page.waitForFunction(
      () =>
        ((document.querySelector(".meddl-controls") as HTMLElement).dataset.epochLosses ?? "")
          .split(",")
          .filter(Boolean).length >= 2,
      null,
      { timeout: 300_000 },
    );
    await page.getByRole("button", { name: /Pause/ }).click();
    await page.waitForFunction(
      () => (document.querySelector(".meddl-controls") as HTMLElement).dataset.state === "paused",
      null,
      { timeout: 60_000 },
    );
    await page.waitForTimeout(1500);

    const dice = Number(await page.locator(".meddl-controls").getAttribute("data-val-dice"));
    console.log(
      `U-Net validation Dice after 2 checks in the browser: ${dice.toFixed(3)} (threshold baseline ${thresholdDice.toFixed(3)})`,
    );
    // Untrained, the output starts at the foreground prior (about 12% < 0.5): every pixel is
    // "background" and Dice is 0. Above 0.3, Dice has risen.
    expect(dice).toBeGreaterThan(0.3);

    // The comparison chart: 2 checks × 2 runs as dots, one line per run, two baselines.
    const chart = page.locator('.meddl-chart-dice svg:has(g[aria-label="dot"])');
    // Each run's checks have their own symbol (drawn as paths placed by a translate).
    expect(await chart.locator('g[aria-label="dot"] path').count()).toBe(4);
    expect(await chart.locator('g[aria-label="rule"] line').count()).toBe(2);
    const values = await chart
      .locator('g[aria-label="dot"] path')
      .evaluateAll((dots) =>
        dots.map((d) => Number(/translate\([^,]+,([^)]+)\)/.exec(d.getAttribute("transform") ?? "")?.[1])),
      );
    expect(new Set(values).size).toBeGreaterThan(1); // the runs moved

    // Overlays: 5 images × (input, mask, 2 runs × (probability, overlay)), painted.
    expect(await page.locator(".meddl-chart-overlay tbody canvas").count()).toBe(30);
    const painted = await page
      .locator(".meddl-chart-overlay tbody tr:first-child td:nth-child(4) canvas")
      .evaluate((c: HTMLCanvasElement) => {
        const d = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
        let coloured = 0;
        for (let i = 0; i < d.length; i += 4)
          if (Math.abs(d[i] - d[i + 1]) > 30 || Math.abs(d[i + 1] - d[i + 2]) > 30) coloured++;
        return coloured;
      });
    expect(painted).toBeGreaterThan(20); // hits / errors are tinted, not grey
    // Feature maps: input, 3 encoder levels, bottleneck, 3 decoder levels.
    expect(await page.locator(".meddl-chart-features .meddl-activation-row").count()).toBe(8);

    // Moving the threshold redraws the overlay headers.
    const thresholdBox = page.locator(".meddl-field", { hasText: "Threshold" }).locator("input[type=number]");
    await thresholdBox.fill("0.3");
    await thresholdBox.blur();
    await page.locator(".meddl-chart-overlay th", { hasText: "overlay at 0.30" }).first().waitFor({ timeout: 10_000 });

    expect(watch.errors).toEqual([]);
    expect(watch.external).toEqual([]);
    await page.close();
  });
});
