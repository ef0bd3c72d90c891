/**
 * Save and load, from the training dock: the run's history as CSV, and the trained model in tfjs
 * format (model.json plus weights.bin), which loads back into the same lesson. A file made for
 * another lesson or another architecture is refused with a message naming the difference, and the
 * running model is kept. Everything happens in the browser: files are downloaded and read locally.
 */
import * as tf from "@tensorflow/tfjs";
import type { Controllable, History } from "../train/types";
import { pinCaption, pinnedRuns } from "../viz/pinStore";
import { el } from "../core/dom";

/** One model of the dock's run: a Trainer has one; side-by-side runs have one each (a GAN run: its generator). */
export interface RunModel {
  name: string;
  model: tf.LayersModel;
}

type Loose = {
  model?: tf.LayersModel;
  trainers?: { model: tf.LayersModel }[];
  runs?: { generator: tf.LayersModel }[];
  names?: string[];
};

export function runModels(trainer: Controllable): RunModel[] {
  const t = trainer as unknown as Loose;
  const name = (i: number) => t.names?.[i] ?? `run ${i + 1}`;
  if (t.model) return [{ name: "model", model: t.model }];
  // Runs trained in a worker without a copy on the page have no model here to save.
  if (Array.isArray(t.trainers))
    return t.trainers.map((r, i) => ({ name: name(i), model: r.model })).filter((m) => m.model);
  if (Array.isArray(t.runs)) return t.runs.map((r, i) => ({ name: name(i), model: r.generator }));
  return [];
}

/** Histories of the run (each side-by-side run), for the CSV. */
function runHistories(trainer: Controllable): { name: string; history: History }[] {
  const t = trainer as unknown as {
    trainers?: { history: History }[];
    runs?: { history: History }[];
    names?: string[];
  };
  const list = t.trainers ?? t.runs;
  return list
    ? list.map((r, i) => ({ name: t.names?.[i] ?? `run ${i + 1}`, history: r.history }))
    : [{ name: "current run", history: trainer.history }];
}

/** The lesson this page is ("cnn", "unet", …): what a saved model is labelled with. */
export function lessonName(): string {
  if (typeof location === "undefined") return "lesson";
  return (
    location.pathname
      .split("/")
      .filter(Boolean)
      .pop()
      ?.replace(/\.html$/, "") || "index"
  );
}

/** One line per layer with weights: "conv2d [3,3,1,8]", so two models compare line by line. */
export function architectureLines(model: tf.LayersModel): string[] {
  return model.layers
    .filter((l) => l.getWeights().length > 0 || l.getClassName() !== "InputLayer")
    .map((l) => `${l.getClassName()} ${l.weights.map((w) => `[${w.shape.join(",")}]`).join(" ")}`.trim());
}

/** "12 layers, 2,754 weights": the model in words. */
export function describeModel(model: tf.LayersModel): string {
  return `${model.layers.length} layers, ${model.countParams().toLocaleString("en")} weights`;
}

/** The first difference between two architectures, in words, or null when they match. */
export function architectureDifference(file: string[], page: string[]): string | null {
  for (let i = 0; i < Math.max(file.length, page.length); i++) {
    if (file[i] !== page[i]) {
      return `layer ${i + 1} is ${file[i] ?? "missing"} in the file but ${page[i] ?? "missing"} here`;
    }
  }
  return null;
}

const csvCell = (v: unknown) => {
  const s = v === undefined || v === null || (typeof v === "number" && !Number.isFinite(v)) ? "" : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/**
 * Every run's history as CSV (with the pinned runs too): one row per training step, and the
 * validation values on the step they were measured.
 */
export function historyCsv(trainer: Controllable): string {
  const runs = [...runHistories(trainer), ...pinnedRuns().map((p) => ({ name: pinCaption(p), history: p.history }))];
  const metricKeys = [...new Set(runs.flatMap((r) => r.history.epochs.flatMap((e) => Object.keys(e.metrics))))];
  const header = [
    "run",
    "step",
    "epoch",
    "batch",
    "loss",
    "score",
    "learning_rate",
    "val_loss",
    ...metricKeys.map((k) => `val_${k}`),
  ];
  const rows = runs.flatMap(({ name, history }) => {
    const atStep = new Map(history.epochs.map((e) => [e.step, e]));
    return history.batches.map((b) => {
      const e = atStep.get(b.step);
      return [
        name,
        b.step,
        b.epoch,
        b.batch,
        b.loss,
        b.score,
        b.learningRate,
        e?.valLoss,
        ...metricKeys.map((k) => e?.metrics[k]),
      ];
    });
  });
  return [header, ...rows].map((r) => r.map(csvCell).join(",")).join("\n") + "\n";
}

/** Starts a download of `data` as `filename` (through a blob: URL, never a server). */
export function download(data: Blob, filename: string): void {
  const url = URL.createObjectURL(data);
  const a = el("a", { href: url, download: filename, style: "display:none" });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Saves a model as two downloads, `<file>.json` and `<file>.weights.bin`, in tfjs's format. */
export function downloadHandler(file: string): tf.io.IOHandler {
  return tf.io.withSaveHandler(async (artifacts) => {
    const weightsName = `${file}.weights.bin`;
    const modelJson = {
      format: artifacts.format,
      generatedBy: artifacts.generatedBy,
      convertedBy: artifacts.convertedBy,
      modelTopology: artifacts.modelTopology,
      userDefinedMetadata: artifacts.userDefinedMetadata,
      weightsManifest: [{ paths: [`./${weightsName}`], weights: artifacts.weightSpecs ?? [] }],
    };
    download(new Blob([JSON.stringify(modelJson)], { type: "application/json" }), `${file}.json`);
    const data = artifacts.weightData;
    download(
      new Blob(Array.isArray(data) ? data : data ? [data] : [], { type: "application/octet-stream" }),
      weightsName,
    );
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
  });
}

/** Saves each of the run's models through `handler` (default: two downloads per model), labelled with lesson, run and architecture. */
export async function saveModels(trainer: Controllable, handler?: (name: string) => tf.io.IOHandler): Promise<string> {
  const models = runModels(trainer);
  if (!models.length) return "This run has no model to save.";
  const lesson = lessonName();
  for (const { name, model } of models) {
    model.setUserDefinedMetadata({ meddl: { lesson, run: name, architecture: architectureLines(model) } });
    const file = `meddl-${lesson}${
      models.length > 1
        ? `-${name
            .replace(/[^A-Za-z0-9]+/g, "-")
            .replace(/^-|-$/g, "")
            .toLowerCase()}`
        : ""
    }`;
    await model.save((handler ?? downloadHandler)(file));
  }
  return `Saved ${models.length === 1 ? "the model" : `${models.length} models`} (model.json and weights.bin each).`;
}

/**
 * Loads a saved model's weights into the matching model of the run. Refused, with the running
 * model kept, when the file is from another lesson or its architecture differs. Returns what
 * happened, in words; `ok` says whether weights were loaded.
 */
export async function loadModel(
  trainer: Controllable,
  source: tf.io.IOHandler,
): Promise<{ ok: boolean; message: string }> {
  const models = runModels(trainer);
  if (!models.length) return { ok: false, message: "This run has no model to load into." };
  let loaded: tf.LayersModel;
  try {
    loaded = await tf.loadLayersModel(source);
  } catch (error) {
    return {
      ok: false,
      message: `Could not read these files as a tfjs model (choose its model.json and weights.bin together): ${(error as Error).message}`,
    };
  }
  try {
    const meta = (loaded.getUserDefinedMetadata() as { meddl?: { lesson?: string; run?: string } } | undefined)?.meddl;
    const lesson = lessonName();
    if (meta?.lesson && meta.lesson !== lesson) {
      return {
        ok: false,
        message: `This model was saved by the “${meta.lesson}” lesson; this is the “${lesson}” lesson. The running model is kept.`,
      };
    }
    const fileLines = architectureLines(loaded);
    const target =
      models.find((m) => m.name === meta?.run && !architectureDifference(fileLines, architectureLines(m.model))) ??
      models.find((m) => !architectureDifference(fileLines, architectureLines(m.model)));
    if (!target) {
      const difference = architectureDifference(fileLines, architectureLines(models[0].model));
      return {
        ok: false,
        message: `This model's architecture differs from the one on the page (file: ${describeModel(loaded)}; here: ${describeModel(models[0].model)}; ${difference}). Change the settings to match it, or keep training this one. The running model is kept.`,
      };
    }
    target.model.setWeights(loaded.getWeights()); // copies the values: the file's model can go
    // A run training in a worker gets the loaded weights there too (its page model is a replica,
    // or, for a GAN pair, a copy of a generator): each remote run has the same hook.
    await (trainer as { pushModel?: (model: tf.LayersModel) => Promise<void> }).pushModel?.(target.model);
    // The trainer's charts redraw on its events; say that the weights changed (emit is protected only in TypeScript).
    (trainer as unknown as { emit: (event: string, value: unknown) => void }).emit("state", {
      state: trainer.state,
      message: "",
    });
    return {
      ok: true,
      message: `Loaded the saved weights into ${models.length > 1 ? `“${target.name}”` : "the model"} (${describeModel(loaded)}). Reset goes back to the initial random weights.`,
    };
  } finally {
    loaded.dispose();
  }
}

/** The dock's Save model / Load model / CSV buttons, with a line for their messages. */
export function saveLoadControls(currentTrainer: () => Controllable | null): HTMLElement {
  const message = el("span", { class: "meddl-save-message", role: "status" });
  const say = (text: string, ok = true) => {
    message.textContent = text;
    message.dataset.ok = String(ok);
  };
  const button = (text: string, title: string, action: (t: Controllable) => Promise<void> | void) => {
    // The name contains the visible text ("Save model: download the trained model"), as speech users need.
    const b = el("button", { type: "button", title, "aria-label": `${text}: ${title.toLowerCase()}` }, text);
    b.addEventListener("click", async () => {
      const t = currentTrainer();
      if (!t) return say("No run on this page yet.", false);
      try {
        await action(t);
      } catch (error) {
        say(`Failed: ${(error as Error).message}`, false);
      }
    });
    return b;
  };
  const files = el("input", {
    type: "file",
    accept: ".json,.bin",
    multiple: true,
    class: "meddl-model-files",
    hidden: true,
  });
  files.addEventListener("change", async () => {
    const t = currentTrainer();
    const chosen = [...(files.files ?? [])];
    files.value = "";
    if (!t || !chosen.length) return;
    const json = chosen.find((f) => f.name.endsWith(".json"));
    if (!json) return say("Choose the model's .json file together with its .bin weights file.", false);
    const result = await loadModel(t, tf.io.browserFiles([json, ...chosen.filter((f) => f !== json)]));
    say(result.message, result.ok);
  });
  return el(
    "span",
    { class: "meddl-dock-group meddl-save-load" },
    button("CSV", "Download run history as CSV", (t) =>
      download(new Blob([historyCsv(t)], { type: "text/csv" }), `meddl-${lessonName()}-history.csv`),
    ),
    button("Save model", "Download the trained model", async (t) => say(await saveModels(t))),
    button("Load model", "Load a saved model into this lesson", () => files.click()),
    files,
    message,
  );
}
