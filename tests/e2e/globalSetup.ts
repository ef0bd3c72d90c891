/**
 * Builds the site once for all browser test files (they run in parallel and must not build
 * dist/ at the same time). Skipped when no browser is there (the browser tests skip too), or
 * when MEDDL_SKIP_BUILD=1 and a build exists (handy while iterating on unit tests).
 */
import { execSync } from "node:child_process";
import { existsSync } from "node:fs";
import { findChromium } from "./browser";

export default function setup(): void {
  if (!findChromium() && process.env.CI !== "true") return;
  if (process.env.MEDDL_SKIP_BUILD === "1" && existsSync("dist/cnn.html")) return;
  execSync("npm run build", { stdio: "inherit" });
}
