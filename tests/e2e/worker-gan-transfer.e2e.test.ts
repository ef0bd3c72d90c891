/**
 * The GAN and transfer lessons train in the Web Worker, in a real browser: the note says so, the
 * steps rise, the charts fill in from the worker's events and weights, the sweep runs there too
 * (the page's own tensor count stays put while it trains), and `?worker=off` still trains on the
 * main thread. Clean console, no request to another host.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { useBrowserSession } from "./site";
import { stepOf, trainingPlace, waitForState, waitForStep } from "./worker";

const { enabled, open } = useBrowserSession();

interface Memory {
  pageTensors: number;
  others: Record<string, number>;
}
const memory = (page: Page) =>
  page.evaluate(() => (window as unknown as { meddl: { memory: () => Promise<Memory> } }).meddl.memory());

/** Types a value into the number box of the control labelled `label` (applies on blur). */
async function setNumber(page: Page, label: string, value: string): Promise<void> {
  const box = page
    .locator(".meddl-field", { has: page.locator(".meddl-label").getByText(label, { exact: true }) })
    .locator("input[type=number]");
  await box.fill(value);
  await box.blur();
}

/** The GAN pair at 4 small steps (each change rebuilds it: wait for the new one). */
async function smallGan(page: Page): Promise<void> {
  await setNumber(page, "Batch size", "2");
  await setNumber(page, "Score every", "2");
  await setNumber(page, "Pixel-only warm start", "1");
  await setNumber(page, "Steps", "4");
  await untilBuilt(page, 4);
}

/** Waits for the rebuilt run: its controls read "step 0 of `total`". */
async function untilBuilt(page: Page, total: number): Promise<void> {
  await page.waitForFunction(
    (text) => document.querySelector(".meddl-controls")?.textContent?.includes(text),
    `step 0 of ${total}`,
    { timeout: 120_000 },
  );
}

describe.skipIf(!enabled)("GAN and transfer lessons in the Web Worker", () => {
  it("GAN: both runs train in the worker; scores, losses, outputs and the discriminator chart follow; reset", async () => {
    const { page, watch } = await open("/gan", ".meddl-controls");
    await smallGan(page);
    const where = await trainingPlace(page);
    expect(where.place).toBe("worker");
    expect(where.text).toMatch(/Web Worker/);
    // Scored at step 0 in the worker, before any training.
    await page.locator('.meddl-gan-scores tr[data-run="1"][data-psnr]').waitFor({ timeout: 120_000 });

    await page.getByRole("button", { name: /Step/ }).first().click();
    await waitForStep(page, 1);
    await page
      .getByRole("button", { name: /Train|Resume/ })
      .first()
      .click();
    await waitForState(page, "done", 240_000);
    expect(await stepOf(page)).toBe(4);
    await page.waitForTimeout(1500); // the last redraws
    // Losses per step for both runs, the discriminator's outputs, quality at steps 0, 2 and 4.
    expect(await page.locator('.meddl-chart-gloss g[aria-label="line"] path').count()).toBeGreaterThanOrEqual(2);
    expect(await page.locator('.meddl-chart-dout g[aria-label="line"] path').count()).toBeGreaterThanOrEqual(2);
    expect(await page.locator('.meddl-chart-psnr g[aria-label="dot"] circle').count()).toBe(6);
    expect(
      await page
        .locator(".meddl-gan-scores")
        .getByText(/step 4/)
        .count(),
    ).toBe(2);
    expect(await page.locator(".meddl-chart-panels tbody canvas").count()).toBe(18);
    expect(await page.locator(".meddl-chart-panels [data-steps]").first().getAttribute("data-steps")).toBe("4,4");
    expect((await memory(page)).others.worker).toBeGreaterThan(0);

    // A bad λ is refused on the page; a good one reaches the running pair.
    await setNumber(page, "λ (adversarial weight)", "-3");
    const lambdaField = page.locator(".meddl-field", {
      has: page.locator(".meddl-label").getByText("λ (adversarial weight)", { exact: true }),
    });
    expect(await lambdaField.locator(".meddl-input-error").textContent()).toMatch(/λ must be/);

    await page.getByRole("button", { name: /Reset/ }).first().click();
    await waitForState(page, "idle");
    expect(await stepOf(page)).toBe(0);
    expect(watch.errors).toEqual([]);
    expect(watch.external).toEqual([]);
    await page.close();
  }, 600_000);

  it("GAN with ?worker=off: trains on the main thread, and says so", async () => {
    const { page, watch } = await open("/gan?worker=off", ".meddl-controls");
    await smallGan(page);
    const where = await trainingPlace(page);
    expect(where.place).toBe("main");
    await page.getByRole("button", { name: /Train/ }).first().click();
    await waitForState(page, "done", 240_000);
    await page.waitForTimeout(1500);
    expect(await page.locator('.meddl-chart-gloss g[aria-label="line"] path').count()).toBeGreaterThanOrEqual(2);
    expect((await memory(page)).others.worker).toBeUndefined();
    expect(watch.errors).toEqual([]);
    expect(watch.external).toEqual([]);
    await page.close();
  }, 600_000);

  it("transfer: three strategies train in the worker with replicas for the filter and feature charts; the sweep runs there too", async () => {
    const { page, watch } = await open("/transfer", ".meddl-controls");
    await setNumber(page, "Rounds", "2");
    await untilBuilt(page, 18);
    const where = await trainingPlace(page);
    expect(where.place).toBe("worker");
    await page.getByRole("button", { name: /Train/ }).first().click();
    await waitForState(page, "done", 300_000);
    expect(await stepOf(page)).toBe(18);
    await page.waitForTimeout(3500); // the filter and feature charts redraw at most every 1.5 and 3 s
    expect(await page.locator('.meddl-chart-strategies g[aria-label="line"] path').count()).toBe(3);
    expect(await page.locator(".meddl-speed tbody tr").count()).toBe(3);
    expect(await page.locator(".meddl-chart-filters canvas").count()).toBe(3 * 16);
    expect(await page.locator('.meddl-chart-features g[aria-label="dot"] path').count()).toBe(2 * 300);

    // The sweep: one seed, every N, in the worker: the page's tensors do not move while it trains.
    await setNumber(page, "Seeds per point", "1");
    const before = (await memory(page)).pageTensors;
    await page.getByRole("button", { name: /Run the sweep/ }).click();
    let most = before;
    for (let i = 0; i < 600; i++) {
      most = Math.max(most, (await memory(page)).pageTensors);
      if ((await page.locator(".meddl-sweep").getAttribute("data-state")) === "done") break;
      await page.waitForTimeout(500);
    }
    expect(await page.locator(".meddl-sweep").getAttribute("data-state")).toBe("done");
    expect(most).toBe(before);
    expect(await page.locator(".meddl-sweep").getAttribute("data-points")).toBe("18");
    expect(await page.locator('.meddl-sweep-chart g[aria-label="line"] path').count()).toBe(3);
    expect(watch.errors).toEqual([]);
    expect(watch.external).toEqual([]);
    await page.close();
  }, 900_000);

  it("transfer: 'pretrain the source model now' trains in the worker; the page's tensors stay put meanwhile", async () => {
    const { page, watch } = await open("/transfer", ".meddl-controls");
    const panel = page.locator(".meddl-source-panel");
    await panel.locator("select").selectOption("shapes-small");
    await panel.locator("input[type=number]").fill("1");
    await page.waitForTimeout(1000); // the page settles after loading
    const before = (await memory(page)).pageTensors;
    await panel.getByRole("button", { name: /Pretrain the source model now/ }).click();
    let most = before;
    for (let i = 0; i < 1200; i++) {
      if ((await panel.getAttribute("data-origin")) === "live") break;
      most = Math.max(most, (await memory(page)).pageTensors);
      await page.waitForTimeout(500);
    }
    expect(await panel.getAttribute("data-origin")).toBe("live");
    expect(await panel.locator(".meddl-status").textContent()).toMatch(/source validation accuracy \d/);
    // The page holds only the model being made (its weights, the replica of the worker's); no optimizer state.
    const cnnWeights = 8; // three conv layers and the head: a kernel and a bias each
    expect(most - before).toBeLessThanOrEqual(cnnWeights);
    expect(watch.errors).toEqual([]);
    expect(watch.external).toEqual([]);
    await page.close();
  }, 900_000);

  it("transfer with ?worker=off: the three strategies train on the main thread, and say so", async () => {
    const { page, watch } = await open("/transfer?worker=off", ".meddl-controls");
    await setNumber(page, "Rounds", "2");
    await untilBuilt(page, 18);
    expect((await trainingPlace(page)).place).toBe("main");
    await page.getByRole("button", { name: /Step/ }).first().click();
    await waitForStep(page, 1);
    await page
      .getByRole("button", { name: /Train|Resume/ })
      .first()
      .click();
    await waitForStep(page, 10, 300_000);
    expect(await stepOf(page)).toBeGreaterThanOrEqual(10);
    expect(watch.errors).toEqual([]);
    expect(watch.external).toEqual([]);
    await page.close();
  }, 600_000);

  for (const [path, ready, what] of [
    ["/autoencoders", ".meddl-ae-controls", "the few-labels sweep (the encoder as source)"],
    ["/data-problems", ".meddl-experiment-imbalance .meddl-controls", "the augmentation sweep"],
  ]) {
    it(`${path.slice(1)}: ${what} runs in the worker; the page's tensors stay put`, async () => {
      const { page, watch } = await open(path, ready);
      await setNumber(page, "Seeds per point", "1");
      const sweep = page.locator(".meddl-sweep");
      await sweep.scrollIntoViewIfNeeded();
      const before = (await memory(page)).pageTensors;
      await sweep.getByRole("button", { name: /Run the sweep/ }).click();
      let most = before;
      for (let i = 0; i < 600 && Number((await sweep.getAttribute("data-points")) ?? 0) < 2; i++) {
        most = Math.max(most, (await memory(page)).pageTensors);
        await page.waitForTimeout(500);
      }
      expect(Number(await sweep.getAttribute("data-points"))).toBeGreaterThanOrEqual(2);
      await sweep.getByRole("button", { name: /Stop/ }).click();
      await expect.poll(() => sweep.getAttribute("data-state"), { timeout: 300_000 }).toBe("stopped");
      expect(most).toBe(before); // the runs trained in the worker, not on the page
      expect(watch.errors).toEqual([]);
      expect(watch.external).toEqual([]);
      await page.close();
    }, 900_000);
  }
});
