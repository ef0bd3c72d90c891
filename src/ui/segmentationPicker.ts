/** The U-Net lesson's data: synthetic nuclei, or BBBC039 (found at build time or dropped). */
import { bbbc039ForTraining, bbbc039FromFile } from "../data/bbbc039";
import { DataError, formatBytes } from "../data/npz";
import type { SegmentationData } from "../data/nuclei";
import { el } from "../core/dom";
import { datasetCredit, datasetTitle, picker, type DatasetPickerOptions } from "./datasetPicker";
import type { Input } from "./inputs";

/** Reads a BBBC039-layout .npz (images + masks) into crops for training and tiles for validation. */
export async function segmentationFromFile(file: File, maxBytes: number, size = 64): Promise<SegmentationData> {
  if (!/\.npz$/i.test(file.name))
    throw new DataError(
      `“${file.name}” is not an .npz file. This lesson reads BBBC039-style .npz files (arrays 'images' and 'masks').`,
    );
  if (file.size > maxBytes)
    throw new DataError(`“${file.name}” is ${formatBytes(file.size)}; the limit is ${formatBytes(maxBytes)}.`);
  const ds = bbbc039FromFile(new Uint8Array(await file.arrayBuffer()), file.name, { maxBytes });
  return bbbc039ForTraining(ds, { size });
}

export function segmentationCard(ds: SegmentationData): HTMLElement {
  const fraction = ds.train.masks.reduce((a, b) => a + b, 0) / ds.train.masks.length;
  return el(
    "div",
    { class: "meddl-dataset-card", "data-dataset": ds.id },
    datasetTitle(ds),
    el(
      "div",
      { class: "meddl-help" },
      `segmentation · ${ds.imageShape[0]}×${ds.imageShape[1]} grey tiles · train ${ds.train.count}, validation ${ds.val.count} · ${(100 * fraction).toFixed(1)}% of pixels are nucleus`,
    ),
    el("p", { class: "meddl-dataset-description" }, ds.description),
    datasetCredit(ds.provenance),
  );
}

export function segmentationPicker(options: DatasetPickerOptions<SegmentationData>): Input<SegmentationData> {
  return picker(options, {
    fileHint: "a BBBC039-style .npz file (images + masks)",
    fromFile: segmentationFromFile,
    card: segmentationCard,
  });
}
