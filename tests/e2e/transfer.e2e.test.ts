/**
 * The transfer lesson in Chromium: the shipped source loads, the three strategies train side by
 * side, and a reduced sweep (one seed, two rounds) draws three curves; the console stays clean.
 */
import { describe, expect, it } from "vitest";
import { useBrowserSession } from "./site";

const { enabled, open } = useBrowserSession();

describe.skipIf(!enabled)("transfer lesson in Chromium", () => {
  it("loads the source, trains three strategies, runs a reduced sweep with three curves, no console error", async () => {
    const { page, watch } = await open("/transfer", ".meddl-controls");
    expect(await page.locator(".meddl-source-panel").getAttribute("data-origin")).toBe("shipped");

    // Fewer rounds for everything below: the number box of the "Rounds" slider.
    const rounds = page.locator(".meddl-field", { hasText: "Rounds" }).locator("input[type=number]");
    await rounds.fill("2");
    await rounds.blur();
    // N = 100 images, repeated to 300 per round: 9 steps per round, 18 in all.
    await page.waitForFunction(
      () => (document.querySelector(".meddl-controls") as HTMLElement)?.textContent?.includes("step 0 of 18"),
      null,
      { timeout: 30_000 },
    );

    // Side by side: two rounds of the three strategies, then three AUC curves.
    await page.getByRole("button", { name: /Train/ }).first().click();
    await page.waitForFunction(
      () => (document.querySelector(".meddl-controls") as HTMLElement).dataset.state === "done",
      null,
      { timeout: 180_000 },
    );
    await page.waitForTimeout(1000);
    expect(await page.locator('.meddl-chart-strategies g[aria-label="line"] path').count()).toBe(3);
    expect(await page.locator(".meddl-speed tbody tr").count()).toBe(3);
    expect(await page.locator(".meddl-chart-filters canvas").count()).toBe(3 * 16);
    // One dot per image in each cloud, with a symbol per class (drawn as paths).
    expect(await page.locator('.meddl-chart-features g[aria-label="dot"] path').count()).toBe(2 * 300);

    // A reduced sweep: one seed, two rounds, every N: 3 strategies × 6 sizes.
    const seeds = page.locator(".meddl-field", { hasText: "Seeds per point" }).locator("input[type=number]");
    await seeds.fill("1");
    await seeds.blur();
    await page.getByRole("button", { name: /Run the sweep/ }).click();
    await page.waitForFunction(
      () => (document.querySelector(".meddl-sweep") as HTMLElement)?.dataset.state === "done",
      null,
      { timeout: 300_000 },
    );
    expect(await page.locator(".meddl-sweep").getAttribute("data-points")).toBe("18");
    expect(await page.locator(".meddl-sweep").getAttribute("data-curves")).toBe("3");
    expect(await page.locator('.meddl-sweep-chart g[aria-label="line"] path').count()).toBe(3);
    expect(await page.locator('.meddl-sweep-chart g[aria-label="dot"] path').count()).toBe(18);

    expect(watch.errors).toEqual([]);
    expect(watch.external).toEqual([]);
    await page.close();
  }, 600_000);
});
