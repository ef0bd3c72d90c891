/**
 * A planted shortcut: a small bright tag in one corner, like a scanner's or hospital's text overlay,
 * put into most training images of ONE class. A network can reach high training accuracy by
 * looking at the tag alone. In the validation images the tag is absent, or sits on the OTHER
 * class, so a model that learned the tag instead of the disease fails there. Zech et al. (2018)
 * later found CNNs on chest X-rays doing exactly this with hospital tokens.
 */
import { mulberry32 } from "./random";
import type { ClassificationDataset, Split } from "./types";

export type ValidationTag = "absent" | "swapped";

export interface ShortcutOptions {
  /** The class whose training images carry the tag. */
  taggedClass?: number;
  /** Fraction of that class's training images that get it. */
  fraction?: number;
  /** Validation: no tag at all, or the tag on the other class(es) at the same fraction. */
  validation?: ValidationTag;
  /** Side of the square tag, in pixels; default: an eighth of the image. */
  size?: number;
  seed?: number;
}

/** Where the tag sits: a square near the top-left corner (one pixel in from the edge). */
export interface TagRegion {
  x: number;
  y: number;
  size: number;
}

export const SHORTCUT_DEFAULTS = { taggedClass: 1, fraction: 0.9, validation: "absent" as ValidationTag, seed: 7 };

export function tagRegion(imageShape: readonly [number, number, number], size?: number): TagRegion {
  const side = size ?? Math.max(2, Math.round(imageShape[0] / 8));
  return { x: 1, y: 1, size: side };
}

/** Paints the tag (full brightness, every channel) into image i of a split, in place. */
export function paintTag(images: Float32Array, i: number, shape: readonly [number, number, number], region: TagRegion): void {
  const [h, w, c] = shape;
  const base = i * h * w * c;
  for (let y = region.y; y < region.y + region.size; y++) {
    for (let x = region.x; x < region.x + region.size; x++) {
      for (let j = 0; j < c; j++) images[base + (y * w + x) * c + j] = 1;
    }
  }
}

/** A copy of the split with the tag painted into `fraction` of the images whose class passes `chosen`. */
function tagSplit(split: Split, shape: readonly [number, number, number], region: TagRegion, chosen: (label: number) => boolean, fraction: number, rand: () => number): Split & { tagged: Uint8Array } {
  const images = split.images.slice();
  const tagged = new Uint8Array(split.count);
  for (let i = 0; i < split.count; i++) {
    if (chosen(split.labels[i]) && rand() < fraction) {
      paintTag(images, i, shape, region);
      tagged[i] = 1;
    }
  }
  return { images, labels: split.labels, count: split.count, tagged };
}

/** The dataset with the shortcut planted (a copy; the original is untouched). Same seed, same tags. */
export function plantShortcut(ds: ClassificationDataset, options: ShortcutOptions = {}): ClassificationDataset & { shortcut: TagRegion & Required<Omit<ShortcutOptions, "size">> } {
  const { taggedClass, fraction, validation, seed } = { ...SHORTCUT_DEFAULTS, ...options };
  if (ds.task === "multilabel") throw new Error("the planted shortcut needs one class per image (not multi-label data)");
  if (!(taggedClass >= 0 && taggedClass < ds.classNames.length)) throw new RangeError(`no class ${taggedClass}`);
  if (!(fraction >= 0 && fraction <= 1)) throw new RangeError(`fraction must be from 0 to 1, got ${fraction}`);
  const region = tagRegion(ds.imageShape, options.size);
  const rand = mulberry32(seed);
  const train = tagSplit(ds.train, ds.imageShape, region, (l) => l === taggedClass, fraction, rand);
  const val = validation === "swapped"
    ? tagSplit(ds.val, ds.imageShape, region, (l) => l !== taggedClass, fraction, rand)
    : tagSplit(ds.val, ds.imageShape, region, () => false, 0, rand);
  return {
    ...ds,
    id: `${ds.id}+shortcut`,
    title: `${ds.title}, with a planted corner tag`,
    description: `${ds.description} A bright ${region.size}×${region.size} tag was painted in the top-left corner of ${Math.round(100 * fraction)}% of the training images of “${ds.classNames[taggedClass]}”; ` +
      (validation === "swapped" ? "in validation it sits on the other class instead." : "no validation image has it."),
    train,
    val,
    test: undefined,
    shortcut: { ...region, taggedClass, fraction, validation, seed },
  };
}

/** Fraction of a non-negative map's total that falls inside the tag region (the "mass on the tag"). */
export function massInRegion(map: ArrayLike<number>, width: number, region: TagRegion): number {
  let inside = 0, total = 0;
  for (let i = 0; i < map.length; i++) {
    const v = Math.max(0, map[i]);
    total += v;
    const x = i % width, y = Math.floor(i / width);
    if (x >= region.x && x < region.x + region.size && y >= region.y && y < region.y + region.size) inside += v;
  }
  return total > 0 ? inside / total : 0;
}
