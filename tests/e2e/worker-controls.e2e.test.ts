/**
 * Every lesson, in a real browser: its training runs in the Web Worker, and the page's controls still
 * drive it. Train, a live learning-rate change (the worker's own batch records must show the new
 * rate), Pause, exactly one Step, Reset; the live charts redraw as the worker's snapshots arrive;
 * the console stays clean and no request leaves the site.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { useBrowserSession } from "./site";

const { enabled, open } = useBrowserSession();

interface LessonCase {
  path: string;
  /** The training controls driven (the lesson's main run). */
  controls: string;
  /** The live learning-rate control's label; none where the rate is a setting of the experiment (a change rebuilds it). */
  rate?: string;
  /** Steps to train before pausing (a few: some lessons' steps take a second here). */
  steps: number;
  /** Its charts read finished epochs only: train until one has ended. */
  epoch?: boolean;
}

const LESSONS: LessonCase[] = [
  { path: "/cnn", controls: ".meddl-controls", rate: "Learning rate", steps: 20 },
  { path: "/transfer", controls: ".meddl-controls", steps: 5 },
  { path: "/unet", controls: ".meddl-controls", rate: "Learning rate", steps: 2 },
  { path: "/gan", controls: ".meddl-controls", rate: "G learning rate", steps: 2 },
  { path: "/detection", controls: ".meddl-controls", rate: "Learning rate", steps: 5 },
  { path: "/explain", controls: ".meddl-controls", rate: "Learning rate", steps: 10 },
  {
    path: "/data-problems",
    controls: ".meddl-experiment-imbalance .meddl-controls",
    rate: "Learning rate",
    steps: 5,
    epoch: true,
  },
  { path: "/autoencoders", controls: ".meddl-ae-controls .meddl-controls", rate: "Learning rate", steps: 10 },
];

/** The number box of the first control labelled exactly `label`. */
const numberBox = (page: Page, label: string) =>
  page
    .locator(".meddl-field")
    .filter({ has: page.locator(".meddl-label", { hasText: new RegExp(`^${label}$`) }) })
    .first()
    .locator("input[type=number]");

const attribute = (page: Page, root: string, name: string) =>
  page.evaluate(({ root, name }) => (document.querySelector(root) as HTMLElement | null)?.getAttribute(name) ?? null, {
    root,
    name,
  });

async function waitFor(page: Page, root: string, test: string, arg: number | string): Promise<void> {
  await page.waitForFunction(
    ({ root, test, arg }) => {
      const el = document.querySelector(root) as HTMLElement | null;
      if (!el) return false;
      const step = Number(el.dataset.step ?? 0);
      if (test === "step≥") return step >= Number(arg);
      if (test === "step=") return step === Number(arg);
      return el.dataset.state === arg;
    },
    { root, test, arg },
    { timeout: 300_000, polling: 100 },
  );
}

/** What the page's live charts show now (their markup, hashed to a short fingerprint each). */
const chartPrints = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll(".meddl-live")].map((chart) => {
      let h = 0;
      for (const c of chart.innerHTML) h = (h * 31 + c.charCodeAt(0)) | 0;
      return h;
    }),
  );

describe.skipIf(!enabled)("every lesson's controls drive its run in the training worker", () => {
  for (const lesson of LESSONS) {
    const name = `${lesson.path}: Train,${lesson.rate ? " live learning rate," : ""} Pause, Step, Reset`;
    it(name, { timeout: 600_000 }, () => driveLesson(lesson));
  }
});

async function driveLesson(lesson: LessonCase): Promise<void> {
  const { page, watch } = await open(lesson.path, lesson.controls);
  const root = lesson.controls;
  const controls = page.locator(root).first();
  // The note beside these controls says the run is in the worker.
  const place = page.locator(".meddl-training-place").first();
  await place.waitFor({ timeout: 180_000 });
  expect(await place.getAttribute("data-place")).toBe("worker");

  await controls.scrollIntoViewIfNeeded();
  await page.waitForTimeout(1500); // the first drawings settle
  const untrained = await chartPrints(page);
  await controls.getByRole("button", { name: /Train/ }).click();
  await waitFor(page, root, "step≥", lesson.steps);
  if (lesson.epoch)
    await page.waitForFunction(
      (root) => Boolean((document.querySelector(root) as HTMLElement).dataset.epochLosses),
      root,
      {
        timeout: 300_000,
      },
    );
  const before = Number(await attribute(page, root, "data-learning-rate"));
  expect(before).toBeGreaterThan(0);

  // A new learning rate while training: the worker's next batch records use it.
  const changed = lesson.rate ? Number((before / 2).toPrecision(2)) : before;
  if (lesson.rate) {
    const box = numberBox(page, lesson.rate);
    await box.fill(String(changed));
    await box.blur();
  }
  await controls.getByRole("button", { name: /Pause/ }).click();
  await waitFor(page, root, "state", "paused");
  await page.waitForTimeout(1500); // charts redraw at most about once a second
  const pausedAt = Number(await attribute(page, root, "data-step"));
  // The charts followed the worker's snapshots: at least one shows something new since the start.
  const drawn = await chartPrints(page);
  expect(drawn.length).toBeGreaterThan(0);
  expect(drawn.some((print, i) => print !== untrained[i])).toBe(true);

  // Exactly one step more; it used the new rate, in the worker.
  await controls.getByRole("button", { name: /Step/ }).click();
  await waitFor(page, root, "step=", pausedAt + 1);
  await waitFor(page, root, "state", "paused");
  expect(Number(await attribute(page, root, "data-learning-rate"))).toBeCloseTo(changed, 8);
  await page.waitForTimeout(1500);
  expect(Number(await attribute(page, root, "data-step"))).toBe(pausedAt + 1); // one, not more

  // Reset: back to step 0, ready to train again.
  await controls.getByRole("button", { name: /Reset/ }).click();
  await waitFor(page, root, "state", "idle");
  expect(Number(await attribute(page, root, "data-step"))).toBe(0);

  expect(watch.errors).toEqual([]);
  expect(watch.external).toEqual([]);
  await page.close();
}
