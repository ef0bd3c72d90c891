/**
 * The glossary in Chromium: on every lesson the first use of a term is a link to its glossary
 * entry, reaching it with Tab shows the definition (and hovering does too), and the glossary page
 * lists every term under a working anchor. Clean console, no request to another host.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { GLOSSARY } from "../../src/ui/glossaryTerms";
import { useBrowserSession } from "./site";

const { enabled, session, open } = useBrowserSession();

/** One or two terms per lesson, each with a word its prose uses for it. */
const CHECKS: Record<string, { id: string; word: RegExp }[]> = {
  cnn: [
    { id: "epoch", word: /\bepochs?\b/i },
    { id: "auc", word: /\bAUC\b/ },
  ],
  transfer: [{ id: "bi-rads", word: /\bBI-RADS\b/ }],
  unet: [{ id: "dice", word: /\bDice\b/ }],
  gan: [
    { id: "fbp", word: /\bfiltered back-projection\b/ },
    { id: "patchgan", word: /\bPatchGAN\b/ },
  ],
  detection: [{ id: "froc", word: /\bFROC\b/ }],
  explain: [{ id: "grad-cam", word: /\bGrad-CAM\b/ }],
  "data-problems": [{ id: "focal-loss", word: /\bfocal loss\b/i }],
  autoencoders: [{ id: "vae", word: /\bVAE\b/ }],
};

const definition = (id: string) => GLOSSARY.find((t) => t.id === id)!.definition;

/**
 * Where the word first occurs in the page's prose (paragraphs and list items, not headings, code,
 * other links, cells' output or text a cell wrote into a paragraph), in reading order: the id of
 * the glossary link holding it, or null.
 */
async function firstUse(page: Page, word: RegExp): Promise<{ term: string | null; text: string } | null> {
  return page.evaluate(
    ({ source, flags }) => {
      const re = new RegExp(source, flags);
      const main = document.getElementById("observablehq-main")!;
      // Text that an inline ${…} expression wrote (Framework keeps it in its marker comment's _nodes).
      const written = new Set<Node>();
      const comments = document.createTreeWalker(main, NodeFilter.SHOW_COMMENT);
      for (let c = comments.nextNode(); c; c = comments.nextNode())
        for (const n of (c as Comment & { _nodes?: Node[] })._nodes ?? []) written.add(n);
      const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const parent = n.parentElement!;
        if (written.has(n) || [...written].some((w) => w.contains(n))) continue;
        if (!parent.closest("p, li") || parent.closest("h1, h2, h3, h4, code, pre, .observablehq--block")) continue;
        const link = parent.closest("a");
        if (link && !link.classList.contains("meddl-term")) continue;
        if (re.test((n as Text).data)) return { term: link?.dataset.term ?? null, text: (n as Text).data };
      }
      return null;
    },
    { source: word.source, flags: word.flags },
  );
}

/** Focuses the focusable element just before `link` in the document, then presses Tab onto it. */
async function tabOnto(page: Page, selector: string): Promise<void> {
  await page.evaluate((sel) => {
    const target = document.querySelector(sel)!;
    const focusable = [
      ...document.querySelectorAll<HTMLElement>("a[href], button, input, select, textarea, [tabindex]"),
    ].filter((e) => e.tabIndex >= 0 && !(e as HTMLButtonElement).disabled && e.getClientRects().length > 0);
    focusable[focusable.indexOf(target as HTMLElement) - 1].focus();
  }, selector);
  await page.keyboard.press("Tab");
}

describe.skipIf(!enabled)("glossary in Chromium", () => {
  for (const [slug, checks] of Object.entries(CHECKS)) {
    it(`${slug}: the first use of a term links to the glossary; Tab and hover show its definition`, async () => {
      const { page, watch } = await open(`/${slug}`, "a.meddl-term");
      const terms = await page.locator("a.meddl-term").evaluateAll((as) => as.map((a) => a.dataset.term));
      expect(terms.length).toBeGreaterThan(20);
      expect(new Set(terms).size).toBe(terms.length); // first use only
      for (const { id, word } of checks) {
        expect(await firstUse(page, word), `${slug}: first "${word.source}"`).toMatchObject({ term: id });
        const selector = `a.meddl-term[data-term="${id}"]`;
        const link = page.locator(selector);
        expect(await link.getAttribute("href")).toBe(`./glossary#${id}`);
        const tip = page.locator(`#${await link.getAttribute("aria-describedby")}`);
        expect(await tip.getAttribute("role")).toBe("tooltip");
        await expect.poll(() => tip.isVisible()).toBe(false);

        await link.scrollIntoViewIfNeeded();
        await tabOnto(page, selector);
        expect(await page.evaluate(() => (document.activeElement as HTMLElement).dataset.term)).toBe(id);
        await expect.poll(() => tip.isVisible()).toBe(true);
        expect(await tip.textContent()).toContain(definition(id));
        // The tooltip sits just under the link, inside the window.
        // (Polled: a cell drawing above the link can move it; the tooltip follows on the next frame.)
        const gap = async () => {
          const [l, t] = [(await link.boundingBox())!, (await tip.boundingBox())!];
          return t.y - (l.y + l.height);
        };
        await expect.poll(gap, { timeout: 10_000 }).toBeGreaterThanOrEqual(-1);
        await expect.poll(gap, { timeout: 10_000 }).toBeLessThan(30);
        const t = (await tip.boundingBox())!;
        expect(t.x + t.width).toBeLessThanOrEqual(page.viewportSize()!.width);
        await page.keyboard.press("Escape");
        await expect.poll(() => tip.isVisible()).toBe(false);

        await page.mouse.move(0, 0);
        await link.hover();
        await expect.poll(() => tip.isVisible()).toBe(true);
        await page.mouse.move(0, 0);
        await expect.poll(() => tip.isVisible()).toBe(false);
      }
      expect(watch.errors).toEqual([]);
      expect(watch.external).toEqual([]);
      await page.close();
    });
  }

  it("the glossary page lists every term under its own anchor; a lesson's link lands on the entry", async () => {
    const { page, watch } = await open("/glossary", "dl.meddl-glossary");
    const ids = await page.locator("dl.meddl-glossary dt").evaluateAll((dts) => dts.map((d) => d.id));
    expect(new Set(ids)).toEqual(new Set(GLOSSARY.map((t) => t.id)));
    expect(ids).toHaveLength(GLOSSARY.length);
    expect(await page.locator("dt#patchgan + dd").textContent()).toContain(definition("patchgan"));
    // Links back to the lessons are served.
    const back = await page
      .locator("dt#epoch + dd a")
      .evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
    expect(back.length).toBeGreaterThan(0);
    for (const url of back) expect((await page.request.get(url)).status(), url).toBe(200);
    expect(watch.errors).toEqual([]);
    expect(watch.external).toEqual([]);
    await page.close();

    // From a lesson: follow the AUC link; the glossary opens scrolled to the entry.
    const lesson = await open("/cnn", "a.meddl-term");
    await lesson.page.locator('a.meddl-term[data-term="auc"]').click();
    await lesson.page.waitForURL(/\/glossary#auc$/);
    const entry = lesson.page.locator("dt#auc");
    await entry.waitFor();
    await expect.poll(() => entry.evaluate((e) => Math.round(e.getBoundingClientRect().top))).toBeLessThan(200);
    expect(await entry.getAttribute("class")).toContain("meddl-glossary-target"); // highlighted
    expect(lesson.watch.errors).toEqual([]);
    expect(lesson.watch.external).toEqual([]);
    await lesson.page.close();
  });

  it("a deep link straight to an entry far down the page scrolls to it", async () => {
    const { page } = await open("/glossary#webassembly", "dt#webassembly");
    const entry = page.locator("dt#webassembly");
    await expect.poll(() => entry.evaluate((e) => e.getBoundingClientRect().top)).toBeLessThan(200);
    expect(await page.request.get(`${session().server.url}/glossary`).then((r) => r.status())).toBe(200);
    await page.close();
  });
});
