// The GAN lesson's dose claim (the generators' own training record lives with their weights, in
// data/pretrained/gan-ct-*/pretrain.json, `npm run pretrain:gan`).
//   gan-dose: the simulated scan at a lower dose than the shipped generators learnt at: the noisy
//             input's PSNR, SSIM and high-frequency ratio on the lesson's validation phantoms, and
//             the same for the shipped generators applied as they are (no training at that dose).
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { scoreDenoising } from "../../src/metrics/image";
import { modelFromFiles } from "../../src/models/weights";
import { denoise, ganValidationSet } from "../../src/train/ganPretrain";
import { GAN_SETTINGS } from "../../src/train/ganSettings";

/** The doses compared: the one the shipped generators learnt at, and the lower one the lesson suggests. */
export const GAN_DOSES = [GAN_SETTINGS.dose, 300];

/** A shipped generator from data/pretrained/<name>/ (model.json + weights.bin), or null when absent. */
async function shipped(name: string): Promise<tf.LayersModel | null> {
  const dir = resolve("data", "pretrained", name);
  if (!existsSync(join(dir, "weights.bin"))) return null;
  const bytes = readFileSync(join(dir, "weights.bin"));
  const weights = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  return modelFromFiles({ modelJson: JSON.parse(readFileSync(join(dir, "model.json"), "utf8")), weights });
}

export async function recordGanDose(doses = GAN_DOSES) {
  const pixel = await shipped("gan-ct-pixel");
  const adversarial = await shipped("gan-ct-adversarial");
  if (!pixel || !adversarial) return { skipped: "the shipped generators are missing (npm run pretrain:gan)" };
  const rows = [];
  for (const dose of doses) {
    const val = ganValidationSet({ dose });
    const score = async (images: Float32Array) => {
      const { psnr, ssim, hfRatio } = await scoreDenoising(images, val.targets, val.count, val.size);
      return { psnr, ssim, hfRatio };
    };
    const row = {
      dose,
      input: await score(val.inputs),
      pixel: await score(denoise(pixel, val.inputs, val.count, val.size)),
      adversarial: await score(denoise(adversarial, val.inputs, val.count, val.size)),
    };
    console.log(
      `  dose ${dose}: input ${row.input.psnr.toFixed(2)} dB (hf ${row.input.hfRatio.toFixed(2)}), pixel ${row.pixel.psnr.toFixed(2)} dB, adversarial ${row.adversarial.psnr.toFixed(2)} dB`,
    );
    rows.push(row);
  }
  pixel.dispose();
  adversarial.dispose();
  return { trainedAt: GAN_SETTINGS.dose, valCount: GAN_SETTINGS.valCount, size: GAN_SETTINGS.size, doses: rows };
}
