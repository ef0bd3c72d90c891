// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { panel } from "../../src/ui/panelTools";

describe("a fixed panel", () => {
  it("carries the same tools as a live chart (full screen, PNG, SVG) around its content", () => {
    const content = Object.assign(document.createElement("div"), { className: "preview", textContent: "images" });
    const root = panel(content, { className: "meddl-chart-preview" });
    expect(root.classList.contains("meddl-chart-preview")).toBe(true);
    expect([...root.querySelectorAll(".meddl-panel-tools button")].map((b) => b.textContent)).toEqual([
      "⤢",
      "PNG",
      "SVG",
    ]);
    expect(root.querySelector(".preview")).toBe(content);
  });
});
