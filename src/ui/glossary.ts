/**
 * The glossary: one short definition for every technical term the lessons use, and the function
 * that links the first use of each term on a lesson page to it.
 *
 * `GLOSSARY` (in ./glossaryTerms) is the only place a definition is written: the glossary page
 * renders it with `glossaryList()`, and `linkGlossaryTerms()` shows the same text as a tooltip next
 * to a term's first use, on mouse hover and on keyboard focus.
 */
import { el } from "../core/dom";
import { GLOSSARY, LESSON_TITLES, type GlossaryTerm, type LessonSlug } from "./glossaryTerms";

export { GLOSSARY, LESSON_TITLES, type GlossaryTerm, type LessonSlug };

/** The glossary page's address, relative to a lesson page (both sit at the site's root). */
export const GLOSSARY_HREF = "./glossary";

/** Where a term may be linked: running prose. */
const PROSE = "p, li, dd";
/** Never linked inside these: headings, code, links, controls, charts, cell outputs, tooltips. */
const SKIP = [
  "h1, h2, h3, h4, h5, h6",
  "a, button, label, select, option, input, textarea, summary",
  "code, pre, kbd, samp, script, style",
  "svg, canvas, figure, math, table",
  ".observablehq--block, observablehq-loading, .meddl-term-tips",
  "[aria-hidden='true'], [hidden]",
].join(", ");

// ── matching the terms in text

/** Every form a term is written in: the term itself and its aliases. */
export function termForms(term: GlossaryTerm): string[] {
  return [term.term, ...(term.aliases ?? [])];
}

/**
 * A regular-expression source for one written form: spaces, hyphens and en dashes match each other
 * (prose wraps lines and writes "pixel-loss" and "pixel loss", "Shepp–Logan"), a lower-case first letter also matches a capital
 * (a sentence may start with it), and a plural "s"/"es" may follow. Capitals elsewhere must match:
 * "AUC", "ReLU" and "Dice" are names.
 */
export function formPattern(form: string): string {
  const escaped = form.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/[\s\u2013-]+/g, "[\\s\\u2010\\u2013-]+");
  const first = form[0];
  const head = first.toLowerCase() === first && first.toUpperCase() !== first ? `[${first}${first.toUpperCase()}]` : "";
  const plural = /\p{L}$/u.test(form) ? "(?:e?s)?" : "";
  return (head ? head + escaped.slice(1) : escaped) + plural;
}

/**
 * One regular expression for all the terms. Longer forms come first, so "cross-entropy" wins over
 * "entropy" and "noise power spectrum" over "power spectrum"; a match never starts or ends inside
 * a word or a hyphenated compound.
 */
export function termMatcher(terms: readonly GlossaryTerm[] = GLOSSARY): {
  regex: RegExp;
  termOf: (match: string) => GlossaryTerm | undefined;
} {
  const forms = terms.flatMap((term) => termForms(term).map((form) => ({ form, term })));
  forms.sort((a, b) => b.form.length - a.form.length);
  const patterns = forms.map((f) => formPattern(f.form));
  const regex = new RegExp(
    `(?<![\\p{L}\\p{N}_\\-])(?:${patterns.map((p) => `(${p})`).join("|")})(?![\\p{L}\\p{N}_\\-])`,
    "gu",
  );
  const single = patterns.map((p) => new RegExp(`^(?:${p})$`, "u"));
  return {
    regex,
    termOf: (match) => forms[single.findIndex((r) => r.test(match))]?.term,
  };
}

// ── linking a page

export interface LinkOptions {
  /** The part of the page whose prose is linked (default: Framework's main column). */
  root?: Element;
  /** The glossary page's address (default "./glossary"). */
  href?: string;
  /** The terms (default: the whole glossary). */
  terms?: readonly GlossaryTerm[];
}

/**
 * Links the first use of each glossary term in the page's prose (paragraphs and list items; never
 * headings, code, links, controls or charts) to its entry on the glossary page, with the
 * definition as a tooltip on hover and keyboard focus (`aria-describedby`, so a screen reader reads
 * it too). Framework puts the markdown prose in the page before any cell runs, so one cell per
 * page is enough. Text that a cell writes into the prose (`${…}`) is left alone: the cell may
 * replace it. Running it again links nothing twice. Returns the ids of the terms linked.
 */
export function linkGlossaryTerms({
  root = document.getElementById("observablehq-main") ?? document.body,
  href = GLOSSARY_HREF,
  terms = GLOSSARY,
}: LinkOptions = {}): string[] {
  const { regex, termOf } = termMatcher(terms);
  const linked = new Set([...root.querySelectorAll<HTMLElement>("a.meddl-term")].map((a) => a.dataset.term!));
  const added: string[] = [];
  for (const text of proseTextNodes(root)) {
    const value = text.data;
    const pieces: (string | Node)[] = [];
    let last = 0;
    regex.lastIndex = 0;
    for (let m = regex.exec(value); m; m = regex.exec(value)) {
      const term = termOf(m[0]);
      if (!term || linked.has(term.id)) continue;
      linked.add(term.id);
      added.push(term.id);
      pieces.push(value.slice(last, m.index), termLink(term, m[0], href, root.ownerDocument));
      last = m.index + m[0].length;
    }
    if (last === 0) continue;
    pieces.push(value.slice(last));
    text.replaceWith(...pieces.filter((p) => p !== ""));
  }
  return added;
}

/** The text nodes of the prose, in reading order, leaving out everything in SKIP and cells' output. */
function proseTextNodes(root: Element): Text[] {
  const dynamic = cellOutputNodes(root);
  const walker = root.ownerDocument.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const found: Text[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || !parent.closest(PROSE) || parent.closest(SKIP)) continue;
    if (isInside(node, dynamic)) continue;
    found.push(node as Text);
  }
  return found;
}

/**
 * Nodes that Framework's inline expressions (`${…}`) put into the prose. Framework marks each
 * expression's place with a comment `<!--:cellid:-->` and keeps the nodes it inserted in the
 * comment's `_nodes`, to remove them when the expression changes; a link made inside them would
 * be left behind.
 */
function cellOutputNodes(root: Element): Set<Node> {
  const nodes = new Set<Node>();
  const walker = root.ownerDocument.createTreeWalker(root, NodeFilter.SHOW_COMMENT);
  for (let c = walker.nextNode(); c; c = walker.nextNode()) {
    const inserted = (c as Comment & { _nodes?: Node[] })._nodes;
    if (/^:[0-9a-f]{8}(?:-\d+)?:$/.test((c as Comment).data) && inserted) for (const n of inserted) nodes.add(n);
  }
  return nodes;
}

function isInside(node: Node, set: Set<Node>): boolean {
  for (let n: Node | null = node; n; n = n.parentNode) if (set.has(n)) return true;
  return false;
}

/** `<a class="meddl-term">` to the glossary entry, described by a tooltip holding the definition. */
function termLink(term: GlossaryTerm, text: string, href: string, doc: Document): HTMLAnchorElement {
  const tip = tooltipFor(term, doc);
  const link = doc.createElement("a");
  link.className = "meddl-term";
  link.href = `${href}#${term.id}`;
  link.dataset.term = term.id;
  link.setAttribute("aria-describedby", tip.id);
  link.textContent = text;
  const show = () => showTip(link, tip);
  link.addEventListener("mouseenter", show);
  link.addEventListener("focus", show);
  link.addEventListener("mouseleave", () => hideTipSoon(tip));
  link.addEventListener("blur", () => hideTip(tip));
  return link;
}

// ── tooltips: one per term, kept together at the end of the page (outside the prose, so a
// paragraph's text stays its own); shown under the link, hoverable, and closed with Escape.

const TIP_PREFIX = "meddl-term-tip-";

function tipsContainer(doc: Document): HTMLElement {
  let box = doc.querySelector<HTMLElement>(".meddl-term-tips");
  if (!box) {
    box = doc.createElement("div");
    box.className = "meddl-term-tips";
    doc.body.append(box);
  }
  return box;
}

function tooltipFor(term: GlossaryTerm, doc: Document): HTMLElement {
  const id = TIP_PREFIX + term.id;
  const existing = doc.getElementById(id);
  if (existing) return existing;
  const tip = doc.createElement("div");
  tip.id = id;
  tip.className = "meddl-term-tip";
  tip.setAttribute("role", "tooltip");
  tip.hidden = true;
  const name = doc.createElement("b");
  name.textContent = term.term;
  tip.append(name, `: ${term.definition}`);
  tip.addEventListener("mouseenter", () => cancelHide(tip));
  tip.addEventListener("mouseleave", () => hideTipSoon(tip));
  tipsContainer(doc).append(tip);
  return tip;
}

const hideTimers = new WeakMap<HTMLElement, ReturnType<typeof setTimeout>>();
let shown: HTMLElement | null = null;

function showTip(link: HTMLElement, tip: HTMLElement): void {
  if (shown && shown !== tip) hideTip(shown);
  cancelHide(tip);
  tip.hidden = false;
  shown = tip;
  followLink(link, tip);
  link.ownerDocument.addEventListener("keydown", closeOnEscape);
}

/**
 * Keeps the tooltip just under its link while it shows: cells above the link may still be drawing
 * (a chart appears, a panel grows) and move the link after the tooltip was placed.
 */
function followLink(link: HTMLElement, tip: HTMLElement): void {
  const view = link.ownerDocument.defaultView!;
  const place = () => {
    if (shown !== tip || tip.hidden) return;
    const box = link.getBoundingClientRect();
    const width = Math.min(360, view.innerWidth - 16);
    tip.style.maxWidth = `${width}px`;
    tip.style.left = `${Math.max(8, Math.min(box.left, view.innerWidth - width - 8)) + view.scrollX}px`;
    tip.style.top = `${box.bottom + 6 + view.scrollY}px`;
    view.requestAnimationFrame?.(place);
  };
  place();
}

function hideTip(tip: HTMLElement): void {
  cancelHide(tip);
  tip.hidden = true;
  if (shown === tip) {
    shown = null;
    tip.ownerDocument.removeEventListener("keydown", closeOnEscape);
  }
}

/** The pointer may move from the link onto the tooltip (to read or select it) without losing it. */
function hideTipSoon(tip: HTMLElement): void {
  cancelHide(tip);
  hideTimers.set(
    tip,
    setTimeout(() => hideTip(tip), 300),
  );
}

function cancelHide(tip: HTMLElement): void {
  clearTimeout(hideTimers.get(tip));
  hideTimers.delete(tip);
}

function closeOnEscape(event: KeyboardEvent): void {
  if (event.key === "Escape" && shown) hideTip(shown);
}

// ── the glossary page

/** How a term is filed: without leading punctuation (".npz" under N). */
const filingName = (term: GlossaryTerm) => term.term.replace(/^[^\p{L}\p{N}]+/u, "");

/** The terms in alphabetical order (case, accents and leading punctuation ignored). */
export function sortedTerms(terms: readonly GlossaryTerm[] = GLOSSARY): GlossaryTerm[] {
  return [...terms].sort((a, b) => filingName(a).localeCompare(filingName(b), "en", { sensitivity: "base" }));
}

/** The first letter a term is filed under ("#" for one starting with a digit). */
function letterOf(term: GlossaryTerm): string {
  const first = filingName(term).normalize("NFD")[0].toUpperCase();
  return /[A-Z]/.test(first) ? first : "#";
}

/**
 * The glossary page's content: an A–Z index, then every term alphabetically as a `<dt id="…">`
 * (the anchor lesson pages link to) with its definition, other names and the lessons that use it.
 * After it is on the page, it scrolls to the entry named in the address (`#auc`), which did not
 * exist yet when the browser looked for it.
 */
export function glossaryList({ terms = GLOSSARY }: { terms?: readonly GlossaryTerm[] } = {}): HTMLElement {
  const sorted = sortedTerms(terms);
  const letters = [...new Set(sorted.map(letterOf))];
  const index = el(
    "nav",
    { class: "meddl-glossary-index", "aria-label": "Glossary letters" },
    ...letters.map((l) => el("a", { href: `#letter-${l === "#" ? "0" : l.toLowerCase()}` }, l)),
  );
  const sections = letters.map((letter) =>
    el(
      "section",
      { class: "meddl-glossary-letter" },
      el("h2", { id: `letter-${letter === "#" ? "0" : letter.toLowerCase()}` }, letter),
      el("dl", { class: "meddl-glossary" }, ...sorted.filter((t) => letterOf(t) === letter).flatMap(entry)),
    ),
  );
  const list = el("div", { class: "meddl-glossary-list" }, index, ...sections);
  setTimeout(() => showEntry(list)); // once the page's cell has put it in the document
  addEventListener("hashchange", () => showEntry(list));
  return list;
}

function entry(term: GlossaryTerm): HTMLElement[] {
  const other = term.aliases?.length
    ? el("span", { class: "meddl-glossary-aliases" }, ` (also: ${term.aliases.join(", ")})`)
    : null;
  const lessons = term.lessons.map((slug, i) => [i ? ", " : "", el("a", { href: `./${slug}` }, LESSON_TITLES[slug])]);
  return [
    el("dt", { id: term.id }, el("dfn", {}, term.term), other),
    el(
      "dd",
      {},
      el("p", {}, term.definition),
      el("p", { class: "meddl-glossary-lessons" }, "Where it matters: ", ...lessons.flat()),
    ),
  ];
}

/**
 * Scrolls to the entry the address names and marks it: the browser looked for it before the list
 * existed, so it neither scrolled nor set `:target`.
 */
function showEntry(list: HTMLElement): void {
  const id = decodeURIComponent(location.hash.slice(1));
  for (const old of list.querySelectorAll(".meddl-glossary-target")) old.classList.remove("meddl-glossary-target");
  const target = id ? list.ownerDocument.getElementById(id) : null;
  if (!target || target.tagName !== "DT" || !list.contains(target)) return;
  target.classList.add("meddl-glossary-target");
  target.scrollIntoView();
}
