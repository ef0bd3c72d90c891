/** Shared set-up for the browser tests: build the site once, serve it, launch Chromium. */
import { existsSync } from "node:fs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { findChromium, INSTALL_HINT, launchChromium, type Launched } from "./browser";
import { serveDirectory, type StaticServer } from "./server";

export const chromePath = findChromium();

/** Outside CI a missing browser skips the tests with a hint; under CI it is a failure. */
export function browserAvailable(): boolean {
  if (chromePath) return true;
  if (process.env.CI === "true") throw new Error(`CI=true but ${INSTALL_HINT}`);
  console.warn(`Skipping browser tests. ${INSTALL_HINT}`);
  return false;
}

/** The site is built once by tests/e2e/globalSetup.ts; this checks it is there. */
function checkBuilt(): void {
  if (!existsSync("dist/cnn.html"))
    throw new Error("dist/ was not built: run the browser tests through vitest (its globalSetup builds the site)");
}

export interface Session {
  server: StaticServer;
  browser: Launched;
}

/** `launchArgs`: extra Chromium flags (e.g. `--enable-unsafe-webgpu`). */
export async function openSession(launchArgs: string[] = []): Promise<Session> {
  checkBuilt();
  const server = await serveDirectory("dist");
  const browser = await launchChromium(chromePath!, launchArgs);
  return { server, browser };
}

export async function closeSession(session: Session | undefined): Promise<void> {
  await session?.browser.close();
  await session?.server.close();
}

/** Records console errors, uncaught exceptions and any request to a host other than ours. */
export function watchPage(page: Page): { errors: string[]; external: string[] } {
  const errors: string[] = [];
  const external: string[] = [];
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  page.on("pageerror", (e) => errors.push(`uncaught: ${e.message}`));
  page.on("request", (r) => {
    const url = new URL(r.url());
    if (["data:", "blob:"].includes(url.protocol)) return;
    if (!["127.0.0.1", "localhost"].includes(url.hostname)) external.push(r.url());
  });
  return { errors, external };
}

/**
 * One server and browser for a test file: opened before its tests, closed after. `wanted` false
 * (e.g. its data is missing) or no browser: nothing opens, and `enabled` says to skip.
 */
export function useBrowserSession(
  wanted = true,
  launchArgs: string[] = [],
): {
  enabled: boolean;
  session: () => Session;
  open: (path: string, ready?: string) => Promise<OpenPage>;
} {
  const enabled = wanted && browserAvailable();
  let session: Session | undefined;
  beforeAll(async () => {
    if (enabled) session = await openSession(launchArgs);
  });
  afterAll(() => closeSession(session));
  /** A new page at `path`, watched for console errors and outside requests, once `ready` shows. */
  const open = async (path: string, ready?: string): Promise<OpenPage> => {
    const page = await session!.browser.context.newPage();
    const watch = watchPage(page);
    await page.goto(`${session!.server.url}${path}`);
    // Generous: under CI two browser tests train side by side on two cores, and pages build models first.
    if (ready) await page.locator(ready).first().waitFor({ timeout: 180_000 });
    return { page, watch };
  };
  return { enabled, session: () => session!, open };
}

export interface OpenPage {
  page: Page;
  watch: ReturnType<typeof watchPage>;
}
