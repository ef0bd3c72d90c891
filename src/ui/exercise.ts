/**
 * "Try this": a guided exercise at the end of a lesson section, for a student working alone.
 *
 * Each exercise names one concrete change, asks what will happen, takes a guess (a choice or free
 * text), and then reveals what the kit measured and why. The reveal quotes the kit's own records,
 * so it never promises what the kit does not do; where the page can make the change itself, a
 * button applies it.
 */
import { el, replace } from "../core/dom";

export interface Exercise {
  /** Stable id (used for the element id, tests and links), e.g. "cnn-depth-1". */
  id: string;
  /** The concrete change: "Set depth to 1". */
  change: string;
  /** The question: "What will happen to the validation curve?" */
  question: string;
  /** Answers to choose from; without them the student writes a free guess. */
  choices?: string[];
  /** Index in `choices` of the answer the records support. */
  answer?: number;
  /** What happens and why, with the measured result quoted from a record: text or a node. */
  reveal: string | Node;
  /** Makes the change on the page for the student (optional). */
  apply?: () => void;
  /** The apply button's label (default "Make this change"). */
  applyLabel?: string;
}

/** A "Try this" box holding one or more exercises. */
export function tryThis(exercises: Exercise[], { title = "Try this" }: { title?: string } = {}): HTMLElement {
  checkExercises(exercises);
  return el(
    "section",
    { class: "meddl-exercises", "aria-label": title },
    el("h3", {}, title),
    ...exercises.map(exerciseCard),
  );
}

function checkExercises(exercises: Exercise[]): void {
  for (const e of exercises) {
    if (
      e.choices &&
      (e.answer === undefined || !Number.isInteger(e.answer) || e.answer < 0 || e.answer >= e.choices.length)
    )
      throw new RangeError(`exercise ${e.id}: answer must index one of its ${e.choices.length} choices`);
  }
}

function exerciseCard(exercise: Exercise): HTMLElement {
  const feedback = el("p", { class: "meddl-exercise-feedback", role: "status" });
  const reveal = el(
    "div",
    { class: "meddl-exercise-reveal", hidden: true },
    typeof exercise.reveal === "string" ? el("p", {}, exercise.reveal) : exercise.reveal,
  );
  const guess = exercise.choices ? choiceGuess(exercise, exercise.choices) : freeGuess(exercise);
  const revealButton = el(
    "button",
    { type: "button", class: "meddl-exercise-show", "aria-expanded": "false" },
    "Show what happens",
  );
  revealButton.addEventListener("click", () => {
    replace(feedback, guessFeedback(exercise, guess.value()));
    reveal.hidden = false;
    revealButton.setAttribute("aria-expanded", "true");
    revealButton.disabled = true;
  });
  const buttons = el("div", { class: "meddl-buttons" }, revealButton);
  if (exercise.apply) {
    const apply = exercise.apply;
    const applyButton = el(
      "button",
      { type: "button", class: "meddl-exercise-apply" },
      exercise.applyLabel ?? "Make this change",
    );
    applyButton.addEventListener("click", () => apply());
    buttons.prepend(applyButton);
  }
  return el(
    "div",
    { class: "meddl-exercise", id: `exercise-${exercise.id}` },
    el("p", { class: "meddl-exercise-change" }, el("b", {}, "Change: "), exercise.change),
    el("p", { class: "meddl-exercise-question" }, el("b", {}, "Question: "), exercise.question),
    guess.node,
    buttons,
    feedback,
    reveal,
  );
}

interface Guess {
  node: HTMLElement;
  /** The chosen index, the written text, or null when the student did not guess. */
  value(): number | string | null;
}

function choiceGuess(exercise: Exercise, choices: string[]): Guess {
  const name = `exercise-${exercise.id}-guess`;
  const inputs = choices.map((_, i) => el("input", { type: "radio", name, value: i }));
  const node = el(
    "fieldset",
    { class: "meddl-exercise-choices" },
    el("legend", {}, "Your guess"),
    ...choices.map((text, i) => el("label", {}, inputs[i], " ", text)),
  );
  return {
    node,
    value: () => {
      const picked = inputs.findIndex((input) => input.checked);
      return picked < 0 ? null : picked;
    },
  };
}

function freeGuess(exercise: Exercise): Guess {
  const area = el("textarea", { rows: 2, id: `exercise-${exercise.id}-guess`, placeholder: "Write your guess first" });
  const node = el("label", { class: "meddl-exercise-free" }, "Your guess", area);
  return { node, value: () => area.value.trim() || null };
}

/** One line telling the student how their guess compares, before the explanation. */
export function guessFeedback(exercise: Exercise, guess: number | string | null): string {
  if (guess === null) return "No guess made: next time, commit to one first. It makes the answer stick.";
  if (typeof guess === "string" || exercise.choices === undefined)
    return "Compare your guess with what the kit measured:";
  return guess === exercise.answer
    ? "Right. Here is what the kit measured, and why:"
    : `Not quite: the records support "${exercise.choices[exercise.answer!]}". Here is why:`;
}
