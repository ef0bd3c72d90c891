// The transfer lesson's real-data claim: PneumoniaMNIST (chest X-rays) as the source, BreastMNIST
// (breast ultrasound) as the target, at the page's default settings, as a learner would repeat it
// in the page: pretrain on PneumoniaMNIST in section 2 (the page's 2 epochs), pick BreastMNIST,
// train the three strategies. Scored on BreastMNIST's validation set (what the page shows) and on
// its test set (156 images, a steadier number than the 78 validation images).
import { medmnistFromFile } from "../../src/data/medmnist";
import type { Strategy } from "../../src/models/transfer";
import { pretrainSource } from "../../src/train/pretrain";
import { TRANSFER_DEFAULTS, transferGroup } from "../../src/train/sweep";
import { scoreSplit } from "../../src/ui/evaluation";
import { findDataFile, readBytes, stats, trainToEnd } from "./common";

export const SOURCE_EPOCHS = 2; // the page's "pretrain here" (sourcePanel's default)

export async function recordTransferReal(seeds: number[]) {
  const pneumoniaFile = findDataFile("medmnist", "pneumoniamnist.npz");
  const breastFile = findDataFile("medmnist", "breastmnist.npz");
  if (!pneumoniaFile || !breastFile) {
    console.log("  MedMNIST files not found: skipped");
    return { skipped: "files not found" };
  }
  const source = medmnistFromFile(readBytes(pneumoniaFile), "pneumoniamnist.npz");
  const target = medmnistFromFile(readBytes(breastFile), "breastmnist.npz");
  console.log(`  pretraining on PneumoniaMNIST, ${SOURCE_EPOCHS} epochs, seed 1`);
  const { model, record } = await pretrainSource(source, { epochs: SOURCE_EPOCHS, seed: 1 });
  const sizes = [25, 100, target.train.count];
  const strategies: Strategy[] = ["scratch", "frozen", "finetune"];
  const points: { strategy: Strategy; n: number; seed: number; steps: number; valAuc: number; testAuc: number }[] = [];
  for (const n of sizes) {
    for (const seed of seeds) {
      const group = transferGroup(model, target, { n, seed, strategies, rounds: TRANSFER_DEFAULTS.rounds });
      for (const [i, strategy] of strategies.entries()) {
        const t = await trainToEnd(group.trainers[i]);
        const test = scoreSplit(await t.predictSplit(target.test!), target.test!, target);
        const valAuc = t.history.epochs.at(-1)!.metrics.auc;
        console.log(
          `  N=${n} seed ${seed} ${strategy}: val AUC ${valAuc.toFixed(3)}, test AUC ${test.auc.toFixed(3)} (${t.stepsTaken} steps)`,
        );
        points.push({ strategy, n, seed, steps: t.stepsTaken, valAuc, testAuc: test.auc });
      }
      await group.dispose();
    }
  }
  model.dispose();
  const summary = sizes.flatMap((n) =>
    strategies.map((strategy) => {
      const runs = points.filter((p) => p.n === n && p.strategy === strategy);
      return { n, strategy, valAuc: stats(runs.map((p) => p.valAuc)), testAuc: stats(runs.map((p) => p.testAuc)) };
    }),
  );
  return {
    settings: { ...TRANSFER_DEFAULTS, sourceEpochs: SOURCE_EPOCHS, sourceSeed: 1, sizes },
    source: { id: "pneumoniamnist", valAccuracy: record.valAccuracy },
    target: { id: "breastmnist", train: target.train.count, val: target.val.count, test: target.test!.count },
    seeds,
    summary,
    points,
  };
}
