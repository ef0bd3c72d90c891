/**
 * The detection lesson's runs, placed: in the training worker where the browser allows (the page
 * keeps each patch classifier as a replica, with its fully convolutional twin for the speed panel),
 * else on the main thread exactly as `detectionSetup` builds them.
 */
import type { DetectionDataset } from "../data/chestSlices";
import { buildPatchClassifier, networkStride, toFullyConvolutional } from "../models/fullyConvolutional";
import type { DetectionTrainingOptions } from "../train/detection";
import { mainThreadReason, trainingWorker, type PlaceOptions } from "../worker/place";
import { modelRecipe, RemoteGroup } from "../worker/remote";
import { detectionSetup, RUN_NAMES, type DetectionLessonSettings } from "./detection";

/** One detector's options, as buildDetector sets them. */
function detectorOptions(settings: DetectionLessonSettings, mining: boolean): DetectionTrainingOptions {
  const s = settings;
  return {
    negativeRatio: s.negativeRatio, positivesPerRound: s.positivesPerRound, rounds: s.rounds, batchSize: s.batchSize,
    learningRate: s.learningRate, minedPerRound: s.minedPerRound, minedFraction: s.minedFraction, seed: s.seed, mining,
  };
}

/** Like detectionSetup, but the runs train in the worker when they can; `trainer` says where (runsIn). */
export async function placeDetectionSetup(
  data: DetectionDataset,
  settings: DetectionLessonSettings,
  { mining }: { mining: boolean },
  place: PlaceOptions,
): Promise<ReturnType<typeof detectionSetup> | { trainer: RemoteGroup; message: null }> {
  const onMain = (reason: string) => {
    const local = detectionSetup(data, settings, { mining });
    if (local.trainer) Object.assign(local.trainer, { runsIn: "main", placeReason: reason });
    return local;
  };
  const reason = mainThreadReason(place);
  if (reason) return onMain(reason);
  const names = mining ? [RUN_NAMES.plain, RUN_NAMES.mining] : [RUN_NAMES.plain];
  const { filters, kernelSize, depth, dropout, seed } = settings;
  const models = names.map(() =>
    buildPatchClassifier({ inputShape: [data.patchSize, data.patchSize, 1], filters, kernelSize, depth, dropout, seed }),
  );
  try {
    const connection = await trainingWorker(place);
    const members = await Promise.all(
      models.map(async (model, i) => ({ model: await modelRecipe(model), options: detectorOptions(settings, i === 1) })),
    );
    const group = await RemoteGroup.fromRecipe(connection, { kind: "detection", data, members, names }, models);
    group.runs.forEach((run, i) => {
      const fcn = toFullyConvolutional(models[i]); // the speed panel times both ways on the page
      run.companions.push(fcn);
      Object.assign(run, { fcn, stride: networkStride(models[i]), data });
    });
    return { trainer: group, message: null };
  } catch (error) {
    models.forEach((m) => m.dispose());
    // Settings that cannot train get the page's own message from detectionSetup.
    return onMain(`the training worker could not take these runs (${(error as Error).message})`);
  }
}
