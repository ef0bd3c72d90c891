/**
 * MedMNIST (v2) files mapped onto the kit's ClassificationDataset.
 *
 * A MedMNIST `.npz` holds six arrays:
 *   {train,val,test}_images  uint8, (N, H, W) grey or (N, H, W, 3) colour
 *   {train,val,test}_labels  uint8, (N, 1) one class per image, or (N, K) K yes/no labels (ChestMNIST)
 * We scale pixels to 0..1 floats and turn labels into class indices (or N×K flags), and check
 * everything on the way, because a user may hand us any `.npz`.
 */
import { DataError, formatShape, readNpz, requireArray, type NpyArray, type ReadNpzOptions } from "./npz";
import type { ClassificationDataset, Split, Task } from "./types";

export const MEDMNIST_IDS = [
  "pathmnist",
  "chestmnist",
  "dermamnist",
  "octmnist",
  "pneumoniamnist",
  "retinamnist",
  "breastmnist",
  "bloodmnist",
  "tissuemnist",
  "organamnist",
  "organcmnist",
  "organsmnist",
] as const;

/** The twelve 2D MedMNIST subsets. */
export type MedmnistId = (typeof MEDMNIST_IDS)[number];

export interface MedmnistInfo {
  id: MedmnistId;
  title: string;
  modality: string;
  task: Task;
  /** One name per class (or per label, for multi-label ChestMNIST), from the official MedMNIST INFO table. */
  classNames: string[];
  /** What the images show, in a sentence or two. */
  description: string;
  channels: 1 | 3;
  /** Images per split in the official 28×28 release. */
  samples: { train: number; val: number; test: number };
  license: string;
  /** The dataset this subset was made from. */
  source: string;
  /** MedMNIST v2 plus the source dataset: both should be credited. */
  citation: string;
  /** Zenodo download of the 28×28 file (MedMNIST+ record 10519652). */
  url: string;
  /** MD5 of that file, from the official MedMNIST `info.py` (v3.0.2). */
  md5?: string;
  /** Test-set ACC and AUC of ResNet-18 at 28×28 in the MedMNIST v2 paper (Yang et al. 2023, Table 3). */
  published?: { model: "ResNet-18 (28)"; acc: number; auc: number };
}

export const ZENODO_RECORD = "10519652";

export const MEDMNIST_V2_CITATION =
  "Yang J, Shi R, Wei D, Liu Z, Zhao L, Ke B, Pfister H, Ni B. MedMNIST v2 - A large-scale lightweight benchmark " +
  "for 2D and 3D biomedical image classification. Scientific Data 10, 41 (2023). doi:10.1038/s41597-022-01721-8";

/** Download address of a 28×28 MedMNIST file on Zenodo. */
export function medmnistUrl(id: MedmnistId): string {
  return `https://zenodo.org/records/${ZENODO_RECORD}/files/${id}.npz?download=1`;
}

const ORGAN_CLASSES = [
  "bladder",
  "femur-left",
  "femur-right",
  "heart",
  "kidney-left",
  "kidney-right",
  "liver",
  "lung-left",
  "lung-right",
  "pancreas",
  "spleen",
];
const ORGAN_SOURCE =
  "Bilic P et al. The Liver Tumor Segmentation Benchmark (LiTS). Medical Image Analysis 84, 102680 (2023); " +
  "organ boxes from Xu X et al. Efficient multiple organ localization in CT image using 3D region proposal network. IEEE TMI 38(8) (2019)";

/** Fields every entry shares, filled in by `entry` below so the table stays short. */
type InfoFields = Omit<MedmnistInfo, "id" | "url" | "citation">;

function entry(id: MedmnistId, fields: InfoFields): MedmnistInfo {
  return { id, ...fields, url: medmnistUrl(id), citation: `${MEDMNIST_V2_CITATION}. Source data: ${fields.source}.` };
}

const resnet18 = (acc: number, auc: number) => ({ model: "ResNet-18 (28)" as const, acc, auc });

/**
 * The 2D subsets of MedMNIST v2, with class names, sample counts, licenses and MD5s as in the
 * official `medmnist/info.py` (v3.0.2, which points at Zenodo record 10519652).
 */
export const MEDMNIST_INFO: Record<MedmnistId, MedmnistInfo> = {
  pathmnist: entry("pathmnist", {
    title: "PathMNIST",
    modality: "Colon pathology (H&E-stained histology)",
    task: "multiclass",
    classNames: [
      "adipose",
      "background",
      "debris",
      "lymphocytes",
      "mucus",
      "smooth muscle",
      "normal colon mucosa",
      "cancer-associated stroma",
      "colorectal adenocarcinoma epithelium",
    ],
    description: "Colour patches of colorectal cancer histology slides, 9 tissue types.",
    channels: 3,
    samples: { train: 89996, val: 10004, test: 7180 },
    license: "CC BY 4.0",
    source: "Kather JN et al. Predicting survival from colorectal cancer histology slides using deep learning. PLOS Medicine 16(1), e1002730 (2019)",
    md5: "a8b06965200029087d5bd730944a56c1",
    published: resnet18(0.907, 0.983),
  }),
  chestmnist: entry("chestmnist", {
    title: "ChestMNIST",
    modality: "Chest X-ray",
    task: "multilabel",
    classNames: [
      "atelectasis",
      "cardiomegaly",
      "effusion",
      "infiltration",
      "mass",
      "nodule",
      "pneumonia",
      "pneumothorax",
      "consolidation",
      "edema",
      "emphysema",
      "fibrosis",
      "pleural",
      "hernia",
    ],
    description: "Frontal chest X-rays from NIH ChestX-ray14, each with 14 yes/no disease labels.",
    channels: 1,
    samples: { train: 78468, val: 11219, test: 22433 },
    license: "CC BY 4.0",
    source: "Wang X et al. ChestX-ray8: Hospital-scale chest X-ray database and benchmarks. CVPR (2017)",
    md5: "02c8a6516a18b556561a56cbdd36c4a8",
    published: resnet18(0.947, 0.768),
  }),
  dermamnist: entry("dermamnist", {
    title: "DermaMNIST",
    modality: "Dermatoscopy",
    task: "multiclass",
    classNames: [
      "actinic keratoses and intraepithelial carcinoma",
      "basal cell carcinoma",
      "benign keratosis-like lesions",
      "dermatofibroma",
      "melanoma",
      "melanocytic nevi",
      "vascular lesions",
    ],
    description: "Colour dermatoscopic images of pigmented skin lesions (HAM10000), 7 diagnoses.",
    channels: 3,
    samples: { train: 7007, val: 1003, test: 2005 },
    // The official table lists DermaMNIST as non-commercial, unlike the other subsets.
    license: "CC BY-NC 4.0",
    source: "Tschandl P, Rosendahl C, Kittler H. The HAM10000 dataset. Scientific Data 5, 180161 (2018)",
    md5: "0744692d530f8e62ec473284d019b0c7",
    published: resnet18(0.735, 0.917),
  }),
  octmnist: entry("octmnist", {
    title: "OCTMNIST",
    modality: "Retinal optical coherence tomography (OCT)",
    task: "multiclass",
    classNames: ["choroidal neovascularization", "diabetic macular edema", "drusen", "normal"],
    description: "Grey OCT scans of the retina, 4 diagnosis categories.",
    channels: 1,
    samples: { train: 97477, val: 10832, test: 1000 },
    license: "CC BY 4.0",
    source: "Kermany DS et al. Identifying medical diagnoses and treatable diseases by image-based deep learning. Cell 172(5), 1122-1131 (2018)",
    md5: "c68d92d5b585d8d81f7112f81e2d0842",
    published: resnet18(0.743, 0.943),
  }),
  pneumoniamnist: entry("pneumoniamnist", {
    title: "PneumoniaMNIST",
    modality: "Chest X-ray (paediatric)",
    task: "binary",
    classNames: ["normal", "pneumonia"],
    description: "Grey paediatric chest X-rays: normal or pneumonia.",
    channels: 1,
    samples: { train: 4708, val: 524, test: 624 },
    license: "CC BY 4.0",
    source: "Kermany DS et al. Identifying medical diagnoses and treatable diseases by image-based deep learning. Cell 172(5), 1122-1131 (2018)",
    md5: "28209eda62fecd6e6a2d98b1501bb15f",
    published: resnet18(0.854, 0.944),
  }),
  retinamnist: entry("retinamnist", {
    title: "RetinaMNIST",
    modality: "Fundus photography",
    task: "ordinal",
    classNames: ["0", "1", "2", "3", "4"],
    description: "Colour retina fundus images (DeepDRiD), graded 0-4 for diabetic retinopathy severity.",
    channels: 3,
    samples: { train: 1080, val: 120, test: 400 },
    license: "CC BY 4.0",
    source: "Liu R et al. DeepDRiD: Diabetic Retinopathy - Grading and Image Quality Estimation Challenge. Patterns 3(6), 100512 (2022)",
    md5: "bd4c0672f1bba3e3a89f0e4e876791e4",
    published: resnet18(0.524, 0.717),
  }),
  breastmnist: entry("breastmnist", {
    title: "BreastMNIST",
    modality: "Breast ultrasound",
    task: "binary",
    classNames: ["malignant", "normal, benign"],
    description: "Grey breast ultrasound images: malignant, or normal/benign (merged into one class).",
    channels: 1,
    samples: { train: 546, val: 78, test: 156 },
    license: "CC BY 4.0",
    source: "Al-Dhabyani W, Gomaa M, Khaled H, Fahmy A. Dataset of breast ultrasound images. Data in Brief 28, 104863 (2020)",
    md5: "750601b1f35ba3300ea97c75c52ff8f6",
    published: resnet18(0.863, 0.901),
  }),
  bloodmnist: entry("bloodmnist", {
    title: "BloodMNIST",
    modality: "Blood cell microscopy",
    task: "multiclass",
    classNames: [
      "basophil",
      "eosinophil",
      "erythroblast",
      "immature granulocytes(myelocytes, metamyelocytes and promyelocytes)",
      "lymphocyte",
      "monocyte",
      "neutrophil",
      "platelet",
    ],
    description: "Colour microscope images of individual normal blood cells, 8 cell types.",
    channels: 3,
    samples: { train: 11959, val: 1712, test: 3421 },
    license: "CC BY 4.0",
    source: "Acevedo A et al. A dataset of microscopic peripheral blood cell images for development of automatic recognition systems. Data in Brief 30, 105474 (2020)",
    md5: "7053d0359d879ad8a5505303e11de1dc",
    published: resnet18(0.958, 0.998),
  }),
  tissuemnist: entry("tissuemnist", {
    title: "TissueMNIST",
    modality: "Kidney cortex microscopy",
    task: "multiclass",
    classNames: [
      "Collecting Duct, Connecting Tubule",
      "Distal Convoluted Tubule",
      "Glomerular endothelial cells",
      "Interstitial endothelial cells",
      "Leukocytes",
      "Podocytes",
      "Proximal Tubule Segments",
      "Thick Ascending Limb",
    ],
    description: "Grey microscope images of human kidney cortex cells (BBBC051), 8 cell types.",
    channels: 1,
    samples: { train: 165466, val: 23640, test: 47280 },
    license: "CC BY 4.0",
    source: "Woloshuk A et al. In situ classification of cell types in human kidney tissue using 3D nuclear staining. Cytometry A 99(7), 707-721 (2021); BBBC051, Broad Bioimage Benchmark Collection",
    md5: "ebe78ee8b05294063de985d821c1c34b",
    published: resnet18(0.676, 0.93),
  }),
  organamnist: entry("organamnist", {
    title: "OrganAMNIST",
    modality: "Abdominal CT (axial view)",
    task: "multiclass",
    classNames: ORGAN_CLASSES,
    description: "Grey axial CT slices centred on one of 11 body organs.",
    channels: 1,
    // The MedMNIST+ (v3) files on record 10519652 hold slightly different counts from v2 for the organ sets.
    samples: { train: 34561, val: 6491, test: 17778 },
    license: "CC BY 4.0",
    source: ORGAN_SOURCE,
    md5: "68e3f8846a6bd62f0c9bf841c0d9eacc",
    published: resnet18(0.935, 0.997),
  }),
  organcmnist: entry("organcmnist", {
    title: "OrganCMNIST",
    modality: "Abdominal CT (coronal view)",
    task: "multiclass",
    classNames: ORGAN_CLASSES,
    description: "Grey coronal CT slices centred on one of 11 body organs.",
    channels: 1,
    samples: { train: 12975, val: 2392, test: 8216 },
    license: "CC BY 4.0",
    source: ORGAN_SOURCE,
    md5: "b9ceb9546e10131b32923c5bbeaea2b1",
    published: resnet18(0.9, 0.992),
  }),
  organsmnist: entry("organsmnist", {
    title: "OrganSMNIST",
    modality: "Abdominal CT (sagittal view)",
    task: "multiclass",
    classNames: ORGAN_CLASSES,
    description: "Grey sagittal CT slices centred on one of 11 body organs.",
    channels: 1,
    samples: { train: 13932, val: 2452, test: 8827 },
    license: "CC BY 4.0",
    source: ORGAN_SOURCE,
    md5: "9ab87b696fb54e2a387ebe992d6ed5f1",
    published: resnet18(0.782, 0.972),
  }),
};

export function isMedmnistId(name: string): name is MedmnistId {
  return (MEDMNIST_IDS as readonly string[]).includes(name);
}

/**
 * Recognise the subset from a file name: "pneumoniamnist.npz", "/x/BreastMNIST (1).npz" and
 * "pathmnist_64.npz" all work. Returns undefined for any other name.
 */
export function medmnistIdFromFileName(fileName: string): MedmnistId | undefined {
  const base = (fileName.split(/[\\/]/).pop() ?? "").toLowerCase();
  return MEDMNIST_IDS.find((id) => base.startsWith(id) && !/[a-z0-9]/.test(base.charAt(id.length)));
}

export interface MedmnistOptions {
  /** Which subset this is; wins over the file name. */
  id?: MedmnistId;
  /** The file's name, used to recognise the subset and to name an unknown dataset. */
  fileName?: string;
}

const SPLITS = ["train", "val", "test"] as const;
type SplitName = (typeof SPLITS)[number];

/** Image layout shared by all splits. */
interface ImageLayout {
  count: number;
  height: number;
  width: number;
  channels: 1 | 3;
}

function imageLayout(images: NpyArray, key: string): ImageLayout {
  const shape = images.shape;
  const needs = "the lesson needs images shaped (N, H, W) for grey or (N, H, W, 3) for colour";
  if (shape.length !== 3 && shape.length !== 4) {
    throw new DataError(`${key} has shape ${formatShape(shape)} but ${needs}`);
  }
  const channels = shape.length === 3 ? 1 : shape[3]!;
  if (channels !== 1 && channels !== 3) {
    throw new DataError(
      `${key} has shape ${formatShape(shape)}: ${channels} channels per pixel, but ${needs} (3D volumes are not supported)`,
    );
  }
  const [count, height, width] = shape as [number, number, number];
  if (height === 0 || width === 0) throw new DataError(`${key} has shape ${formatShape(shape)}: its images are empty`);
  return { count, height, width, channels };
}

/** uint8 0..255 becomes 0..1; float images must already be on 0..1. */
function toUnitFloats(images: NpyArray, key: string): Float32Array {
  switch (images.dtype) {
    case "uint8": {
      const out = new Float32Array(images.data.length);
      for (let i = 0; i < out.length; i++) out[i] = images.data[i]! / 255;
      return out;
    }
    case "float32":
    case "float64": {
      const out = Float32Array.from(images.data);
      for (let i = 0; i < out.length; i++) {
        const v = out[i]!;
        if (!(v >= 0 && v <= 1)) {
          throw new DataError(`${key} holds the value ${v} at position ${i}; float images must be scaled to 0..1`);
        }
      }
      return out;
    }
    default:
      throw new DataError(`${key} has dtype ${images.dtype} ('${images.descr}'); images must be uint8 (0..255) or float (0..1)`);
  }
}

/** Labels as plain numbers, checking they are whole numbers. */
function labelValues(labels: NpyArray, key: string): ArrayLike<number> {
  if (labels.dtype === "unicode") {
    throw new DataError(`${key} holds text; labels must be class numbers`);
  }
  const values = labels.data;
  for (let i = 0; i < values.length; i++) {
    if (!Number.isInteger(values[i]!)) {
      throw new DataError(`${key} holds ${values[i]} at position ${i}; labels must be whole class numbers`);
    }
  }
  return values;
}

/** How the labels of one split are laid out: one class per image, or K yes/no flags per image. */
function labelColumns(labels: NpyArray, key: string): number {
  const shape = labels.shape;
  if (shape.length === 1) return 1;
  if (shape.length === 2 && shape[1]! >= 1) return shape[1]!;
  throw new DataError(
    `${key} has shape ${formatShape(shape)}; labels must be (N,) or (N, 1) for one class per image, or (N, K) for K yes/no labels`,
  );
}

interface RawSplit {
  name: SplitName;
  layout: ImageLayout;
  images: NpyArray;
  labels: NpyArray;
  labelValues: ArrayLike<number>;
  columns: number;
}

/** Read and cross-check the arrays of one split; undefined if the file has no such split. */
function rawSplit(arrays: Record<string, NpyArray>, name: SplitName, required: boolean): RawSplit | undefined {
  const imagesKey = `${name}_images`;
  const labelsKey = `${name}_labels`;
  if (!required && arrays[imagesKey] === undefined && arrays[labelsKey] === undefined) return undefined;
  const images = requireArray(arrays, imagesKey);
  const labels = requireArray(arrays, labelsKey);
  const layout = imageLayout(images, imagesKey);
  const columns = labelColumns(labels, labelsKey);
  const labelCount = labels.shape[0]!;
  if (labelCount !== layout.count) {
    throw new DataError(`${imagesKey} has ${layout.count} images but ${labelsKey} has ${labelCount} labels`);
  }
  return { name, layout, images, labels, labelValues: labelValues(labels, labelsKey), columns };
}

/**
 * Map the arrays of a MedMNIST-style `.npz` onto a ClassificationDataset.
 * A known subset (from `id` or the file name) gets its official task, class names and credits;
 * an unknown file gets its task guessed from the labels and names "class 0", "class 1", ...
 */
export function medmnistFromNpz(arrays: Record<string, NpyArray>, options: MedmnistOptions = {}): ClassificationDataset {
  const id = options.id ?? (options.fileName ? medmnistIdFromFileName(options.fileName) : undefined);
  const info = id ? MEDMNIST_INFO[id] : undefined;

  const train = rawSplit(arrays, "train", true)!;
  const val = rawSplit(arrays, "val", true)!;
  const test = rawSplit(arrays, "test", false);
  const splits = [train, val, ...(test ? [test] : [])];

  // All splits must share one image size: a model has a fixed input shape.
  for (const s of splits) {
    const a = s.layout;
    const b = train.layout;
    if (a.height !== b.height || a.width !== b.width || a.channels !== b.channels) {
      throw new DataError(
        `${s.name}_images are ${a.height}×${a.width}×${a.channels} but train_images are ${b.height}×${b.width}×${b.channels}; all splits must have the same image size`,
      );
    }
  }
  // ...and one label layout.
  for (const s of splits) {
    if (s.columns !== train.columns) {
      throw new DataError(
        `${s.name}_labels has ${s.columns} label(s) per image but train_labels has ${train.columns}; all splits must match`,
      );
    }
  }

  const multilabel = train.columns > 1;
  let task: Task;
  let classNames: string[];
  if (info) {
    if (multilabel !== (info.task === "multilabel")) {
      throw new DataError(
        multilabel
          ? `the labels hold ${train.columns} yes/no labels per image, but ${info.title} has one class per image`
          : `the labels hold one class per image, but ${info.title} has ${info.classNames.length} yes/no labels per image`,
      );
    }
    task = info.task;
    classNames = info.classNames;
  } else if (multilabel) {
    task = "multilabel";
    classNames = Array.from({ length: train.columns }, (_, i) => `class ${i}`);
  } else {
    // Guess from the data: the largest label tells how many classes there are.
    let maxLabel = 0;
    for (const s of splits) for (let i = 0; i < s.labelValues.length; i++) maxLabel = Math.max(maxLabel, s.labelValues[i]!);
    const classCount = Math.max(2, maxLabel + 1);
    task = classCount === 2 ? "binary" : "multiclass";
    classNames = Array.from({ length: classCount }, (_, i) => `class ${i}`);
  }

  if (multilabel && train.columns !== classNames.length) {
    throw new DataError(`train_labels has ${train.columns} labels per image but ${info?.title} has ${classNames.length}`);
  }
  for (const s of splits) checkLabelRange(s, classNames.length, multilabel, info?.title);

  const { height, width, channels } = train.layout;
  const baseName = options.fileName?.split(/[\\/]/).pop()?.replace(/\.npz$/i, "");
  return {
    id: id ?? baseName ?? "medmnist",
    title: info?.title ?? `MedMNIST-style data${options.fileName ? ` (${options.fileName})` : ""}`,
    description:
      info?.description ??
      `${channels === 1 ? "Grey" : "Colour"} ${height}×${width} images with ${multilabel ? `${classNames.length} yes/no labels each` : `${classNames.length} classes`}, read from a user's file.`,
    synthetic: false,
    ...(info ? { provenance: { license: info.license, citation: info.citation, url: info.url } } : {}),
    task,
    classNames,
    imageShape: [height, width, channels],
    train: toSplit(train),
    val: toSplit(val),
    ...(test ? { test: toSplit(test) } : {}),
  };
}

function checkLabelRange(s: RawSplit, classCount: number, multilabel: boolean, title: string | undefined): void {
  const values = s.labelValues;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (multilabel) {
      if (v !== 0 && v !== 1) {
        throw new DataError(`${s.name}_labels holds ${v} at image ${Math.floor(i / s.columns)}; multi-label flags must be 0 or 1`);
      }
    } else if (v < 0 || v >= classCount) {
      throw new DataError(
        `${s.name}_labels has label ${v} at image ${i}, but ${title ?? "this dataset"} has classes 0..${classCount - 1}`,
      );
    }
  }
}

function toSplit(s: RawSplit): Split {
  return {
    images: toUnitFloats(s.images, `${s.name}_images`),
    labels: Int32Array.from(s.labelValues),
    count: s.layout.count,
  };
}

/** Read a MedMNIST `.npz` (as bytes) straight into a ClassificationDataset. */
export function medmnistFromFile(
  bytes: Uint8Array | ArrayBuffer,
  fileName: string,
  options: Omit<MedmnistOptions, "fileName"> & Pick<ReadNpzOptions, "maxBytes"> = {},
): ClassificationDataset {
  const arrays = readNpz(bytes, { maxBytes: options.maxBytes });
  return medmnistFromNpz(arrays, { id: options.id, fileName });
}

/**
 * Images per class in one split (per label, for multi-label): the first thing to look at,
 * since a lopsided count makes plain accuracy misleading.
 */
export function countPerClass(ds: Pick<ClassificationDataset, "task" | "classNames">, split: Split): number[] {
  const k = ds.classNames.length;
  const counts = new Array<number>(k).fill(0);
  if (ds.task === "multilabel") {
    for (let i = 0; i < split.labels.length; i++) counts[i % k] += split.labels[i]!;
  } else {
    for (let i = 0; i < split.labels.length; i++) counts[split.labels[i]!] += 1;
  }
  return counts;
}
