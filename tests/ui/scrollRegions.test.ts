// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { watchScrollRegions } from "../../src/ui/scrollRegions";

describe("scrolling panels", () => {
  it("become reachable with Tab, also when a cell adds them later, and keep a tabindex they already have", async () => {
    document.body.innerHTML = `<table class="meddl-table"></table><p>text</p><div class="meddl-seg-grid" tabindex="-1"></div>`;
    const observer = watchScrollRegions(document);
    expect((document.querySelector(".meddl-table") as HTMLElement).tabIndex).toBe(0);
    expect(document.querySelector("p")!.hasAttribute("tabindex")).toBe(false);
    expect(document.querySelector(".meddl-seg-grid")!.getAttribute("tabindex")).toBe("-1");
    const later = document.createElement("div");
    later.innerHTML = `<table class="meddl-record-table"></table>`;
    document.body.append(later);
    await new Promise((r) => setTimeout(r, 0)); // MutationObserver callbacks run as a microtask
    expect((later.querySelector(".meddl-record-table") as HTMLElement).tabIndex).toBe(0);
    observer.disconnect();
  });
});
