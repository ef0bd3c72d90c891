/**
 * The detection lesson in a real browser: train both runs (random negatives, and with hard-negative
 * mining), then check the FROC chart, the slice overlay with its marks, the false-alarm grid and the
 * curves are drawn, the two detectors agree, a bad file gets a message, the console stays clean and
 * nothing is requested from another host.
 */
import { existsSync, readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { useBrowserSession, type OpenPage } from "./site";

const { enabled, open } = useBrowserSession();

async function openLesson(): Promise<OpenPage> {
  const opened = await open("/detection", ".meddl-backend");
  await opened.page.locator(".meddl-controls").waitFor();
  return opened;
}

const controls = (page: Page) => page.locator(".meddl-controls").first();

describe.skipIf(!enabled)("detection lesson in Chromium", () => {
  it("trains: FROC and overlay drawn, CPM measured each round, detectors agree, no console error, no outside request", async () => {
    const { page, watch } = await openLesson();
    expect(await page.locator(".meddl-backend").textContent()).toMatch(/wasm/);
    await page.getByRole("button", { name: /Train/ }).first().click();
    // Three rounds: each ends with a search of every validation slice.
    await page.waitForFunction(
      () => (document.querySelector(".meddl-chart-froc") as HTMLElement | null)?.dataset.rounds === "3",
      null,
      { timeout: 300_000 },
    );
    await page.getByRole("button", { name: /Pause/ }).click();
    await page.waitForFunction(
      () => (document.querySelector(".meddl-controls") as HTMLElement).dataset.state === "paused",
    );
    await page.waitForTimeout(1500); // the last redraws land

    // FROC: one line per run on a log axis 1/8…8, with LUNA16's seven points each, CPM in the legend.
    const froc = page.locator(".meddl-chart-froc svg:has(g[aria-label='line'])");
    expect(await froc.locator("g[aria-label='line']").count()).toBe(2);
    expect(await froc.locator("g[aria-label='dot'] path, g[aria-label='dot'] circle").count()).toBe(14);
    expect(await page.locator(".meddl-chart-froc").textContent()).toMatch(/1\/8.*1\/4.*1\/2.*8/s);
    expect(await page.locator(".meddl-chart-froc").textContent()).toMatch(/CPM 0\.\d{3}/);
    const cpms = (await page.locator(".meddl-chart-froc").getAttribute("data-cpm"))!.split(",").map(Number);
    console.log(`browser CPM after 3 rounds: ${cpms.join(", ")}`);
    expect(cpms).toHaveLength(2);
    expect(Math.max(...cpms)).toBeGreaterThan(0.2);
    // Pixel accuracy beside it, with the "find nothing" baseline.
    expect(await page.locator(".meddl-imbalance").textContent()).toMatch(/no nodule anywhere.*\d+\.\d%/s);

    // The slice overlay: a painted canvas and outcome marks with their second cue (shape + word).
    const overlay = page.locator(".meddl-chart-overlay");
    expect(await overlay.getAttribute("data-round")).toBe("3");
    expect(await overlay.locator("canvas").count()).toBe(1);
    const marks = await overlay.locator("[data-outcome]").count();
    expect(marks).toBeGreaterThan(0);
    expect(await overlay.locator("figcaption").textContent()).toMatch(
      /hit \(\d+\).*false alarm \(\d+\).*missed nodule \(\d+\)/s,
    );
    // Clicking another validation slice opens it.
    await page.locator(".meddl-thumbs canvas").nth(5).click();
    await page.waitForFunction(
      () => (document.querySelector(".meddl-chart-overlay") as HTMLElement).dataset.slice === "5",
    );

    // The surest false alarms, and both learning curves.
    expect(await page.locator(".meddl-chart-false-alarms canvas").count()).toBeGreaterThan(0);
    expect(await page.locator(".meddl-chart-loss svg g[aria-label='line']").count()).toBe(2);
    expect(await page.locator(".meddl-chart-cpm svg g[aria-label='dot']").count()).toBeGreaterThan(0);
    const losses = (await controls(page).getAttribute("data-epoch-losses"))!.split(",").map(Number);
    expect(losses.at(-1)!).toBeLessThan(losses[0]);

    // Sliding window against fully convolutional: same heatmap, both timed.
    await page.getByRole("button", { name: /Time both/ }).click();
    const speed = page.locator(".meddl-speed");
    await page.waitForFunction(
      () => (document.querySelector(".meddl-speed") as HTMLElement).dataset.maxDifference !== undefined,
      null,
      { timeout: 120_000 },
    );
    expect(Number(await speed.getAttribute("data-max-difference"))).toBeLessThan(1e-4);
    expect(Number(await speed.getAttribute("data-sliding-ms"))).toBeGreaterThan(0);
    expect(Number(await speed.getAttribute("data-convolutional-ms"))).toBeGreaterThan(0);

    expect(watch.errors).toEqual([]);
    expect(watch.external).toEqual([]);
    await page.close();
  });

  it("a bad file gets a clear message and the page keeps its data", async () => {
    const { page, watch } = await openLesson();
    const transfer = await page.evaluateHandle(() => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array([1, 2, 3, 4])], "broken.npz"));
      return dt;
    });
    await page.dispatchEvent(".meddl-drop", "drop", { dataTransfer: transfer });
    await page.locator(".meddl-dataset-picker .meddl-message:not([hidden])").waitFor({ timeout: 30_000 });
    expect(await page.locator(".meddl-dataset-picker .meddl-message").textContent()).toMatch(/Could not use this file/);
    expect(await page.locator(".meddl-dataset-card").getAttribute("data-dataset")).toBe("chest-slices");
    await page.getByRole("button", { name: /Step/ }).click();
    await page.waitForFunction(
      () => (document.querySelector(".meddl-controls") as HTMLElement).dataset.step === "1",
      null,
      { timeout: 60_000 },
    );
    expect(watch.errors).toEqual([]);
    expect(watch.external).toEqual([]);
    await page.close();
  });

  const bbbc039 = "../shared/data/bbbc039/bbbc039_half_260x348.npz";
  it.skipIf(!existsSync(bbbc039))(
    "real-data mode: a dropped BBBC039 file becomes 'find every nucleus', and a round draws its FROC (skips without ../shared/data)",
    async () => {
      const { page, watch } = await openLesson();
      const transfer = await page.evaluateHandle(
        ({ base64 }) => {
          const dt = new DataTransfer();
          dt.items.add(new File([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], "bbbc039_half_260x348.npz"));
          return dt;
        },
        { base64: readFileSync(bbbc039).toString("base64") },
      );
      await page.dispatchEvent(".meddl-drop", "drop", { dataTransfer: transfer });
      await page.waitForFunction(
        () => document.querySelector(".meddl-dataset-card")?.getAttribute("data-dataset") === "bbbc039",
        null,
        { timeout: 120_000 },
      );
      expect(await page.locator(".meddl-dataset-card").textContent()).toMatch(/nuclei/);
      await page.locator(".meddl-controls").waitFor();
      await page.getByRole("button", { name: /Train/ }).first().click();
      await page.waitForFunction(
        () => Number((document.querySelector(".meddl-chart-froc") as HTMLElement | null)?.dataset.rounds ?? 0) >= 1,
        null,
        { timeout: 300_000 },
      );
      await page.getByRole("button", { name: /Pause/ }).click();
      await page.waitForTimeout(1500);
      expect(await page.locator(".meddl-chart-froc").textContent()).toMatch(/per image/);
      expect(await page.locator(".meddl-chart-overlay figcaption").textContent()).toMatch(/missed nucleus/);
      expect(watch.errors).toEqual([]);
      expect(watch.external).toEqual([]);
      await page.close();
    },
  );
});
