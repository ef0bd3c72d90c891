/**
 * The data-problems lesson in a real browser: each of the three experiments trains briefly and its
 * charts draw; the augmentation grid and the sweep are there; bad input gets a message; the console
 * stays clean and nothing is requested from another host.
 */
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { sharedFile } from "../helpers/data";
import { useBrowserSession } from "./site";

const { file: pneumoniaPath, exists: hasPneumonia } = sharedFile("medmnist/pneumoniamnist.npz");
if (!hasPneumonia)
  console.warn(`Skipping the PneumoniaMNIST part of the data-problems browser test: ${pneumoniaPath} is absent.`);

const { enabled, open } = useBrowserSession();

/** Trains an experiment until its first validation (and until `drawn` holds, if given), then pauses it. */
async function trainOneEpoch(
  page: Page,
  experiment: string,
  drawn?: { selector: string; count: number },
): Promise<void> {
  const controls = page.locator(`${experiment} .meddl-controls`);
  await controls.scrollIntoViewIfNeeded();
  await controls.getByRole("button", { name: /Train/ }).click();
  await page.waitForFunction(
    (sel) => {
      const el = document.querySelector(`${sel} .meddl-controls`) as HTMLElement | null;
      return !!el?.dataset.valAuc;
    },
    experiment,
    { timeout: 300_000 },
  );
  if (drawn)
    await page.waitForFunction(({ selector, count }) => document.querySelectorAll(selector).length >= count, drawn, {
      timeout: 300_000,
    });
  await controls.getByRole("button", { name: /Pause/ }).click();
  await page.waitForFunction(
    (sel) => (document.querySelector(`${sel} .meddl-controls`) as HTMLElement).dataset.state === "paused",
    experiment,
  );
  await page.waitForTimeout(800); // the charts redraw at most a few times a second
}

describe.skipIf(!enabled)("Data-problems lesson in Chromium", () => {
  it(
    "runs each experiment briefly: charts drawn, clean console, no outside request",
    { timeout: 1_200_000 },
    async () => {
      const { page, watch } = await open("/data-problems", ".meddl-experiment-few .meddl-controls");

      // 1 · Imbalance: four remedies, four metrics each on the scoreboard, the majority line, a curve chart per remedy.
      // Oversampling's epochs are longer: wait until every run has been validated once.
      await trainOneEpoch(page, ".meddl-experiment-imbalance", {
        selector: '.meddl-chart-scoreboard svg g[aria-label="bar"] rect',
        count: 16,
      });
      const scoreboard = page.locator(".meddl-chart-scoreboard svg");
      expect(await scoreboard.locator('g[aria-label="bar"] rect').count()).toBe(16);
      expect(await scoreboard.locator('g[aria-label="rule"] line').count()).toBeGreaterThanOrEqual(1);
      expect(await page.locator(".meddl-chart-imbalance-curves svg").count()).toBeGreaterThanOrEqual(4);
      const paradox = page.locator(".meddl-paradox");
      expect(Number(await paradox.getAttribute("data-accuracy"))).toBeGreaterThan(0.5); // 5% positives: accuracy near the 95% baseline

      // 2 · Noisy labels: the curves and the early-stopping line.
      await trainOneEpoch(page, ".meddl-experiment-noise");
      const noise = page.locator(".meddl-chart-noise svg");
      expect(await noise.locator('g[aria-label="line"] path').count()).toBeGreaterThanOrEqual(3);
      expect(await page.locator(".meddl-stopping").getAttribute("data-best-epoch")).toBe("1");

      // 3 · Few labels: twelve tiles of one image, and the plain vs. augmented curves.
      expect(await page.locator(".meddl-chart-augment canvas").count()).toBe(12);
      await trainOneEpoch(page, ".meddl-experiment-few");
      expect(await page.locator('.meddl-chart-fewlabels svg g[aria-label="dot"] *').count()).toBeGreaterThanOrEqual(2);

      // The sweep: the recorded one is drawn when the record exists; a run of the learner's own starts and stops.
      const sweep = page.locator(".meddl-augment-sweep");
      await sweep.scrollIntoViewIfNeeded();
      await page.locator(".meddl-field", { hasText: "Seeds per point" }).locator("input[type=number]").fill("1");
      await page.locator(".meddl-field", { hasText: "Seeds per point" }).locator("input[type=number]").blur();
      await page
        .locator(".meddl-augment-sweep")
        .getByRole("button", { name: /Run the sweep/ })
        .click();
      await page.waitForFunction(
        () => Number((document.querySelector(".meddl-augment-sweep") as HTMLElement).dataset.points) >= 1,
        null,
        { timeout: 300_000 },
      );
      await page.locator(".meddl-augment-sweep").getByRole("button", { name: /Stop/ }).click();
      await page.waitForFunction(
        () => (document.querySelector(".meddl-augment-sweep") as HTMLElement).dataset.state === "stopped",
        null,
        { timeout: 300_000 },
      );
      // One dot per finished run of the learner's sweep (the recorded one is replaced).
      const points = Number(await sweep.getAttribute("data-points"));
      expect(points).toBeGreaterThanOrEqual(1);
      expect(await sweep.locator('g[aria-label="dot"] > *').count()).toBe(points);
      expect(await sweep.locator(".meddl-caption").textContent()).toMatch(/Your sweep/);

      expect(watch.errors).toEqual([]);
      expect(watch.external).toEqual([]);
      await page.close();
    },
  );

  it("bad input gets a clear message and the page keeps working", { timeout: 600_000 }, async () => {
    const { page, watch } = await open("/data-problems", ".meddl-experiment-few .meddl-controls");
    // An absurd positive fraction is refused next to its box; the old value stays.
    const percent = page
      .locator(".meddl-field", { hasText: "Positives in the training set" })
      .locator("input[type=number]");
    await percent.fill("200");
    await percent.blur();
    await page
      .locator(".meddl-field", { hasText: "Positives in the training set" })
      .getByText(/enter a number from 1 to 50/)
      .waitFor();
    expect(await percent.inputValue()).toBe("5");
    // No augmentation ticked: the comparison says why it cannot run.
    for (const label of ["Flips and rotations", "Elastic deformation", "Intensity and contrast jitter"]) {
      await page.locator(".meddl-field", { hasText: label }).locator("input[type=checkbox]").uncheck();
    }
    await page
      .getByText(/Tick at least one kind of augmentation/)
      .first()
      .waitFor();
    await page.locator(".meddl-field", { hasText: "Flips and rotations" }).locator("input[type=checkbox]").check();
    await page.locator(".meddl-experiment-few .meddl-controls").waitFor();
    expect(watch.errors).toEqual([]);
    expect(watch.external).toEqual([]);
    await page.close();
  });

  it.skipIf(!hasPneumonia)(
    "real-data mode: a dropped PneumoniaMNIST file trains with its own, imbalanced mix",
    { timeout: 600_000 },
    async () => {
      const { page, watch } = await open("/data-problems", ".meddl-experiment-few .meddl-controls");
      const bytes = readFileSync(pneumoniaPath);
      const transfer = await page.evaluateHandle(
        ({ base64 }) => {
          const dt = new DataTransfer();
          dt.items.add(new File([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], "pneumoniamnist.npz"));
          return dt;
        },
        { base64: bytes.toString("base64") },
      );
      await page.dispatchEvent(".meddl-drop", "drop", { dataTransfer: transfer });
      await page.locator('.meddl-dataset-card[data-dataset="pneumoniamnist"]').waitFor({ timeout: 60_000 });
      await page
        .locator(".meddl-field", { hasText: "Use the dataset's own mix" })
        .locator("input[type=checkbox]")
        .check();
      // About three pneumonia images to one normal: the training set keeps that mix.
      await page
        .locator(".meddl-experiment-imbalance")
        .getByText(/7\d\.\d% “pneumonia”/)
        .waitFor({ timeout: 60_000 });
      const controls = page.locator(".meddl-experiment-imbalance .meddl-controls");
      await controls.getByRole("button", { name: /Step/ }).click();
      await page.waitForFunction(
        () =>
          (document.querySelector(".meddl-experiment-imbalance .meddl-controls") as HTMLElement).dataset.step === "1",
        null,
        { timeout: 120_000 },
      );
      expect(watch.errors).toEqual([]);
      expect(watch.external).toEqual([]);
      await page.close();
    },
  );
});
