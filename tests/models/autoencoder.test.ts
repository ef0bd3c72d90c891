import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { makeNoduleDataset } from "../../src/data/nodules";
import {
  autoencoderDepths,
  buildAutoencoder,
  encodeImages,
  interpolate,
  reconstruct,
  sampleFromPrior,
} from "../../src/models/autoencoder";
import { transferModel } from "../../src/models/transfer";
import { klDivergence, reconstructionTask, unlabelled } from "../../src/train/reconstruction";
import { Trainer } from "../../src/train/trainer";
import { useBackend } from "../helpers/backend";

beforeAll(() => useBackend("wasm"));

describe("the auto-encoder", () => {
  it("gives back images of the shape it was given (grey and colour, plain and VAE)", () => {
    for (const [shape, depth, variational] of [
      [[32, 32, 1], 2, false],
      [[28, 28, 3], 2, true],
      [[28, 28, 1], 1, false],
    ] as const) {
      const ae = buildAutoencoder({ inputShape: [...shape], depth, codeSize: 4, filters: 4, variational });
      expect(ae.model.outputShape).toEqual([null, ...shape]);
      const out = tf.tidy(() => (ae.model.predict(tf.zeros([3, ...shape])) as tf.Tensor).shape);
      expect(out).toEqual([3, ...shape]);
      expect(ae.encoder.outputs.length).toBe(variational ? 2 : 1);
      expect(ae.encoder.outputs[0].shape).toEqual([null, 4]);
      ae.model.dispose();
    }
    // The decoder starts at the data's mean grey (its output bias), not at 0.5.
    const dark = buildAutoencoder({ inputShape: [16, 16, 1], depth: 2, codeSize: 4, filters: 4, meanPixel: 0.2 });
    const start = tf.tidy(() => (dark.model.predict(tf.zeros([1, 16, 16, 1])) as tf.Tensor).mean().dataSync()[0]);
    expect(start).toBeGreaterThan(0.1);
    expect(start).toBeLessThan(0.3);
    dark.model.dispose();
    expect(autoencoderDepths([28, 28, 1])).toEqual([1, 2]);
    expect(autoencoderDepths([32, 32, 1])).toEqual([1, 2, 3, 4]);
    expect(() => buildAutoencoder({ inputShape: [28, 28, 1], depth: 3 })).toThrow(/does not fit/);
    expect(() => buildAutoencoder({ inputShape: [28, 28, 1], codeSize: 0 })).toThrow(/code size/);
  });

  it("its encoder is a source CNN the transfer strategies can use", () => {
    const ae = buildAutoencoder({ inputShape: [32, 32, 1], codeSize: 8, filters: 4, depth: 2 });
    const frozen = transferModel(ae.encoder, { strategy: "frozen", outputs: 2 });
    const conv1 = frozen.getLayer("conv1");
    expect(conv1.trainable).toBe(false);
    const [a, b] = [conv1.getWeights()[0].dataSync(), ae.encoder.getLayer("conv1").getWeights()[0].dataSync()];
    expect(Array.from(a)).toEqual(Array.from(b));
    frozen.dispose();
    ae.model.dispose();
  });

  it("the KL term equals the hand-computed one", () => {
    const mean = [
      [0, 1],
      [0.5, -2],
    ];
    const logVar = [
      [0, Math.log(4)],
      [-1, 0.3],
    ];
    const byHand = mean.map(
      (m, i) => -0.5 * m.reduce((s, mu, j) => s + 1 + logVar[i][j] - mu * mu - Math.exp(logVar[i][j]), 0),
    );
    // Row 0: unit 1 is the prior exactly (0); unit 2: −½(1 + ln 4 − 1 − 4) = 2 − ln 2.
    expect(byHand[0]).toBeCloseTo(2 - Math.log(2), 10);
    const kl = tf.tidy(() => Array.from(klDivergence(tf.tensor2d(mean), tf.tensor2d(logVar)).dataSync()));
    expect(kl[0]).toBeCloseTo(byHand[0], 5);
    expect(kl[1]).toBeCloseTo(byHand[1], 5);
    expect(tf.tidy(() => klDivergence(tf.zeros([1, 3]), tf.zeros([1, 3])).dataSync()[0])).toBeCloseTo(0, 10);
  });

  it("the reconstruction loss falls on a tiny set, and tensors stay flat while training, predicting and sampling", async () => {
    const ds = makeNoduleDataset({ size: 16, trainCount: 32, valCount: 8, seed: 3 });
    for (const variational of [false, true]) {
      const before = tf.memory().numTensors;
      const ae = buildAutoencoder({ inputShape: [16, 16, 1], filters: 4, depth: 2, codeSize: 8, variational, seed: 2 });
      const task = reconstructionTask(
        unlabelled(ds),
        variational ? { vae: { autoencoder: ae, beta: 1 } } : { corruption: { kind: "gaussian", level: 0.1 } },
      );
      const trainer = new Trainer(ae.model, task, { batchSize: 8, epochs: 15, learningRate: 0.01, seed: 1 });
      await trainer.step();
      const afterOne = tf.memory().numTensors;
      while (trainer.state !== "done") await trainer.step();
      expect(tf.memory().numTensors).toBe(afterOne);
      const losses = trainer.history.epochs.map((e) => e.trainLoss);
      const firstBatch = trainer.history.batches[0].loss;
      console.log(
        `${variational ? "VAE" : "DAE"}: first batch ${firstBatch.toFixed(4)}, epoch losses ${losses.map((l) => l.toFixed(4)).join(" ")}`,
      );
      expect(losses.at(-1)!).toBeLessThan(0.65 * firstBatch);
      expect(losses.at(-1)!).toBeLessThan(losses[0]);
      expect(trainer.validation!.reconstructions.length).toBe(8 * 256);
      // Model queries make no tensor that outlives them.
      const held = tf.memory().numTensors;
      expect(encodeImages(ae, ds.val.images, 8).length).toBe(64);
      expect(reconstruct(ae, ds.val.images, 2).length).toBe(512);
      expect(interpolate(ae, ds.val.images.subarray(0, 256), ds.val.images.subarray(256, 512), 5).images.length).toBe(
        5 * 256,
      );
      expect(sampleFromPrior(ae, 4, 7)).toEqual(sampleFromPrior(ae, 4, 7));
      expect(tf.memory().numTensors).toBe(held);
      await trainer.dispose();
      expect(tf.memory().numTensors).toBe(before);
    }
  }, 120_000);

  it("a denoising task feeds corrupted inputs and clean targets; the VAE refuses pixel corruption", () => {
    const ds = makeNoduleDataset({ size: 16, trainCount: 8, valCount: 4, seed: 3 });
    const task = reconstructionTask(unlabelled(ds), { corruption: { kind: "mask", level: 0.5 } });
    const { xs, ys } = task.batch([0, 1], () => 0.3);
    const [x, y] = [xs.dataSync(), ys.dataSync()];
    expect(Array.from(y)).toEqual(Array.from(ds.train.images.subarray(0, 512)));
    expect(x.filter((v) => v === 0).length).toBeGreaterThanOrEqual(256);
    tf.dispose([xs, ys]);
    expect(task.val.images).not.toEqual(ds.val.images); // the validation inputs are corrupted too (fixed seed)
    const ae = buildAutoencoder({ inputShape: [16, 16, 1], filters: 2, depth: 1, codeSize: 2, variational: true });
    expect(() =>
      reconstructionTask(unlabelled(ds), {
        corruption: { kind: "gaussian", level: 0.1 },
        vae: { autoencoder: ae, beta: 1 },
      }),
    ).toThrow(/clean images/);
    expect(() => reconstructionTask(unlabelled(ds), { vae: { autoencoder: ae, beta: NaN } })).toThrow(/β/);
    ae.model.dispose();
  });
});
