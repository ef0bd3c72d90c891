/**
 * The black-box lesson in a real browser: plant the shortcut, train, and check that every
 * explanation map is drawn (in colour, over the image), the sanity-check columns, the tag
 * measurement, the MC-dropout images, and the referral and reliability charts; a click on a tile
 * changes the explained image; the console stays clean and nothing is requested from another host.
 */
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { sharedFile } from "../helpers/data";
import { useBrowserSession } from "./site";

const breast = sharedFile("medmnist/breastmnist.npz");
if (!breast.exists)
  console.warn(
    `Skipping the black-box lesson's real-data test: ${breast.file} is absent (see ../shared/data/README.md).`,
  );

const { enabled, open } = useBrowserSession();

const controls = (page: Page) => page.locator(".meddl-controls").first();

/** How many pixels of a canvas are coloured (not grey): a heatmap drawn over a grey image has some. */
async function colouredPixels(page: Page, selector: string): Promise<number[]> {
  return page.locator(selector).evaluateAll((canvases) =>
    (canvases as HTMLCanvasElement[]).map((c) => {
      const d = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i] - d[i + 2]) > 30) n++;
      return n;
    }),
  );
}

describe.skipIf(!enabled)("black-box lesson in Chromium", () => {
  it("with the shortcut planted it trains, every map draws, and the uncertainty charts are drawn", async () => {
    const { page, watch } = await open("/explain", ".meddl-backend");
    await controls(page).waitFor({ timeout: 180_000 });
    expect(await page.locator(".meddl-backend").textContent()).toMatch(/wasm/);

    // Plant the shortcut: the training preview shows the tagged images, and a new model is built.
    await page.locator(".meddl-field", { hasText: "Plant the shortcut" }).locator("input[type=checkbox]").check();
    await page.getByText("Training images, with the tag planted:").waitFor({ timeout: 60_000 });
    await controls(page).waitFor();

    await page.getByRole("button", { name: /Train/ }).first().click();
    await page.waitForFunction(
      () => {
        const el = document.querySelector(".meddl-controls") as HTMLElement | null;
        return (el?.dataset.epochLosses ?? "").split(",").filter(Boolean).length >= 3;
      },
      null,
      { timeout: 420_000 },
    );
    await page.getByRole("button", { name: /Pause/ }).click();
    await page.waitForFunction(
      () => (document.querySelector(".meddl-controls") as HTMLElement).dataset.state === "paused",
      null,
      { timeout: 60_000 },
    );

    const epochLosses = (await controls(page).getAttribute("data-epoch-losses"))!.split(",").map(Number);
    const valAccuracy = Number(await controls(page).getAttribute("data-val-accuracy"));
    console.log(`browser (shortcut) epoch losses: ${epochLosses.join(", ")}; val accuracy ${valAccuracy}`);
    expect(epochLosses.at(-1)!).toBeLessThan(epochLosses[0]); // training learns (the tag, mostly)
    expect(valAccuracy).toBeLessThan(0.8); // …and it does not carry over to validation, where the tag is missing

    // The explanations: the image and five maps, each map coloured somewhere.
    const maps = page.locator(".meddl-chart-explanations figure");
    await page.waitForFunction(
      () => document.querySelectorAll(".meddl-chart-explanations figure canvas").length === 6,
      null,
      { timeout: 60_000 },
    );
    expect(await maps.evaluateAll((f) => f.map((x) => (x as HTMLElement).dataset.map))).toEqual([
      "image",
      "saliency",
      "SmoothGrad",
      "Grad-CAM",
      "HiResCAM",
      "occlusion",
    ]);
    const coloured = await colouredPixels(page, ".meddl-chart-explanations figure canvas");
    expect(coloured[0]).toBe(0); // the image itself is grey
    // Saliency, SmoothGrad, HiResCAM and occlusion always light up somewhere; Grad-CAM may be empty (its ReLU).
    for (const i of [1, 2, 4, 5]) expect(coloured[i]).toBeGreaterThan(0);

    // Sanity check: trained + one column per weighted layer (scores, conv3, conv2, conv1), two maps each.
    expect(await page.locator(".meddl-chart-sanity figure").count()).toBe(5);
    expect(await page.locator(".meddl-chart-sanity canvas").count()).toBe(10);
    expect(await page.locator(".meddl-chart-sanity figure").first().textContent()).toMatch(/saliency 1\.00/);

    // The tag measurement is there, with numbers.
    const tag = page.locator(".meddl-chart-tag p[data-hirescam]");
    await tag.waitFor({ timeout: 60_000 });
    expect(Number(await tag.getAttribute("data-saliency"))).toBeGreaterThan(0);

    // MC dropout: most and least certain images, referral curve with two lines, reliability diagram with ECE.
    await page.locator(".meddl-uncertainty[data-ece-before]").waitFor({ timeout: 120_000 });
    expect(await page.locator(".meddl-uncertain-most figure").count()).toBe(12);
    expect(await page.locator('.meddl-chart-referral svg g[aria-label="line"] path').count()).toBe(2);
    expect(await page.locator('.meddl-chart-reliability svg g[aria-label="dot"] path').count()).toBeGreaterThan(1);
    expect(await page.locator(".meddl-chart-reliability").textContent()).toMatch(
      /before: ECE \d\.\d{3}.*after T = [\d.]+: ECE \d\.\d{3}/,
    );

    // Clicking a validation tile explains that image instead.
    await page.locator('.meddl-chart-picker figure[data-index="5"]').click();
    await page.waitForFunction(
      () => (document.querySelector(".meddl-explain") as HTMLElement | null)?.dataset.index === "5",
      null,
      { timeout: 60_000 },
    );
    expect(await page.locator(".meddl-chart-picker figure.selected").getAttribute("data-index")).toBe("5");

    expect(watch.errors).toEqual([]);
    expect(watch.external).toEqual([]);
    await page.close();
  });

  it("bad input: an out-of-range control is refused with a message and the maps stay", async () => {
    const { page, watch } = await open("/explain", ".meddl-backend");
    await page.locator(".meddl-chart-explanations figure canvas").first().waitFor({ timeout: 180_000 });
    const field = page.locator(".meddl-field", { hasText: "SmoothGrad samples" });
    const box = field.locator("input[type=number]");
    await box.fill("5000");
    await box.blur();
    await field.getByText(/enter a number from/).waitFor();
    expect(await box.inputValue()).toBe("16");
    expect(await page.locator(".meddl-chart-explanations figure canvas").count()).toBe(6);
    expect(watch.errors).toEqual([]);
    expect(watch.external).toEqual([]);
    await page.close();
  });

  it.skipIf(!breast.exists)(
    "works on a dropped MedMNIST file (BreastMNIST, 28×28), with the shortcut planted",
    async () => {
      const { page, watch } = await open("/explain", ".meddl-backend");
      await controls(page).waitFor({ timeout: 180_000 });
      const transfer = await page.evaluateHandle(
        ({ base64 }) => {
          const dt = new DataTransfer();
          dt.items.add(new File([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], "breastmnist.npz"));
          return dt;
        },
        { base64: readFileSync(breast.file).toString("base64") },
      );
      await page.dispatchEvent(".meddl-drop", "drop", { dataTransfer: transfer });
      await page.locator('.meddl-dataset-card[data-dataset="breastmnist"]').waitFor({ timeout: 60_000 });
      await page.locator(".meddl-field", { hasText: "Plant the shortcut" }).locator("input[type=checkbox]").check();
      await page.getByText("Training images, with the tag planted:").waitFor({ timeout: 60_000 });
      await page.getByRole("button", { name: /Train/ }).first().click();
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
        () => document.querySelectorAll(".meddl-chart-explanations figure canvas").length === 6,
        null,
        { timeout: 60_000 },
      );
      expect(
        await page
          .locator(".meddl-chart-explanations canvas")
          .first()
          .evaluate((c: HTMLCanvasElement) => [c.width, c.height]),
      ).toEqual([28, 28]);
      await page.locator(".meddl-uncertainty[data-ece-before]").waitFor({ timeout: 120_000 });
      expect(await page.locator('.meddl-chart-referral svg g[aria-label="line"] path').count()).toBe(2);
      expect(watch.errors).toEqual([]);
      expect(watch.external).toEqual([]);
      await page.close();
    },
  );
});
