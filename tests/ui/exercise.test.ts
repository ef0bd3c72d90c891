// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { guessFeedback, tryThis, type Exercise } from "../../src/ui/exercise";

const depth: Exercise = {
  id: "cnn-depth-1",
  change: "Set depth to 1",
  question: "What happens to validation AUC?",
  choices: ["It rises", "It falls", "It stays"],
  answer: 1,
  reveal: "It falls: one block sees too little.",
};

function click(root: Element, selector: string): void {
  (root.querySelector(selector) as HTMLButtonElement).click();
}

describe("a Try this exercise", () => {
  it("hides the reveal until asked, then shows it and judges the guess", () => {
    const root = tryThis([depth]);
    const reveal = root.querySelector(".meddl-exercise-reveal") as HTMLElement;
    expect(reveal.hidden).toBe(true);
    (root.querySelectorAll("input[type=radio]")[0] as HTMLInputElement).checked = true;
    click(root, ".meddl-exercise-show");
    expect(reveal.hidden).toBe(false);
    expect(reveal.textContent).toContain("one block sees too little");
    expect(root.querySelector(".meddl-exercise-feedback")!.textContent).toContain('records support "It falls"');
    expect(root.querySelector(".meddl-exercise-show")!.getAttribute("aria-expanded")).toBe("true");
  });

  it("says right when the guess matches the recorded answer, and asks for a guess when none was made", () => {
    expect(guessFeedback(depth, 1)).toMatch(/^Right/);
    expect(guessFeedback(depth, null)).toMatch(/No guess/);
    expect(guessFeedback({ ...depth, choices: undefined, answer: undefined }, "it drops")).toMatch(/Compare/);
  });

  it("offers a free-text guess without choices, and a button that applies the change", () => {
    let applied = 0;
    const root = tryThis([{ ...depth, choices: undefined, answer: undefined, apply: () => applied++ }]);
    expect(root.querySelector("textarea")).not.toBeNull();
    click(root, ".meddl-exercise-apply");
    expect(applied).toBe(1);
  });

  it("rejects an answer that indexes no choice", () => {
    expect(() => tryThis([{ ...depth, answer: 3 }])).toThrow(/answer must index/);
  });
});
