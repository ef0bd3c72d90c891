/**
 * BBBC039 nuclei (fluorescence microscopy) as a segmentation dataset, and the crops and tiles
 * a small U-Net trains on.
 *
 * The `.npz` layout the kit reads:
 *   images    uint8 (N, H, W)   Hoechst-stained U2OS cells, grey
 *   masks     uint8 (N, H, W)   1 = nucleus, 0 = background
 *   classes3  uint8 (N, H, W)   optional per-pixel class map (0 = background), kept as given
 *   names     text  (N,)        optional original file names
 * Whole images are too large to train on many at once in a browser, so lessons train on
 * square crops and predict tile by tile.
 */
import { DataError, formatShape, readNpz, requireArray, type NpyArray, type ReadNpzOptions } from "./npz";
import type { SegmentationData } from "./nuclei";
import { mulberry32, shuffle } from "./random";
import type { Provenance } from "./types";

export const BBBC039_PROVENANCE: Provenance = {
  license: "CC0 1.0",
  citation:
    "Caicedo JC, Roth J, Goodman A, Becker T, Karhohs KW, Broisin M, Molnar C, McQuin C, Singh S, Theis FJ, Carpenter AE. " +
    "Evaluation of deep learning strategies for nucleus segmentation in fluorescence images. Cytometry A 95(9), 952-965 (2019). " +
    "Images: BBBC039v1, Broad Bioimage Benchmark Collection (Ljosa V, Sokolnicki KL, Carpenter AE, Nature Methods 9, 637 (2012)).",
  url: "https://bbbc.broadinstitute.org/BBBC039",
};

/** Grey images with a per-pixel mask: the segmentation counterpart of ClassificationDataset. */
export interface SegmentationDataset {
  id: string;
  title: string;
  description: string;
  /** True for data our own code generated. */
  synthetic: boolean;
  provenance?: Provenance;
  /** Number of images. */
  count: number;
  /** [H, W] of every image (for crops and tiles: the tile size). */
  imageShape: [number, number];
  /** N images, row-major [N, H, W], values 0..1. */
  images: Float32Array;
  /** N masks, row-major [N, H, W], 1 = foreground (nucleus), 0 = background. */
  masks: Float32Array;
  /** Optional per-pixel class map [N, H, W], as the file gives it. */
  classes3?: Uint8Array;
  /** Optional name of each image (e.g. the original file). */
  names?: string[];
  /** For crops and tiles: which source image, and where in it (top-left corner), each one came from. */
  origins?: { image: number; y: number; x: number }[];
}

function checkImageStack(array: NpyArray, key: string): [number, number, number] {
  if (array.shape.length !== 3) {
    throw new DataError(`${key} has shape ${formatShape(array.shape)} but must be (N, H, W): a stack of grey images`);
  }
  if (array.dtype !== "uint8" && array.dtype !== "bool") {
    throw new DataError(`${key} has dtype ${array.dtype} ('${array.descr}'); it must be uint8`);
  }
  return array.shape as [number, number, number];
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** Map BBBC039-style arrays onto a SegmentationDataset. */
export function bbbc039FromNpz(arrays: Record<string, NpyArray>, options: { fileName?: string } = {}): SegmentationDataset {
  const images = requireArray(arrays, "images");
  const masks = requireArray(arrays, "masks");
  const [count, height, width] = checkImageStack(images, "images");
  checkImageStack(masks, "masks");
  if (!sameShape(images.shape, masks.shape)) {
    throw new DataError(
      `images has shape ${formatShape(images.shape)} but masks has shape ${formatShape(masks.shape)}; each image needs a mask of the same size`,
    );
  }
  const imageData = images.data as Uint8Array;
  const maskData = masks.data as Uint8Array;

  const imageFloats = new Float32Array(imageData.length);
  for (let i = 0; i < imageData.length; i++) imageFloats[i] = imageData[i]! / 255;
  // Any non-zero mask value counts as nucleus, so a mask saved as 0/255 works too.
  const maskFloats = new Float32Array(maskData.length);
  for (let i = 0; i < maskData.length; i++) maskFloats[i] = maskData[i]! > 0 ? 1 : 0;

  let classes3: Uint8Array | undefined;
  const classArray = arrays.classes3;
  if (classArray !== undefined) {
    checkImageStack(classArray, "classes3");
    if (!sameShape(classArray.shape, images.shape)) {
      throw new DataError(`classes3 has shape ${formatShape(classArray.shape)} but images has ${formatShape(images.shape)}`);
    }
    classes3 = classArray.data as Uint8Array;
  }
  let names: string[] | undefined;
  const nameArray = arrays.names;
  if (nameArray !== undefined && nameArray.dtype === "unicode" && nameArray.data.length === count) {
    names = nameArray.data;
  }

  return {
    id: "bbbc039",
    title: "BBBC039 nuclei",
    description: `${count} fluorescence microscopy images of U2OS cells (Hoechst stain, ${height}×${width}) with nucleus masks${options.fileName ? `, from ${options.fileName}` : ""}.`,
    synthetic: false,
    provenance: BBBC039_PROVENANCE,
    count,
    imageShape: [height, width],
    images: imageFloats,
    masks: maskFloats,
    ...(classes3 ? { classes3 } : {}),
    ...(names ? { names } : {}),
  };
}

/** Read a BBBC039-style `.npz` (as bytes) straight into a SegmentationDataset. */
export function bbbc039FromFile(
  bytes: Uint8Array | ArrayBuffer,
  fileName: string,
  options: Pick<ReadNpzOptions, "maxBytes"> = {},
): SegmentationDataset {
  return bbbc039FromNpz(readNpz(bytes, { maxBytes: options.maxBytes }), { fileName });
}

/** Copy one size×size window of image `image`, top-left (y, x), into slot `slot` of the outputs. */
function copyWindow(
  ds: SegmentationDataset,
  out: { images: Float32Array; masks: Float32Array; classes3?: Uint8Array },
  slot: number,
  image: number,
  y: number,
  x: number,
  size: number,
): void {
  const [h, w] = ds.imageShape;
  for (let row = 0; row < size; row++) {
    const from = image * h * w + (y + row) * w + x;
    const to = slot * size * size + row * size;
    out.images.set(ds.images.subarray(from, from + size), to);
    out.masks.set(ds.masks.subarray(from, from + size), to);
    if (out.classes3 && ds.classes3) out.classes3.set(ds.classes3.subarray(from, from + size), to);
  }
}

function windowsDataset(
  ds: SegmentationDataset,
  origins: { image: number; y: number; x: number }[],
  size: number,
  what: string,
): SegmentationDataset {
  const n = origins.length;
  const out = {
    images: new Float32Array(n * size * size),
    masks: new Float32Array(n * size * size),
    ...(ds.classes3 ? { classes3: new Uint8Array(n * size * size) } : {}),
  };
  origins.forEach((o, slot) => copyWindow(ds, out, slot, o.image, o.y, o.x, size));
  return {
    id: `${ds.id}-${what}`,
    title: `${ds.title} (${what})`,
    description: `${n} ${size}×${size} ${what} of: ${ds.description}`,
    synthetic: ds.synthetic,
    ...(ds.provenance ? { provenance: ds.provenance } : {}),
    count: n,
    imageShape: [size, size],
    ...out,
    origins,
  };
}

function checkSize(ds: SegmentationDataset, size: number): void {
  const [h, w] = ds.imageShape;
  if (!Number.isInteger(size) || size < 1) throw new DataError(`crop size must be a whole number of pixels, not ${size}`);
  if (size > h || size > w) throw new DataError(`crop size ${size} is larger than the images (${h}×${w})`);
}

/**
 * `count` random size×size crops (image and position drawn uniformly), the same for the same seed.
 * Random crops give a small network many different views of a few large images.
 */
export function randomCrops(
  ds: SegmentationDataset,
  options: { size: number; count: number; seed: number },
): SegmentationDataset {
  const { size, count, seed } = options;
  checkSize(ds, size);
  if (ds.count === 0) throw new DataError("there are no images to crop");
  const rand = mulberry32(seed);
  const [h, w] = ds.imageShape;
  const origins = Array.from({ length: count }, () => ({
    image: Math.floor(rand() * ds.count),
    y: Math.floor(rand() * (h - size + 1)),
    x: Math.floor(rand() * (w - size + 1)),
  }));
  return windowsDataset(ds, origins, size, "crops");
}

/**
 * Cut every image into size×size tiles, left to right and top to bottom, `stride` pixels apart
 * (default: `size`, so tiles do not overlap). A strip at the right or bottom edge that is
 * narrower than a tile is left out, so every tile has the shape the network expects.
 */
export function tiles(ds: SegmentationDataset, options: { size: number; stride?: number }): SegmentationDataset {
  const { size } = options;
  const stride = options.stride ?? size;
  checkSize(ds, size);
  if (!Number.isInteger(stride) || stride < 1) throw new DataError(`tile stride must be a whole number of pixels, not ${stride}`);
  const [h, w] = ds.imageShape;
  const origins: { image: number; y: number; x: number }[] = [];
  for (let image = 0; image < ds.count; image++) {
    for (let y = 0; y + size <= h; y += stride) {
      for (let x = 0; x + size <= w; x += stride) origins.push({ image, y, x });
    }
  }
  return windowsDataset(ds, origins, size, "tiles");
}

/** A new dataset holding only the listed images (in that order). */
export function selectImages(ds: SegmentationDataset, indices: readonly number[]): SegmentationDataset {
  const [h, w] = ds.imageShape;
  const px = h * w;
  const images = new Float32Array(indices.length * px);
  const masks = new Float32Array(indices.length * px);
  const classes3 = ds.classes3 ? new Uint8Array(indices.length * px) : undefined;
  indices.forEach((src, dst) => {
    if (!Number.isInteger(src) || src < 0 || src >= ds.count) throw new DataError(`image ${src} does not exist (there are ${ds.count})`);
    images.set(ds.images.subarray(src * px, (src + 1) * px), dst * px);
    masks.set(ds.masks.subarray(src * px, (src + 1) * px), dst * px);
    if (classes3 && ds.classes3) classes3.set(ds.classes3.subarray(src * px, (src + 1) * px), dst * px);
  });
  return {
    ...ds,
    count: indices.length,
    images,
    masks,
    ...(classes3 ? { classes3 } : {}),
    ...(ds.names ? { names: indices.map((i) => ds.names![i]!) } : {}),
    ...(ds.origins ? { origins: indices.map((i) => ds.origins![i]!) } : {}),
  };
}

/**
 * Split whole images into train and validation sets. Split *before* cropping: crops of one image
 * overlap and look alike, so crops of the same image on both sides would flatter the validation score.
 */
export function splitByImage(
  ds: SegmentationDataset,
  options: { valFraction: number; seed: number },
): { train: SegmentationDataset; val: SegmentationDataset } {
  const { valFraction, seed } = options;
  if (!(valFraction > 0 && valFraction < 1)) throw new DataError(`valFraction must be between 0 and 1, not ${valFraction}`);
  const order = Array.from({ length: ds.count }, (_, i) => i);
  shuffle(order, mulberry32(seed));
  const valCount = Math.max(1, Math.round(ds.count * valFraction));
  return { train: selectImages(ds, order.slice(valCount)), val: selectImages(ds, order.slice(0, valCount)) };
}

/** Fraction of pixels that are foreground (nucleus): a baseline to compare a segmentation score with. */
export function foregroundFraction(ds: SegmentationDataset): number {
  let sum = 0;
  for (let i = 0; i < ds.masks.length; i++) sum += ds.masks[i]!;
  return ds.masks.length ? sum / ds.masks.length : 0;
}

/**
 * BBBC039 as the U-Net lesson's train/validation data: whole images are split first (so no
 * image feeds both sides), then random crops train and a fixed set of tiles validates.
 */
export function bbbc039ForTraining(
  ds: SegmentationDataset,
  { size = 64, trainCount = 240, valCount = 100, seed = 1 }: { size?: number; trainCount?: number; valCount?: number; seed?: number } = {},
): SegmentationData {
  const { train, val } = splitByImage(ds, { valFraction: 0.2, seed });
  const trainCrops = randomCrops(train, { size, count: trainCount, seed });
  const valTiles = randomCrops(val, { size, count: valCount, seed: seed + 1 }); // fixed by the seed: the same tiles every check
  const split = (d: SegmentationDataset) => ({ images: d.images, masks: d.masks, count: d.count });
  return {
    id: ds.id,
    title: ds.title,
    description: ds.description,
    synthetic: false,
    provenance: ds.provenance,
    imageShape: [size, size, 1],
    train: split(trainCrops),
    val: split(valTiles),
  };
}
