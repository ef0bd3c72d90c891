import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import { DataError } from "../../src/data/npz";

/** The shared real data sits beside the repository: <repo>/../shared/data (a fresh clone has none). */
export const SHARED_DATA = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../shared/data");

/** Path of a file under ../shared/data, and whether it is there. */
export function sharedFile(relative: string): { file: string; exists: boolean } {
  const file = path.join(SHARED_DATA, relative);
  return { file, exists: existsSync(file) };
}

/** Runs fn and returns the DataError it throws (failing the test if it throws nothing or something else). */
export function dataError(fn: () => unknown): DataError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(DataError);
    return err as DataError;
  }
  throw new Error("expected a DataError, but nothing was thrown");
}

/** Element-wise equality of typed arrays (much faster than toEqual on 100k+ floats). */
export function same(p: ArrayLike<number>, q: ArrayLike<number>): boolean {
  if (p.length !== q.length) return false;
  for (let i = 0; i < p.length; i++) if (p[i] !== q[i]) return false;
  return true;
}

/** Smallest and largest value. */
export function range(a: Float32Array): [number, number] {
  let lo = Infinity,
    hi = -Infinity;
  for (const v of a) ((lo = Math.min(lo, v)), (hi = Math.max(hi, v)));
  return [lo, hi];
}

interface Seedable {
  train: { images: Float32Array; labels: Int32Array };
  val: { images: Float32Array; labels: Int32Array };
}

/** A seeded generator must repeat itself for one seed and differ for another. */
export function expectSeeded(make: (seed: number) => Seedable, seed = 5): void {
  const [a, b, c] = [make(seed), make(seed), make(seed + 1)];
  expect(same(a.train.images, b.train.images)).toBe(true);
  expect(a.train.labels).toEqual(b.train.labels);
  expect(same(a.val.images, b.val.images)).toBe(true);
  expect(a.val.labels).toEqual(b.val.labels);
  expect(same(a.train.images, c.train.images)).toBe(false);
  expect(a.train.labels).not.toEqual(c.train.labels);
}
