/**
 * Every page on a phone (390 px), in the dark, and charts that follow their container: no
 * page-level horizontal scroll at 390 px; dark (by the system setting and by the header's Theme
 * menu) gives a dark page with light text and chart labels, no console error, and medical images
 * drawn exactly as in light (grey, never inverted); a chart's SVG is as wide as its container when
 * the window changes size.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { useBrowserSession, watchPage, type OpenPage } from "./site";
import {
  canvasPixels,
  emulateScheme,
  faintChartText,
  filteredCanvases,
  luminance,
  pageColours,
  pageOverflow,
  PHONE,
  PROJECTOR,
  setViewport,
  waitForQuiet,
} from "./viewport";

const LESSONS = ["/cnn", "/transfer", "/unet", "/gan", "/detection", "/explain", "/data-problems", "/autoencoders"];
const PAGES = ["/", ...LESSONS];

const { enabled, session } = useBrowserSession();

/** A page opened at a window size and colour setting, once its controls are there. */
async function openAt(
  path: string,
  size: { width: number; height: number },
  scheme: "light" | "dark",
): Promise<OpenPage> {
  const page = await session().browser.context.newPage();
  const watch = watchPage(page);
  await page.setViewportSize(size);
  await emulateScheme(page, scheme);
  await page.goto(`${session().server.url}${path}`);
  await page
    .locator(path === "/" ? ".meddl-map" : ".meddl-backend")
    .first()
    .waitFor({ timeout: 180_000 });
  await waitForQuiet(page); // panels that draw after the backend (the GAN's scored input), and the width redraws
  return { page, watch };
}

/** The colour (luminance 0…1) of the first Plot chart's text, which is currentColor. */
async function chartTextLuminance(page: Page): Promise<number | null> {
  const colour = await page.evaluate(() => {
    const svg = document.querySelector("#observablehq-main svg.plot-d6a7b5");
    return svg ? getComputedStyle(svg).color : null;
  });
  return colour === null ? null : luminance(colour);
}

/** The widest SVG in a chart container, and the container's own width. */
async function chartWidth(page: Page, selector: string): Promise<{ svg: number; container: number }> {
  return page
    .locator(selector)
    .first()
    .evaluate((root) => ({
      svg: Math.max(...[...root.querySelectorAll("svg")].map((s) => s.getBoundingClientRect().width)),
      container: root.clientWidth,
    }));
}

describe.skipIf(!enabled)("layout: phones, projectors and the dark theme", () => {
  for (const path of PAGES) {
    it(`${path} at 390 px: no page-level horizontal scroll; dark by the system setting reads light on dark, without errors`, async () => {
      const { page, watch } = await openAt(path, PHONE, "dark");
      const overflow = await pageOverflow(page);
      expect(overflow.culprits, `wider than the window: ${overflow.culprits.join("; ")}`).toEqual([]);
      expect(overflow.scrollWidth).toBeLessThanOrEqual(overflow.clientWidth);

      const dark = await pageColours(page);
      expect(dark.scheme).toBe("dark");
      expect(luminance(dark.background)).toBeLessThan(0.05);
      expect(luminance(dark.text)).toBeGreaterThan(0.6);
      const chartText = await chartTextLuminance(page);
      if (path !== "/") expect(chartText, "a lesson shows at least one Plot chart").not.toBeNull();
      if (chartText !== null) expect(chartText).toBeGreaterThan(0.6); // axes and labels are currentColor
      expect(await faintChartText(page), "chart text too dark to read on the dark page").toEqual([]);
      expect(await filteredCanvases(page)).toBe(0); // no CSS filter (invert) on any image

      // The same page in light, without a reload: the colours follow the setting.
      await emulateScheme(page, "light");
      const light = await pageColours(page);
      expect(luminance(light.background)).toBeGreaterThan(0.9);
      expect(luminance(light.text)).toBeLessThan(0.1);
      expect((await pageOverflow(page)).scrollWidth).toBeLessThanOrEqual(PHONE.width);

      expect(watch.errors).toEqual([]);
      expect(watch.external).toEqual([]);
      await page.close();
    });
  }

  it("/detection at 390 px after training: the false-alarm patches and the dock's status wrap, nothing sticks out", async () => {
    const { page, watch } = await openAt("/detection", PHONE, "dark");
    await page.getByRole("button", { name: /Train/ }).first().click();
    // The surest false alarms appear after the first round (8 patches a row on a wide screen).
    await page.locator(".meddl-chart-false-alarms[data-count]").waitFor({ timeout: 240_000 });
    await page.waitForTimeout(1500);
    const overflow = await pageOverflow(page);
    expect(overflow.culprits, `wider than the window: ${overflow.culprits.join("; ")}`).toEqual([]);
    expect(overflow.scrollWidth).toBeLessThanOrEqual(overflow.clientWidth);
    expect(await faintChartText(page), "chart text too dark to read on the dark page").toEqual([]);
    expect(watch.errors).toEqual([]);
    await page.close();
  });

  it("medical images keep their grey scale in the dark: the same pixels as in light, grey", async () => {
    const selector = ".meddl-panel canvas"; // the CNN lesson's seeded data preview
    const light = await openAt("/cnn", PROJECTOR, "light");
    const lightPixels = await canvasPixels(light.page, selector);
    await light.page.close();
    const dark = await openAt("/cnn", PROJECTOR, "dark");
    expect(await canvasPixels(dark.page, selector)).toBe(lightPixels);
    const grey = await dark.page
      .locator(selector)
      .first()
      .evaluate((c: HTMLCanvasElement) => {
        const d = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
        let colourful = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i] !== d[i + 1] || d[i + 1] !== d[i + 2]) colourful++;
        return { colourful, pixels: d.length / 4 };
      });
    expect(grey.pixels).toBeGreaterThan(0);
    expect(grey.colourful).toBe(0);
    expect(dark.watch.errors).toEqual([]);
    await dark.page.close();
  });

  it("the Theme menu: reachable with Tab, named, overrides the system setting, remembered across pages", async () => {
    const { page, watch } = await openAt("/", { width: 1280, height: 900 }, "light");
    const menu = page.getByRole("combobox", { name: "Colour theme" });
    expect(await menu.inputValue()).toBe("system");
    // Tab from the top of the page reaches it.
    let reached = false;
    for (let i = 0; i < 15 && !reached; i++) {
      await page.keyboard.press("Tab");
      reached = await page.evaluate(() => document.activeElement?.id === "meddl-theme");
    }
    expect(reached).toBe(true);

    await menu.selectOption("dark");
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe("dark");
    expect(luminance((await pageColours(page)).background)).toBeLessThan(0.05);

    // Another page remembers it, and its charts and text are light on dark.
    await page.goto(`${session().server.url}/cnn`);
    await page.locator(".meddl-backend").first().waitFor({ timeout: 180_000 });
    await page.waitForTimeout(1500);
    expect(await page.getByRole("combobox", { name: "Colour theme" }).inputValue()).toBe("dark");
    const colours = await pageColours(page);
    expect(luminance(colours.background)).toBeLessThan(0.05);
    expect(luminance(colours.text)).toBeGreaterThan(0.6);
    expect(await chartTextLuminance(page)).toBeGreaterThan(0.6);

    // "light" wins over a dark system setting; "system" follows it again.
    await emulateScheme(page, "dark");
    await page.getByRole("combobox", { name: "Colour theme" }).selectOption("light");
    expect(luminance((await pageColours(page)).background)).toBeGreaterThan(0.9);
    await page.getByRole("combobox", { name: "Colour theme" }).selectOption("system");
    expect(luminance((await pageColours(page)).background)).toBeLessThan(0.05);
    expect(await page.evaluate(() => localStorage.getItem("meddl-theme"))).toBeNull();

    expect(watch.errors).toEqual([]);
    await page.close();
  });

  it("charts follow their container: wider on a projector, narrower on a phone", async () => {
    const { page, watch } = await openAt("/cnn", { width: 1280, height: 900 }, "light");
    const chart = ".meddl-chart-loss";
    const laptop = await chartWidth(page, chart);
    expect(Math.abs(laptop.svg - laptop.container)).toBeLessThanOrEqual(2);

    await setViewport(page, PROJECTOR);
    const projector = await chartWidth(page, chart);
    expect(projector.container).toBeGreaterThan(laptop.container);
    expect(Math.abs(projector.svg - projector.container)).toBeLessThanOrEqual(2);

    await setViewport(page, PHONE);
    const phone = await chartWidth(page, chart);
    expect(phone.container).toBeLessThan(laptop.container);
    expect(Math.abs(phone.svg - phone.container)).toBeLessThanOrEqual(2);
    expect(watch.errors).toEqual([]);
    await page.close();
  });
});
