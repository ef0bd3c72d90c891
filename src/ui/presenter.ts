/**
 * Presenter view, for a projector: long prose hidden, text, controls and charts enlarged, the
 * sidebar and table of contents out of the way. A class on <html> does it all (the CSS is in
 * classroomStyle.ts), so it works on any page; `present=1` in the link turns it on at load.
 */
import { ensureClassroomStyle } from "./classroomStyle";
import { linkFlag, setLinkFlag } from "./linkState";

const CLASS = "meddl-present";
const listeners = new Set<(on: boolean) => void>();

export function isPresenting(): boolean {
  return typeof document !== "undefined" && document.documentElement.classList.contains(CLASS);
}

/** Turns presenter view on or off, and keeps the link in step (present=1). */
export function setPresenting(on: boolean): void {
  if (typeof document === "undefined") return;
  ensureClassroomStyle();
  document.documentElement.classList.toggle(CLASS, on);
  setLinkFlag("present", on);
  for (const listener of listeners) listener(on);
}

export function togglePresenting(): void {
  setPresenting(!isPresenting());
}

/** Calls `listener` whenever presenter view turns on or off; returns the way to stop. */
export function onPresentingChange(listener: (on: boolean) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Applies `present=1` from the link (once per page; the dock calls this when it first appears). */
export function applyPresentFlag(): void {
  if (linkFlag("present") && !isPresenting()) setPresenting(true);
}
