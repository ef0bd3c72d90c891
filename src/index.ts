/**
 * The kit's public library, as the lesson pages see it. `npm run bundle` turns this file
 * (with tfjs, Plot and d3) into one browser module, lessons/_lib/meddl.js.
 */
import "@tensorflow/tfjs-backend-webgpu"; // registers "webgpu", used only when the user picks it

export * as tf from "@tensorflow/tfjs";
export * as Plot from "@observablehq/plot";

export * from "./backend/choose";
export * from "./backend/setup";
export * from "./data/types";
export * from "./data/random";
export * from "./data/nodules";
export * from "./data/augment";
export * from "./models/cnn";
export * from "./train/trainer";
export * from "./train/checks";
export * from "./metrics/classification";
export * from "./viz/raster";
export * from "./viz/curves";
export * from "./viz/filters";
export * from "./viz/activations";
export * from "./viz/predictions";
export * from "./viz/confusion";
export * from "./viz/roc";
export * from "./ui/dom";
export * from "./ui/inputs";
export * from "./ui/trainingControls";
export * from "./ui/live";
export * from "./ui/throttle";
export * from "./ui/backendPanel";
export * from "./ui/confusionExplorer";
export * from "./data/npz";
export * from "./data/medmnist";
export * from "./ui/datasetPicker";
export * from "./ui/evaluation";
export * from "./ui/expectations";
export * from "./data/nuclei";
export * from "./data/bbbc039";
export * from "./metrics/segmentation";
export * from "./models/unet";
export * from "./train/task";
export * from "./train/classification";
export * from "./train/segmentation";
export * from "./train/pair";
export * from "./viz/segmentation";
export * from "./ui/segmentationPicker";
export * from "./ui/checkerboard";
export * from "./data/shapes";
export * from "./data/lesions";
export * from "./models/transfer";
export * from "./models/weights";
export * from "./train/pretrain";
export * from "./train/sweep";
export * from "./metrics/pca";
export * from "./viz/transfer";
export * from "./ui/transfer";
export * from "./data/ct";
export * from "./metrics/image";
export * from "./models/gan";
export * from "./train/gan";
// train/gan has its own psnr (capped, for training records); the page's is the metrics one.
export { psnr } from "./metrics/image";
export * from "./train/ganPair";
export * from "./viz/gan";
export * from "./ui/gan";

// ── lesson: claims (numbers the lessons quote, derived from the measured records)
export { ganRecordFacts } from "./records/gan";
export { stepsPerRound, sweepTable, sweepRun, separated, separations, chanceAllAbove, msPerStep, realTransferAt, realTransferVerdicts, verdictWords } from "./records/transfer";
export { unetFacts, bbbc039Facts, stepPassingBaselines, listOf } from "./records/unet";
export { noduleDefaults, learningRateOutcomes, learningRateSummary, medmnistRecommendation, meanSd } from "./records/cnn";
