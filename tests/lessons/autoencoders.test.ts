// The record the auto-encoder page quotes, and the sentences the page writes from it: they must agree.
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  AUTOENCODER_LESSON, anomalySentence, displayLabels, isNormal, normalClass, pretrainingSentence, pretrainingVerdicts, separationSentence, vaeSentence, type AutoencoderRecord,
} from "../../src/lessons/autoencoders";
import { summarizeSweep } from "../../src/train/sweep";

const file = "data/records/autoencoders.json";
const record: AutoencoderRecord | null = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : null;
const page = readFileSync("lessons/autoencoders.md", "utf8");

describe("which images are normal", () => {
  const split = (labels: number[], count: number) => ({ images: new Float32Array(count), labels: Int32Array.from(labels), count });
  const ds = (classNames: string[], labels: number[], task: "binary" | "multilabel" = "binary") => {
    const count = task === "multilabel" ? labels.length / classNames.length : labels.length;
    return { id: "x", title: "x", description: "", synthetic: true, task, classNames, imageShape: [1, 1, 1], train: split(labels, count), val: split(labels, count) } as Parameters<typeof normalClass>[0];
  };
  it("the class named normal (or 'no …'), else the first; for multi-label data, images with no label set", () => {
    expect(normalClass(ds(["no nodule", "nodule"], [0, 1]))).toBe(0);
    expect(normalClass(ds(["malignant", "normal, benign"], [0, 1]))).toBe(1); // BreastMNIST's order
    expect(normalClass(ds(["a", "b", "c"], [0, 1]))).toBe(0);
    const chest = ds(["atelectasis", "effusion"], [0, 0, 1, 0, 1, 1], "multilabel");
    expect(Array.from(displayLabels(chest, chest.val).labels)).toEqual([0, 1, 1]);
    expect([0, 1, 2].map((i) => isNormal(chest, chest.val, i))).toEqual([true, false, false]);
  });
});

describe("pretraining verdicts", () => {
  const row = (strategy: "scratch" | "frozen" | "finetune", n: number, mean: number, sd: number) => ({ strategy, n, runs: 3, mean, sd, min: mean - sd, max: mean + sd });
  it("say helps only when the gain beats the spread, hurts when the loss does", () => {
    const v = pretrainingVerdicts([
      row("scratch", 10, 0.6, 0.02), row("frozen", 10, 0.5, 0.02), row("finetune", 10, 0.55, 0.01),
      row("scratch", 50, 0.6, 0.02), row("frozen", 50, 0.61, 0.02), row("finetune", 50, 0.59, 0.05),
      row("scratch", 100, 0.6, 0.02), row("frozen", 100, 0.61, 0.02), row("finetune", 100, 0.7, 0.03),
    ]);
    expect(v.map((x) => [x.n, x.verdict, x.best.strategy])).toEqual([[10, "hurts", "finetune"], [50, "unclear", "frozen"], [100, "helps", "finetune"]]);
  });
});

describe.skipIf(!record)("the recorded measurements and the page", () => {
  const r = record!;
  it("were made with the page's own defaults, over several seeds", () => {
    expect(r.settings.architecture).toEqual(AUTOENCODER_LESSON.architecture);
    expect(r.settings.corruption).toEqual(AUTOENCODER_LESSON.corruption);
    expect(r.settings.anomaly).toEqual(AUTOENCODER_LESSON.anomaly);
    expect([r.settings.epochs, r.settings.batchSize, r.settings.learningRate, r.settings.rounds]).toEqual([AUTOENCODER_LESSON.epochs, AUTOENCODER_LESSON.batchSize, AUTOENCODER_LESSON.learningRate, AUTOENCODER_LESSON.rounds]);
    expect(r.settings.seeds.length).toBeGreaterThanOrEqual(3);
    expect(r.settings.dataset).toBe("nodules");
    expect(r.settings.betas).toContain(AUTOENCODER_LESSON.beta);
  });

  it("the page reads its numbers from the record, through a data loader", () => {
    expect(readFileSync("lessons/data/records/autoencoders.json.js", "utf8")).toContain('emitRecord("autoencoders")');
    expect(page).toContain('FileAttachment("data/records/autoencoders.json")');
    // No measured number typed into the prose: every decimal on the page comes from code.
    const prose = page.replace(/```js[\s\S]*?```/g, "").replace(/\$\{[^}]*\}/g, "");
    expect(prose.match(/\b0\.\d{2,}\b|\b\d+\.\d+ ?dB\b/g)).toBeNull();
  });

  it("the denoiser improves on its input (the 'what to expect' box)", () => {
    expect(r.psnr.output.mean).toBeGreaterThan(r.psnr.input.mean);
    expect(r.psnr.output.min).toBeGreaterThan(r.psnr.input.max);
  });

  it("the separation sentence follows the record's direction", () => {
    const better = r.separation.probeCodes.mean > r.separation.probePixels;
    expect(separationSentence(r)).toContain(better ? "makes the classes easier to separate" : "does not make the classes easier");
    expect(separationSentence(r)).toContain(r.separation.probeCodes.mean.toFixed(3));
  });

  it("the pretraining verdict lists exactly the N where the record says it helps, and the summary matches the runs", () => {
    const recomputed = summarizeSweep(r.sweep.points);
    for (const s of r.sweep.summary) {
      const again = recomputed.find((x) => x.n === s.n && x.strategy === s.strategy)!;
      expect(again.mean).toBeCloseTo(s.mean, 3);
      expect(again.runs).toBe(r.settings.seeds.length);
    }
    const helps = pretrainingVerdicts(r.sweep.summary).filter((v) => v.verdict === "helps").map((v) => v.n);
    expect(pretrainingSentence(r)).toContain(helps.length ? `at N = ${helps.join(", ")}` : "at no N");
  });

  it("the anomaly claims: brightness beats guessing, the sentence says whether the auto-encoder beats it", () => {
    expect(r.anomaly.brightnessAuc).toBeGreaterThan(0.5); // the page: "already better than guessing"
    const { auc, brightnessAuc } = r.anomaly;
    const verdict = auc.mean - auc.sd > brightnessAuc ? "sees more than brightness alone" : auc.mean + auc.sd < brightnessAuc ? "does worse than" : "adds little";
    expect(anomalySentence(r)).toContain(verdict);
    expect(anomalySentence(r)).toContain(auc.mean.toFixed(3));
  });

  it("the VAE trade-off the page describes: larger β, blurrier reconstructions and less information in the code", () => {
    const byBeta = [...r.vae].sort((a, b) => a.beta - b.beta);
    expect(byBeta[0].psnr.mean).toBeGreaterThan(byBeta.at(-1)!.psnr.mean);
    for (let i = 1; i < byBeta.length; i++) expect(byBeta[i].kl.mean).toBeLessThan(byBeta[i - 1].kl.mean);
    expect(byBeta.at(-1)!.kl.mean).toBeLessThan(0.25 * byBeta[0].kl.mean); // "the KL falls towards 0"
    expect(vaeSentence(r)).toContain(`β = ${byBeta[0].beta}`);
  });
});
