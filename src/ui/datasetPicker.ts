/**
 * Chooses the data a lesson trains on: the built-in synthetic set, real datasets found at
 * build time, or a file the user drops. Files are read here, in the browser, and never uploaded.
 * A bad file gets a specific message and the lesson keeps the data it had.
 */
import { countPerClass, MEDMNIST_INFO, isMedmnistId, medmnistFromFile } from "../data/medmnist";
import { DataError, DEFAULT_MAX_BYTES, formatBytes } from "../data/npz";
import type { ClassificationDataset, Provenance } from "../data/types";
import { el, replace } from "../core/dom";
import type { Input } from "./inputs";
import { shareable } from "./linkState";

export interface DatasetSource<D = ClassificationDataset> {
  id: string;
  label: string;
  load: () => Promise<D> | D;
}

export interface DatasetPickerOptions<D = ClassificationDataset> {
  /** The dataset shown first (synthetic, made synchronously). */
  initial: D;
  /** Other datasets offered in the menu, e.g. real files found at build time. */
  sources?: DatasetSource<D>[];
  maxBytes?: number;
}

/** What the generic picker needs to know about one kind of dataset. */
export interface DatasetKind<D> {
  /** What a dropped file should be, in the drop zone's words. */
  fileHint: string;
  fromFile: (file: File, maxBytes: number) => Promise<D>;
  card: (ds: D) => HTMLElement;
}

/** Reads a user's file into a dataset, or throws a DataError a learner can act on. */
export async function datasetFromFile(file: File, maxBytes = DEFAULT_MAX_BYTES): Promise<ClassificationDataset> {
  if (!/\.npz$/i.test(file.name)) {
    throw new DataError(
      `“${file.name}” is not an .npz file. The lesson reads MedMNIST-style .npz files (a zip of NumPy arrays).`,
    );
  }
  if (file.size > maxBytes) {
    throw new DataError(`“${file.name}” is ${formatBytes(file.size)}; the limit is ${formatBytes(maxBytes)}.`);
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  try {
    return medmnistFromFile(bytes, file.name, { maxBytes });
  } catch (error) {
    if (error instanceof DataError && /missing array 'train_images'.*\bmasks\b/.test(error.message)) {
      throw new DataError(
        `${error.message}. This looks like a segmentation dataset (images + masks, as in BBBC039); this lesson classifies whole images.`,
      );
    }
    throw error;
  }
}

/** The dataset's title with its "synthetic" or "real data" badge. */
export function datasetTitle(ds: { title: string; synthetic: boolean }): HTMLElement {
  return el(
    "div",
    {},
    el("b", {}, ds.title),
    " ",
    ds.synthetic
      ? el("span", { class: "meddl-synthetic" }, "synthetic")
      : el("span", { class: "meddl-real" }, "real data"),
  );
}

/** License and citation of a real dataset, as the page must show them. */
export function datasetCredit(provenance: Provenance | undefined): HTMLElement | null {
  return provenance
    ? el(
        "div",
        { class: "meddl-credit" },
        el("b", {}, "License: "),
        provenance.license,
        ". ",
        el("b", {}, "Cite: "),
        provenance.citation,
      )
    : null;
}

/** What the data is, where it comes from, and how to credit it. */
export function datasetCard(ds: ClassificationDataset): HTMLElement {
  const [h, w, c] = ds.imageShape;
  const counts = countPerClass(ds, ds.train);
  const info = isMedmnistId(ds.id) ? MEDMNIST_INFO[ds.id] : undefined;
  const task = {
    binary: "binary classification",
    multiclass: "multi-class classification",
    multilabel: "multi-label classification",
    ordinal: "ordinal regression (graded classes)",
  }[ds.task];
  return el(
    "div",
    { class: "meddl-dataset-card", "data-dataset": ds.id },
    datasetTitle(ds),
    el(
      "div",
      { class: "meddl-help" },
      `${task} · ${h}×${w} ${c === 3 ? "colour" : "grey"} · train ${ds.train.count}, val ${ds.val.count}${ds.test ? `, test ${ds.test.count}` : ""} images`,
    ),
    el(
      "div",
      { class: "meddl-help" },
      `classes (training images): ${ds.classNames.map((name, i) => `${name} (${counts[i]})`).join(", ")}`,
    ),
    el("p", { class: "meddl-dataset-description" }, ds.description),
    datasetCredit(ds.provenance),
    info?.published
      ? el(
          "div",
          { class: "meddl-help" },
          `Published reference (MedMNIST v2, ${info.published.model}, test set): ACC ${info.published.acc.toFixed(3)}, AUC ${info.published.auc.toFixed(3)}.`,
        )
      : null,
  );
}

/** The MedMNIST-style classification picker of the CNN lesson. */
export function datasetPicker(options: DatasetPickerOptions): Input<ClassificationDataset> {
  return picker(options, { fileHint: "a MedMNIST .npz file", fromFile: datasetFromFile, card: datasetCard });
}

/** A menu of datasets plus a drop zone for the user's own file. Generic over the kind of dataset. */
export function picker<D extends { id: string; title: string }>(
  { initial, sources = [], maxBytes = DEFAULT_MAX_BYTES }: DatasetPickerOptions<D>,
  kind: DatasetKind<D>,
): Input<D> {
  let current = initial;
  let currentSource = initial.id; // which menu entry `current` came from
  const options: DatasetSource<D>[] = [{ id: initial.id, label: initial.title, load: () => initial }, ...sources];
  const menu = el("select", { "aria-label": "Dataset" });
  const fillMenu = (selectedId: string) => {
    replace(menu, ...options.map((o) => el("option", { value: o.id, selected: o.id === selectedId }, o.label)));
  };
  fillMenu(initial.id);
  const fileInput = el("input", {
    type: "file",
    accept: ".npz",
    class: "meddl-file",
    "aria-label": `Choose ${kind.fileHint}`,
  });
  const status = el("div", { class: "meddl-status", role: "status" });
  const error = el("div", { class: "meddl-message", role: "alert", hidden: true });
  const card = el("div", {}, kind.card(initial));
  const drop = el(
    "div",
    { class: "meddl-drop", tabindex: 0 },
    el("b", {}, `Drop ${kind.fileHint} here`),
    " or ",
    fileInput,
    el(
      "div",
      { class: "meddl-help" },
      "Private: the file is read on this computer, in this page. It is never uploaded anywhere.",
    ),
  );
  const root = el(
    "div",
    { class: "meddl-dataset-picker" },
    el("label", { class: "meddl-field" }, el("span", { class: "meddl-label" }, "Dataset"), menu),
    drop,
    status,
    error,
    card,
  ) as unknown as Input<D>;
  Object.defineProperty(root, "value", { get: () => current });

  const show = (message: string) => {
    error.textContent = message;
    error.hidden = !message;
  };
  const use = (ds: D) => {
    current = ds;
    replace(card, kind.card(ds));
    root.dataset.dataset = ds.id;
    root.dispatchEvent(new Event("input", { bubbles: true }));
  };
  /** Loads a source; on failure, says why and keeps the current data. */
  const load = async (source: DatasetSource<D>) => {
    status.textContent = `loading ${source.label}…`;
    show("");
    try {
      const ds = await source.load();
      status.textContent = "";
      currentSource = source.id;
      fillMenu(source.id);
      use(ds);
    } catch (e) {
      status.textContent = "";
      fillMenu(currentSource); // the menu goes back to the data still in use
      show(
        e instanceof DataError
          ? `Could not use this file: ${e.message}`
          : `Could not load the data: ${(e as Error).message}`,
      );
    }
  };
  const loadFile = (file: File) => {
    const source: DatasetSource<D> = {
      id: `file:${file.name}`,
      label: `Your file: ${file.name}`,
      load: () => kind.fromFile(file, maxBytes),
    };
    void load(source).then(() => {
      // A file that loaded joins the menu, so the learner can switch back to it.
      if (currentSource === source.id && !options.some((o) => o.id === source.id)) {
        const ds = current;
        options.push({ ...source, load: () => ds });
        fillMenu(source.id);
      }
    });
  };
  menu.addEventListener("input", (event) => {
    event.stopPropagation();
    const source = options.find((o) => o.id === menu.value);
    if (source) void load(source);
  });
  fileInput.addEventListener("input", (event) => {
    event.stopPropagation();
    const file = fileInput.files?.[0];
    if (file) loadFile(file);
    fileInput.value = ""; // the same file can be chosen again
  });
  drop.addEventListener("dragover", (event) => {
    event.preventDefault(); // allows the drop
    drop.classList.add("over");
  });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (event) => {
    event.preventDefault(); // stops the browser from opening the file
    drop.classList.remove("over");
    const file = event.dataTransfer?.files?.[0];
    if (file) loadFile(file);
  });
  // The menu's choice goes in the page's link as dataset=<id>; a user's own file cannot (it never leaves this computer).
  return shareable(
    root,
    "dataset",
    {
      encode: (id: string) => (id.startsWith("file:") ? null : id),
      decode: (raw: string) =>
        options.some((o) => o.id === raw && !raw.startsWith("file:"))
          ? { ok: true as const, value: raw }
          : { ok: false as const, note: "not a dataset offered here" },
    },
    {
      read: () => currentSource,
      apply: (id) => {
        if (id !== currentSource) void load(options.find((o) => o.id === id)!);
      },
    },
  );
}
