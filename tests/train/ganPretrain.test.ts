/**
 * GAN pretraining: the script is deterministic for a seed (tiny config), and the shipped
 * generators give the validation scores recorded next to them, with the recorded comparison.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { modelFromFiles, type ModelFiles } from "../../src/models/weights";
import { denoise, denoisingMetrics, ganValidationSet, type GanPretrainRecord } from "../../src/train/ganPretrain";
import { useBackend } from "../helpers/backend";

beforeAll(() => useBackend("wasm"));

function readFiles(dir: string): ModelFiles {
  const bytes = readFileSync(join(dir, "weights.bin"));
  return { modelJson: JSON.parse(readFileSync(join(dir, "model.json"), "utf8")), weights: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) };
}

const MODELS = ["pixel", "adversarial"] as const;

describe("npm run pretrain:gan", () => {
  it("writes the same two generators twice for the same seed (tiny config), with their record", () => {
    const roots = [0, 1].map(() => mkdtempSync(join(tmpdir(), "meddl-gan-")));
    const args = ["--train-count", "8", "--val-count", "4", "--size", "32", "--warm-steps", "2", "--adv-steps", "2", "--history-every", "1", "--seed", "3"];
    for (const root of roots) execFileSync("node", ["--import", "tsx", "scripts/pretrain-gan.ts", ...args, "--out", join(root, "gan")], { stdio: "pipe" });
    for (const name of MODELS) {
      const [a, b] = roots.map((root) => readFileSync(join(root, `gan-${name}`, "weights.bin")));
      expect(a.length).toBeGreaterThan(0);
      expect(a.equals(b)).toBe(true);
    }
    // The runs parted ways: the adversarial generator is not the pixel-only one.
    const [pixel, adversarial] = MODELS.map((name) => readFileSync(join(roots[0], `gan-${name}`, "weights.bin")));
    expect(pixel.equals(adversarial)).toBe(false);
    const record = JSON.parse(readFileSync(join(roots[0], "gan-adversarial", "pretrain.json"), "utf8")) as GanPretrainRecord;
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
if (!present) console.warn("Skipping the shipped GAN weights test: data/pretrained/gan-ct-pixel/ or gan-ct-adversarial/ is not there yet (`npm run pretrain:gan` makes them).");

describe.skipIf(!present)("shipped GAN generators", () => {
  it("load and give the recorded validation scores on the regenerated validation set", async () => {
    const record = JSON.parse(readFileSync(join(shipped("adversarial"), "pretrain.json"), "utf8")) as GanPretrainRecord;
    const val = ganValidationSet(record.options);
    const measured: Record<string, ReturnType<typeof denoisingMetrics>> = {};
    for (const name of MODELS) {
      const model = await modelFromFiles(readFiles(shipped(name)));
      measured[name] = denoisingMetrics(denoise(model, val.inputs, val.count, val.size), val.targets, val.count, val.size);
      model.dispose();
      const recorded = record.val[name];
      console.log(`shipped ${name}: PSNR ${measured[name].psnr.toFixed(3)} dB (recorded ${recorded.psnr.toFixed(3)}), hf ratio ${measured[name].hfRatio.toFixed(4)} (recorded ${recorded.hfRatio.toFixed(4)})`);
      expect(Math.abs(measured[name].psnr - recorded.psnr)).toBeLessThan(0.05);
      expect(Math.abs(measured[name].hfRatio - recorded.hfRatio)).toBeLessThan(0.005);
    }
    // Both records are the same run.
    const other = JSON.parse(readFileSync(join(shipped("pixel"), "pretrain.json"), "utf8")) as GanPretrainRecord;
    expect(other.model).toBe("pixel");
    expect(other.val).toEqual(record.val);
    // The comparison as recorded holds on the regenerated set: which model's high-frequency power is
    // closer to the target's (|hf ratio − 1|), and the PSNR order. (With the shipped defaults the two
    // hf ratios are close, 0.97 both, so this checks the record, not the lesson's hoped-for claim.)
    const gap = (m: { hfRatio: number }) => Math.abs(m.hfRatio - 1);
    expect(gap(measured.adversarial) < gap(measured.pixel)).toBe(gap(record.val.adversarial) < gap(record.val.pixel));
    expect(measured.pixel.psnr > measured.adversarial.psnr).toBe(record.val.pixel.psnr > record.val.adversarial.psnr);
    // Neither hands back the noise: both score well above the noisy input.
    for (const name of MODELS) expect(measured[name].psnr).toBeGreaterThan(record.val.input.psnr + 2);
  });
});
