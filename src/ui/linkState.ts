/**
 * The page's settings live in its link. Every shareable control (the kit's slider, select and
 * checkbox do it themselves; pickers and custom controls call `shareable`) is restored from the
 * URL when it is made and writes its value back as it changes, so the address bar always holds
 * a link to exactly what is on screen. Only values that differ from the control's default are
 * written, so links stay short.
 *
 * Values from a link are read with the control's codec: out of range → clamped, wrong type or
 * unknown → dropped, and a short note at the top of the page names each one. Notes are text,
 * never HTML. A control made again (a cell re-runs) gets the value it had, not its default.
 */
import { el, replace } from "../core/dom";
import { throttle } from "./throttle";
import { ORIGINAL_SEARCH } from "../core/address";
import {
  buildLink,
  isValidKey,
  keyFromLabel,
  LINK_FLAGS,
  parseLink,
  shortText,
  type LinkCodec,
  type LinkFlag,
} from "./linkCodec";

interface Registration {
  input: HTMLElement;
  /** The control's current value as link text (null: cannot go in a link). */
  encode: () => string | null;
  defaultText: string | null;
}

interface LinkState {
  /** Values from the opened link that no control has read yet. */
  pending: Map<string, string>;
  /** Current values that differ from their control's default: what the link holds. */
  values: Map<string, string>;
  controls: Map<string, Registration>;
  flags: Partial<Record<LinkFlag, boolean>>;
  /** Notes on ignored values, in the order they came; unknown keys are added once the page settles. */
  notes: Map<string, string>;
  settleTimer: ReturnType<typeof setTimeout> | null;
  notesElement: HTMLElement | null;
}

let page: LinkState | null = null;
const changeListeners = new Set<() => void>();
/** The query string the page was opened with; tests replace it as they "open" pages. */
let opened: string | null = null;

function originalSearch(): string {
  return opened ?? ORIGINAL_SEARCH;
}

/** How long after the last control appears the remaining link keys count as unknown. */
const SETTLE_MS = 4000;

function state(): LinkState {
  if (page) return page;
  const parsed = parseLink(originalSearch());
  page = {
    pending: parsed.values,
    values: new Map(),
    controls: new Map(),
    flags: parsed.flags,
    notes: new Map(),
    settleTimer: null,
    notesElement: null,
  };
  parsed.notes.forEach((note, i) => page!.notes.set(`parse:${i}`, note));
  if (page.notes.size) showNotes();
  scheduleSettle();
  return page;
}

/** Forgets everything (tests; a page load does this by itself). */
export function resetLinkState(search: string | null = null): void {
  opened = search;
  if (page?.settleTimer) clearTimeout(page.settleTimer);
  page?.notesElement?.remove();
  page = null;
}

export interface ShareOptions<T> {
  /** The control's value as the codec sees it (default: `input.value`). */
  read?: () => T;
  /** Sets a value read from the link (default: `input.value = v`); a picker that loads data passes its own. */
  apply?: (value: T) => void;
}

/**
 * Makes a control part of the link under `key`. If the link (or an earlier copy of this control)
 * has a value for it, the control gets it now, before any cell reads it. The control must fire
 * "input" when its value changes, as every Framework view does.
 */
export function shareable<I extends HTMLElement, T>(
  input: I,
  key: string,
  codec: LinkCodec<T>,
  options: ShareOptions<T> = {},
): I {
  const s = state();
  const read = options.read ?? (() => (input as unknown as { value: T }).value);
  const apply =
    options.apply ??
    ((v: T) => {
      (input as unknown as { value: T }).value = v;
    });
  const encode = () => {
    try {
      return codec.encode(read());
    } catch {
      return null;
    }
  };
  const registration: Registration = { input, encode, defaultText: encode() };
  s.controls.set(key, registration); // a control made again replaces its old copy
  const fromLink = s.pending.get(key);
  const raw = fromLink ?? s.values.get(key);
  if (raw !== undefined) {
    s.pending.delete(key);
    const decoded = codec.decode(raw);
    if (decoded.ok) apply(decoded.value);
    // Only values from the link get a note; a control rebuilt with a narrower range is clamped quietly.
    if (fromLink !== undefined && decoded.note) s.notes.set(key, `${key}=${shortText(raw)} (${decoded.note})`);
    record(key, registration);
    if (s.notes.has(key)) showNotes();
  }
  input.addEventListener("input", () => {
    if (s.controls.get(key) !== registration) return; // an old copy, no longer on the page
    record(key, registration);
  });
  scheduleSettle();
  return input;
}

/** Stores a control's value (or forgets it when it is the default) and rewrites the address bar. */
function record(key: string, registration: Registration): void {
  const s = state();
  const text = registration.encode();
  if (text === null || text === registration.defaultText) s.values.delete(key);
  else s.values.set(key, text);
  writeSoon();
  for (const listener of changeListeners) listener();
}

/** Every shareable control's current value as link text (defaults included), by key. */
export function linkSettings(): Map<string, string> {
  const s = state();
  const settings = new Map<string, string>();
  for (const [key, registration] of s.controls) {
    const text = registration.encode();
    if (text !== null) settings.set(key, text);
  }
  return settings;
}

/** Calls `listener` after any shareable control changes; returns the way to stop. */
export function onLinkChange(listener: () => void): () => void {
  changeListeners.add(listener);
  return () => changeListeners.delete(listener);
}

/** The link to this page as it is now: its address with every changed setting. */
export function currentLink(): string {
  const s = state();
  const base = typeof location === "undefined" ? "" : `${location.origin}${location.pathname}`;
  return `${base}${query(s)}`; // no #anchor: a shared link opens at the top
}

function query(s: LinkState): string {
  // Link values no control has read yet stay in the link (their control may still be coming).
  return buildLink([...s.values, ...[...s.pending].filter(([k]) => !s.notes.has(k))], s.flags);
}

/**
 * The address bar follows at most every 150 ms (and once more after the last change): dragging a
 * slider fires dozens of changes a second, and Chrome ignores a page that rewrites its address
 * more than 200 times in 10 seconds. `currentLink()` is always exact.
 */
// A write still pending when the state was reset (tests open a new "page") belongs to the old page.
const writeSoon = throttle(() => page && writeLocation(), 150);

/** Writes the address bar now (tests; the throttled writer does it by itself). */
export function writeLinkNow(): void {
  writeLocation();
}

function writeLocation(): void {
  if (typeof history === "undefined" || typeof location === "undefined") return;
  const next = `${location.pathname}${query(state())}${location.hash}`;
  if (next !== `${location.pathname}${location.search}${location.hash}`) history.replaceState(history.state, "", next);
}

/** A flag of the link (`train=1`, `present=1`). */
export function linkFlag(flag: LinkFlag): boolean {
  return state().flags[flag] === true;
}

/** Sets or clears a flag, in the state and the address bar (presenter view does this when toggled). */
export function setLinkFlag(flag: LinkFlag, on: boolean): void {
  const s = state();
  if (on) s.flags[flag] = true;
  else delete s.flags[flag];
  writeLocation();
}

/** Once controls stop appearing, link keys nobody read are unknown here: say so and drop them. */
function scheduleSettle(): void {
  const s = page;
  if (!s || typeof setTimeout === "undefined") return;
  if (s.settleTimer) clearTimeout(s.settleTimer);
  s.settleTimer = setTimeout(settleNow, SETTLE_MS);
}

/** Marks every link key no control has read as unknown (called by the timer; tests call it directly). */
export function settleNow(): void {
  const s = state();
  if (s.settleTimer) clearTimeout(s.settleTimer);
  s.settleTimer = null;
  for (const key of s.pending.keys()) s.notes.set(key, `${key} (not a setting on this page)`);
  s.pending.clear();
  writeLocation();
  showNotes();
}

/** The notes on ignored link values, as plain text ("" when none). */
export function linkNotes(): string[] {
  return [...state().notes.values()];
}

/** Shows (or updates) the notes at the top of the page: in the flow, so they never cover anything. */
function showNotes(): void {
  const s = page;
  if (!s || typeof document === "undefined") return;
  const notes = [...s.notes.values()];
  if (!notes.length) {
    s.notesElement?.remove();
    return;
  }
  if (!s.notesElement) {
    const text = el("span", { class: "meddl-link-notes-text" });
    const close = el(
      "button",
      { type: "button", class: "meddl-link-notes-close", "aria-label": "dismiss these notes" },
      "×",
    );
    s.notesElement = el(
      "div",
      { class: "meddl-link-notes", role: "status" },
      el("b", {}, "Some settings in the link were ignored or changed: "),
      text,
      close,
    );
    close.addEventListener("click", () => s.notesElement?.remove());
    const main = document.querySelector("#observablehq-main") ?? document.body;
    main.prepend(s.notesElement);
  }
  replace(s.notesElement.querySelector(".meddl-link-notes-text")!, `${notes.join("; ")}.`);
  s.notesElement.dataset.count = String(notes.length);
}

/** A "Copy link" button: copies the current link, and says so (or shows it to copy by hand). */
export function copyLinkButton({ label = "Copy link" } = {}): HTMLElement {
  const button = el(
    "button",
    { type: "button", class: "meddl-copy-link", title: "Copy a link to this page with its current settings" },
    label,
  );
  const said = el("span", { class: "meddl-copy-said", role: "status" });
  button.addEventListener("click", async () => {
    const link = currentLink();
    try {
      await navigator.clipboard.writeText(link);
      said.textContent = "copied";
    } catch {
      // No clipboard (an insecure page, a refusal): show the link, selected, to copy by hand.
      window.prompt("Copy this link:", link);
      said.textContent = "";
    }
    said.dataset.link = link;
    setTimeout(() => {
      said.textContent = "";
    }, 2500);
  });
  return el("span", { class: "meddl-copy" }, button, said);
}

/**
 * The link key of a control: `key` when given, else made from its label ("Learning rate" →
 * "learning-rate"); null when the control stays out of links (`key: false`, or a label with no
 * letters or digits, such as "λ", without a key).
 */
export function linkKey(label: string, key?: string | false): string | null {
  if (key === false) return null;
  const k = key ?? keyFromLabel(label);
  if (!isValidKey(k)) return null;
  return (LINK_FLAGS as readonly string[]).includes(k) ? `${k}-setting` : k;
}
