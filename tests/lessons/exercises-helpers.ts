// Shared by the exercise tests: a recording stand-in for setControl, and a check that every
// control an exercise sets exists on its page under that label.
import { readFileSync } from "node:fs";
import { expect } from "vitest";
import type { Exercise } from "../../src/ui/exercise";
import { lesson } from "../records/helpers";

/** A `set` that records what an exercise's apply button would change. */
export function recordingSet() {
  const calls: [string, unknown][] = [];
  return { calls, set: (label: string, value: unknown) => void calls.push([label, value]) };
}

/** The exercise with this id (fails the test when a record no longer produces it). */
export function byId(list: Exercise[], id: string): Exercise {
  const found = list.find((e) => e.id === id);
  expect(found, `exercise ${id}`).toBeDefined();
  return found!;
}

/** The answer the exercise gives, as text. */
export const answerOf = (e: Exercise) => e.choices![e.answer!];

/** The reveal's text. */
export const revealText = (e: Exercise) => (typeof e.reveal === "string" ? e.reveal : e.reveal.textContent!);

/**
 * Runs an exercise's apply with a recording set and returns what it set; checks the page makes a
 * control with each label (in the page itself, or as the default label of a kit control it uses).
 */
export function applied(e: Exercise, calls: [string, unknown][], page: string, kitFiles: string[] = []): [string, unknown][] {
  calls.length = 0;
  e.apply!();
  const sources = [lesson(page), ...kitFiles.map((f) => readFileSync(f, "utf8"))].join("\n");
  for (const [label] of calls) expect(sources, `${page}.md has a control labelled "${label}"`).toMatch(new RegExp(`label(: | = )"${label.replace(/[()]/g, "\\$&")}"`));
  return [...calls];
}
