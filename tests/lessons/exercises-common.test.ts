// @vitest-environment jsdom
// The exercises' shared parts: setControl moves a real kit control as the student would, and
// fails loudly for a label the page does not have.
import { describe, expect, it } from "vitest";
import { applyOrSay, exerciseBox, setControl } from "../../src/lessons/exercises/common";
import { tryThis } from "../../src/ui/exercise";
import { group, select, slider } from "../../src/ui/inputs";

describe("setControl", () => {
  it("sets a slider inside a group and a select, each announcing the change with a bubbling input event", () => {
    const depth = slider({ label: "Depth (conv blocks)", min: 1, max: 4, step: 1, value: 3, key: false });
    const window = select({ label: "Display window", value: "full", options: [{ value: "full", label: "all" }, { value: "soft", label: "soft" }], key: false });
    const root = document.createElement("div");
    root.append(group("Model", { depth }), window);
    document.body.append(root);
    const heard: string[] = [];
    root.addEventListener("input", (e) => heard.push((e.target as HTMLElement).querySelector(".meddl-label")!.textContent!));
    setControl("Depth (conv blocks)", 1);
    setControl("Display window", "soft");
    expect(depth.value).toBe(1);
    expect((depth.querySelector("input[type=number]") as HTMLInputElement).value).toBe("1");
    expect(window.value).toBe("soft");
    expect(heard).toEqual(["Depth (conv blocks)", "Display window"]);
    root.remove();
  });

  it("throws for a control the page does not have, or a value it refuses", () => {
    const window = select({ label: "Display window", value: "full", options: [{ value: "full", label: "all" }], key: false });
    document.body.append(window);
    expect(() => setControl("No such control", 1)).toThrow(/no control labelled "No such control"/);
    expect(() => setControl("Display window", "soft")).toThrow(/cannot be set to soft/);
    window.remove();
  });

  it("shows no box when a build has no records for a section", () => {
    expect(exerciseBox([]).querySelector(".meddl-exercise")).toBeNull();
  });
});

describe("applyOrSay", () => {
  it("says in the exercise's feedback line why a change cannot be made, and leaves the control as it was", () => {
    const n = select({ label: "Target training images (N)", value: 100, options: [{ value: 10, label: "10" }, { value: 100, label: "100" }], key: false });
    const card = tryThis([{ id: "t-all", change: "Set N to all", question: "?", reveal: "r", apply: applyOrSay("t-all", () => setControl("Target training images (N)", 600)) }]);
    document.body.append(n, card);
    (card.querySelector(".meddl-exercise-apply") as HTMLButtonElement).click();
    expect(card.querySelector(".meddl-exercise-feedback")!.textContent).toMatch(/cannot be set to 600/);
    expect(n.value).toBe(100);
    expect((n.querySelector("select") as HTMLSelectElement).selectedIndex).toBe(1);
    n.remove();
    card.remove();
  });
});
