import { describe, expect, it } from "vitest";
import { chooseThreads, threadsFromSearch, wasmThreadCap } from "../../src/backend/threads";
import { classifyAdapter } from "../../src/backend/adapter";

describe("wasm thread count", () => {
  it("uses every thread tfjs's wasm build will run (half the logical cores) on a cross-origin isolated page", () => {
    const t = chooseThreads({ isolated: true, cores: 8 });
    expect(t).toMatchObject({ count: 4, on: true });
    expect(t.reason).toMatch(/cross-origin isolated: 4 threads.*8 here/);
    expect(chooseThreads({ isolated: true, cores: 32 }).count).toBe(8); // its worker pool holds 8
    expect(wasmThreadCap(4)).toBe(2);
  });

  it("on a 2-core machine (this one) isolation gives one thread, and the badge says why", () => {
    const t = chooseThreads({ isolated: true, cores: 2 });
    expect(t).toMatchObject({ count: 1, on: false });
    expect(t.reason).toMatch(/half the logical cores \(2 here\): one thread/);
  });

  it("runs one thread, and says why, without isolation, whatever is asked", () => {
    for (const requested of [null, 4]) {
      const t = chooseThreads({ isolated: false, cores: 8, requested });
      expect(t).toMatchObject({ count: 1, on: false });
      expect(t.reason).toMatch(/not cross-origin isolated/);
    }
  });

  it("honours ?threads=N over the core count, up to what tfjs will run", () => {
    expect(chooseThreads({ isolated: true, cores: 8, requested: 1 })).toMatchObject({ count: 1, on: false });
    expect(chooseThreads({ isolated: true, cores: 8, requested: 1 }).reason).toMatch(/threads=1/);
    expect(chooseThreads({ isolated: true, cores: 8, requested: 3 })).toMatchObject({ count: 3, on: true });
    const capped = chooseThreads({ isolated: true, cores: 8, requested: 6 });
    expect(capped).toMatchObject({ count: 4, on: true });
    expect(capped.reason).toMatch(/threads=6.*but.*: 4/);
  });

  it("falls back to one thread when the core count is unknown or one", () => {
    expect(chooseThreads({ isolated: true })).toMatchObject({ count: 1, on: false });
    expect(chooseThreads({ isolated: true, cores: 1 })).toMatchObject({ count: 1, on: false });
  });

  it("reads ?threads=N from an address, ignoring nonsense", () => {
    expect(threadsFromSearch("?threads=1")).toBe(1);
    expect(threadsFromSearch("?worker=off&threads=4")).toBe(4);
    expect(threadsFromSearch("")).toBeNull();
    expect(threadsFromSearch(undefined)).toBeNull();
    for (const bad of ["?threads=0", "?threads=-2", "?threads=1.5", "?threads=abc", "?threads="])
      expect(threadsFromSearch(bad)).toBeNull();
    expect(threadsFromSearch("?threads=1000")).toBe(64);
  });
});

describe("WebGPU adapter classification", () => {
  it("flags headless Chromium's SwiftShader adapter by its info", () => {
    // What Chromium 14x reports with --enable-unsafe-webgpu and no GPU (measured in this kit's tests).
    const a = classifyAdapter({ vendor: "google", architecture: "swiftshader", device: "", description: "" });
    expect(a).toMatchObject({ available: true, software: true, name: "google swiftshader" });
    expect(a.why).toMatch(/software renderer/);
  });

  it("flags a fallback adapter and llvmpipe", () => {
    expect(classifyAdapter({ isFallbackAdapter: true, vendor: "acme" })).toMatchObject({ software: true });
    expect(classifyAdapter({ description: "llvmpipe (LLVM 15.0.7, 256 bits)" }).software).toBe(true);
  });

  it("trusts a real GPU, and reports no adapter as unavailable", () => {
    expect(classifyAdapter({ vendor: "nvidia", architecture: "ampere", isFallbackAdapter: false })).toMatchObject({
      available: true,
      software: false,
      name: "nvidia ampere",
    });
    expect(classifyAdapter(null)).toMatchObject({ available: false, software: false });
  });
});
