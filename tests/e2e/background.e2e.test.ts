/**
 * A background tab keeps training, and its charts catch up when it is shown again. Playwright
 * normally turns off Chromium's background throttling; this test keeps it on, as in a real
 * browser: the lesson's tab is hidden behind another one while it trains.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveDirectory, type StaticServer } from "./server";
import { browserAvailable, chromePath, watchPage } from "./site";

const enabled = browserAvailable();
let server: StaticServer | undefined;
let context: BrowserContext | undefined;
const profile = mkdtempSync(join(tmpdir(), "meddl-background-"));

beforeAll(async () => {
  if (!enabled) return;
  server = await serveDirectory("dist");
  context = await chromium.launchPersistentContext(profile, {
    executablePath: chromePath!,
    headless: true,
    viewport: { width: 1280, height: 900 },
    // Keep the browser's own background behaviour (throttled timers, backgrounded renderer).
    ignoreDefaultArgs: [
      "--disable-background-timer-throttling",
      "--disable-renderer-backgrounding",
      "--disable-backgrounding-occluded-windows",
    ],
    args: [
      "--no-sandbox",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-dev-shm-usage",
    ],
  });
});

afterAll(async () => {
  await context?.close();
  await server?.close();
  rmSync(profile, { recursive: true, force: true });
});

const stepOf = (page: Page) =>
  page.evaluate(() => Number((document.querySelector(".meddl-controls") as HTMLElement).dataset.step ?? 0));
/** The step the loss chart's text alternative reports ("Loss 0.31 after 240 steps, falling"). */
const chartStep = (page: Page) =>
  page.evaluate(() => {
    const label = document.querySelector(".meddl-chart-loss [aria-label^='Loss']")?.getAttribute("aria-label") ?? "";
    return Number(/after (\d+) steps/.exec(label)?.[1] ?? 0);
  });

describe.skipIf(!enabled)("CNN lesson in a background tab", () => {
  it("keeps training while hidden, and its loss chart catches up when shown", { timeout: 600_000 }, async () => {
    const page = await context!.newPage();
    const watch = watchPage(page);
    await page.goto(`${server!.url}/cnn`);
    await page.locator(".meddl-controls").first().waitFor({ timeout: 180_000 });
    await page.getByRole("button", { name: /Train/ }).first().click();
    await page.waitForFunction(
      () => Number((document.querySelector(".meddl-controls") as HTMLElement).dataset.step) >= 3,
      null,
      { timeout: 180_000 },
    );

    const other = await context!.newPage();
    await other.goto("about:blank");
    await other.bringToFront();
    await expect.poll(() => page.evaluate(() => document.visibilityState), { timeout: 10_000 }).toBe("hidden");
    const hiddenAt = await stepOf(page);
    await other.waitForTimeout(15_000);
    const stillHidden = await page.evaluate(() => document.visibilityState);
    expect(stillHidden).toBe("hidden");
    expect(await stepOf(page), "training went on in the background").toBeGreaterThan(hiddenAt + 2);

    await page.bringToFront();
    const shownAt = await stepOf(page);
    // Within a couple of seconds the chart shows (at least) the steps trained while hidden.
    await expect.poll(() => chartStep(page), { timeout: 5_000, interval: 200 }).toBeGreaterThanOrEqual(shownAt - 5);
    expect(watch.errors).toEqual([]);
    expect(watch.external).toEqual([]);
  });
});
