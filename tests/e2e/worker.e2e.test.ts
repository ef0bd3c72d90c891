/**
 * Training in a Web Worker, in a real browser: the lessons say where they train, the run goes on in
 * the worker with the same controls, the charts follow, and `?worker=off` keeps the old main-thread way.
 */
import { describe, expect, it } from "vitest";
import { useBrowserSession } from "./site";
import { stepOf, trainingPlace, waitForState, waitForStep } from "./worker";

const { enabled, open } = useBrowserSession();

describe.skipIf(!enabled)("training in a Web Worker", () => {
  it("CNN: trains in the worker; the charts, pause, step, reset and the memory report follow it", async () => {
    const { page, watch } = await open("/cnn", ".meddl-controls");
    const where = await trainingPlace(page);
    expect(where.place).toBe("worker");
    expect(where.backend).toBe("wasm"); // headless Chromium's WebGL is software: wasm in the worker too
    expect(where.text).toMatch(/Web Worker.*wasm/s);

    await page.getByRole("button", { name: /Train/ }).first().click();
    await waitForStep(page, 40);
    await page.getByRole("button", { name: /Pause/ }).first().click();
    await waitForState(page, "paused");
    const paused = await stepOf(page);
    expect(paused).toBeGreaterThanOrEqual(40);
    await page.waitForTimeout(1500); // charts redraw at most every second
    const lossChart = page.locator('.meddl-chart-loss svg:has(g[aria-label="line"])');
    expect(await lossChart.locator('g[aria-label="line"] path').count()).toBeGreaterThanOrEqual(2);
    expect(await page.locator(".meddl-chart-filters canvas").count()).toBe(8);

    // One step more, exactly.
    await page.getByRole("button", { name: /Step/ }).first().click();
    await page.waitForFunction(
      (n) => Number((document.querySelector(".meddl-controls") as HTMLElement).dataset.step) === n + 1,
      paused,
    );
    expect(await page.locator(".meddl-controls").first().getAttribute("data-state")).toBe("paused");

    // The worker's tensors show in window.meddl.memory().
    const memory = await page.evaluate(() =>
      (window as unknown as { meddl: { memory: () => Promise<{ others: Record<string, number> }> } }).meddl.memory(),
    );
    expect(memory.others.worker).toBeGreaterThan(0);

    // Reset: back to step 0 and an empty history; it trains again.
    await page.getByRole("button", { name: /Reset/ }).first().click();
    await waitForState(page, "idle");
    expect(await stepOf(page)).toBe(0);
    await page.getByRole("button", { name: /Step/ }).first().click();
    await waitForStep(page, 1);
    expect(await stepOf(page)).toBe(1);

    expect(watch.errors).toEqual([]);
    expect(watch.external).toEqual([]);
    await page.close();
  });

  it("CNN: rebuilding the model frees the old run in the worker (its tensor count comes back)", async () => {
    const { page, watch } = await open("/cnn", ".meddl-controls");
    await trainingPlace(page);
    type Meddl = { meddl: { memory: () => Promise<{ others: Record<string, number> }> } };
    const workerTensors = () =>
      page.evaluate(async () => (await (window as unknown as Meddl).meddl.memory()).others.worker);
    const start = await workerTensors();
    const filters = page.locator(".meddl-field", { hasText: "Filters (first layer)" }).locator("input[type=number]");
    for (const value of ["9", "8", "9", "8"]) {
      await filters.fill(value);
      await filters.blur();
      await page.waitForTimeout(2500); // the trainer cell re-runs: old run disposed, new one built
      await trainingPlace(page);
    }
    await page.getByRole("button", { name: /Step/ }).first().click();
    await waitForStep(page, 1);
    await page.getByRole("button", { name: /Reset/ }).first().click();
    await waitForState(page, "idle");
    expect(await workerTensors()).toBe(start);
    expect(watch.errors).toEqual([]);
    await page.close();
  });

  it("CNN with ?worker=off: trains on the main thread, and says so", async () => {
    const { page, watch } = await open("/cnn?worker=off", ".meddl-controls");
    const where = await trainingPlace(page);
    expect(where.place).toBe("main");
    expect(where.text).toMatch(/main thread.*worker=off/s);
    await page.getByRole("button", { name: /Train/ }).first().click();
    await waitForStep(page, 10);
    await page.getByRole("button", { name: /Pause/ }).first().click();
    await waitForState(page, "paused");
    const memory = await page.evaluate(() =>
      (window as unknown as { meddl: { memory: () => Promise<{ others: Record<string, number> }> } }).meddl.memory(),
    );
    expect(memory.others.worker).toBeUndefined(); // no worker was started
    expect(watch.errors).toEqual([]);
    expect(watch.external).toEqual([]);
    await page.close();
  });

  it("U-Net: both runs train in the worker; both members' histories and the segmentation charts follow", async () => {
    const { page, watch } = await open("/unet", ".meddl-controls");
    expect((await trainingPlace(page)).place).toBe("worker");
    await page.getByRole("button", { name: /Train/ }).first().click();
    await waitForStep(page, 3);
    await page.getByRole("button", { name: /Pause/ }).first().click();
    await waitForState(page, "paused");
    await page.waitForTimeout(1500);
    const lossChart = page.locator('.meddl-chart-loss svg:has(g[aria-label="line"])');
    expect(await lossChart.locator('g[aria-label="line"] path').count()).toBeGreaterThanOrEqual(1);
    const paused = await stepOf(page);
    await page.getByRole("button", { name: /Step/ }).first().click();
    await waitForStep(page, paused + 1);
    expect(watch.errors).toEqual([]);
    expect(watch.external).toEqual([]);
    await page.close();
  });

  it("Black box: the CNN trains in the worker; the maps redraw from the page's replica", async () => {
    const { page, watch } = await open("/explain", ".meddl-controls");
    expect((await trainingPlace(page)).place).toBe("worker");
    await page.getByRole("button", { name: /Train/ }).first().click();
    await waitForStep(page, 30);
    await page.getByRole("button", { name: /Pause/ }).first().click();
    await waitForState(page, "paused");
    await page.waitForTimeout(1500);
    const lossChart = page.locator('.meddl-chart-loss svg:has(g[aria-label="line"])');
    expect(await lossChart.locator('g[aria-label="line"] path').count()).toBeGreaterThanOrEqual(1);
    expect(await page.locator(".meddl-chart-explanations canvas").count()).toBeGreaterThan(0);
    expect(watch.errors).toEqual([]);
    expect(watch.external).toEqual([]);
    await page.close();
  });

  it("Detection: both detectors train in the worker; the FROC follows their validations", async () => {
    const { page, watch } = await open("/detection", ".meddl-controls");
    expect((await trainingPlace(page)).place).toBe("worker");
    await page.getByRole("button", { name: /Train/ }).first().click();
    // The first round ends with a search of every validation slice: the FROC draws from the worker's validation.
    await page.waitForFunction(
      () =>
        ((document.querySelector(".meddl-chart-froc") as HTMLElement | null)?.dataset.cpm ?? "")
          .split(",")
          .filter(Boolean).length === 2,
      null,
      { timeout: 300_000 },
    );
    await page.getByRole("button", { name: /Pause/ }).first().click();
    await waitForState(page, "paused");
    expect(Number(await page.locator(".meddl-chart-froc").getAttribute("data-train-ms"))).toBeGreaterThan(0);
    expect(await stepOf(page)).toBeGreaterThan(0);
    expect(watch.errors).toEqual([]);
    expect(watch.external).toEqual([]);
    await page.close();
  });

  it("Auto-encoders: the auto-encoder trains in the worker; reconstructions and codes come from the page's replica", async () => {
    const { page, watch } = await open("/autoencoders", ".meddl-controls");
    expect((await trainingPlace(page)).place).toBe("worker");
    await page.getByRole("button", { name: /Train/ }).first().click();
    await waitForStep(page, 20);
    await page.getByRole("button", { name: /Pause/ }).first().click();
    await waitForState(page, "paused");
    await page.waitForTimeout(1800);
    const lossChart = page.locator('.meddl-chart-loss svg:has(g[aria-label="line"])');
    expect(await lossChart.locator('g[aria-label="line"] path').count()).toBeGreaterThanOrEqual(1);
    expect(await page.locator(".meddl-chart-reconstructions canvas").count()).toBeGreaterThan(0);
    expect(watch.errors).toEqual([]);
    expect(watch.external).toEqual([]);
    await page.close();
  });

  it("Data problems: all three experiments train in the worker (no replicas: their charts read histories)", async () => {
    const { page, watch } = await open("/data-problems", ".meddl-experiment-imbalance .meddl-controls");
    const notes = page.locator(".meddl-training-place");
    await page.locator(".meddl-experiment-few .meddl-controls").waitFor({ timeout: 180_000 });
    expect(await notes.count()).toBe(3);
    for (const note of await notes.all()) expect(await note.getAttribute("data-place")).toBe("worker");
    const controls = page.locator(".meddl-experiment-imbalance .meddl-controls");
    await controls.scrollIntoViewIfNeeded();
    await controls.getByRole("button", { name: /Train/ }).click();
    await page.waitForFunction(
      () =>
        Number((document.querySelector(".meddl-experiment-imbalance .meddl-controls") as HTMLElement).dataset.step) >=
        5,
      null,
      { timeout: 240_000 },
    );
    await controls.getByRole("button", { name: /Pause/ }).click();
    expect(watch.errors).toEqual([]);
    expect(watch.external).toEqual([]);
    await page.close();
  });

  it("Transfer: the three strategies train in the worker side by side", async () => {
    const { page, watch } = await open("/transfer", ".meddl-controls");
    expect((await trainingPlace(page)).place).toBe("worker");
    await page.getByRole("button", { name: /Train/ }).first().click();
    await waitForStep(page, 10);
    await page.getByRole("button", { name: /Pause/ }).first().click();
    await waitForState(page, "paused");
    const paused = await stepOf(page);
    await page.getByRole("button", { name: /Step/ }).first().click();
    await waitForStep(page, paused + 1);
    expect(watch.errors).toEqual([]);
    expect(watch.external).toEqual([]);
    await page.close();
  });
});
