/**
 * "Try this" in a real browser, on the detection, explain, data-problems and autoencoder pages:
 * answer one exercise, press "Show what happens", and the reveal opens with a number from the
 * page's record; press each exercise's button, and the page's control moves. The console stays
 * clean and nothing is requested from another host.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { readRecord } from "../records/helpers";
import { useBrowserSession } from "./site";

const { enabled, open } = useBrowserSession();

const pct0 = (x: number) => `${(100 * x).toFixed(0)}%`;
const pct1 = (x: number) => `${(100 * x).toFixed(1)}%`;

interface Applied {
  /** The exercise whose button is pressed, and the control it must move (by group and label). */
  id: string;
  group: string | null;
  label: string;
  after: unknown;
  /** Moves the control elsewhere first, when the page's default already equals `after`. */
  preset?: unknown;
}

interface Case {
  page: string;
  /** The exercise answered and revealed, and the text from the record its reveal must show. */
  reveal: { id: string; answer: number; quote: () => string };
  /** Every exercise with a button on the page, pressed in this order. */
  applies: Applied[];
}

const detection = readRecord("detection");
const explain = readRecord("explain");
const dataProblems = readRecord("data-problems");
const autoencoders = readRecord("autoencoders");

const CASES: Case[] = [
  {
    page: "/detection",
    reveal: { id: "detection-mining", answer: 1, quote: () => pct0(detection.summary.miningLowFp) },
    applies: [
      { id: "detection-early-rounds", group: "Patches and rounds", label: "Rounds", after: 3 },
      { id: "detection-threshold", group: null, label: "…or those scoring at least", after: 0.2 },
      {
        id: "detection-mining",
        group: null,
        label: "Hard-negative mining: train a second run with it, side by side",
        after: true,
        preset: false,
      },
    ],
  },
  {
    page: "/explain",
    reveal: {
      id: "explain-shortcut-accuracy",
      answer: 1,
      quote: () => pct0(explain.summary.shortcut.valAccuracy.mean),
    },
    applies: [
      { id: "explain-shortcut-accuracy", group: "Planted shortcut", label: "Plant the shortcut", after: true },
      { id: "explain-which-map", group: "Planted shortcut", label: "In validation", after: "swapped" },
    ],
  },
  {
    page: "/data-problems",
    reveal: {
      id: "data-problems-one-percent",
      answer: 0,
      quote: () =>
        pct1(dataProblems.imbalance.summary.find((s: any) => s.fraction === 0.01 && s.remedy === "none").accuracy),
    },
    applies: [
      {
        id: "data-problems-one-percent",
        group: "Class imbalance",
        label: "Positives in the training set (%)",
        after: 1,
      },
      { id: "data-problems-weighting", group: "Class imbalance", label: "Positives in the training set (%)", after: 5 },
      {
        id: "data-problems-memorise",
        group: "Noisy labels",
        label: "Training labels flipped (%)",
        after: 30,
        preset: 10,
      },
      { id: "data-problems-augment-few", group: "Few labels", label: "Training images (N)", after: 10 },
      {
        id: "data-problems-augment-all",
        group: "Few labels",
        label: "Training images (N)",
        after: Math.max(...dataProblems.augment.settings.sizes),
      },
    ],
  },
  {
    page: "/autoencoders",
    reveal: {
      id: "autoencoders-bottleneck-2",
      answer: 1,
      quote: () => `${autoencoders.bottleneck.psnr.mean.toFixed(1)} dB`,
    },
    applies: [
      { id: "autoencoders-bottleneck-2", group: "Model", label: "Bottleneck (code size)", after: 2 },
      {
        id: "autoencoders-vae-beta",
        group: "Model",
        label: "Variational (VAE): the code is a distribution",
        after: true,
      },
      { id: "autoencoders-vae-beta", group: null, label: "β (weight of the KL term, VAE only)", after: 1, preset: 0.1 },
    ],
  },
];

/**
 * The `.value` of the kit's control with this label (inside the group with this legend); with
 * `set`, first moves it there as the student would (value, then a bubbling input event).
 */
function control(page: Page, group: string | null, label: string, set?: unknown): Promise<unknown> {
  return page.evaluate(
    ([g, l, v]) => {
      const field = Array.from(document.querySelectorAll("label.meddl-field")).find(
        (f) =>
          f.querySelector(":scope > .meddl-label")?.textContent?.trim() === l &&
          (!g || f.closest("fieldset.meddl-group")?.querySelector(":scope > legend")?.textContent?.trim() === g),
      ) as (HTMLElement & { value: unknown }) | undefined;
      if (!field) return "missing";
      if (v !== undefined) {
        field.value = v;
        field.dispatchEvent(new Event("input", { bubbles: true }));
      }
      return field.value;
    },
    [group, label, set] as const,
  );
}

describe.skipIf(!enabled)("Try this exercises (exB pages) in Chromium", () => {
  for (const c of CASES) {
    it(`${c.page}: a guess, the reveal with the record's number, and the button that makes the change`, async () => {
      const { page, watch } = await open(c.page, ".meddl-exercises");
      const card = page.locator(`#exercise-${c.reveal.id}`);
      await card.scrollIntoViewIfNeeded();
      const reveal = card.locator(".meddl-exercise-reveal");
      expect(await reveal.isVisible()).toBe(false);
      await card.locator("input[type=radio]").nth(c.reveal.answer).check();
      await card.getByRole("button", { name: "Show what happens" }).click();
      await reveal.waitFor({ state: "visible" });
      expect(await reveal.textContent()).toContain(c.reveal.quote());
      expect(await card.locator(".meddl-exercise-feedback").textContent()).toMatch(/^Right/);

      for (const a of c.applies) {
        if (a.preset !== undefined) await control(page, a.group, a.label, a.preset);
        const before = await control(page, a.group, a.label);
        expect(before, `${a.label} before ${a.id}`).not.toBe(a.after);
        expect(before, a.label).not.toBe("missing");
        await page.locator(`#exercise-${a.id} .meddl-exercise-apply`).click();
        await page.waitForTimeout(1500); // cells that read the control re-run
        expect(await control(page, a.group, a.label), `${a.label} after ${a.id}`).toBe(a.after);
      }
      // Every box on the page is drawn (one per main section).
      expect(await page.locator(".meddl-exercises").count()).toBeGreaterThanOrEqual(3);
      expect(watch.errors).toEqual([]);
      expect(watch.external).toEqual([]);
      await page.close();
    });
  }
});
