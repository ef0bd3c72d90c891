/**
 * GAN pretraining: the script is deterministic for a seed (tiny config), and the shipped
 * generators give the validation scores recorded next to them, and the comparison the lesson makes.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { modelFromFiles, type ModelFiles } from "../../src/models/weights";
import { scoreDenoising, type DenoisingScore } from "../../src/metrics/image";
import { denoise, ganValidationSet, type GanPretrainRecord } from "../../src/train/ganPretrain";
import { useBackend } from "../helpers/backend";

beforeAll(() => useBackend("wasm"));

function readFiles(dir: string): ModelFiles {
  const bytes = readFileSync(join(dir, "weights.bin"));
  return {
    modelJson: JSON.parse(readFileSync(join(dir, "model.json"), "utf8")),
    weights: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
  };
}

const MODELS = ["pixel", "adversarial"] as const;

describe("npm run pretrain:gan", () => {
  it("writes the same two generators twice for the same seed (tiny config), with their record", () => {
    const roots = [0, 1].map(() => mkdtempSync(join(tmpdir(), "meddl-gan-")));
    const args = [
      "--train-count",
      "8",
      "--val-count",
      "4",
      "--size",
      "32",
      "--warm-steps",
      "2",
      "--adv-steps",
      "2",
      "--history-every",
      "1",
      "--seed",
      "3",
    ];
    for (const root of roots)
      execFileSync("node", ["--import", "tsx", "scripts/pretrain-gan.ts", ...args, "--out", join(root, "gan")], {
        stdio: "pipe",
      });
    for (const name of MODELS) {
      const [a, b] = roots.map((root) => readFileSync(join(root, `gan-${name}`, "weights.bin")));
      expect(a.length).toBeGreaterThan(0);
      expect(a.equals(b)).toBe(true);
    }
    // The runs parted ways: the adversarial generator is not the pixel-only one.
    const [pixel, adversarial] = MODELS.map((name) => readFileSync(join(roots[0], `gan-${name}`, "weights.bin")));
    expect(pixel.equals(adversarial)).toBe(false);
    const record = JSON.parse(
      readFileSync(join(roots[0], "gan-adversarial", "pretrain.json"), "utf8"),
    ) as GanPretrainRecord;
    expect(record).toMatchObject({ model: "adversarial", seed: 3, steps: { warm: 2, adversarial: 2, total: 4 } });
    expect(record.options).toMatchObject({ trainCount: 8, valCount: 4, size: 32 });
    expect(record.val.input.spectrum).toHaveLength(17);
    // History: both paths every step (the warm start once), ending at the same total.
    expect(record.history.filter((p) => p.phase === "warm").map((p) => p.step)).toEqual([1, 2]);
    expect(record.history.filter((p) => p.phase === "pixel").map((p) => p.step)).toEqual([3, 4]);
    expect(record.history.filter((p) => p.phase === "adversarial").map((p) => p.step)).toEqual([3, 4]);
    for (const root of roots) rmSync(root, { recursive: true });
  }, 120_000);
});

const shipped = (name: string) => join("data", "pretrained", `gan-ct-${name}`);
const present = MODELS.every((name) => existsSync(join(shipped(name), "weights.bin")));
if (!present)
  console.warn(
    "Skipping the shipped GAN weights test: data/pretrained/gan-ct-pixel/ or gan-ct-adversarial/ is not there yet (`npm run pretrain:gan` makes them).",
  );

describe.skipIf(!present)("shipped GAN generators", () => {
  it("load and give the recorded validation scores on the regenerated validation set", async () => {
    const record = JSON.parse(readFileSync(join(shipped("adversarial"), "pretrain.json"), "utf8")) as GanPretrainRecord;
    const val = ganValidationSet(record.options);
    const measured: Record<string, DenoisingScore> = {};
    for (const name of MODELS) {
      const model = await modelFromFiles(readFiles(shipped(name)));
      measured[name] = await scoreDenoising(
        denoise(model, val.inputs, val.count, val.size),
        val.targets,
        val.count,
        val.size,
      );
      model.dispose();
      const recorded = record.val[name];
      console.log(
        `shipped ${name}: PSNR ${measured[name].psnr.toFixed(3)} dB (recorded ${recorded.psnr.toFixed(3)}), hf ratio ${measured[name].hfRatio.toFixed(4)} (recorded ${recorded.hfRatio.toFixed(4)})`,
      );
      expect(Math.abs(measured[name].psnr - recorded.psnr)).toBeLessThan(0.05);
      expect(Math.abs(measured[name].hfRatio - recorded.hfRatio)).toBeLessThan(0.005);
    }
    // Both records are the same run.
    const other = JSON.parse(readFileSync(join(shipped("pixel"), "pretrain.json"), "utf8")) as GanPretrainRecord;
    expect(other.model).toBe("pixel");
    expect(other.val).toEqual(record.val);
    // The lesson's comparison, measured on the regenerated set (phantoms with tissue texture):
    // 1. the pixel-only denoiser is over-smoothed: it lost high-frequency power, most of it at the
    //    finest scales (recorded: hf ratio 0.90; 0.60 and 0.49 of the target's power at r = 24, 28);
    const band = (m: { spectrumRatio: number[] }, from: number, to: number) => {
      let sum = 0;
      for (let r = from; r <= to; r++) sum += m.spectrumRatio[r] / (to - from + 1);
      return sum;
    };
    expect(measured.pixel.hfRatio).toBeLessThan(0.95);
    expect(band(measured.pixel, 22, 30)).toBeLessThan(0.7);
    // 2. the adversarial one keeps more of it: high-frequency power closer to the target's, in total
    //    (recorded 0.916 against 0.901: a small gap, within the ±0.02 the ratio wanders between
    //    checkpoints) and above half Nyquist (recorded 0.69 and 0.64 at r = 24, 28);
    const gap = (m: { hfRatio: number }) => Math.abs(m.hfRatio - 1);
    expect(gap(measured.adversarial)).toBeLessThan(gap(measured.pixel));
    expect(band(measured.adversarial, 22, 30)).toBeGreaterThan(band(measured.pixel, 22, 30) + 0.05);
    expect(band(measured.adversarial, 22, 30)).toBeLessThan(1);
    // 3. at a price in pixel error (recorded 34.77 against 35.29 dB), and not by handing back the noise:
    //    its error power above a quarter of Nyquist is near the pixel-only one's (recorded 1.11×)
    //    and far below the noisy input's (recorded 0.33×).
    expect(measured.pixel.psnr).toBeGreaterThan(measured.adversarial.psnr);
    const highError = (m: { noisePowerSpectrum: number[] }) => m.noisePowerSpectrum.slice(9).reduce((a, b) => a + b, 0);
    expect(highError(measured.adversarial)).toBeLessThan(1.3 * highError(measured.pixel));
    expect(highError(measured.adversarial)).toBeLessThan(0.5 * highError(record.val.input));
    // Neither hands back the noise: both score well above the noisy input.
    for (const name of MODELS) expect(measured[name].psnr).toBeGreaterThan(record.val.input.psnr + 2);
  });
});
