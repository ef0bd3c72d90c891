// Shared by the record parts (`npm run record`): options, where real data lives, and how a record
// is written. A record is data/records/<name>.json: what was measured, with which settings and
// seeds, on which backend, and how long it took. Pages read it through a data loader
// (lessons/data/records/<name>.json.js) and quote it; tests check page and record agree.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Trainer } from "../../src/train/trainer";

/** `--name value` from the command line, or the fallback. */
export function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

/** `--seeds 3` → [1, 2, 3]. */
export function seedsOption(fallback: number): number[] {
  return Array.from({ length: Number(option("seeds", String(fallback))) }, (_, i) => i + 1);
}

/** A real data file from data/, MEDDL_DATA_DIR or ../shared/data (never shipped; null when absent). */
export function findDataFile(subdir: string, name: string): string | null {
  const dirs = [process.env.MEDDL_DATA_DIR, "data", join("data", subdir), join("..", "shared", "data", subdir)].filter(
    Boolean,
  ) as string[];
  return dirs.map((d) => resolve(d, name)).find(existsSync) ?? null;
}

export function readBytes(file: string): Uint8Array {
  const b = readFileSync(file);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** Rounds every number in a record to 4 decimals, so the files stay small and diffs readable. */
export function rounded<T>(value: T): T {
  return JSON.parse(
    JSON.stringify(value, (_, v) => (typeof v === "number" && !Number.isInteger(v) ? +v.toFixed(4) : v)),
  );
}

export function writeRecord(name: string, record: Record<string, unknown>): string {
  const dir = resolve("data", "records");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(rounded({ name, ...record }), null, 1) + "\n");
  return file;
}

/** Trains to the end (or divergence) and returns the trainer; the caller disposes it. */
export async function trainToEnd<V>(trainer: Trainer<V>, onEpoch?: (line: string) => void): Promise<Trainer<V>> {
  if (onEpoch)
    trainer.on("epoch", (e) =>
      onEpoch(
        `    epoch ${e.epoch} (step ${e.step}): ${Object.entries(e.metrics)
          .map(([k, v]) => `${k} ${v.toFixed(3)}`)
          .join(", ")}`,
      ),
    );
  while (trainer.state !== "done" && trainer.state !== "diverged") await trainer.step();
  return trainer;
}

export const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
export const sd = (xs: number[]) => {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
};
/** Mean, standard deviation (n − 1), min and max of a list of values. */
export const stats = (xs: number[]) => ({
  mean: mean(xs),
  sd: sd(xs),
  min: Math.min(...xs),
  max: Math.max(...xs),
  values: xs,
});
