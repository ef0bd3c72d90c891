/**
 * The kit's dataset type: plain typed arrays plus what they mean.
 * Tensors are made per batch by the trainer, so a dataset never leaks GPU/wasm memory.
 */

/** What the labels mean, as MedMNIST names its tasks. */
export type Task = "binary" | "multiclass" | "multilabel" | "ordinal";

/** One split (train, val or test) of an image-classification dataset. */
export interface Split {
  /** N images, row-major [N, H, W, C], values scaled to 0..1. */
  images: Float32Array;
  /**
   * Class index per image (length N) for binary / multiclass / ordinal tasks;
   * for multilabel, N×K 0/1 flags (row-major).
   */
  labels: Int32Array;
  count: number;
}

/** Where a real dataset comes from and how to credit it. */
export interface Provenance {
  license: string;
  citation: string;
  url?: string;
}

export interface ClassificationDataset {
  /** Short id, e.g. "nodules" or "pneumoniamnist". */
  id: string;
  /** Human title shown in the page. */
  title: string;
  /** One or two sentences on what the images show (and, if synthetic, what they imitate). */
  description: string;
  /** True for data our own code generated: the page labels it as such. */
  synthetic: boolean;
  provenance?: Provenance;
  task: Task;
  classNames: string[];
  /** [H, W, C] */
  imageShape: [number, number, number];
  train: Split;
  val: Split;
  test?: Split;
}

/** Number of model outputs: one per class, or one per label for multilabel. */
export function outputCount(ds: Pick<ClassificationDataset, "classNames">): number {
  return ds.classNames.length;
}

/** Pixels in one image (H·W·C). */
export function imageSize(shape: readonly [number, number, number]): number {
  return shape[0] * shape[1] * shape[2];
}

/** The pixels of image i of a split, as a view (no copy). */
export function imageAt(split: Split, shape: readonly [number, number, number], i: number): Float32Array {
  const size = imageSize(shape);
  return split.images.subarray(i * size, (i + 1) * size);
}
