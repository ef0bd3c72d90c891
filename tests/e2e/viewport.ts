/**
 * Browser-test helpers for layout: window sizes (a phone, a projector), the colour scheme, and
 * measurements of what a reader sees (horizontal overflow, page colours, chart widths).
 */
import type { Page } from "playwright-core";

/** An iPhone-sized window and a 1080p projector. */
export const PHONE = { width: 390, height: 844 };
export const PROJECTOR = { width: 1920, height: 1080 };

/** Sets the window size and waits for the page's ResizeObserver redraws to land. */
export async function setViewport(page: Page, size: { width: number; height: number }, settle = 1500): Promise<void> {
  await page.setViewportSize(size);
  await page.waitForTimeout(settle);
}

/** Emulates the system's colour setting (what `prefers-color-scheme` reports). */
export async function emulateScheme(page: Page, scheme: "light" | "dark"): Promise<void> {
  await page.emulateMedia({ colorScheme: scheme });
}

export interface Overflow {
  scrollWidth: number;
  clientWidth: number;
  /** The outermost elements sticking out past the window's right edge (for the failure message). */
  culprits: string[];
}

/**
 * Page-level horizontal overflow: the document wider than the window. Elements inside a box that
 * scrolls on its own (overflow-x auto/scroll/hidden) do not count: a wide image panel may scroll.
 */
export async function pageOverflow(page: Page): Promise<Overflow> {
  // No named functions inside evaluate(): the test runner's transform would wrap them in a helper
  // the browser does not have.
  return page.evaluate(() => {
    const root = document.documentElement;
    const limit = root.clientWidth + 0.5;
    const culprits: string[] = [];
    for (const e of document.body.querySelectorAll("*")) {
      const box = e.getBoundingClientRect();
      if (box.width === 0 || box.right <= limit || getComputedStyle(e).position === "fixed") continue;
      let inside = false; // inside a box that scrolls (or clips) on its own, or inside a culprit already listed
      for (let p = e.parentElement; p && p !== document.body && !inside; p = p.parentElement) {
        inside =
          ["auto", "scroll", "hidden", "clip"].includes(getComputedStyle(p).overflowX) ||
          p.getBoundingClientRect().right > limit;
      }
      if (inside) continue;
      const classes = [...e.classList]
        .slice(0, 3)
        .map((c) => `.${c}`)
        .join("");
      culprits.push(`${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ""}${classes} (right ${Math.round(box.right)})`);
      if (culprits.length >= 8) break;
    }
    return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, culprits };
  });
}

/** Relative luminance (0 black … 1 white) of a CSS colour as the browser computed it. */
export function luminance(css: string): number {
  const m = css.match(/[\d.]+/g);
  if (!m || m.length < 3) throw new Error(`not an rgb() or color(srgb …) colour: ${css}`);
  const scale = css.startsWith("color(srgb") ? 1 : 255; // color-mix() results come as color(srgb r g b), 0…1
  const [r, g, b] = m.slice(0, 3).map((v) => {
    const c = Number(v) / scale;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** The page's background and text colours, as computed (body background, main text colour). */
export async function pageColours(page: Page): Promise<{ background: string; text: string; scheme: string }> {
  return page.evaluate(() => {
    // The page's colour is the body's, or the root's where the body is transparent (Framework paints the root).
    const body = getComputedStyle(document.body).backgroundColor;
    const transparent = body === "transparent" || body === "rgba(0, 0, 0, 0)";
    const main = document.querySelector("#observablehq-main p") ?? document.body;
    return {
      background: transparent ? getComputedStyle(document.documentElement).backgroundColor : body,
      text: getComputedStyle(main).color,
      scheme: getComputedStyle(document.documentElement).colorScheme,
    };
  });
}

/** Canvases drawn with a CSS filter (an inverted image would show here). */
export async function filteredCanvases(page: Page): Promise<number> {
  return page.evaluate(
    () => [...document.querySelectorAll("canvas")].filter((c) => getComputedStyle(c).filter !== "none").length,
  );
}

/** The pixels of the first canvas matching `selector`, as a data URL (to compare light and dark). */
export async function canvasPixels(page: Page, selector: string): Promise<string> {
  return page
    .locator(selector)
    .first()
    .evaluate((c: HTMLCanvasElement) => c.toDataURL());
}

/**
 * Text in the page's charts (SVG) whose colour has less than `minContrast` against the page
 * background (WCAG contrast ratio), with the colour it has: a label drawn in a fixed dark grey
 * disappears in the dark theme. Text inside `ignore` is skipped: the confusion matrix writes its
 * counts on its own coloured cells, black on light ones. Returns up to 10 as "text (colour, ratio)".
 */
export async function faintChartText(page: Page, minContrast = 3, ignore = ".meddl-confusion"): Promise<string[]> {
  const found = await page.evaluate((ignore) => {
    const rootStyle = getComputedStyle(document.documentElement);
    const out: { text: string; fill: string }[] = [];
    for (const t of document.querySelectorAll("#observablehq-main svg text")) {
      const box = t.getBoundingClientRect();
      if (!t.textContent?.trim() || box.width === 0 || t.closest(ignore)) continue;
      out.push({ text: t.textContent.trim().slice(0, 40), fill: getComputedStyle(t).fill });
    }
    return { background: rootStyle.backgroundColor, texts: out };
  }, ignore);
  const bg = luminance(found.background);
  const ratio = (l: number) => (Math.max(l, bg) + 0.05) / (Math.min(l, bg) + 0.05);
  return found.texts
    .filter((t) => /^(rgb|color\(srgb)/.test(t.fill) && ratio(luminance(t.fill)) < minContrast)
    .slice(0, 10)
    .map((t) => `${t.text} (${t.fill}, ${ratio(luminance(t.fill)).toFixed(2)})`);
}

/**
 * Waits until the page has stopped changing (no DOM mutation for `quietMs`, at most `maxMs`):
 * lessons draw some panels seconds after load (the GAN lesson scores its low-dose input first).
 */
export async function waitForQuiet(page: Page, quietMs = 1500, maxMs = 20_000): Promise<void> {
  await page.evaluate(
    ([quiet, max]) =>
      new Promise<void>((resolve) => {
        const start = performance.now();
        let last = start;
        const observer = new MutationObserver(() => (last = performance.now()));
        observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
        const timer = setInterval(() => {
          const now = performance.now();
          if (now - last < quiet && now - start < max) return;
          clearInterval(timer);
          observer.disconnect();
          resolve();
        }, 100);
      }),
    [quietMs, maxMs],
  );
}
