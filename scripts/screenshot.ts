// Opens a built page in headless Chromium, optionally clicks Train, waits, and saves a
// full-page screenshot plus the console messages and any request to a non-local host.
//   node --import tsx scripts/screenshot.ts /cnn shot.png [--train] [--wait 20000] [--pause]
//     [--drop path/to/file.npz] [--element "CSS selector"]   (one picture per matching element)
//     [--width 390] [--height 844]   (window size; default 1280×900) [--dark]   (system colour setting: dark)
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { findChromium, INSTALL_HINT, launchChromium } from "../tests/e2e/browser";
import { serveDirectory } from "../tests/e2e/server";

const positional = process.argv
  .slice(2)
  .filter(
    (a, i, all) =>
      !a.startsWith("--") && !["--wait", "--element", "--drop", "--width", "--height"].includes(all[i - 1]),
  );
const [path = "/", out = "screenshot.png"] = positional;
const train = process.argv.includes("--train");
const waitIndex = process.argv.indexOf("--wait");
const wait = waitIndex > 0 ? Number(process.argv[waitIndex + 1]) : 3000;
const option = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const viewport = { width: option("--width", 1280), height: option("--height", 900) };

const chrome = findChromium();
if (!chrome) throw new Error(INSTALL_HINT);
const server = await serveDirectory("dist");
const browser = await launchChromium(chrome);
const page = await browser.context.newPage();
await page.setViewportSize(viewport);
if (process.argv.includes("--dark")) await page.emulateMedia({ colorScheme: "dark" });
page.on("console", (m) => console.log(`[console.${m.type()}] ${m.text()}`));
page.on("pageerror", (e) => console.log(`[pageerror] ${e.message}`));
page.on("request", (r) => {
  const host = new URL(r.url()).hostname;
  if (!["127.0.0.1", "localhost"].includes(host) && !r.url().startsWith("data:") && !r.url().startsWith("blob:"))
    console.log(`[external request] ${r.url()}`);
});
page.on("response", (r) => r.status() >= 400 && console.log(`[http ${r.status()}] ${r.url()}`));
await page.goto(server.url + path);
await page.waitForTimeout(2000);
const dropIndex = process.argv.indexOf("--drop");
if (dropIndex > 0) {
  // Drops a local file on the page's drop zone, as a user would.
  const file = process.argv[dropIndex + 1];
  const transfer = await page.evaluateHandle(
    ({ name, base64 }) => {
      const dt = new DataTransfer();
      dt.items.add(new File([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], name));
      return dt;
    },
    { name: basename(file), base64: readFileSync(file).toString("base64") },
  );
  await page.dispatchEvent(".meddl-drop", "drop", { dataTransfer: transfer });
  await page.waitForTimeout(3000);
}
if (train) await page.getByRole("button", { name: /Train/ }).first().click();
await page.waitForTimeout(wait);
if (process.argv.includes("--pause")) {
  await page.getByRole("button", { name: /Pause/ }).first().click();
  await page.waitForTimeout(1500); // let the last redraws land
}
const elementIndex = process.argv.indexOf("--element");
if (elementIndex > 0) {
  // One picture per matching element: out-0.png, out-1.png, …
  const all = await page.locator(process.argv[elementIndex + 1]).all();
  for (const [i, locator] of all.entries()) await locator.screenshot({ path: out.replace(/\.png$/, `-${i}.png`) });
} else {
  await page.screenshot({ path: out, fullPage: true });
}
console.log(`saved ${out}`);
await browser.close();
await server.close();
