// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { fitWidth } from "../../src/ui/watchWidth";

describe("fitWidth", () => {
  it("takes the container's laid-out width, and the fallback before layout", () => {
    const box = document.createElement("div");
    expect(fitWidth(box, 420)).toBe(420); // jsdom lays nothing out: clientWidth is 0
    Object.defineProperty(box, "clientWidth", { value: 358.7 });
    expect(fitWidth(box, 420)).toBe(358);
  });
});
