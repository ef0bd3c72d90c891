/**
 * The lessons' quoted records in a real browser: each page reads its records through a data loader
 * and quotes them inline. Check that the quotes render (no inline error where a `${…}` failed), that
 * the "what to expect" notes carry the recorded numbers, and that the pages stay clean.
 */
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { medmnistRecommendation } from "../../src/records/cnn";
import { sharedFile } from "../helpers/data";
import { listOf, unetFacts } from "../../src/records/unet";
import { sweepRun } from "../../src/records/transfer";
import { useBrowserSession } from "./site";

const { enabled, open } = useBrowserSession();
const json = (file: string) => JSON.parse(readFileSync(file, "utf8"));

/** Drops a file on the drop zone the way a browser does (as in realdata.e2e.test.ts). */
async function dropFile(page: Page, name: string, bytes: Buffer): Promise<void> {
  const transfer = await page.evaluateHandle(
    ({ name, base64 }) => {
      const data = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([data], name));
      return dt;
    },
    { name, base64: bytes.toString("base64") },
  );
  await page.dispatchEvent(".meddl-drop", "drop", { dataTransfer: transfer });
}

/** Framework marks a cell or inline expression that threw with this class. */
const ERROR = ".observablehq--error";

describe.skipIf(!enabled)("recorded numbers in the lessons", () => {
  it("CNN: the note and the learning-rate sentence quote the records", async () => {
    const { page, watch } = await open("/cnn", ".meddl-controls");
    const note = await page.locator(".meddl-note", { hasText: "What to expect" }).textContent();
    const auc = json("data/records/cnn-nodules.json")
      .defaults.map((r: { epochs: { auc: number }[] }) => r.epochs.at(-1)!.auc.toFixed(3))
      .join(", ");
    expect(note).toContain(auc);
    expect(await page.textContent("body")).toMatch(
      /Too large a learning rate breaks training\. Recorded on the built-in data/,
    );
    expect(await page.locator(ERROR).count()).toBe(0);
    expect(watch.errors).toEqual([]);
    expect(watch.external).toEqual([]);
  });

  it("U-Net: the note quotes the record; the bottleneck size is computed", async () => {
    const { page, watch } = await open("/unet", ".meddl-controls");
    const facts = unetFacts(json("data/records/unet-nuclei.json"))!;
    const note = await page.locator(".meddl-note", { hasText: "What to expect" }).textContent();
    expect(note).toContain(`ends at Dice ${listOf(facts.depth3.dice.withSkips)}`);
    expect(note).toContain("4×4 bottleneck");
    expect(await page.textContent("body")).toContain("(here 8×8 at depth 3)");
    expect(await page.locator(ERROR).count()).toBe(0);
    expect(watch.errors).toEqual([]);
    expect(watch.external).toEqual([]);
  });

  it("transfer: the sweep table and the seed-1 note come from the record", async () => {
    const { page, watch } = await open("/transfer", ".meddl-controls");
    const sweep = json("data/pretrained/shapes/sweep.json");
    expect(await page.locator(".meddl-sweep-table tbody tr").count()).toBe(sweep.settings.sizes.length);
    const note = await page.locator(".meddl-note", { hasText: "What to expect" }).textContent();
    expect(note).toContain(sweepRun(sweep, "scratch", 100, 1).toFixed(2));
    expect(await page.textContent("body")).toMatch(/200 steps at N = 10, 200 steps at N = 25, 225 steps at N = 50/);
    expect(await page.locator(ERROR).count()).toBe(0);
    expect(watch.errors).toEqual([]);
    expect(watch.external).toEqual([]);
  });

  it("GAN: the shipped record's numbers are quoted", async () => {
    const { page, watch } = await open("/gan", ".meddl-controls");
    const val = json("data/pretrained/gan-ct-adversarial/pretrain.json").val;
    const body = await page.textContent("body");
    expect(body).toContain(`pixel loss only ${val.pixel.psnr.toFixed(2)} dB`);
    expect(body).toMatch(/their pixel-wise median/);
    expect(await page.locator(ERROR).count()).toBe(0);
    expect(watch.errors).toEqual([]);
    expect(watch.external).toEqual([]);
  });

  const breast = sharedFile("medmnist/breastmnist.npz");
  it.skipIf(!breast.exists)(
    "CNN with BreastMNIST dropped: the page offers the recorded settings and applies them",
    async () => {
      const { page, watch } = await open("/cnn", ".meddl-controls");
      await dropFile(page, "breastmnist.npz", readFileSync(breast.file));
      const note = page.locator(".meddl-recorded-settings");
      await note.waitFor({ timeout: 60_000 });
      const recommended = medmnistRecommendation(json("data/records/cnn-medmnist.json"), "breastmnist")!;
      expect(await note.textContent()).toContain(`test AUC ${recommended.testAuc.mean.toFixed(3)}`);
      await note.getByRole("checkbox").check();
      // The Training group's number boxes now hold the recorded epochs.
      await page.waitForFunction(
        (want) =>
          [...document.querySelectorAll("input.meddl-number")].some(
            (i) =>
              i.closest("fieldset")?.textContent?.includes("Epochs") && (i as HTMLInputElement).value === String(want),
          ),
        recommended.settings.epochs,
        { timeout: 30_000 },
      );
      expect(await page.locator(ERROR).count()).toBe(0);
      expect(watch.errors).toEqual([]);
      expect(watch.external).toEqual([]);
    },
  );
});
