/**
 * The GAN lesson in Chromium: open it, train both runs for a few small steps, and check that the
 * image panels and loss charts render, that PSNR is shown (in the controls and the scoreboard,
 * beside SSIM and the high-frequency ratio), that a bad λ gets a message, and that the console
 * stays clean with no request to another host.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { useBrowserSession } from "./site";

const { enabled, open } = useBrowserSession();

/** The control whose label is exactly `label`. */
function field(page: Page, label: string) {
  return page.locator(".meddl-field", { has: page.locator(".meddl-label").getByText(label, { exact: true }) });
}

/** Types a value into a control's number box, as a user would (the change applies on blur). */
async function setNumber(page: Page, label: string, value: string): Promise<void> {
  const box = field(page, label).locator("input[type=number]");
  await box.fill(value);
  await box.blur();
}

describe.skipIf(!enabled)("GAN lesson in Chromium", () => {
  it("trains both runs briefly: panels, loss charts and PSNR render, bad λ is refused, no console error", async () => {
    const { page, watch } = await open("/gan", ".meddl-controls");
    // Small settings: each change rebuilds the pair, so the test waits for the new one (step 0 of 4).
    await setNumber(page, "Batch size", "2");
    await setNumber(page, "Score every", "2");
    await setNumber(page, "Pixel-only warm start", "1");
    await setNumber(page, "Steps", "4");
    await page.waitForFunction(
      () => document.querySelector(".meddl-controls")?.textContent?.includes("step 0 of 4"),
      null,
      { timeout: 60_000 },
    );
    // Both runs are scored at step 0 before any training: the scoreboard shows PSNR at once.
    await page.locator('.meddl-gan-scores tr[data-run="1"][data-psnr]').waitFor({ timeout: 60_000 });

    await page.getByRole("button", { name: /Train/ }).first().click();
    await page.waitForFunction(
      () => (document.querySelector(".meddl-controls") as HTMLElement).dataset.state === "done",
      null,
      { timeout: 60_000 },
    );
    await page.waitForTimeout(1000); // the last redraws

    // PSNR is shown: in the controls' status, and in the scoreboard beside SSIM and the ratio.
    const valPsnr = Number(await page.locator(".meddl-controls").getAttribute("data-val-psnr"));
    expect(valPsnr).toBeGreaterThan(15);
    expect(await page.locator(".meddl-controls").textContent()).toMatch(/val PSNR \(dB\) \d+\.\d+/);
    const scores = await page.locator(".meddl-gan-scores tbody tr[data-psnr]").evaluateAll((rows) =>
      rows.map((r) => ({
        run: r.getAttribute("data-run"),
        psnr: Number(r.getAttribute("data-psnr")),
        ssim: Number(r.getAttribute("data-ssim")),
        hf: Number(r.getAttribute("data-hf-ratio")),
      })),
    );
    expect(scores.map((s) => s.run)).toEqual(["input", "0", "1"]);
    for (const s of scores) {
      expect(s.psnr).toBeGreaterThan(10);
      expect(s.ssim).toBeGreaterThan(0);
      expect(s.hf).toBeGreaterThan(0);
    }
    console.log(
      `GAN lesson after 4 steps: ${scores.map((s) => `${s.run}: PSNR ${s.psnr.toFixed(2)} dB, SSIM ${s.ssim.toFixed(3)}, hf ${s.hf.toFixed(2)}`).join("; ")}`,
    );
    expect(
      await page
        .locator(".meddl-gan-scores")
        .getByText(/step 4/)
        .count(),
    ).toBe(2);

    // Image panels: 3 validation images × (input, 2 outputs, target, 2 errors), painted.
    expect(await page.locator(".meddl-chart-panels tbody canvas").count()).toBe(18);
    const spread = await page
      .locator(".meddl-chart-panels tbody tr:first-child td:nth-child(3) canvas")
      .evaluate((c: HTMLCanvasElement) => {
        const d = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
        let lo = 255,
          hi = 0;
        for (let i = 0; i < d.length; i += 4) ((lo = Math.min(lo, d[i])), (hi = Math.max(hi, d[i])));
        return hi - lo;
      });
    expect(spread).toBeGreaterThan(100); // a denoised phantom, not a flat square

    // Loss charts: raw and smoothed lines of both runs; the discriminator's outputs in two panels.
    for (const chart of [".meddl-chart-gloss", ".meddl-chart-dloss", ".meddl-chart-advloss"]) {
      expect(await page.locator(`${chart} svg g[aria-label="line"] path`).count()).toBe(4);
    }
    expect(await page.locator('.meddl-chart-dout svg g[aria-label="line"] path').count()).toBe(4);
    // Quality over time: checks at steps 0, 2 and 4, both runs.
    expect(await page.locator('.meddl-chart-psnr svg g[aria-label="dot"] circle').count()).toBe(6);
    expect(await page.locator('.meddl-chart-spectrum svg g[aria-label="line"] path').count()).toBe(3);

    // A bad λ gets a message and the page keeps its last good value.
    await setNumber(page, "λ (adversarial weight)", "-3");
    expect(await field(page, "λ (adversarial weight)").locator(".meddl-input-error").textContent()).toMatch(
      /λ must be a number from 0/,
    );

    expect(watch.errors).toEqual([]);
    expect(watch.external).toEqual([]);
    await page.close();
  });
});
