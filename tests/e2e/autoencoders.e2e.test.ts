/**
 * The auto-encoder lesson in a real browser: train the auto-encoder and the anomaly detector,
 * and check that the reconstructions, the code scatter (with its hover thumbnail) and the anomaly
 * ROC are drawn, the loss falls, the VAE samples from its prior, bad input gets a message, the
 * console stays clean and nothing is requested from another host.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { useBrowserSession } from "./site";

const { enabled, open } = useBrowserSession();

const state = (page: Page, root: string) => page.locator(`${root} .meddl-controls`).getAttribute("data-state");
const epochsDone = (root: string) =>
  `(document.querySelector("${root} .meddl-controls")?.dataset.epochLosses ?? "").split(",").filter(Boolean).length`;

describe.skipIf(!enabled)("auto-encoder lesson in Chromium", () => {
  it("trains: reconstructions, code scatter and anomaly ROC are drawn; clean console; no outside request", async () => {
    const { page, watch } = await open("/autoencoders", ".meddl-ae-controls");
    expect(await page.locator(".meddl-backend").textContent()).toMatch(/wasm/);
    // The "what to expect" box quotes the record.
    expect(await page.locator(".meddl-expect").textContent()).toMatch(/dB/);

    // The anomaly detector, like the auto-encoder, trains in the Web Worker.
    expect(await page.locator(".meddl-anomaly-controls .meddl-training-place").getAttribute("data-place")).toBe(
      "worker",
    );
    await page.locator(".meddl-ae-controls").getByRole("button", { name: /Train/ }).click();
    await page.locator(".meddl-anomaly-controls").getByRole("button", { name: /Train/ }).click();
    await page.waitForFunction(
      `${epochsDone(".meddl-ae-controls")} >= 2 && ${epochsDone(".meddl-anomaly-controls")} >= 1`,
      null,
      { timeout: 400_000 },
    );
    await page.locator(".meddl-ae-controls").getByRole("button", { name: /Pause/ }).click();
    await page
      .locator(".meddl-anomaly-controls")
      .getByRole("button", { name: /Pause/ })
      .click()
      .catch(() => {}); // it may have finished
    await page.waitForFunction(
      () => (document.querySelector(".meddl-ae-controls .meddl-controls") as HTMLElement).dataset.state === "paused",
    );
    await page.waitForTimeout(2500); // the charts redraw at most every 1.5–2 s

    // The loss falls, and validation PSNR is reported.
    const losses = (await page.locator(".meddl-ae-controls .meddl-controls").getAttribute("data-epoch-losses"))!
      .split(",")
      .map(Number);
    console.log(`browser epoch losses: ${losses.join(", ")}`);
    expect(losses.at(-1)!).toBeLessThan(losses[0]);
    expect(
      Number(await page.locator(".meddl-ae-controls .meddl-controls").getAttribute("data-val-psnr")),
    ).toBeGreaterThan(10);

    // Reconstructions: input, corrupted and reconstruction rows of 8 images; the reconstructions are not blank.
    for (const row of ["input", "corrupted", "reconstruction"]) {
      expect(
        await page.locator(`.meddl-chart-reconstructions .meddl-image-row[data-row="${row}"] canvas`).count(),
      ).toBe(8);
    }
    const spread = await page
      .locator('.meddl-chart-reconstructions .meddl-image-row[data-row="reconstruction"] canvas')
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
    expect(spread).toBeGreaterThan(10);
    expect(await page.locator('.meddl-chart-loss svg g[aria-label="line"] path').count()).toBeGreaterThanOrEqual(2);

    // The code scatter: one symbol per validation image (300), and hovering one shows its image.
    const scatter = page.locator(".meddl-chart-codes .meddl-code-scatter");
    expect(await scatter.getAttribute("data-points")).toBe("300");
    expect(await scatter.locator('svg g[aria-label="dot"]').first().locator("path").count()).toBe(300);
    expect(
      Number(await page.locator(".meddl-chart-codes .meddl-code-space").getAttribute("data-silhouette")),
    ).toBeGreaterThan(-1);
    const dot = scatter.locator('svg g[aria-label="dot"]').first().locator("path").nth(10);
    await dot.scrollIntoViewIfNeeded();
    await dot.hover({ force: true });
    await page.locator(".meddl-chart-codes .meddl-code-thumbnail canvas").waitFor({ timeout: 10_000 });

    // The walk through code space: 8 decoded images.
    expect(
      await page.locator('.meddl-chart-interpolation .meddl-image-row[data-row="decoded walk"] canvas').count(),
    ).toBe(8);

    // The anomaly detector: a ROC curve (and the chance diagonal), an AUC, and six error maps.
    const anomaly = page.locator(".meddl-chart-anomaly .meddl-anomaly");
    expect(await anomaly.locator('.meddl-anomaly-roc svg g[aria-label="line"] path').count()).toBeGreaterThanOrEqual(2);
    const auc = Number(await anomaly.getAttribute("data-auc"));
    console.log(`browser anomaly AUC after one epoch: ${auc.toFixed(3)}`);
    expect(auc).toBeGreaterThan(0);
    expect(await anomaly.locator(".meddl-error-map").count()).toBe(6);

    // The few-labels sweep shows the recorded runs until the learner runs one.
    expect(await page.locator(".meddl-sweep svg").count()).toBeGreaterThan(0);
    expect(await page.locator(".meddl-record-table tbody tr").count()).toBe(5);

    expect(watch.errors).toEqual([]);
    expect(watch.external).toEqual([]);
    await page.close();
  });

  it("the VAE trains and samples from its prior; bad input gets a message and the page keeps working", async () => {
    const { page, watch } = await open("/autoencoders", ".meddl-ae-controls");
    // A code size out of range is refused next to the box; the old value stays.
    const codeField = page.locator(".meddl-field", { hasText: "Bottleneck" }).first();
    const codeBox = codeField.locator("input[type=number]");
    await codeBox.fill("500");
    await codeBox.blur();
    await codeField.getByText(/enter a number from/).waitFor();
    expect(await codeBox.inputValue()).toBe("16");

    await page.getByLabel(/Variational/).check();
    await page.waitForFunction(
      () =>
        document.querySelector(".meddl-chart-samples .meddl-caption")?.textContent?.includes("Samples from the prior"),
      null,
      { timeout: 60_000 },
    );
    await page.locator(".meddl-ae-controls").getByRole("button", { name: /Step/ }).click();
    await page.waitForFunction(
      () => (document.querySelector(".meddl-ae-controls .meddl-controls") as HTMLElement).dataset.step === "1",
      null,
      { timeout: 60_000 },
    );
    expect(await page.locator(".meddl-chart-samples canvas").count()).toBe(16);
    expect(await state(page, ".meddl-ae-controls")).toBe("paused");
    // A VAE has no corrupted row: its noise is in the code.
    await page.waitForTimeout(2000);
    expect(await page.locator('.meddl-chart-reconstructions .meddl-image-row[data-row="corrupted"]').count()).toBe(0);

    expect(watch.errors).toEqual([]);
    expect(watch.external).toEqual([]);
    await page.close();
  });
});
