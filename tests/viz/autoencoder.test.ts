// @vitest-environment jsdom
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { makeNoduleDataset } from "../../src/data/nodules";
import {
  anomalyPanel,
  codeSpacePanel,
  interpolationPanel,
  priorSamplesPanel,
  reconstructionPanel,
} from "../../src/lessons/autoencoders";
import { buildAutoencoder } from "../../src/models/autoencoder";
import { reconstructionTask, unlabelled } from "../../src/train/reconstruction";
import { codeScatter, errorMaps, imageGrid, imageRows } from "../../src/viz/autoencoder";
import { SERIES_COLOURS } from "../../src/viz/palette";
import { stubCanvas } from "../helpers/dom";
import { useBackend } from "../helpers/backend";

beforeAll(async () => {
  stubCanvas();
  await useBackend("cpu");
});

const shape = [4, 4, 1] as const;
const images = (n: number) => Float32Array.from({ length: n * 16 }, (_, i) => (i % 7) / 7);

describe("auto-encoder charts", () => {
  it("image rows: one row per entry, one canvas per image, labelled", () => {
    const table = imageRows(
      [
        { label: "input", images: images(5) },
        { label: "corrupted", images: images(5) },
        { label: "reconstruction", images: images(5) },
      ],
      shape,
      { captions: ["a", "b", "c", "d", "e"] },
    );
    const rows = table.querySelectorAll(".meddl-image-row[data-row]");
    expect(Array.from(rows, (r) => r.getAttribute("data-row"))).toEqual(["input", "corrupted", "reconstruction"]);
    for (const row of rows) expect(row.querySelectorAll("canvas").length).toBe(5);
    expect(table.querySelectorAll("figcaption").length).toBe(5);
    expect(imageGrid(images(6), 6, shape).querySelectorAll("canvas").length).toBe(6);
  });

  it("the code scatter: one dot per image, coloured and shaped by class, a thumbnail on hover", () => {
    const coords = Float32Array.from({ length: 20 }, (_, i) => Math.sin(i));
    const labels = Int32Array.from({ length: 10 }, (_, i) => i % 2);
    const root = codeScatter(coords, labels, ["no nodule", "nodule"], { thumbnails: { images: images(10), shape } });
    expect(root.dataset.points).toBe("10");
    const dots = root.querySelectorAll('svg g[aria-label="dot"] path');
    expect(dots.length).toBeGreaterThanOrEqual(10);
    // Two classes: two colours from the palette and two different symbol shapes.
    const strokes = new Set(
      Array.from(dots)
        .slice(0, 10)
        .map((d) => d.getAttribute("stroke")),
    );
    expect([...strokes].sort()).toEqual([SERIES_COLOURS[0], SERIES_COLOURS[1]].sort());
    const shapes = new Set(
      Array.from(dots)
        .slice(0, 10)
        .map((d) => d.getAttribute("d")),
    );
    expect(shapes.size).toBe(2);
    // Plot's pointer sets the figure's value and fires "input": the thumbnail follows it.
    const plot = root.firstElementChild as HTMLElement & { value: unknown };
    plot.value = { index: 3, x: 0, y: 0, cls: "nodule" };
    plot.dispatchEvent(new Event("input"));
    expect(root.querySelector(".meddl-code-thumbnail canvas")).not.toBeNull();
    expect(root.querySelector(".meddl-code-thumbnail")!.textContent).toContain("validation image 3: nodule");
  });

  it("error maps: image, reconstruction and error per item", () => {
    const item = {
      image: images(1),
      reconstruction: images(1).map((v) => v / 2),
      error: new Float32Array(16).fill(0.1),
      caption: "nodule · score 0.1",
    };
    const maps = errorMaps([item, item], shape);
    expect(maps.querySelectorAll("figure").length).toBe(2);
    expect(maps.querySelectorAll("canvas").length).toBe(6);
  });
});

describe("the lesson's panels on a real (small, untrained) auto-encoder", () => {
  it("draw reconstructions, codes, a walk, prior samples and the anomaly ROC without leaking tensors", () => {
    const ds = makeNoduleDataset({ size: 16, trainCount: 20, valCount: 24, seed: 5 });
    for (const [variational, codeSize] of [
      [false, 2],
      [true, 6],
    ] as const) {
      const ae = buildAutoencoder({ inputShape: [16, 16, 1], filters: 2, depth: 2, codeSize, variational });
      const task = reconstructionTask(
        unlabelled(ds),
        variational ? { vae: { autoencoder: ae, beta: 1 } } : { corruption: { kind: "mask", level: 0.3 } },
      );
      const before = tf.memory().numTensors;
      const rec = reconstructionPanel(ae, task, { count: 5 });
      expect(rec.querySelectorAll(".meddl-image-row[data-row]").length).toBe(variational ? 2 : 3);
      const codes = codeSpacePanel(ae, ds);
      expect(Number.isFinite(Number(codes.dataset.silhouette))).toBe(true);
      expect(codes.querySelector(".meddl-code-scatter")!.getAttribute("data-points")).toBe("24");
      // A 2-unit code is drawn as it is; a larger one through PCA.
      expect(codes.textContent).toContain(codeSize === 2 ? "code unit 1" : "PC1 of the code");
      const walk = interpolationPanel(ae, ds, 0, 1, { steps: 6 });
      expect(walk.querySelectorAll('.meddl-image-row[data-row="decoded walk"] canvas').length).toBe(6);
      expect(walk.querySelectorAll('.meddl-image-row[data-row="the two images"] canvas').length).toBe(2); // the ends only
      expect(priorSamplesPanel(ae, { count: 9 }).querySelectorAll("canvas").length).toBe(9);
      const anomaly = anomalyPanel(ae, ds, { maps: 4 });
      expect(Number(anomaly.dataset.auc)).toBeGreaterThanOrEqual(0);
      expect(
        anomaly.querySelectorAll('.meddl-anomaly-roc svg g[aria-label="line"] path').length,
      ).toBeGreaterThanOrEqual(2);
      expect(anomaly.querySelectorAll(".meddl-error-map").length).toBe(4);
      expect(tf.memory().numTensors).toBe(before);
      ae.model.dispose();
    }
  });
});
