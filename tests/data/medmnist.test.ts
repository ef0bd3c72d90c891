/**
 * MedMNIST mapping: crafted files of every layout, each validation message, and the real
 * PneumoniaMNIST and BreastMNIST files when ../shared/data is there.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  countPerClass,
  MEDMNIST_IDS,
  MEDMNIST_INFO,
  medmnistFromFile,
  medmnistFromNpz,
  medmnistIdFromFileName,
} from "../../src/data/medmnist";
import { readNpz, writeNpz, type NpyInput } from "../../src/data/npz";
import { dataError, SHARED_DATA } from "../helpers/data";


/** uint8 images whose pixel values encode (image, position) so a mix-up would show. */
function images(n: number, h: number, w: number, c?: number): NpyInput {
  const shape = c === undefined ? [n, h, w] : [n, h, w, c];
  const size = shape.reduce((a, b) => a * b, 1);
  return { dtype: "uint8", shape, data: Uint8Array.from({ length: size }, (_, i) => (i * 7) % 256) };
}

function labels(values: number[], shape?: number[]): NpyInput {
  return { dtype: "uint8", shape: shape ?? [values.length, 1], data: values };
}

/** A small MedMNIST-style file, as arrays read back through the real reader. */
function craft(arrays: Record<string, NpyInput>) {
  return readNpz(writeNpz(arrays));
}

describe("medmnistFromNpz on crafted files", () => {
  it("maps grey (N,H,W) images to 0..1 floats with C=1 and (N,1) labels to class indices", () => {
    const ds = medmnistFromNpz(
      craft({
        train_images: images(4, 5, 6),
        train_labels: labels([0, 1, 1, 0]),
        val_images: images(2, 5, 6),
        val_labels: labels([1, 0]),
        test_images: images(3, 5, 6),
        test_labels: labels([1, 1, 0]),
      }),
      { fileName: "my_data.npz" },
    );
    expect(ds.imageShape).toEqual([5, 6, 1]);
    expect(ds.train.count).toBe(4);
    expect(ds.train.images.length).toBe(4 * 5 * 6);
    expect(ds.train.images[1]).toBeCloseTo(7 / 255, 6);
    expect(ds.train.images[40]).toBeCloseTo(((40 * 7) % 256) / 255, 6);
    expect(Array.from(ds.train.labels)).toEqual([0, 1, 1, 0]);
    expect(Array.from(ds.val.labels)).toEqual([1, 0]);
    expect(ds.test?.count).toBe(3);
    // Unknown file: the task and class names are guessed from the labels.
    expect(ds.task).toBe("binary");
    expect(ds.classNames).toEqual(["class 0", "class 1"]);
    expect(ds.id).toBe("my_data");
    expect(ds.synthetic).toBe(false);
    expect(ds.provenance).toBeUndefined();
  });

  it("maps colour (N,H,W,3) images with C=3, keeping the channel order", () => {
    const ds = medmnistFromNpz(
      craft({
        train_images: images(2, 4, 4, 3),
        train_labels: labels([0, 2]),
        val_images: images(1, 4, 4, 3),
        val_labels: labels([1]),
      }),
    );
    expect(ds.imageShape).toEqual([4, 4, 3]);
    expect(ds.train.images.length).toBe(2 * 4 * 4 * 3);
    // Pixel (image 1, row 2, col 3), channel 2 sits at ((1*4+2)*4+3)*3+2 = 83 in NHWC order.
    expect(ds.train.images[83]).toBeCloseTo(((83 * 7) % 256) / 255, 6);
    expect(ds.task).toBe("multiclass");
    expect(ds.classNames).toEqual(["class 0", "class 1", "class 2"]);
    expect(ds.test).toBeUndefined();
  });

  it("accepts labels shaped (N,) as well as (N,1)", () => {
    const base = { train_images: images(3, 2, 2), val_images: images(2, 2, 2) };
    const flat = medmnistFromNpz(craft({ ...base, train_labels: labels([1, 0, 1], [3]), val_labels: labels([0, 1], [2]) }));
    const column = medmnistFromNpz(craft({ ...base, train_labels: labels([1, 0, 1]), val_labels: labels([0, 1]) }));
    expect(Array.from(flat.train.labels)).toEqual([1, 0, 1]);
    expect(Array.from(column.train.labels)).toEqual([1, 0, 1]);
    expect(flat.task).toBe(column.task);
  });

  it("accepts int64 labels, as NumPy writes by default", () => {
    const ds = medmnistFromNpz(
      craft({
        train_images: images(2, 2, 2),
        train_labels: { dtype: "int64", shape: [2], data: [3, 0] },
        val_images: images(1, 2, 2),
        val_labels: { dtype: "int64", shape: [1], data: [1] },
      }),
    );
    expect(Array.from(ds.train.labels)).toEqual([3, 0]);
    expect(ds.classNames.length).toBe(4);
  });

  it("maps (N,K) labels to N×K flags with a multi-label task", () => {
    const ds = medmnistFromNpz(
      craft({
        train_images: images(2, 3, 3),
        train_labels: labels([1, 0, 1, 0, 0, 1], [2, 3]),
        val_images: images(1, 3, 3),
        val_labels: labels([0, 1, 1], [1, 3]),
      }),
    );
    expect(ds.task).toBe("multilabel");
    expect(ds.classNames).toEqual(["class 0", "class 1", "class 2"]);
    expect(Array.from(ds.train.labels)).toEqual([1, 0, 1, 0, 0, 1]);
    expect(countPerClass(ds, ds.train)).toEqual([1, 0, 2]);
  });

  it("uses the official task and names for a known subset (ChestMNIST: 14 labels)", () => {
    const k = 14;
    const flags = Array.from({ length: 2 * k }, (_, i) => (i % 5 === 0 ? 1 : 0));
    const ds = medmnistFromNpz(
      craft({
        train_images: images(2, 28, 28),
        train_labels: labels(flags, [2, k]),
        val_images: images(1, 28, 28),
        val_labels: labels(flags.slice(0, k), [1, k]),
      }),
      { fileName: "chestmnist.npz" },
    );
    expect(ds.id).toBe("chestmnist");
    expect(ds.task).toBe("multilabel");
    expect(ds.classNames[0]).toBe("atelectasis");
    expect(ds.classNames[13]).toBe("hernia");
    expect(ds.provenance?.license).toBe("CC BY 4.0");
  });

  it("reports a missing array by name, listing what the file holds", () => {
    const err = dataError(() =>
      medmnistFromNpz(craft({ train_images: images(2, 2, 2), val_images: images(1, 2, 2), val_labels: labels([0]) })),
    );
    expect(err.message).toBe("missing array 'train_labels' (found: train_images, val_images, val_labels)");
  });

  it("reports images and labels of different lengths", () => {
    const err = dataError(() =>
      medmnistFromNpz(
        craft({
          train_images: images(100, 2, 2),
          train_labels: labels(new Array(90).fill(0)),
          val_images: images(1, 2, 2),
          val_labels: labels([0]),
        }),
      ),
    );
    expect(err.message).toBe("train_images has 100 images but train_labels has 90 labels");
  });

  it("reports an image shape the lesson cannot use", () => {
    const flat = dataError(() =>
      medmnistFromNpz(
        craft({
          train_images: { dtype: "uint8", shape: [3, 16], data: new Uint8Array(48) },
          train_labels: labels([0, 1, 0]),
          val_images: images(1, 4, 4),
          val_labels: labels([0]),
        }),
      ),
    );
    expect(flat.message).toContain("train_images has shape (3, 16)");
    expect(flat.message).toContain("(N, H, W) for grey or (N, H, W, 3) for colour");

    const fourChannels = dataError(() =>
      medmnistFromNpz(
        craft({ train_images: images(2, 4, 4, 4), train_labels: labels([0, 1]), val_images: images(1, 4, 4), val_labels: labels([0]) }),
      ),
    );
    expect(fourChannels.message).toContain("4 channels");
  });

  it("reports splits whose image sizes differ", () => {
    const err = dataError(() =>
      medmnistFromNpz(
        craft({ train_images: images(2, 28, 28), train_labels: labels([0, 1]), val_images: images(1, 32, 32), val_labels: labels([0]) }),
      ),
    );
    expect(err.message).toContain("val_images are 32×32×1 but train_images are 28×28×1");
  });

  it("reports labels out of range for a known subset", () => {
    const err = dataError(() =>
      medmnistFromNpz(
        craft({ train_images: images(3, 2, 2), train_labels: labels([0, 2, 1]), val_images: images(1, 2, 2), val_labels: labels([0]) }),
        { id: "pneumoniamnist" },
      ),
    );
    expect(err.message).toBe("train_labels has label 2 at image 1, but PneumoniaMNIST has classes 0..1");
  });

  it("reports negative labels and non-0/1 multi-label flags", () => {
    const negative = dataError(() =>
      medmnistFromNpz(
        craft({
          train_images: images(2, 2, 2),
          train_labels: { dtype: "int32", shape: [2], data: [0, -1] },
          val_images: images(1, 2, 2),
          val_labels: labels([0], [1]),
        }),
      ),
    );
    expect(negative.message).toContain("label -1 at image 1");
    const badFlag = dataError(() =>
      medmnistFromNpz(
        craft({ train_images: images(1, 2, 2), train_labels: labels([0, 2], [1, 2]), val_images: images(1, 2, 2), val_labels: labels([0, 1], [1, 2]) }),
      ),
    );
    expect(badFlag.message).toContain("flags must be 0 or 1");
  });

  it("reports a label layout that contradicts the known subset", () => {
    const err = dataError(() =>
      medmnistFromNpz(
        craft({ train_images: images(1, 2, 2), train_labels: labels([0, 1, 0], [1, 3]), val_images: images(1, 2, 2), val_labels: labels([0, 1, 1], [1, 3]) }),
        { id: "breastmnist" },
      ),
    );
    expect(err.message).toContain("3 yes/no labels per image, but BreastMNIST has one class per image");
  });

  it("reports float images outside 0..1", () => {
    const err = dataError(() =>
      medmnistFromNpz(
        craft({
          train_images: { dtype: "float32", shape: [1, 1, 2], data: [0.5, 200] },
          train_labels: labels([0]),
          val_images: { dtype: "float32", shape: [1, 1, 2], data: [0, 1] },
          val_labels: labels([1]),
        }),
      ),
    );
    expect(err.message).toContain("train_images holds the value 200");
  });

  it("medmnistFromFile reads bytes and recognises the subset from the file name", () => {
    const bytes = writeNpz({
      train_images: images(2, 28, 28),
      train_labels: labels([0, 1]),
      val_images: images(1, 28, 28),
      val_labels: labels([1]),
      test_images: images(1, 28, 28),
      test_labels: labels([0]),
    });
    const ds = medmnistFromFile(bytes, "Downloads/BreastMNIST.npz");
    expect(ds.id).toBe("breastmnist");
    expect(ds.classNames).toEqual(["malignant", "normal, benign"]);
    expect(ds.provenance?.citation).toContain("Al-Dhabyani");
    expect(dataError(() => medmnistFromFile(new TextEncoder().encode("hello"), "x.npz")).message).toContain("not a zip file");
  });
});

describe("MEDMNIST_INFO", () => {
  it("covers the 12 2D subsets with the official tasks and class counts", () => {
    expect(MEDMNIST_IDS.length).toBe(12);
    const tasks = Object.fromEntries(MEDMNIST_IDS.map((id) => [id, [MEDMNIST_INFO[id].task, MEDMNIST_INFO[id].classNames.length]]));
    expect(tasks).toEqual({
      pathmnist: ["multiclass", 9],
      chestmnist: ["multilabel", 14],
      dermamnist: ["multiclass", 7],
      octmnist: ["multiclass", 4],
      pneumoniamnist: ["binary", 2],
      retinamnist: ["ordinal", 5],
      breastmnist: ["binary", 2],
      bloodmnist: ["multiclass", 8],
      tissuemnist: ["multiclass", 8],
      organamnist: ["multiclass", 11],
      organcmnist: ["multiclass", 11],
      organsmnist: ["multiclass", 11],
    });
  });

  it("holds the published baselines, credits and download details", () => {
    expect(MEDMNIST_INFO.pneumoniamnist.published).toMatchObject({ acc: 0.854, auc: 0.944 });
    expect(MEDMNIST_INFO.breastmnist.published).toMatchObject({ acc: 0.863, auc: 0.901 });
    expect(MEDMNIST_INFO.pneumoniamnist.classNames).toEqual(["normal", "pneumonia"]);
    expect(MEDMNIST_INFO.pneumoniamnist.citation).toContain("Kermany");
    expect(MEDMNIST_INFO.pneumoniamnist.citation).toContain("Scientific Data");
    expect(MEDMNIST_INFO.pneumoniamnist.url).toBe("https://zenodo.org/records/10519652/files/pneumoniamnist.npz?download=1");
    expect(MEDMNIST_INFO.pneumoniamnist.md5).toBe("28209eda62fecd6e6a2d98b1501bb15f");
    for (const id of MEDMNIST_IDS) {
      expect(MEDMNIST_INFO[id].id).toBe(id);
      expect(MEDMNIST_INFO[id].md5).toMatch(/^[0-9a-f]{32}$/);
      expect(MEDMNIST_INFO[id].license).toMatch(/^CC BY/);
    }
  });

  it("recognises subsets from file names", () => {
    expect(medmnistIdFromFileName("pneumoniamnist.npz")).toBe("pneumoniamnist");
    expect(medmnistIdFromFileName("C:\\data\\PathMNIST_64.npz")).toBe("pathmnist");
    expect(medmnistIdFromFileName("/tmp/organsmnist (1).npz")).toBe("organsmnist");
    expect(medmnistIdFromFileName("organmnist3d.npz")).toBeUndefined();
    expect(medmnistIdFromFileName("pneumoniamnistx.npz")).toBeUndefined();
    expect(medmnistIdFromFileName("nodules.npz")).toBeUndefined();
  });
});

/** Real files: read once, check the official shapes, and count the labels of each split. */
function realFileSuite(id: "pneumoniamnist" | "breastmnist", expected: { train: number; val: number; test: number }) {
  const file = path.join(SHARED_DATA, "medmnist", `${id}.npz`);
  const exists = existsSync(file);
  if (!exists) console.log(`skipping the real ${id} tests: ${file} not found (a fresh clone has no ../shared/data)`);

  describe.skipIf(!exists)(`real ${id}.npz`, () => {
    it("has the official split sizes, 28×28 grey images and both classes in every split", () => {
      const ds = medmnistFromFile(readFileSync(file), file);
      expect(ds.id).toBe(id);
      expect(ds.task).toBe("binary");
      expect(ds.imageShape).toEqual([28, 28, 1]);
      expect(ds.train.count).toBe(expected.train);
      expect(ds.val.count).toBe(expected.val);
      expect(ds.test?.count).toBe(expected.test);
      expect(ds.train.images.length).toBe(expected.train * 28 * 28);
      expect(ds.provenance?.license).toBe("CC BY 4.0");

      for (const [name, split] of [["train", ds.train], ["val", ds.val], ["test", ds.test!]] as const) {
        const counts = countPerClass(ds, split);
        console.log(`${id} ${name}: ${ds.classNames.map((c, i) => `${counts[i]} ${c}`).join(", ")}`);
        expect(counts.length).toBe(2);
        expect(counts[0]! + counts[1]!).toBe(split.count);
        expect(counts[0]).toBeGreaterThan(0);
        expect(counts[1]).toBeGreaterThan(0);
      }
      // Pixels are scaled to 0..1 and are not all one value.
      let min = Infinity;
      let max = -Infinity;
      for (const v of ds.train.images) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      expect(min).toBeGreaterThanOrEqual(0);
      expect(max).toBeLessThanOrEqual(1);
      expect(max - min).toBeGreaterThan(0.5);
    });
  });
}

realFileSuite("pneumoniamnist", { train: 4708, val: 524, test: 624 });
realFileSuite("breastmnist", { train: 546, val: 78, test: 156 });

/**
 * Per-split class counts, computed once from the shared files with NumPy (np.bincount): the
 * reader must reproduce them exactly. Both sets are imbalanced, which is why the lessons
 * report AUC and per-class recall next to accuracy.
 */
const KNOWN_COUNTS = {
  pneumoniamnist: {
    train: [1214, 3494],
    val: [135, 389],
    test: [234, 390],
    // The first five pixels of train image 0 and the labels of train images 0..4, as NumPy reads them.
    firstPixels: [92, 108, 117, 111, 101],
    firstLabels: [1, 1, 1, 1, 1],
  },
  breastmnist: {
    train: [147, 399],
    val: [21, 57],
    test: [42, 114],
    firstPixels: [139, 139, 138, 139, 142],
    firstLabels: [1, 1, 1, 1, 0],
  },
};

for (const [id, counts] of Object.entries(KNOWN_COUNTS)) {
  const file = path.join(SHARED_DATA, "medmnist", `${id}.npz`);
  describe.skipIf(!existsSync(file))(`real ${id}.npz class balance`, () => {
    it("matches the class counts per split and NumPy's first pixels and labels", () => {
      const ds = medmnistFromFile(readFileSync(file), file);
      expect(countPerClass(ds, ds.train)).toEqual(counts.train);
      expect(countPerClass(ds, ds.val)).toEqual(counts.val);
      expect(countPerClass(ds, ds.test!)).toEqual(counts.test);
      expect(Array.from(ds.train.images.subarray(0, 5), (v) => Math.round(v * 255))).toEqual(counts.firstPixels);
      expect(Array.from(ds.train.labels.subarray(0, 5))).toEqual(counts.firstLabels);
    });
  });
}
