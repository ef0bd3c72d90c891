// Opens a built page in headless Chromium, optionally clicks Train, waits, and saves a
// full-page screenshot plus the console messages and any request to a non-local host.
//   node --import tsx scripts/screenshot.ts /cnn shot.png [--train] [--wait 20000]
import { findChromium, INSTALL_HINT, launchChromium } from "../tests/e2e/browser";
import { serveDirectory } from "../tests/e2e/server";

const [path = "/", out = "screenshot.png"] = process.argv.slice(2).filter((a) => !a.startsWith("--") && !/^\d+$/.test(a));
const train = process.argv.includes("--train");
const waitIndex = process.argv.indexOf("--wait");
const wait = waitIndex > 0 ? Number(process.argv[waitIndex + 1]) : 3000;

const chrome = findChromium();
if (!chrome) throw new Error(INSTALL_HINT);
const server = await serveDirectory("dist");
const browser = await launchChromium(chrome);
const page = await browser.context.newPage();
page.on("console", (m) => console.log(`[console.${m.type()}] ${m.text()}`));
page.on("pageerror", (e) => console.log(`[pageerror] ${e.message}`));
page.on("request", (r) => {
  const host = new URL(r.url()).hostname;
  if (!["127.0.0.1", "localhost"].includes(host) && !r.url().startsWith("data:") && !r.url().startsWith("blob:")) console.log(`[external request] ${r.url()}`);
});
await page.goto(server.url + path);
await page.waitForTimeout(2000);
if (train) await page.getByRole("button", { name: /Train/ }).first().click();
await page.waitForTimeout(wait);
await page.screenshot({ path: out, fullPage: true });
console.log(`saved ${out}`);
await browser.close();
await server.close();
