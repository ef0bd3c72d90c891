/**
 * "Try this" in a real browser, for the cnn, transfer, unet and gan lessons: answer one exercise,
 * press "Show what happens", and find the reveal shown with a number read from the lesson's record;
 * press an apply button and watch it move the page's control. The console stays clean and nothing
 * is requested from another host.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { readRecord } from "../records/helpers";
import { useBrowserSession } from "./site";

const { enabled, open } = useBrowserSession();

/** Picks choice `answer` of an exercise, reveals it, and returns the feedback and the reveal's text. */
async function answer(page: Page, id: string, choice: number): Promise<{ feedback: string; reveal: string }> {
  const card = page.locator(`#exercise-${id}`);
  await card.waitFor({ timeout: 180_000 });
  await card.locator("input[type=radio]").nth(choice).check();
  await card.getByRole("button", { name: "Show what happens" }).click();
  const reveal = card.locator(".meddl-exercise-reveal");
  await reveal.waitFor({ state: "visible" });
  expect(await card.locator(".meddl-exercise-show").getAttribute("aria-expanded")).toBe("true");
  return {
    feedback: (await card.locator(".meddl-exercise-feedback").textContent())!,
    reveal: (await reveal.textContent())!,
  };
}

/** The number box (or menu) of the kit control with this label. */
function control(page: Page, label: string, kind: "input[type=number]" | "select" = "input[type=number]") {
  return page
    .locator("label.meddl-field", {
      has: page.locator(".meddl-label", { hasText: new RegExp(`^${label.replace(/[()]/g, "\\$&")}$`) }),
    })
    .locator(kind)
    .first();
}

/** Presses an exercise's apply button. */
async function apply(page: Page, id: string): Promise<void> {
  await page.locator(`#exercise-${id} .meddl-exercise-apply`).click();
}

describe.skipIf(!enabled)("Try this exercises in Chromium (cnn, transfer, unet, gan)", () => {
  it("cnn: the depth exercise reveals the recorded AUC, and its button sets depth to 1", async () => {
    const { page, watch } = await open("/cnn", ".meddl-exercises");
    const depth = readRecord("cnn-depth");
    const { feedback, reveal } = await answer(page, "cnn-depth-1", 2);
    expect(feedback).toMatch(/^Right/);
    expect(reveal).toContain(depth.runs[0].auc.toFixed(3));
    expect(await control(page, "Depth (conv blocks)").inputValue()).toBe("3");
    await apply(page, "cnn-depth-1");
    await expect.poll(() => control(page, "Depth (conv blocks)").inputValue()).toBe("1");
    await expect.poll(() => page.evaluate(() => location.search), { timeout: 10_000 }).toMatch(/depth=1\b/); // the page heard it
    await page.waitForTimeout(1500); // the model cell re-runs with the new depth
    expect(await page.locator(".observablehq--error").count()).toBe(0); // no cell or inline quote threw
    expect(watch.errors).toEqual([]);
    expect(watch.external).toEqual([]);
    await page.close();
  });

  it("transfer: the all-images exercise reveals the recorded sweep, and N is set by its button", async () => {
    const { page, watch } = await open("/transfer", ".meddl-exercises");
    const sweep = readRecord("data/pretrained/shapes/sweep.json");
    const all = sweep.settings.sizes.at(-1);
    const scratch = sweep.summary.find((s: { strategy: string; n: number }) => s.strategy === "scratch" && s.n === all);
    const { feedback, reveal } = await answer(page, "transfer-all-images", 0);
    expect(feedback).toMatch(/^Not quite/);
    expect(reveal).toContain(scratch.mean.toFixed(3));
    await apply(page, "transfer-ten-images");
    const menu = control(page, "Target training images (N)", "select");
    await expect
      .poll(() => menu.evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.textContent))
      .toBe(String(sweep.settings.sizes[0]));
    await page.waitForTimeout(1500);
    expect(await page.locator(".observablehq--error").count()).toBe(0); // no cell or inline quote threw
    expect(watch.errors).toEqual([]);
    expect(watch.external).toEqual([]);
    await page.close();
  });

  it("unet: the skips exercise reveals the recorded Dice, and depth 4 is set by its button", async () => {
    const { page, watch } = await open("/unet", ".meddl-exercises");
    const nuclei = readRecord("unet-nuclei");
    const { reveal } = await answer(page, "unet-skips", 2);
    expect(reveal).toContain(nuclei.depth3[0].withSkips.epochs.at(-1).dice.toFixed(3));
    const cb = readRecord("unet-checkerboard");
    expect((await answer(page, "unet-checkerboard", 0)).reveal).toContain(cb.runs[0].transpose.first.toFixed(3));
    await apply(page, "unet-depth-4");
    await expect.poll(() => control(page, "Depth (levels)").inputValue()).toBe("4");
    await expect.poll(() => page.evaluate(() => location.search), { timeout: 10_000 }).toMatch(/depth=4\b/);
    await page.waitForTimeout(1500);
    expect(await page.locator(".observablehq--error").count()).toBe(0); // no cell or inline quote threw
    expect(watch.errors).toEqual([]);
    expect(watch.external).toEqual([]);
    await page.close();
  });

  it("gan: the PSNR exercise reveals the shipped record's numbers, and λ is set to 0 by its button", async () => {
    const { page, watch } = await open("/gan", ".meddl-exercises");
    const record = readRecord("data/pretrained/gan-ct-adversarial/pretrain.json");
    const { feedback, reveal } = await answer(page, "gan-psnr", 0);
    expect(feedback).toMatch(/^Right/);
    expect(reveal).toContain(record.val.pixel.psnr.toFixed(2));
    expect(reveal).toContain(record.val.adversarial.psnr.toFixed(2));
    await page.locator("#exercise-gan-lambda-0").waitFor({ timeout: 180_000 });
    await apply(page, "gan-lambda-0");
    await expect.poll(() => control(page, "λ (adversarial weight)").inputValue()).toBe("0");
    await expect.poll(() => page.evaluate(() => location.search), { timeout: 10_000 }).toMatch(/lambda=0\b/);
    await page.waitForTimeout(1500);
    expect(await page.locator(".observablehq--error").count()).toBe(0); // no cell or inline quote threw
    expect(watch.errors).toEqual([]);
    expect(watch.external).toEqual([]);
    await page.close();
  });
});
