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
