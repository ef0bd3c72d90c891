// @vitest-environment jsdom
// An exercise's "make this change" button finds the kit's control by its label (and group) and moves
// it as the student would: the value changes and an input event bubbles to Framework's view().
import { afterEach, describe, expect, it } from "vitest";
import { findControl, setPageControl } from "../../src/lessons/exercises/pageControls";
import { tryThis } from "../../src/ui/exercise";
import { checkbox, group, select, slider } from "../../src/ui/inputs";

afterEach(() => document.body.replaceChildren());

describe("setPageControl", () => {
  it("sets a slider inside a named group and fires one bubbling input event on the group", () => {
    const epochsA = slider({ label: "Epochs", min: 1, max: 40, step: 1, value: 8, key: false });
    const epochsB = slider({ label: "Epochs", min: 1, max: 40, step: 1, value: 8, key: false });
    const a = group("Class imbalance", { epochs: epochsA });
    const b = group("Noisy labels", { epochs: epochsB });
    document.body.append(a, b);
    const seen: unknown[] = [];
    b.addEventListener("input", () => seen.push(b.value));
    setPageControl("Epochs", 30, { group: "Noisy labels" });
    expect(epochsB.value).toBe(30);
    expect(epochsA.value).toBe(8);
    expect(seen).toEqual([{ epochs: 30 }]);
    expect((epochsB.querySelector("input[type=number]") as HTMLInputElement).value).toBe("30");
  });

  it("sets checkboxes and selects, and the exercise's button does it", () => {
    const on = checkbox({ label: "Plant the shortcut", value: false, key: false });
    const where = select({ label: "In validation", value: "absent", options: [{ value: "absent", label: "no tag" }, { value: "swapped", label: "swapped" }], key: false });
    const box = tryThis([{
      id: "t", change: "c", question: "q", reveal: "r",
      apply: () => {
        setPageControl("Plant the shortcut", true);
        setPageControl("In validation", "swapped");
      },
    }]);
    document.body.append(on, where, box);
    (box.querySelector(".meddl-exercise-apply") as HTMLButtonElement).click();
    expect(on.value).toBe(true);
    expect((on.querySelector("input") as HTMLInputElement).checked).toBe(true);
    expect(where.value).toBe("swapped");
  });

  it("says which control is missing instead of failing silently", () => {
    expect(findControl("Nope")).toBeNull();
    expect(() => setPageControl("Nope", 1, { group: "Nowhere" })).toThrow(/no control labelled "Nope" in "Nowhere"/);
  });
});
