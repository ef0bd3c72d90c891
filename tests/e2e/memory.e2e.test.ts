/**
 * Memory over rebuilds, on every lesson, in Chromium: rebuild the model 20 times (a model control
 * changed through its number box, as a learner would), training a step after each build, and check
 * that `window.meddl.memory()` ends where it started after the first build: the page's tensors and
 * every other holder's (a training worker registers its count there) within a small constant, and
 * the JS heap, after garbage collection, within a generous bound. A model, optimizer or trainer
 * left behind by a rebuild shows as tensors that pile up 20 times over.
 */
import type { CDPSession, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { useBrowserSession } from "./site";

const { enabled, open } = useBrowserSession();

interface LessonCase {
  path: string;
  /** A model control whose change rebuilds every trainer on the page. */
  control: string;
  /** Shows once every trainer of the page is built (the last training controls). */
  ready: string;
}

const LESSONS: LessonCase[] = [
  { path: "/cnn", control: "Filters (first layer)", ready: ".meddl-controls" },
  { path: "/transfer", control: "Rounds", ready: ".meddl-controls" },
  { path: "/unet", control: "Base filters", ready: ".meddl-controls" },
  { path: "/gan", control: "Steps", ready: ".meddl-controls" },
  { path: "/detection", control: "Filters (first layer)", ready: ".meddl-controls" },
  { path: "/explain", control: "Filters (first layer)", ready: ".meddl-controls" },
  { path: "/data-problems", control: "Filters (first layer)", ready: ".meddl-experiment-few .meddl-controls" },
  { path: "/autoencoders", control: "Filters (first block)", ready: ".meddl-anomaly-controls .meddl-controls" },
];

const REBUILDS = 20; // even: the last rebuild returns to the first model
/** Tensors a page may hold more or fewer at the end for reasons other than a leak (none seen so far). */
const TENSOR_SLACK = 4;
/** A leak of one model per rebuild is megabytes each time; this allows for caches and JIT warming. */
const HEAP_SLACK_BYTES = 24 * 2 ** 20;

interface MemoryReport {
  pageTensors: number;
  heapBytes: number | null;
  others: Record<string, number>;
}

interface Settled {
  memory: MemoryReport;
  /** The page's used JS heap from the DevTools protocol: exact, unlike an unflagged performance.memory. */
  heapBytes: number;
  /** DOM nodes alive (attached or not) after GC: charts a rebuild left behind show here. */
  domNodes: number;
}

async function settled(page: Page, cdp: CDPSession): Promise<Settled> {
  await cdp.send("HeapProfiler.collectGarbage");
  const memory = (await page.evaluate(() =>
    (window as unknown as { meddl: { memory: () => Promise<unknown> } }).meddl.memory(),
  )) as MemoryReport;
  const { usedSize } = (await cdp.send("Runtime.getHeapUsage")) as { usedSize: number };
  const { nodes } = (await cdp.send("Memory.getDOMCounters")) as { nodes: number };
  return { memory, heapBytes: usedSize, domNodes: nodes };
}

/** The number box of the control labelled exactly `label`. */
const numberBox = (page: Page, label: string) =>
  page
    .locator(".meddl-field")
    .filter({ has: page.locator(".meddl-label", { hasText: new RegExp(`^${label.replace(/[()]/g, "\\$&")}$`) }) })
    .first()
    .locator("input[type=number]");

/** Sets the control, then waits until every training controls element on the page is a new one. */
async function rebuild(page: Page, box: ReturnType<typeof numberBox>, value: number, count: number): Promise<void> {
  await page.evaluate(() =>
    document.querySelectorAll(".meddl-controls").forEach((c) => c.setAttribute("data-old", "")),
  );
  await box.fill(String(value));
  await box.blur();
  await page.waitForFunction(
    (n) =>
      document.querySelectorAll(".meddl-controls").length === n && !document.querySelector(".meddl-controls[data-old]"),
    count,
    { timeout: 180_000, polling: 100 },
  );
}

/** One training step on every trainer of the page (its optimizer state exists from then on). */
async function stepAll(page: Page, count: number): Promise<void> {
  for (let i = 0; i < count; i++)
    await page.locator(".meddl-controls").nth(i).getByRole("button", { name: /Step/ }).click();
  await page.waitForFunction(
    () => [...document.querySelectorAll<HTMLElement>(".meddl-controls")].every((c) => Number(c.dataset.step) >= 1),
    null,
    { timeout: 180_000, polling: 100 },
  );
}

describe.skipIf(!enabled)("memory stays flat over 20 rebuilds, on every lesson", () => {
  for (const lesson of LESSONS) {
    it(`${lesson.path}: tensors and heap end where they started`, { timeout: 900_000 }, async () => {
      const { page, watch } = await open(lesson.path, lesson.ready);
      const cdp = await page.context().newCDPSession(page);
      const count = await page.locator(".meddl-controls").count();
      const box = numberBox(page, lesson.control);
      const first = Number(await box.inputValue());
      const step = Number(await box.getAttribute("step")) || 1;
      const max = Number(await box.getAttribute("max"));
      const other = first + step <= max ? first + step : first - step;

      await stepAll(page, count);
      await page.waitForTimeout(1000); // the charts' redraws after the step land
      const before = await settled(page, cdp);
      const began = Date.now();
      let halfway: Settled | null = null;
      for (let i = 1; i <= REBUILDS; i++) {
        await rebuild(page, box, i % 2 ? other : first, count);
        await stepAll(page, count);
        if (i === REBUILDS / 2) halfway = await settled(page, cdp);
      }
      const seconds = (Date.now() - began) / 1000;
      await page.waitForTimeout(1000);
      const total = (others: Record<string, number>) => Object.values(others).reduce((a, b) => a + b, 0);
      // The worker frees a replaced run a message after the page lets go of it (a GAN pair also
      // finishes its scoring first): give it a moment to settle. A leak never does.
      let after = await settled(page, cdp);
      for (
        let i = 0;
        i < 20 && Math.abs(total(after.memory.others) - total(before.memory.others)) > TENSOR_SLACK;
        i++
      ) {
        await page.waitForTimeout(1000);
        after = await settled(page, cdp);
      }

      const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
      console.log(
        `${lesson.path}: ${REBUILDS} rebuilds of "${lesson.control}" (${first}↔${other}), ${count} trainer(s): ` +
          `page tensors ${before.memory.pageTensors} → ${after.memory.pageTensors}, ` +
          `others ${JSON.stringify(before.memory.others)} → ${JSON.stringify(after.memory.others)}, ` +
          `heap ${mb(before.heapBytes)} → ${mb(halfway!.heapBytes)} (halfway) → ${mb(after.heapBytes)}, ` +
          `page tensors halfway ${halfway!.memory.pageTensors}, others halfway ${JSON.stringify(halfway!.memory.others)}, DOM nodes ${before.domNodes} → ${halfway!.domNodes} → ${after.domNodes}; ` +
          `${(seconds / REBUILDS).toFixed(1)} s per rebuild and step`,
      );
      expect(Math.abs(after.memory.pageTensors - before.memory.pageTensors)).toBeLessThanOrEqual(TENSOR_SLACK);
      // Every other holder (a worker) ends where it started, and no holder is left behind.
      expect(Object.keys(after.memory.others).length).toBeLessThanOrEqual(Object.keys(before.memory.others).length);
      expect(Math.abs(total(after.memory.others) - total(before.memory.others))).toBeLessThanOrEqual(TENSOR_SLACK);
      for (const [name, tensors] of Object.entries(before.memory.others))
        if (name in after.memory.others)
          expect(Math.abs(after.memory.others[name] - tensors)).toBeLessThanOrEqual(TENSOR_SLACK);
      expect(after.heapBytes - before.heapBytes).toBeLessThan(HEAP_SLACK_BYTES);

      expect(watch.errors).toEqual([]);
      expect(watch.external).toEqual([]);
      await page.close();
    });
  }
});
