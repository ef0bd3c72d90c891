// @vitest-environment jsdom
/**
 * Save and load: the history CSV has a row per step with validation values where measured; a
 * saved model loads back into the same lesson with identical weights and flat tfjs memory; a file
 * from another architecture or lesson is refused with a message naming the mismatch, and the
 * running model keeps its weights.
 */
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { makeNoduleDataset } from "../../src/data/nodules";
import { buildCnn } from "../../src/models/cnn";
import { Trainer } from "../../src/train/trainer";
import { historyCsv, loadModel, saveModels } from "../../src/ui/saveLoad";
import { stubCanvas } from "../helpers/dom";

beforeAll(async () => {
  stubCanvas();
  await tf.setBackend("cpu");
  history.replaceState(null, "", "/cnn");
});

const data = makeNoduleDataset({ seed: 3, trainCount: 32, valCount: 16 });
const makeTrainer = (filters: number, seed = 1) =>
  new Trainer(buildCnn({ inputShape: data.imageShape, outputs: 2, filters, depth: 1, seed }), data, {
    batchSize: 16,
    epochs: 2,
    seed: 1,
  });

/** Saves the trainer's model into memory, as the download would. */
async function saveToMemory(trainer: Trainer): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | null = null;
  await saveModels(trainer, () =>
    tf.io.withSaveHandler(async (a) => {
      saved = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
    }),
  );
  return saved!;
}

const weightsOf = (t: Trainer) => t.model.getWeights().map((w) => Array.from(w.dataSync()));

describe("save and load", () => {
  it("CSV: a header, one row per step, validation values on the step they were measured", async () => {
    const trainer = makeTrainer(4);
    for (let i = 0; i < 2; i++) await trainer.step(); // one epoch of 2 batches: validated at step 2
    const lines = historyCsv(trainer).trim().split("\n");
    expect(lines[0]).toBe("run,step,epoch,batch,loss,score,learning_rate,val_loss,val_accuracy,val_auc");
    expect(lines).toHaveLength(3);
    const [first, second] = lines.slice(1).map((l) => l.split(","));
    expect(first.slice(0, 4)).toEqual(["current run", "1", "1", "1"]);
    expect(Number(first[4])).toBeGreaterThan(0);
    expect(first[7]).toBe(""); // not validated at step 1
    expect(Number(second[8])).toBeGreaterThanOrEqual(0); // val accuracy at step 2
    await trainer.dispose();
  });

  it("a saved model loads back with the same weights; tfjs memory is flat", async () => {
    const trained = makeTrainer(4);
    for (let i = 0; i < 3; i++) await trained.step();
    const artifacts = await saveToMemory(trained);
    expect((artifacts.userDefinedMetadata as { meddl: { lesson: string } }).meddl.lesson).toBe("cnn");
    const fresh = makeTrainer(4, 2);
    const before = tf.memory().numTensors;
    expect(weightsOf(fresh)).not.toEqual(weightsOf(trained));
    const result = await loadModel(fresh, tf.io.fromMemory(artifacts));
    expect(result).toMatchObject({ ok: true });
    expect(weightsOf(fresh)).toEqual(weightsOf(trained));
    expect(tf.memory().numTensors).toBe(before);
    await trained.dispose();
    await fresh.dispose();
  });

  it("another architecture or another lesson is refused by name, and the running model is kept", async () => {
    const eight = makeTrainer(8);
    const artifacts = await saveToMemory(eight);
    const four = makeTrainer(4);
    const kept = weightsOf(four);
    const before = tf.memory().numTensors;
    const mismatch = await loadModel(four, tf.io.fromMemory(artifacts));
    expect(mismatch.ok).toBe(false);
    expect(mismatch.message).toMatch(
      /architecture differs.*Conv2D \[3,3,1,8\] \[8\] in the file but Conv2D \[3,3,1,4\] \[4\] here.*running model is kept/,
    );
    expect(weightsOf(four)).toEqual(kept);
    expect(tf.memory().numTensors).toBe(before);

    const fromGan = { ...artifacts, userDefinedMetadata: { meddl: { lesson: "gan", run: "model" } } };
    const other = await loadModel(eight, tf.io.fromMemory(fromGan));
    expect(other).toEqual({
      ok: false,
      message: "This model was saved by the “gan” lesson; this is the “cnn” lesson. The running model is kept.",
    });

    const broken = await loadModel(
      four,
      tf.io.fromMemory({ modelTopology: { nonsense: true } } as tf.io.ModelArtifacts),
    );
    expect(broken.ok).toBe(false);
    expect(broken.message).toMatch(/Could not read these files as a tfjs model/);
    expect(tf.memory().numTensors).toBe(before);
    await eight.dispose();
    await four.dispose();
  });
});
