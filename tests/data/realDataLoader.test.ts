/** The build-time discovery of real datasets (data/realData.mjs), on a temporary directory. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
// @ts-expect-error: a plain ES module used by Framework's data loaders, without type declarations
import { findFile, manifest, presentMedmnist } from "../../data/realData.mjs";

const saved = process.env.MEDDL_DATA_DIR;
afterEach(() => {
  if (saved === undefined) delete process.env.MEDDL_DATA_DIR;
  else process.env.MEDDL_DATA_DIR = saved;
});

describe("real dataset discovery", () => {
  it("lists only the MedMNIST files present in $MEDDL_DATA_DIR, with their sizes", () => {
    const dir = mkdtempSync(join(tmpdir(), "meddl-data-"));
    writeFileSync(join(dir, "breastmnist.npz"), Buffer.alloc(1234));
    writeFileSync(join(dir, "notes.txt"), "not a dataset");
    process.env.MEDDL_DATA_DIR = dir;
    expect(presentMedmnist()).toEqual([{ id: "breastmnist", bytes: 1234 }]);
    expect(findFile("breastmnist")).toBe(join(dir, "breastmnist.npz"));
    expect(findFile("pathmnist")).toBeNull();
    expect(manifest().bbbc039).toBeNull();
    rmSync(dir, { recursive: true });
  });

  it("finds MedMNIST and BBBC039 in the root's medmnist/ and bbbc039/ folders", () => {
    const dir = mkdtempSync(join(tmpdir(), "meddl-data-"));
    mkdirSync(join(dir, "medmnist"));
    mkdirSync(join(dir, "bbbc039"));
    writeFileSync(join(dir, "medmnist", "pneumoniamnist.npz"), Buffer.alloc(10));
    writeFileSync(join(dir, "bbbc039", "bbbc039_half_260x348.npz"), Buffer.alloc(20));
    process.env.MEDDL_DATA_DIR = dir;
    expect(manifest()).toEqual({ medmnist: [{ id: "pneumoniamnist", bytes: 10 }], bbbc039: { bytes: 20 } });
    rmSync(dir, { recursive: true });
  });
});
