// `npm run record`: re-measures every recorded claim the lessons make, seeded, in node (wasm
// backend with the kit's gradient kernels), and writes data/records/<name>.json. Pages quote
// these files; tests/records/*.test.ts check that the quotes and the records agree.
//
//   npm run record                           # every part (see README for the run time)
//   npm run record -- --only cnn-nodules     # one part (or several, comma-separated)
//   npm run record -- --only cnn-medmnist --dataset breastmnist --seeds 3
//   options: --seeds N (seeds 1…N; each part has its own default); for cnn-medmnist, --keep keeps
//   the candidates already recorded and measures only the new ones
//
// Parts: cnn-nodules, cnn-depth, cnn-medmnist, unet-nuclei, unet-checkerboard, unet-bbbc039, transfer-real, gan-dose.
// Records that already have a home are read in place, not copied: the transfer sweep
// (data/pretrained/shapes/sweep.json, `npm run sweep`) and the GAN generators' training records
// (data/pretrained/gan-ct-*/pretrain.json, `npm run pretrain:gan`).
import { setupBackend } from "../src/backend/setup";
import { option, writeRecord } from "./record/common";

type Part = (seedsFallback?: number) => Promise<Record<string, unknown>>;

const seedList = (fallback: number) =>
  Array.from({ length: Number(option("seeds", String(fallback))) }, (_, i) => i + 1);

const PARTS: Record<string, Part> = {
  "cnn-nodules": async () => (await import("./record/cnn")).recordCnnNodules(seedList(3)),
  "cnn-depth": async () => (await import("./record/cnn")).recordCnnDepth(seedList(3)),
  "cnn-medmnist": async () =>
    (await import("./record/cnn")).recordCnnMedmnist(
      seedList(3),
      option("dataset", "") || undefined,
      process.argv.includes("--keep"),
    ),
  "unet-nuclei": async () => (await import("./record/unet")).recordUnetNuclei(seedList(2)),
  "unet-checkerboard": async () => (await import("./record/unet")).recordUnetCheckerboard(seedList(3)),
  "unet-bbbc039": async () => (await import("./record/unet")).recordUnetBbbc039(),
  "gan-dose": async () => (await import("./record/gan")).recordGanDose(),
  "transfer-real": async () => (await import("./record/transfer")).recordTransferReal(seedList(3)),
};

const only = option("only", "").split(",").filter(Boolean);
for (const name of only)
  if (!PARTS[name]) throw new Error(`unknown part "${name}"; parts: ${Object.keys(PARTS).join(", ")}`);
const backend = await setupBackend();
const allStarted = Date.now();
for (const [name, part] of Object.entries(PARTS)) {
  if (only.length && !only.includes(name)) continue;
  console.log(`${name} (backend ${backend.name})`);
  const started = Date.now();
  const result = await part();
  const seconds = Math.round((Date.now() - started) / 1000);
  const file = writeRecord(name, {
    command: `npm run record -- ${process.argv.slice(2).join(" ") || `--only ${name}`}`,
    backend: backend.name,
    seconds,
    ...result,
  });
  console.log(`wrote ${file} · ${seconds} s`);
}
console.log(`done · ${Math.round((Date.now() - allStarted) / 1000)} s`);
