/**
 * Pretraining: the script is deterministic for a seed (small config), its files load back into
 * the same model, and the shipped weights give the source accuracy recorded next to them.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { makeShapesDataset } from "../../src/data/shapes";
import { modelFromFiles, modelToFiles, type ModelFiles } from "../../src/models/weights";
import type { PretrainRecord } from "../../src/train/pretrain";
import { classificationTask } from "../../src/train/classification";
import { imagesTensor } from "../../src/train/task";
import { useBackend } from "../helpers/backend";

beforeAll(() => useBackend("wasm"));

function readFiles(dir: string): ModelFiles {
  const bytes = readFileSync(join(dir, "weights.bin"));
  return {
    modelJson: JSON.parse(readFileSync(join(dir, "model.json"), "utf8")),
    weights: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
  };
}

async function accuracyOn(model: tf.LayersModel, data: ReturnType<typeof makeShapesDataset>): Promise<number> {
  const task = classificationTask(data);
  const probs = tf.tidy(
    () =>
      model.predict(
        imagesTensor(
          data.val,
          data.imageShape,
          Int32Array.from({ length: data.val.count }, (_, i) => i),
        ),
      ) as tf.Tensor,
  );
  const values = (await probs.data()) as Float32Array;
  probs.dispose();
  return task.scoreValidation(values).metrics.accuracy;
}

describe("npm run pretrain", () => {
  it("writes the same weights twice for the same seed (small config), and they load back", async () => {
    const dirs = [0, 1].map(() => mkdtempSync(join(tmpdir(), "meddl-pretrain-")));
    for (const dir of dirs) {
      execFileSync(
        "node",
        [
          "--import",
          "tsx",
          "scripts/pretrain.ts",
          "--train-count",
          "256",
          "--epochs",
          "1",
          "--seed",
          "4",
          "--out",
          dir,
        ],
        { stdio: "pipe" },
      );
    }
    const [a, b] = dirs.map(readFiles);
    expect(Buffer.from(a.weights).equals(Buffer.from(b.weights))).toBe(true);
    const record = JSON.parse(readFileSync(join(dirs[0], "pretrain.json"), "utf8")) as PretrainRecord;
    expect(record).toMatchObject({ source: "shapes", trainCount: 256, epochs: 1, seed: 4 });
    const model = await modelFromFiles(a);
    const again = await modelToFiles(model);
    expect(Buffer.from(again.weights).equals(Buffer.from(a.weights))).toBe(true);
    model.dispose();
    for (const dir of dirs) rmSync(dir, { recursive: true });
  }, 300_000);
});

const shipped = join("data", "pretrained", "shapes");
if (!existsSync(join(shipped, "weights.bin")))
  console.warn(
    `Skipping the shipped-weights test: ${shipped}/weights.bin is not there yet (\`npm run pretrain\` makes it).`,
  );
describe.skipIf(!existsSync(join(shipped, "weights.bin")))("shipped source weights", () => {
  it("load and give the recorded source validation accuracy", async () => {
    const record = JSON.parse(readFileSync(join(shipped, "pretrain.json"), "utf8")) as PretrainRecord;
    const model = await modelFromFiles(readFiles(shipped));
    const data = makeShapesDataset({ trainCount: 10, seed: 11 }); // the validation split depends on the seed only
    const accuracy = await accuracyOn(model, data);
    console.log(
      `shipped shapes CNN: validation accuracy ${accuracy.toFixed(4)} (recorded ${record.valAccuracy.toFixed(4)})`,
    );
    expect(accuracy).toBeCloseTo(record.valAccuracy, 3);
    expect(accuracy).toBeGreaterThan(0.5);
    model.dispose();
  });
});
