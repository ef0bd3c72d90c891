// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { announceBackendNotice } from "../../src/backend/rescue";
import type { BackendStatus } from "../../src/backend/setup";
import { backendBadge } from "../../src/ui/backendPanel";

function status(over: Partial<BackendStatus> = {}): BackendStatus {
  const auto = { name: "wasm" as const, reason: "WebGL here is a software renderer" };
  return {
    ...auto,
    auto,
    probe: { webgl: true, renderer: "SwiftShader", wasm: true },
    failures: [],
    threads: { count: 4, on: true, reason: "cross-origin isolated: 4 threads", actual: 4 },
    ...over,
  };
}

describe("the backend badge", () => {
  it("says which backend, why, and that WebAssembly threads are on", () => {
    const badge = backendBadge(status());
    expect(badge.dataset.backend).toBe("wasm");
    expect(badge.dataset.threads).toBe("4");
    expect(badge.querySelector(".meddl-threads")!.textContent).toBe(
      "WebAssembly threads: on (4), cross-origin isolated: 4 threads.",
    );
    expect(badge.querySelector(".meddl-software-adapter")).toBeNull();
  });

  it("says threads are off and why", () => {
    const badge = backendBadge(
      status({
        threads: { count: 1, on: false, reason: "the page is not cross-origin isolated (no COOP/COEP headers)" },
      }),
    );
    expect(badge.dataset.threads).toBe("off");
    expect(badge.querySelector(".meddl-threads")!.textContent).toMatch(
      /threads: off, the page is not cross-origin isolated/,
    );
  });

  it("flags a software WebGPU adapter before training, and drops the flag once the run has left WebGPU", () => {
    const webgpu = { available: true, software: true, name: "google swiftshader", why: "a software renderer" };
    const badge = backendBadge(status({ name: "webgpu", reason: "you selected it", webgpu }));
    document.body.append(badge);
    expect(badge.querySelector(".meddl-software-adapter")!.textContent).toMatch(
      /Software WebGPU adapter \(google swiftshader\)/,
    );
    announceBackendNotice({
      name: "wasm",
      message: "WebGPU failed (createBuffer). Training goes on with WebAssembly.",
    });
    expect(badge.dataset.backend).toBe("wasm");
    expect(badge.dataset.rescued).toBe("true");
    expect(badge.querySelector(".meddl-backend-notice")!.textContent).toMatch(/WebGPU failed/);
    expect(badge.querySelector(".meddl-software-adapter")).toBeNull();
    expect(badge.querySelector(".meddl-badge")!.textContent).toBe("wasm");
    badge.remove();
  });

  it("a badge gone from the page stops listening", () => {
    const badge = backendBadge(status());
    document.body.append(badge);
    announceBackendNotice({ name: "cpu", message: "first" });
    badge.remove();
    announceBackendNotice({ name: "wasm", message: "second" }); // unsubscribes, leaves it as it was
    announceBackendNotice({ name: "webgl", message: "third" });
    expect(badge.dataset.backend).toBe("cpu");
  });
});
