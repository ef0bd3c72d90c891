/**
 * Real data in the browser: drop BreastMNIST (from ../shared/data, never committed) on the CNN
 * lesson, train, and check AUC, ROC, credit and the test-set panel; then drop a corrupt file and
 * check the message, and that the page still trains.
 */
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { sharedFile } from "../helpers/data";
import { useBrowserSession } from "./site";

const { file: breastPath, exists: hasData } = sharedFile("medmnist/breastmnist.npz");
if (!hasData)
  console.warn(`Skipping the real-data browser test: ${breastPath} is absent (see ../shared/data/README.md).`);
const { enabled, open } = useBrowserSession(hasData);

/** Drops a file on the drop zone the way a browser does: a drop event carrying a DataTransfer. */
async function dropFile(page: Page, name: string, bytes: Buffer): Promise<void> {
  const transfer = await page.evaluateHandle(
    ({ name, base64 }) => {
      const data = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([data], name));
      return dt;
    },
    { name, base64: bytes.toString("base64") },
  );
  await page.dispatchEvent(".meddl-drop", "drop", { dataTransfer: transfer });
}

const state = (page: Page) => page.locator(".meddl-controls").getAttribute("data-state");

describe.skipIf(!enabled)("CNN lesson with a dropped MedMNIST file", () => {
  it("trains on BreastMNIST, shows AUC and ROC against the published result; a corrupt file gets a message", async () => {
    const { page, watch } = await open("/cnn", ".meddl-controls");

    await dropFile(page, "breastmnist.npz", readFileSync(breastPath));
    await page.locator('.meddl-dataset-card[data-dataset="breastmnist"]').waitFor({ timeout: 30_000 });
    const card = await page.locator(".meddl-dataset-card").textContent();
    expect(card).toContain("BreastMNIST");
    expect(card).toContain("CC BY 4.0");
    expect(card).toMatch(/Al-Dhabyani/);
    expect(card).toMatch(/train 546, val 78, test 156/);
    expect(await page.locator(".meddl-drop").textContent()).toMatch(/never uploaded/);

    // The model was rebuilt for 28×28 grey images; train a few epochs.
    await page.locator(".meddl-controls").waitFor();
    await page.getByRole("button", { name: /Train/ }).first().click();
    await page.waitForFunction(
      () =>
        ((document.querySelector(".meddl-controls") as HTMLElement).dataset.epochLosses ?? "")
          .split(",")
          .filter(Boolean).length >= 4,
      null,
      { timeout: 240_000 },
    );
    await page.getByRole("button", { name: /Pause/ }).click();
    await page.waitForTimeout(1500);

    const auc = Number(await page.locator(".meddl-roc").getAttribute("data-auc"));
    console.log(`BreastMNIST validation AUC after 4 epochs in the browser: ${auc.toFixed(3)}`);
    expect(auc).toBeGreaterThan(0.55); // better than chance
    expect(await page.locator(".meddl-roc").textContent()).toMatch(/AUC 0\.\d{3}/);
    expect(await page.locator(".meddl-roc").textContent()).toContain("AUC 0.901"); // the published reference
    const aucChart = page.locator('.meddl-chart-auc svg:has(g[aria-label="line"])');
    expect(await aucChart.locator('g[aria-label="rule"] line').count()).toBe(1);
    expect(await aucChart.textContent()).toContain("0.901");

    await page.getByRole("button", { name: "Evaluate on the test set" }).click();
    await page.locator(".meddl-test-result table").waitFor({ timeout: 60_000 });
    const table = await page.locator(".meddl-test-result").textContent();
    expect(table).toContain("published ResNet-18");
    expect(Number(await page.locator(".meddl-test-result").getAttribute("data-test-auc"))).toBeGreaterThan(0.5);

    // A corrupt file: a clear message, and the lesson keeps BreastMNIST and keeps training.
    await dropFile(page, "broken.npz", Buffer.from("this is not a zip archive at all"));
    const message = page.locator(".meddl-dataset-picker .meddl-message");
    await message.waitFor({ state: "visible" });
    expect(await message.textContent()).toMatch(/Could not use this file: .*not a zip/);
    expect(await page.locator(".meddl-dataset-card").getAttribute("data-dataset")).toBe("breastmnist");
    const before = Number(await page.locator(".meddl-controls").getAttribute("data-step"));
    await page.getByRole("button", { name: /Resume/ }).click();
    await page.waitForFunction(
      (n) => Number((document.querySelector(".meddl-controls") as HTMLElement).dataset.step) >= n + 10,
      before,
      { timeout: 60_000 },
    );
    expect(await state(page)).toMatch(/running|done/);

    expect(watch.errors).toEqual([]);
    expect(watch.external).toEqual([]);
    await page.close();
  });

  it("offers the real datasets found at build time (data loaders) and trains on one from the menu", async () => {
    const { page, watch } = await open("/cnn");
    const menu = page.locator(".meddl-dataset-picker select");
    await menu.waitFor({ timeout: 60_000 });
    const options = await menu.locator("option").allTextContents();
    expect(options[0]).toMatch(/Synthetic chest-CT/);
    expect(options.some((o) => /^PneumoniaMNIST \(real data/.test(o))).toBe(true);
    await menu.selectOption({ label: options.find((o) => o.startsWith("PneumoniaMNIST"))! });
    await page.locator('.meddl-dataset-card[data-dataset="pneumoniamnist"]').waitFor({ timeout: 60_000 });
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

  it("transfer lesson: pretrains a PneumoniaMNIST source live, then trains the three strategies on BreastMNIST", async () => {
    const { page, watch } = await open("/transfer", ".meddl-controls");
    // Source: chest X-rays, pretrained here for one epoch.
    const panel = page.locator(".meddl-source-panel");
    await panel.locator("select").selectOption({ label: "PneumoniaMNIST chest X-rays (real data)" });
    await panel.locator("input[type=number]").fill("1");
    await panel.getByRole("button", { name: /Pretrain the source model now/ }).click();
    await page.waitForFunction(
      () => document.querySelector(".meddl-source-panel")?.getAttribute("data-origin") === "live",
      null,
      { timeout: 240_000 },
    );
    expect(await panel.locator(".meddl-source-record").textContent()).toMatch(/pneumoniamnist, 4,708 images, 1 epoch/);
    // Target: BreastMNIST from the menu; two rounds of the three strategies.
    const menu = page.locator(".meddl-dataset-picker select");
    const options = await menu.locator("option").allTextContents();
    await menu.selectOption({ label: options.find((o) => o.startsWith("BreastMNIST"))! });
    await page.locator('.meddl-dataset-card[data-dataset="breastmnist"]').waitFor({ timeout: 60_000 });
    const rounds = page.locator(".meddl-field", { hasText: "Rounds" }).locator("input[type=number]");
    await rounds.fill("2");
    await rounds.blur();
    await page.waitForTimeout(1500);
    await page.getByRole("button", { name: /Train/ }).first().click();
    await page.waitForFunction(
      () => (document.querySelector(".meddl-controls") as HTMLElement).dataset.state === "done",
      null,
      { timeout: 240_000 },
    );
    await page.waitForTimeout(1000);
    expect(await page.locator('.meddl-chart-strategies g[aria-label="line"] path').count()).toBe(3);
    // The recorded sweep belongs to the built-in pair only: here the chart waits for the learner's sweep.
    expect(await page.locator(".meddl-sweep").textContent()).toMatch(/Press “Run the sweep”/);
    expect(watch.errors).toEqual([]);
    expect(watch.external).toEqual([]);
    await page.close();
  }, 600_000);
});
