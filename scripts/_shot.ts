import { findChromium, launchChromium } from "../tests/e2e/browser";
import { serveDirectory } from "../tests/e2e/server";
const server = await serveDirectory("dist");
const browser = await launchChromium(findChromium()!);
const page = await browser.context.newPage();
await page.setViewportSize({ width: 1280, height: 1000 });
page.on("console", (m) => console.log(`[console.${m.type()}] ${m.text()}`));
page.on("pageerror", (e) => console.log(`[pageerror] ${e.message}`));
await page.goto(server.url + "/autoencoders");
await page.locator(".meddl-ae-controls").waitFor({ timeout: 60000 });
const variational = process.argv.includes("--vae");
if (variational) { await page.getByLabel(/Variational/).check(); await page.waitForTimeout(3000); }
await page.locator(".meddl-ae-controls").getByRole("button", { name: /Train/ }).click();
await page.locator(".meddl-anomaly-controls").getByRole("button", { name: /Train/ }).click();
await page.waitForFunction(() => (document.querySelector(".meddl-anomaly-controls .meddl-controls") as HTMLElement)?.dataset.state === "done" && (document.querySelector(".meddl-ae-controls .meddl-controls") as HTMLElement)?.dataset.state === "done", null, { timeout: 600000 });
await page.waitForTimeout(3000);
const sel = [".meddl-ae-controls", ".meddl-expect", ".meddl-chart-reconstructions", ".meddl-chart-loss", ".meddl-chart-codes", ".meddl-chart-interpolation", ".meddl-chart-samples", ".meddl-sweep", ".meddl-record-table", ".meddl-chart-anomaly"];
for (const [i, s] of sel.entries()) { const l = page.locator(s).first(); if (await l.count()) await l.screenshot({ path: `/tmp/aeshot-el-${variational ? "vae-" : ""}${i}.png` }); }
await page.screenshot({ path: `/tmp/aeshot-full${variational ? "-vae" : ""}.png`, fullPage: true });
await browser.close(); await server.close();
