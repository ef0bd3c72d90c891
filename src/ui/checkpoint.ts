/**
 * Shipped, converged checkpoints of the CNN and U-Net lessons (made by `npm run checkpoint`, in
 * data/pretrained/<name>/), and the page's choice to start from one: "Start from: random weights /
 * the trained model". The trained weights go into the freshly built model before its Trainer is
 * made, so Reset returns to them. If the settings no longer match the checkpoint (another size,
 * depth, dataset…), the page says what differs and starts from random weights.
 */
import * as tf from "@tensorflow/tfjs";
import { modelFromBundle, type WeightsBundle } from "../models/weights";
import { el } from "../core/dom";
import { select, type Input } from "./inputs";
import { architectureDifference, architectureLines, describeModel } from "./saveLoad";

/** What each checkpoint is: its folder, the run it belongs to, the settings it was trained with, its default length. */
export const CHECKPOINTS = {
  cnn: {
    name: "cnn-nodules",
    run: "model",
    epochs: 20,
    settings:
      "synthetic nodules (seed 42); 8 filters, 3×3 kernels, depth 3, dropout 0.25; batch 32, learning rate 0.005",
  },
  unet: {
    name: "unet-nuclei",
    run: "with skips (U-Net)",
    epochs: 16,
    settings:
      "synthetic nuclei 64×64 (seed 7); depth 3, 8 base filters, transposed convolution, cross-entropy + soft Dice; batch 8, learning rate 0.003",
  },
} as const;

export interface CheckpointRecord {
  lesson: string;
  run: string;
  epochs: number;
  steps: number;
  seed: number;
  backend: string;
  settings: string;
  history: { epoch: number; step: number; trainLoss: number; valLoss: number; metrics: Record<string, number> }[];
  /** Validation metrics after the last epoch. */
  final: Record<string, number>;
  seconds: number;
}

/** "Start from": random weights, or the shipped trained model (when it is there). Its link key is `start-from`. */
export function startChoice(bundle: WeightsBundle<CheckpointRecord> | null): Input<"random" | "trained"> {
  const final = bundle?.record?.final ?? {};
  const score = Object.entries(final)
    .slice(0, 2)
    .map(([k, v]) => `${k} ${v.toFixed(3)}`)
    .join(", ");
  return select<"random" | "trained">({
    label: "Start from",
    value: "random",
    options: [
      { value: "random", label: "random weights (watch it learn)" },
      ...(bundle
        ? [
            {
              value: "trained" as const,
              label: `the trained model (${bundle.record?.epochs ?? "?"} epochs${score ? `; validation ${score}` : ""})`,
            },
          ]
        : []),
    ],
    help: bundle?.record
      ? `trained by \`npm run checkpoint\` on ${bundle.record.settings}`
      : "no trained model is shipped with this site",
  });
}

/**
 * Copies the checkpoint's weights into `model` when their architectures match. Returns null when
 * loaded, or a message saying why not (the model keeps its random weights). Memory: the
 * checkpoint's own model is disposed.
 */
export async function startFromCheckpoint(
  model: tf.LayersModel,
  bundle: WeightsBundle<CheckpointRecord> | null,
): Promise<string | null> {
  if (!bundle) return "No trained model is shipped with this site: starting from random weights.";
  const trained = await modelFromBundle(bundle);
  try {
    const difference = architectureDifference(architectureLines(trained), architectureLines(model));
    if (difference) {
      return `The trained model was made with other settings (${bundle.record?.settings ?? "its own"}; ${describeModel(trained)}, here ${describeModel(model)}: ${difference}). Starting from random weights; set them back to use it.`;
    }
    model.setWeights(trained.getWeights());
    return null;
  } finally {
    trained.dispose();
  }
}

/** The message of startFromCheckpoint, for the page (an empty span when there is none). */
export function checkpointNote(message: string | null): HTMLElement {
  return message ? el("div", { class: "meddl-message", role: "alert" }, message) : el("span");
}
