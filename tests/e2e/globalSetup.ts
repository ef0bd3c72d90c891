/**
 * Builds the site once for all browser test files (they run in parallel and must not build
 * dist/ at the same time). Skipped when no browser is there (the browser tests skip too), or
 * when MEDDL_SKIP_BUILD=1 and a build exists (handy while iterating on unit tests).
 */
import { execSync } from "node:child_process";
import { existsSync } from "node:fs";
import { sharedFile } from "../helpers/data";
import { findChromium } from "./browser";

export default function setup(): void {
  if (!findChromium() && process.env.CI !== "true") return;
  if (process.env.MEDDL_SKIP_BUILD === "1" && existsSync("dist/cnn.html")) return;
  // With the shared test copies beside the repo, build them in, as a teacher's `npm run data` would:
  // this exercises the build-time data loaders (data/realData.mjs) too.
  const shared = sharedFile("");
  const env =
    shared.exists && !process.env.MEDDL_DATA_DIR ? { ...process.env, MEDDL_DATA_DIR: shared.file } : process.env;
  execSync("npm run build", { stdio: "inherit", env });
}
