/**
 * The CNN lesson in a real browser: build the site, serve dist/ on localhost, open the page in
 * headless Chromium, train, and check that the loss falls, the charts draw, the console stays
 * clean and nothing is requested from another host.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { useBrowserSession, type OpenPage } from "./site";

const { enabled, open } = useBrowserSession();

async function openLesson(): Promise<OpenPage> {
  const opened = await open("/cnn", ".meddl-backend");
  await opened.page.locator(".meddl-controls").waitFor();
  return opened;
}

const controls = (page: Page) => page.locator(".meddl-controls").first();

describe.skipIf(!enabled)("CNN lesson in Chromium", () => {
  it("trains: the loss falls, every chart draws, no console error, no outside request", async () => {
    const { page, watch } = await openLesson();
    // Headless Chromium draws WebGL with SwiftShader, so the kit must pick wasm and say why.
    const badge = await page.locator(".meddl-backend").textContent();
    expect(badge).toMatch(/wasm/);
    expect(badge).toMatch(/software renderer|SwiftShader|not available/i);

    await page.getByRole("button", { name: /Train/ }).first().click();
    await page.waitForFunction(
      () => {
        const el = document.querySelector(".meddl-controls") as HTMLElement | null;
        return (el?.dataset.epochLosses ?? "").split(",").filter(Boolean).length >= 3;
      },
      null,
      { timeout: 240_000 },
    );
    await page.getByRole("button", { name: /Pause/ }).click();
    await page.waitForFunction(
      () => (document.querySelector(".meddl-controls") as HTMLElement).dataset.state === "paused",
    );
    await page.waitForTimeout(1200); // the charts redraw at most every second

    const epochLosses = (await controls(page).getAttribute("data-epoch-losses"))!.split(",").map(Number);
    console.log(`browser epoch losses: ${epochLosses.join(", ")}`);
    expect(epochLosses.at(-1)!).toBeLessThan(epochLosses[0] - 0.05);

    // Learning curves: raw + smoothed training lines and validation line, and one dot per epoch.
    const lossChart = page.locator('.meddl-chart-loss svg:has(g[aria-label="line"])');
    expect(await lossChart.locator('g[aria-label="line"] path').count()).toBeGreaterThanOrEqual(3);
    expect(await lossChart.locator('g[aria-label="dot"] circle').count()).toBe(epochLosses.length);
    expect(await page.locator(".meddl-chart-accuracy svg").count()).toBeGreaterThan(0);

    // First-layer filters: 8 painted tiles that are not blank.
    expect(await page.locator(".meddl-chart-filters canvas").count()).toBe(8);
    const filterSpread = await page
      .locator(".meddl-chart-filters canvas")
      .first()
      .evaluate((c: HTMLCanvasElement) => {
        const d = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
        let lo = 255,
          hi = 0;
        for (let i = 0; i < d.length; i += 4) {
          lo = Math.min(lo, d[i]);
          hi = Math.max(hi, d[i]);
        }
        return hi - lo;
      });
    expect(filterSpread).toBeGreaterThan(20);

    // Activation maps: the input plus one row per conv layer (depth 3).
    expect(await page.locator(".meddl-chart-activations .meddl-activation-row").count()).toBe(4);
    // Predictions: 40 validation images, most right after 3 epochs, mistakes framed.
    expect(await page.locator(".meddl-chart-predictions figure").count()).toBe(40);
    expect(await page.locator(".meddl-chart-predictions figure.correct").count()).toBeGreaterThan(20);
    // Confusion matrix: 4 cells; clicking one lists its images.
    const cells = page.locator('.meddl-confusion g[aria-label="cell"] rect');
    expect(await cells.count()).toBe(4);
    await page.locator(".meddl-confusion").scrollIntoViewIfNeeded();
    const box = (await cells.nth(3).boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2); // where a user clicks: on the count
    await page.locator(".meddl-confusion figure").first().waitFor();
    expect(await page.locator(".meddl-confusion .meddl-caption").textContent()).toMatch(
      /of class “nodule” predicted as “nodule”/,
    );

    expect(watch.errors).toEqual([]);
    expect(watch.external).toEqual([]);
    await page.close();
  });

  it("bad input gets a clear message and the page keeps working", async () => {
    const { page, watch } = await openLesson();
    // An empty or negative learning rate is refused next to the box; the old value stays.
    const lrField = page.locator(".meddl-field", { hasText: "Learning rate" });
    const lrBox = lrField.locator("input[type=number]");
    for (const bad of ["", "-5"]) {
      await lrBox.fill(bad);
      await lrBox.blur();
      await lrField.getByText(/enter a number from/).waitFor();
      expect(await lrBox.inputValue()).toBe("0.005");
    }

    // An absurd learning rate makes the loss diverge: training stops with a plain message.
    await lrBox.fill("1");
    await lrBox.blur();
    await page.getByRole("button", { name: /Train/ }).first().click();
    await page.waitForFunction(
      () => (document.querySelector(".meddl-controls") as HTMLElement).dataset.state === "diverged",
      null,
      { timeout: 120_000 },
    );
    expect(await page.locator(".meddl-controls .meddl-message").textContent()).toContain(
      "the loss diverged; try a lower learning rate",
    );

    // Lower it again and train: the page still works.
    await lrBox.fill("0.005");
    await lrBox.blur();
    await page.getByRole("button", { name: /Train again/ }).click();
    await page.waitForFunction(
      () => Number((document.querySelector(".meddl-controls") as HTMLElement).dataset.step) >= 20,
      null,
      { timeout: 120_000 },
    );
    expect(await controls(page).getAttribute("data-state")).toBe("running");
    expect(Number(await controls(page).getAttribute("data-loss"))).toBeLessThan(2);

    expect(watch.errors).toEqual([]);
    expect(watch.external).toEqual([]);
    await page.close();
  });

  it("the backend selector switches backends, says why, and the lesson trains there", async () => {
    const { page, watch } = await openLesson();
    await page
      .locator(".meddl-field", { hasText: "Backend" })
      .locator("select")
      .selectOption({ label: "plain JavaScript (CPU, slow)" });
    await page.locator('.meddl-backend[data-backend="cpu"]').waitFor({ timeout: 60_000 });
    expect(await page.locator(".meddl-backend").textContent()).toMatch(/you selected it.*Automatic choice here: wasm/s);
    await page.getByRole("button", { name: /Step/ }).click();
    await page.waitForFunction(
      () => (document.querySelector(".meddl-controls") as HTMLElement).dataset.step === "1",
      null,
      { timeout: 60_000 },
    );
    expect(watch.errors).toEqual([]);
    await page.close();
  });
});
