/**
 * Real data for the detection lesson: objects to find, taken from a segmentation mask.
 * Each connected component of the mask is one object; its centre is the component's centroid and
 * its radius that of a disc of the same area. BBBC039 nuclei become "find every nucleus".
 */
import type { SegmentationDataset } from "./bbbc039";
import { splitByImage } from "./bbbc039";
import type { DetectionDataset, DetectionSplit, TrueObject } from "./chestSlices";
import { DataError } from "./npz";

/** Connected components (4-neighbour) of a 0/1 mask [H, W], as objects; those under `minArea` pixels are dropped as specks. */
export function objectsFromMask(mask: ArrayLike<number>, height: number, width: number, minArea = 8): TrueObject[] {
  const label = new Int32Array(height * width).fill(-1);
  const objects: TrueObject[] = [];
  const stack: number[] = [];
  for (let start = 0; start < label.length; start++) {
    if (!(mask[start] > 0) || label[start] >= 0) continue;
    let area = 0, sx = 0, sy = 0;
    label[start] = objects.length;
    stack.push(start);
    while (stack.length) {
      const k = stack.pop()!;
      const y = Math.floor(k / width), x = k % width;
      area++; sx += x; sy += y;
      for (const [nx, ny] of [[x - 1, y], [x + 1, y], [x, y - 1], [x, y + 1]]) {
        if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
        const n = ny * width + nx;
        if (mask[n] > 0 && label[n] < 0) { label[n] = objects.length; stack.push(n); }
      }
    }
    if (area >= minArea) objects.push({ x: sx / area, y: sy / area, r: Math.sqrt(area / Math.PI) });
    else objects.push({ x: NaN, y: NaN, r: 0 }); // keeps labels aligned; removed below
  }
  return objects.filter((o) => o.r > 0);
}

/** Halves an [N, H, W] stack by averaging 2×2 blocks (odd last rows/columns are dropped). */
function halve(images: Float32Array, count: number, height: number, width: number): { images: Float32Array; height: number; width: number } {
  const h = Math.floor(height / 2), w = Math.floor(width / 2);
  const out = new Float32Array(count * h * w);
  for (let n = 0; n < count; n++) {
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const b = n * height * width + 2 * y * width + 2 * x;
        out[n * h * w + y * w + x] = (images[b] + images[b + 1] + images[b + width] + images[b + width + 1]) / 4;
      }
    }
  }
  return { images: out, height: h, width: w };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
}

/**
 * A segmentation dataset (BBBC039 layout) as detection data: whole images, split by image, each
 * shrunk by `shrink` halvings so its objects are about the size of the synthetic nodules; the
 * patch size and match radius follow the median object size.
 */
export function detectionFromSegmentation(
  ds: SegmentationDataset,
  { trainCount = 40, valCount = 16, shrink = 1, seed = 1 }: { trainCount?: number; valCount?: number; shrink?: number; seed?: number } = {},
): DetectionDataset {
  if (ds.count < 2) throw new DataError(`detection needs at least 2 images (one to train, one to validate); this file has ${ds.count}`);
  const { train, val } = splitByImage(ds, { valFraction: Math.min(0.5, Math.max(valCount / ds.count, 1 / ds.count)), seed });
  const toSplit = (part: SegmentationDataset, count: number): { split: DetectionSplit; shape: [number, number] } => {
    const n = Math.min(count, part.count);
    let [h, w] = part.imageShape;
    const px = h * w;
    let images: Float32Array = part.images.slice(0, n * px);
    const objects = Array.from({ length: n }, (_, i) => objectsFromMask(part.masks.subarray(i * px, (i + 1) * px), h, w));
    let scale = 1;
    for (let s = 0; s < shrink; s++) {
      const half = halve(images, n, h, w);
      images = half.images; h = half.height; w = half.width; scale *= 2;
    }
    const scaled = objects.map((os) => os.map((o) => ({ x: (o.x + 0.5) / scale - 0.5, y: (o.y + 0.5) / scale - 0.5, r: o.r / scale })));
    return { split: { images, count: n, objects: scaled }, shape: [h, w] };
  };
  const t = toSplit(train, trainCount), v = toSplit(val, valCount);
  const radius = median(t.split.objects.flat().map((o) => o.r));
  if (!Number.isFinite(radius)) throw new DataError("the masks hold no objects: every mask is empty");
  // A patch about four object diameters wide (a multiple of 8, at least 24) sees the object and its surroundings.
  const patchSize = Math.min(64, Math.max(24, 8 * Math.round((8 * radius) / 8)));
  if (patchSize > Math.min(...t.shape)) throw new DataError(`the objects are too large for the images (patch ${patchSize} px, images ${t.shape.join("×")})`);
  return {
    id: ds.id,
    title: `${ds.title} (find every nucleus)`,
    description: `${ds.description} Each connected component of a mask is one nucleus; its centroid is the position to find.` +
      (shrink ? ` Images shrunk ${2 ** shrink}× so nuclei are a few pixels across, like the synthetic nodules.` : ""),
    synthetic: ds.synthetic,
    ...(ds.provenance ? { provenance: ds.provenance } : {}),
    objectName: "nucleus",
    imageShape: t.shape,
    patchSize,
    minMatchRadius: Math.max(2, 0.5 * radius),
    suppressRadius: Math.max(3, 1.2 * radius), // nuclei touch: suppress no further than about one radius
    maxPerImage: Math.max(50, 2 * Math.max(...t.split.objects.map((o) => o.length))),
    train: t.split,
    val: v.split,
  };
}
