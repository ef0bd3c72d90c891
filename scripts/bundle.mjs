// Bundles the kit's TypeScript library (src/) with tfjs, Plot and d3 into ONE browser module,
// lessons/_lib/meddl.js, and copies the wasm backend's binaries next to it.
//
// Why: Framework's root is lessons/, so pages cannot import ../src directly, and Framework
// bundles each npm package separately, which breaks tfjs. One esbuild bundle solves both.
// Pages import it as: import {…} from "./_lib/meddl.js". Run with --watch during development.
import * as esbuild from "esbuild";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const out = "lessons/_lib";
const watch = process.argv.includes("--watch");

mkdirSync(join(out, "wasm"), { recursive: true });
// Framework caches data-loader output and re-runs a loader only when the loader itself changes.
// Forget that output when what the loaders read has changed (a newly downloaded dataset, new shipped
// weights or records), and only then: output kept from the last build keeps its file dates, which
// Framework writes into the site, so the same inputs give the same site every time.
const dataCache = "lessons/.observablehq/cache/data";
const fingerprintFile = "lessons/.observablehq/cache/data-inputs.json";
const fingerprint = JSON.stringify(dataInputs());
if (!existsSync(fingerprintFile) || readFileSync(fingerprintFile, "utf-8") !== fingerprint) {
  rmSync(dataCache, { recursive: true, force: true });
  mkdirSync(dirname(fingerprintFile), { recursive: true });
  writeFileSync(fingerprintFile, fingerprint);
}
const wasmDir = dirname(require.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm"));
for (const file of ["tfjs-backend-wasm.wasm", "tfjs-backend-wasm-simd.wasm", "tfjs-backend-wasm-threaded-simd.wasm"]) {
  copyFileSync(join(wasmDir, file), join(out, "wasm", file));
  const { atime, mtime } = statSync(join(wasmDir, file));
  utimesSync(join(out, "wasm", file), atime, mtime); // the installed file's date, not today's: same site every build
}

/** Name, size and date of every file the data loaders may read (data/ and $MEDDL_DATA_DIR, two levels deep). */
function dataInputs() {
  const roots = ["data", process.env.MEDDL_DATA_DIR].filter(Boolean);
  const files = [];
  const walk = (dir, depth) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && depth < 2) walk(path, depth + 1);
      else if (entry.isFile()) {
        const { size, mtimeMs } = statSync(path);
        files.push([path, size, mtimeMs]);
      }
    }
  };
  for (const root of roots) walk(root, 0);
  return { dataDir: process.env.MEDDL_DATA_DIR ?? null, files: files.sort() };
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

// The training worker: a module worker with tfjs and the training code only (no Plot, no d3, no DOM).
// Pages find it through FileAttachment (lessons/components/trainingWorker.js), so the site ships it.
const workerOptions = { ...options, entryPoints: ["src/worker/entry.ts"], outfile: join(out, "trainingWorker.js") };

for (const o of [options, workerOptions]) {
  if (watch) {
    const context = await esbuild.context(o);
    await context.watch();
    console.log(`watching src/ → ${o.outfile}`);
  } else {
    const result = await esbuild.build({ ...o, metafile: true });
    const bytes = Object.values(result.metafile.outputs).reduce((s, x) => s + x.bytes, 0);
    console.log(`bundled src/ → ${o.outfile} (${(bytes / 1e6).toFixed(1)} MB)`);
    // The worker is a FileAttachment, whose date Framework writes into the site: give it the installed
    // tfjs binary's date, not today's, so the same sources give the same site every build.
    if (o === workerOptions) {
      const { atime, mtime } = statSync(join(wasmDir, "tfjs-backend-wasm.wasm"));
      utimesSync(o.outfile, atime, mtime);
    }
  }
}
