// Bundles the kit's TypeScript library (src/) with tfjs, Plot and d3 into ONE browser module,
// lessons/_lib/meddl.js, and copies the wasm backend's binaries next to it.
//
// Why: Framework's root is lessons/, so pages cannot import ../src directly, and Framework
// bundles each npm package separately, which breaks tfjs. One esbuild bundle solves both.
// Pages import it as: import {…} from "./_lib/meddl.js". Run with --watch during development.
import * as esbuild from "esbuild";
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const out = "lessons/_lib";
const watch = process.argv.includes("--watch");

mkdirSync(join(out, "wasm"), { recursive: true });
// Framework caches data-loader output; forget the real-data loaders' so a newly downloaded file shows up.
rmSync("lessons/.observablehq/cache/data", { recursive: true, force: true });
const wasmDir = dirname(require.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm"));
for (const file of ["tfjs-backend-wasm.wasm", "tfjs-backend-wasm-simd.wasm", "tfjs-backend-wasm-threaded-simd.wasm"]) {
  copyFileSync(join(wasmDir, file), join(out, "wasm", file));
}

const options = {
  entryPoints: ["src/index.ts"],
  outfile: join(out, "meddl.js"),
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  minify: true,
  sourcemap: false,
  legalComments: "none",
  logLevel: "warning",
};

if (watch) {
  const context = await esbuild.context(options);
  await context.watch();
  console.log(`watching src/ → ${options.outfile}`);
} else {
  const result = await esbuild.build({ ...options, metafile: true });
  const bytes = Object.values(result.metafile.outputs).reduce((s, o) => s + o.bytes, 0);
  console.log(`bundled src/ → ${options.outfile} (${(bytes / 1e6).toFixed(1)} MB)`);
}
