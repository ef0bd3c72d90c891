/**
 * ROC curves and the test-set check: AUC is MedMNIST's headline metric, and a test set the
 * model never saw is the honest final word (validation was used to watch training).
 */
import { isMedmnistId, MEDMNIST_INFO } from "../data/medmnist";
import type { ClassificationDataset, Split } from "../data/types";
import { accuracy, argmaxRows, auc, column, flagAccuracy, meanAuc, rocCurve } from "../metrics/classification";
import type { Trainer } from "../train/trainer";
import { rocChart, type RocSeries } from "../viz/roc";
import { el, replace } from "../core/dom";
import { live } from "./live";

/** The published MedMNIST v2 ResNet-18 (28×28) test result for a dataset, if there is one. */
export function publishedReference(ds: ClassificationDataset): { acc: number; auc: number; label: string } | undefined {
  const published = isMedmnistId(ds.id) ? MEDMNIST_INFO[ds.id].published : undefined;
  return published
    ? { acc: published.acc, auc: published.auc, label: `published ${published.model}, test` }
    : undefined;
}

/** One ROC series per class (one-vs-rest), or just the positive class for a binary task. */
export function rocSeries(
  probs: Float32Array,
  labels: Int32Array,
  ds: ClassificationDataset,
  maxSeries = 6,
): RocSeries[] {
  const k = ds.classNames.length;
  const multilabel = ds.task === "multilabel";
  const n = probs.length / k;
  const classes = k === 2 && !multilabel ? [1] : Array.from({ length: Math.min(k, maxSeries) }, (_, j) => j);
  return classes.flatMap((j) => {
    const positive = new Uint8Array(n);
    for (let i = 0; i < n; i++) positive[i] = multilabel ? labels[i * k + j] : labels[i] === j ? 1 : 0;
    const count = positive.reduce((a, b) => a + b, 0);
    if (count === 0 || count === n) return [];
    const scores = column(probs, k, j);
    return [
      {
        name: k === 2 && !multilabel ? `${ds.classNames[j]} vs ${ds.classNames[0]}` : ds.classNames[j],
        points: rocCurve(scores, positive),
        auc: auc(scores, positive),
      },
    ];
  });
}

/** ROC curves of the latest validation, redrawn after each epoch. */
export function rocPanel(trainer: Trainer, ds: ClassificationDataset, { width = 360 } = {}): HTMLElement {
  const reference = publishedReference(ds);
  return live(
    trainer,
    (root, fit) => {
      const v = trainer.validation;
      if (!v) return el("p", { class: "meddl-help" }, "ROC curves appear after the first epoch's validation.");
      root.dataset.auc = String(trainer.history.epochs.at(-1)?.metrics.auc ?? "");
      return rocChart(rocSeries(v.probs, ds.val.labels, ds), {
        width: fit ?? width, // the container's width once known (live), else the page's
        reference: reference && { auc: reference.auc, label: reference.label },
      });
    },
    { events: ["epoch", "state"], interval: 0, className: "meddl-roc" },
  );
}

export interface SplitScore {
  accuracy: number;
  auc: number;
}

export function scoreSplit(probs: Float32Array, split: Split, ds: ClassificationDataset): SplitScore {
  const k = ds.classNames.length;
  if (ds.task === "multilabel")
    return { accuracy: flagAccuracy(probs, split.labels), auc: meanAuc(probs, split.labels, k, true) };
  return { accuracy: accuracy(split.labels, argmaxRows(probs, k)), auc: meanAuc(probs, split.labels, k) };
}

/** A button that scores the current model on the test split, next to validation and the published result. */
export function testSetPanel(trainer: Trainer, ds: ClassificationDataset): HTMLElement {
  const test = ds.test;
  if (!test) return el("p", { class: "meddl-help" }, "This dataset has no test split.");
  const button = el("button", { type: "button", class: "meddl-button" }, "Evaluate on the test set");
  const result = el("div", { class: "meddl-test-result", role: "status" });
  button.addEventListener("click", async () => {
    button.disabled = true;
    result.textContent = `scoring ${test.count} test images…`;
    try {
      const score = scoreSplit(await trainer.predictSplit(test), test, ds);
      const val = trainer.history.epochs.at(-1);
      const ref = publishedReference(ds);
      const row = (name: string, acc: number | undefined, a: number | undefined) =>
        el(
          "tr",
          {},
          el("td", {}, name),
          el("td", {}, acc === undefined ? "–" : acc.toFixed(3)),
          el("td", {}, a === undefined || Number.isNaN(a) ? "–" : a.toFixed(3)),
        );
      replace(
        result,
        el(
          "table",
          { class: "meddl-table" },
          el("thead", {}, el("tr", {}, el("th", {}, ""), el("th", {}, "ACC"), el("th", {}, "AUC"))),
          el(
            "tbody",
            {},
            row(`your model, validation (epoch ${val?.epoch ?? "–"})`, val?.metrics.accuracy, val?.metrics.auc),
            row(`your model, test (step ${trainer.stepsTaken})`, score.accuracy, score.auc),
            ref ? row("published ResNet-18 (28×28), test", ref.acc, ref.auc) : null,
          ),
        ),
      );
      result.dataset.testAuc = String(score.auc);
    } catch (error) {
      result.textContent = `Could not score the test set: ${(error as Error).message}`;
    } finally {
      button.disabled = false;
    }
  });
  return el("div", {}, button, result);
}
