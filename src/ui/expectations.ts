/**
 * The "what to expect" note of the CNN lesson, per dataset. Every number in it is read from a
 * record (data/records/cnn-*.json, written by `npm run record`) or computed from the dataset
 * itself, never typed by hand; tests/records/cnn.test.ts checks the note against the records.
 */
import { countPerClass } from "../data/medmnist";
import type { ClassificationDataset, Split } from "../data/types";
import {
  meanSd,
  medmnistRecommendation,
  noduleDefaults,
  type MedmnistRecord,
  type NodulesRecord,
} from "../records/cnn";

export interface CnnRecords {
  nodules?: NodulesRecord | null;
  medmnist?: MedmnistRecord | null;
}

/** "2" or "2–4": the range of a list of whole numbers (null: never). */
function range(values: (number | null)[]): string {
  if (values.some((v) => v === null)) return `${values.filter((v) => v !== null).join("–") || "no"} (not every seed)`;
  const lo = Math.min(...(values as number[])),
    hi = Math.max(...(values as number[]));
  return lo === hi ? String(lo) : `${lo}–${hi}`;
}
const pct = (x: number) => `${Math.round(100 * x)}%`;

/** Share of each class in a split, as "38% normal". */
function classShare(ds: ClassificationDataset, split: Split, j: number): string {
  const counts = countPerClass(ds, split);
  return `${pct(counts[j] / split.count)} ${ds.classNames[j]}`;
}

export function cnnExpectations(ds: ClassificationDataset, records: CnnRecords = {}): string {
  const recorded = medmnistRecommendation(records.medmnist, ds.id);
  switch (ds.id) {
    case "nodules": {
      const d = noduleDefaults(records.nodules);
      if (!d) return "No record in this build (npm run record -- --only cnn-nodules).";
      return (
        `Recorded with the default settings over seeds ${d.seeds.join(", ")}: the first epoch ends at ${d.firstAccuracy.map(pct).join(", ")} validation accuracy while the filters find their shape; ` +
        `accuracy passes 85% at epoch ${range(d.passAccuracy)} and AUC passes 0.95 at epoch ${range(d.passAuc)}, ending (epoch ${d.epochs}) at ${d.finalAccuracy.map(pct).join(", ")} and AUC ${d.finalAuc.map((a) => a.toFixed(3)).join(", ")}.`
      );
    }
    case "pneumoniamnist": {
      const shift = ds.test
        ? ` The split is shifted: the validation images are a random tenth of the same pool as the training images, while the test images are ` +
          `the source dataset's own, separately assembled test set, with a different class balance (validation ${classShare(ds, ds.val, 0)}, test ${classShare(ds, ds.test, 0)}). ` +
          `A model watched on validation looks better there than it is. Press “Evaluate on the test set” to see both.`
        : "";
      if (!recorded) return `No record in this build (npm run record -- --only cnn-medmnist).${shift}`;
      const def = recorded.defaults;
      return (
        `Recorded with the page defaults (${def.label}) over seeds ${recorded.seeds.join(", ")}: validation AUC ${meanSd(def.valAuc)}, but test AUC ${meanSd(def.testAuc)} ` +
        `(test accuracy ${meanSd(def.testAccuracy)}), against ${recorded.published.auc} for the published ResNet-18.${shift}`
      );
    }
    case "breastmnist": {
      const majority = Math.max(...countPerClass(ds, ds.train)) / ds.train.count;
      const swings = ` With so few images (${ds.train.count} for training), accuracy sits near the majority-class rate (${pct(majority)}) for a while and swings by a few percent between epochs: watch the AUC.`;
      if (!recorded) return `No record in this build (npm run record -- --only cnn-medmnist).${swings}`;
      const def = recorded.defaults;
      const longer = recorded.longer
        ? ` and ${meanSd(recorded.longer.testAuc)} after ${recorded.longer.settings.epochs} epochs`
        : "";
      return (
        `BreastMNIST is small, so training from scratch is slow to settle. Recorded over seeds ${recorded.seeds.join(", ")} with the page defaults: test AUC ${meanSd(def.testAuc)} after ${def.settings.epochs} epochs${longer}, ` +
        `against ${recorded.published.auc} for the published ResNet-18.${swings}`
      );
    }
    default:
      return (
        "Accuracy at a 0.5 threshold swings between epochs and can sit at the majority-class rate on small or lopsided datasets: " +
        "lead with the AUC, which does not depend on one threshold."
      );
  }
}
