// Build-time discovery of real datasets (Framework data loaders import this).
// Looks in $MEDDL_DATA_DIR, else in data/ (where `npm run data` downloads to). Files found are
// copied into the built site, so a classroom server can offer them with no upload and no internet.
import { existsSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

export const MEDMNIST_2D = [
  "pathmnist", "chestmnist", "dermamnist", "octmnist", "pneumoniamnist", "retinamnist",
  "breastmnist", "bloodmnist", "tissuemnist", "organamnist", "organcmnist", "organsmnist",
];

/** BBBC039 file names we recognise: our own short name, or the shared half-size copy. */
export const BBBC039_NAMES = ["bbbc039", "bbbc039_half_260x348"];

/** Directories searched, in order: each root, and its medmnist/ and bbbc039/ subfolders. */
export function dataDirs() {
  const roots = [];
  if (process.env.MEDDL_DATA_DIR) roots.push(resolve(process.env.MEDDL_DATA_DIR));
  roots.push(resolve("data"));
  return roots.flatMap((root) => [root, join(root, "medmnist"), join(root, "bbbc039")]);
}

/** Path of `<name>.npz` in the first directory that has it, or null. */
export function findFile(name) {
  for (const dir of dataDirs()) {
    const file = join(dir, `${name}.npz`);
    if (existsSync(file) && statSync(file).isFile()) return file;
  }
  return null;
}

/** The MedMNIST files present: [{id, bytes}]. */
export function presentMedmnist() {
  return MEDMNIST_2D.flatMap((id) => {
    const file = findFile(id);
    return file ? [{ id, bytes: statSync(file).size }] : [];
  });
}

/** The BBBC039 file present, or null. */
export function findBbbc039() {
  for (const name of BBBC039_NAMES) {
    const file = findFile(name);
    if (file) return file;
  }
  return null;
}

/** Writes the file to stdout (a data loader's output), or nothing when it is absent. */
export function emitFile(name) {
  const file = name === "bbbc039" ? findBbbc039() : findFile(name);
  if (file) process.stdout.write(readFileSync(file));
}

/** What the lessons can offer: [{id, bytes}] for MedMNIST, and BBBC039's size or null. */
export function manifest() {
  const bbbc039 = findBbbc039();
  return { medmnist: presentMedmnist(), bbbc039: bbbc039 ? { bytes: statSync(bbbc039).size } : null };
}
