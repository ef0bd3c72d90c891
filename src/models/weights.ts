/**
 * Saving and loading model weights as two plain files (tfjs's format: model.json + weights.bin),
 * without any network or browser storage: the kit ships pretrained weights as files in data/.
 */
import * as tf from "@tensorflow/tfjs";

export interface ModelFiles {
  /** The parsed model.json: topology plus the weights manifest pointing to "weights.bin". */
  modelJson: {
    modelTopology: object;
    weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
    format?: string;
    generatedBy?: string;
    convertedBy?: string | null;
  };
  /** The weights, concatenated. */
  weights: ArrayBuffer;
}

/** Serialises a model to model.json + weights.bin contents. */
export async function modelToFiles(model: tf.LayersModel): Promise<ModelFiles> {
  let files: ModelFiles | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights =
        artifacts.weightData instanceof ArrayBuffer
          ? artifacts.weightData
          : tf.io.concatenateArrayBuffers(artifacts.weightData as ArrayBuffer[]);
      files = {
        modelJson: {
          modelTopology: artifacts.modelTopology as object,
          format: artifacts.format,
          generatedBy: artifacts.generatedBy,
          convertedBy: artifacts.convertedBy ?? null,
          weightsManifest: [{ paths: ["weights.bin"], weights: artifacts.weightSpecs ?? [] }],
        },
        weights,
      };
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  return files!;
}

/** Rebuilds a model from model.json + weights.bin contents (read from disk, or fetched from the site itself). */
export async function modelFromFiles({ modelJson, weights }: ModelFiles): Promise<tf.LayersModel> {
  const specs = modelJson.weightsManifest.flatMap((group) => group.weights);
  return tf.loadLayersModel(
    tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs: specs, weightData: weights }),
  );
}

/** Shipped weights as one JSON file (see data/pretrained.mjs): model.json, weights in base64, and the training record. */
export interface WeightsBundle<R = unknown> {
  name: string;
  modelJson: ModelFiles["modelJson"];
  weightsBase64: string;
  record: R | null;
}

/** Rebuilds a model from a weights bundle. */
export function modelFromBundle(bundle: WeightsBundle<unknown>): Promise<tf.LayersModel> {
  const bytes = Uint8Array.from(atob(bundle.weightsBase64), (c) => c.charCodeAt(0));
  return modelFromFiles({ modelJson: bundle.modelJson, weights: bytes.buffer });
}
