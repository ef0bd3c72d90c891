// `npm run colourblind -- shot.png`: how a screenshot looks to a reader with deuteranopia and with
// protanopia, to check that the kit's charts never rely on a red/green contrast. Writes
// shot.deuteranopia.png and shot.protanopia.png next to it.
//
// The simulation is Machado, Oliveira & Fernandes (2009), "A physiologically-based model for
// simulation of color vision deficiency", severity 1.0, applied by the browser as an SVG colour
// matrix (on linear-ish sRGB values, as that paper's matrices are commonly used).
import { readFileSync } from "node:fs";
import { findChromium, INSTALL_HINT, launchChromium } from "../tests/e2e/browser";

export const CVD_MATRICES = {
  deuteranopia: [
    [0.367322, 0.860646, -0.227968],
    [0.280085, 0.672501, 0.047413],
    [-0.01182, 0.04294, 0.968881],
  ],
  protanopia: [
    [0.152286, 1.052583, -0.204868],
    [0.114503, 0.786281, 0.099216],
    [-0.003882, -0.048116, 1.051998],
  ],
} as const;

/** The 4×5 matrix an SVG feColorMatrix takes, from a 3×3 RGB matrix. */
export function feColorMatrix(m: readonly (readonly number[])[]): string {
  return [...m.map((row) => [...row, 0, 0]), [0, 0, 0, 1, 0]].flat().join(" ");
}

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file) throw new Error("usage: npm run colourblind -- screenshot.png");
  const chrome = findChromium();
  if (!chrome) throw new Error(INSTALL_HINT);
  const data = `data:image/png;base64,${readFileSync(file).toString("base64")}`;
  const browser = await launchChromium(chrome);
  try {
    for (const [name, matrix] of Object.entries(CVD_MATRICES)) {
      const page = await browser.context.newPage();
      await page.setContent(
        `<svg width="0" height="0" style="position:absolute"><filter id="cvd" color-interpolation-filters="linearRGB">` +
          `<feColorMatrix type="matrix" values="${feColorMatrix(matrix)}"/></filter></svg>` +
          `<img id="shot" src="${data}" style="filter:url(#cvd);display:block">`,
      );
      const image = page.locator("#shot");
      await image.evaluate((img: HTMLImageElement) => img.decode());
      const out = file.replace(/\.png$/, `.${name}.png`);
      await image.screenshot({ path: out });
      console.log(`saved ${out}`);
      await page.close();
    }
  } finally {
    await browser.close();
  }
}

if (process.argv[1]?.endsWith("colourblind.ts")) await main();
