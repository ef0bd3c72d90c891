// Build-time discovery of real datasets (Framework data loaders import this).
// Looks in $MEDDL_DATA_DIR, else in data/ (where `npm run data` downloads to). Files found are
// copied into the built site, so a classroom server can offer them with no upload and no internet.
import { existsSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

export const MEDMNIST_2D = [
  "pathmnist", "chestmnist", "dermamnist", "octmnist", "pneumoniamnist", "retinamnist",
  "breastmnist", "bloodmnist", "tissuemnist", "organamnist", "organcmnist", "organsmnist",
];

/** Directories searched, in order. */
export function dataDirs() {
  const dirs = [];
  if (process.env.MEDDL_DATA_DIR) dirs.push(resolve(process.env.MEDDL_DATA_DIR));
  dirs.push(resolve("data"), resolve("data/medmnist"));
  return dirs;
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

/** Writes the file to stdout (a data loader's output), or nothing when it is absent. */
export function emitFile(name) {
  const file = findFile(name);
  if (file) process.stdout.write(readFileSync(file));
}
