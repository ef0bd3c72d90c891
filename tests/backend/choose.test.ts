import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { chooseBackend, fallbackOrder, isSoftwareRenderer } from "../../src/backend/choose";
import { setupBackend } from "../../src/backend/setup";

describe("chooseBackend", () => {
  it("uses WebGL on a real GPU", () => {
    const choice = chooseBackend({
      webgl: true,
      wasm: true,
      renderer: "ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0)",
    });
    expect(choice.name).toBe("webgl");
    expect(choice.reason).toMatch(/GPU/);
  });

  it("uses wasm when WebGL is a software renderer, and says so", () => {
    for (const renderer of [
      "ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)",
      "llvmpipe (LLVM 15.0.6, 256 bits)",
      "Google SwiftShader",
      "Microsoft Basic Render Driver",
    ]) {
      const choice = chooseBackend({ webgl: true, wasm: true, renderer });
      expect(choice.name, renderer).toBe("wasm");
      expect(choice.reason).toMatch(/software renderer/);
    }
    expect(isSoftwareRenderer("Apple M2")).toBe(false);
  });

  it("uses wasm without WebGL, and cpu when neither is there", () => {
    expect(chooseBackend({ webgl: false, wasm: true }).reason).toMatch(/WebGL is not available/);
    expect(chooseBackend({ webgl: false, wasm: false }).name).toBe("cpu");
  });

  it("falls back from a requested backend to the automatic one, then wasm, then cpu", () => {
    expect(fallbackOrder("webgpu", "webgl")).toEqual(["webgpu", "webgl", "wasm", "cpu"]);
    expect(fallbackOrder("wasm", "wasm")).toEqual(["wasm", "cpu"]);
  });
});

describe("setupBackend in node", () => {
  it("picks wasm automatically (no WebGL in node) and switches on request", async () => {
    const auto = await setupBackend();
    expect(auto.name).toBe("wasm");
    expect(tf.getBackend()).toBe("wasm");
    const cpu = await setupBackend({ requested: "cpu" });
    expect([cpu.name, cpu.reason]).toEqual(["cpu", "you selected it"]);
    expect(tf.getBackend()).toBe("cpu");
  });

  it("names the failure when a requested backend cannot start, and falls back", async () => {
    const status = await setupBackend({ requested: "webgl" });
    expect(status.name).toBe("wasm");
    expect(status.failures[0]).toMatch(/^webgl: /);
    expect(status.reason).toMatch(/fell back/);
  });
});
