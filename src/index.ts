/**
 * What the lesson pages can import: `npm run bundle` turns this file (with tfjs, Plot and d3) into one
 * browser module, lessons/_lib/meddl.js. Explicit names, grouped by part, so a clash is a compile error
 * and the whole surface reads on one screen. A page that needs another name adds it here.
 */
import "./ui/safeLink"; // first of all: cleans the address bar before tfjs reads it (see the file)
import "./backend/diagnostics"; // window.meddl.memory(), read by the benchmarks and memory tests
import "./ui/scrollRegions"; // panels that scroll inside themselves are reachable with Tab
import "@tensorflow/tfjs-backend-webgpu"; // registers "webgpu", used only when the user picks it

export * as tf from "@tensorflow/tfjs";
export * as Plot from "@observablehq/plot";

// ── core: DOM and argument helpers
export { el } from "./core/dom";

// ── backend: where tfjs runs
export { setupBackend } from "./backend/setup";

// ── data: datasets, generators, readers
export { bbbc039ForTraining, bbbc039FromFile } from "./data/bbbc039";
export { makeChestSlices } from "./data/chestSlices";
export { CORRUPTION_NAMES } from "./data/corrupt";
export { detectionFromSegmentation } from "./data/detectionObjects";
export { makeLesionDataset } from "./data/lesions";
export { MEDMNIST_INFO, medmnistFromFile } from "./data/medmnist";
export { makeNoduleDataset } from "./data/nodules";
export { makeNucleiDataset } from "./data/nuclei";
export { positiveFraction } from "./data/sampling";
export { makeShapesDataset, SHAPE_CLASSES } from "./data/shapes";
export { plantShortcut, SHORTCUT_DEFAULTS } from "./data/shortcut";
export { imageAt } from "./data/types";

// ── models: builders that read like the papers' figures
export { autoencoderDepths, CODE_SIZE_RANGE } from "./models/autoencoder";
export { buildCnn, maxDepth } from "./models/cnn";
export { convLayers } from "./models/layers";
export { STRATEGY_NAMES } from "./models/transfer";
export { buildUNet, multiplyAdds, unetBlockOutputs } from "./models/unet";

// ── metrics
export { majorityBaseline } from "./metrics/classification";
export { classicalBaselines } from "./metrics/segmentation";

// ── explain: why a model said what it said
export { MC_DROPOUT_DEFAULTS } from "./explain/mcDropout";
export { SMOOTHGRAD_DEFAULTS } from "./explain/saliency";
export { tagAttention } from "./explain/shortcutProbe";

// ── train: trainers and experiments
export {
  AUGMENT_STRENGTHS,
  augmentOptions,
  datasetProblem,
  FEW_LABELS_DEFAULTS,
  fewLabelSizes,
  fewLabelsPair,
  FOCAL_GAMMA,
  IMBALANCE_DEFAULTS,
  imbalanceExperiment,
  NETWORK_DEFAULTS,
  NOISE_DEFAULTS,
  noiseExperiment,
  REMEDY_NAMES,
} from "./train/dataProblems";
export { TrainerPair } from "./train/pair";
export { BETA_RANGE, reconstructionTrainer, unlabelled } from "./train/reconstruction";
export { segmentationTask } from "./train/segmentation";
export { ROUND_IMAGES, TRANSFER_DEFAULTS, transferGroup } from "./train/sweep";
export { Trainer } from "./train/trainer";

// ── viz: charts and image grids
export { activationMaps } from "./viz/activations";
export { imageGrid } from "./viz/autoencoder";
export { learningCurves } from "./viz/curves";
export { augmentationGrid } from "./viz/dataProblems";
export { filterGrid } from "./viz/filters";
export {
  ctPairPanel,
  discriminatorOutputChart,
  enhancementPanel,
  ganLossChart,
  ganScoreboard,
  ganVerdict,
  pretrainingChart,
  qualityChart,
  spectrumChart,
} from "./viz/gan";
export { predictionGrid } from "./viz/predictions";
export { diceComparison, segmentationGrid } from "./viz/segmentation";
export { strategyCurves } from "./viz/transfer";

// ── ui: controls and widgets any lesson uses
export { backendBadge, backendSelect } from "./ui/backendPanel";
export { checkpointNote, startChoice, startFromCheckpoint } from "./ui/checkpoint";
export { confusionExplorer } from "./ui/confusionExplorer";
export { datasetPicker } from "./ui/datasetPicker";
export { publishedReference, rocPanel, testSetPanel } from "./ui/evaluation";
export { cnnExpectations } from "./ui/expectations";
export { checkbox, group, select, slider } from "./ui/inputs";
export { live } from "./ui/live";
export { panel } from "./ui/panelTools";
export { tryThis, guessFeedback, type Exercise } from "./ui/exercise";
export { workProgress } from "./ui/progress";
export { segmentationPicker } from "./ui/segmentationPicker";
export { trainingControls } from "./ui/trainingControls";

// ── records
export { learningRateSummary, meanSd, medmnistRecommendation } from "./records/cnn";
export { ganRecordFacts } from "./records/gan";
export {
  chanceAllAbove,
  msPerStep,
  realTransferAt,
  realTransferVerdicts,
  separations,
  stepsPerRound,
  sweepRun,
  sweepTable,
  verdictWords,
} from "./records/transfer";
export { bbbc039Facts, listOf, unetFacts } from "./records/unet";

// ── lessons: one page's assembly each
export {
  anomalyPanel,
  anomalySentence,
  AUTOENCODER_LESSON,
  autoencoderExpectations,
  codeSpacePanel,
  displayLabels,
  interpolationPanel,
  isNormal,
  normalName,
  pretrainingSentence,
  pretrainingTable,
  priorSamplesPanel,
  reconstructionPanel,
  separationSentence,
  vaeSentence,
} from "./lessons/autoencoders";
export { augmentSweepPanel, fewLabelsPanel, imbalancePanel, noisePanel } from "./lessons/dataProblems";
export {
  curvesPanel,
  DETECTION_LESSON_DEFAULTS,
  detectionExpectations,
  detectionPicker,
  detectionSetup,
  falseAlarmPanel,
  frocPanel,
  slicePanel,
  speedPanel,
} from "./lessons/detection";
export {
  EXPLAIN_DEFAULTS,
  explainExpectations,
  explanationPanel,
  pickerGrid,
  sanityPanel,
  uncertaintyPanel,
} from "./lessons/explain";
export {
  bindGanControls,
  CT_DATA_DEFAULTS,
  ctDataCard,
  ctSourcePicker,
  ctSourcesFromDatasets,
  DOSE_RANGE,
  ganDefaults,
  ganFailurePanel,
  lambdaInput,
  loadShippedGenerators,
  makeCtGanData,
  makeGanPair,
  shippedCard,
} from "./lessons/gan";
export {
  featurePanel,
  filterComparison,
  groupRuns,
  sourcePanel,
  speedTable,
  sweepPanel,
  targetSizes,
  transferProblem,
} from "./lessons/transfer";
export { checkerboardExperiment } from "./lessons/unet";

// ── glossary
export { GLOSSARY, glossaryList, linkGlossaryTerms } from "./ui/glossary";
export type { GlossaryTerm } from "./ui/glossary";
// ── exB
// "Try this" exercises for detection, explain, data-problems and autoencoders: each reveal quotes the page's record.
export { detectionExercises } from "./lessons/exercises/detection";
export { explainExercises } from "./lessons/exercises/explain";
export { dataProblemsExercises } from "./lessons/exercises/dataProblems";
export { autoencoderExercises } from "./lessons/exercises/autoencoders";
// ── exA
export { exerciseBox, setControl } from "./lessons/exercises/common";
export { cnnExercises } from "./lessons/exercises/cnn";
export { transferExercises } from "./lessons/exercises/transfer";
export { unetExercises } from "./lessons/exercises/unet";
export { ganExercises } from "./lessons/exercises/gan";
// ── worker: training in a Web Worker (src/worker/), the page's side
export { RemoteGroup, RemoteTrainer } from "./worker/remote";
export {
  mainThreadReason,
  placeExperiment,
  placeGroup,
  placeReconstruction,
  placeTrainer,
  placeTransferGroup,
  trainingPlaceNote,
} from "./worker/place";
export { placeDetectionSetup } from "./lessons/detectionPlace";

// ── worker2: the GAN pair, the transfer sweep and source pretraining in the training worker (src/worker/ganRemote.ts, transferRemote.ts)
export { placeGanPair, RemoteGanPair } from "./worker/ganRemote";
export { workerSweep, workerAugmentSweep, workerPretrain } from "./worker/transferRemote";

// ── lesson: load (issue 12: the built-in datasets and baselines made in slices, so a page stays responsive while it loads)
export { makeNoduleDatasetInSlices } from "./data/nodules";
export { makeNucleiDatasetInSlices } from "./data/nuclei";
export { makeLesionDatasetInSlices } from "./data/lesions";
export { makeChestSlicesInSlices } from "./data/chestSlices";
export { classicalBaselinesInSlices } from "./metrics/segmentation";
// ── redraw: live charts whose heavy work runs in slices while a lesson trains (issue 12)
export { featurePanelInSlices } from "./lessons/transfer";
export { activationMapsInSlices } from "./viz/activations";
export { explanationPanelInSlices, sanityPanelInSlices } from "./lessons/explain";
export { codeSpacePanelInSlices } from "./lessons/autoencoders";
