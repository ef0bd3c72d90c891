/**
 * Wide tables and image panels scroll inside themselves on a narrow screen (lessons/style.css).
 * A region that scrolls must be reachable from the keyboard, or a keyboard user cannot see its
 * right-hand part: every such panel the kit puts on a page gets `tabindex="0"` (then the arrow
 * keys scroll it), wherever it was made.
 */
export const SCROLL_REGIONS = ".meddl-table, .meddl-record-table, .meddl-seg-grid, .meddl-chart-overlay";

/** Makes the scrolling panels in `root` (and `root` itself) focusable. */
export function focusableScrollRegions(root: ParentNode): void {
  const found = [...root.querySelectorAll<HTMLElement>(SCROLL_REGIONS)];
  if (root instanceof HTMLElement && root.matches(SCROLL_REGIONS)) found.push(root);
  for (const region of found) if (!region.hasAttribute("tabindex")) region.tabIndex = 0;
}

/** Watches the page for panels added later (cells draw after load). */
export function watchScrollRegions(doc: Document = document): MutationObserver {
  focusableScrollRegions(doc);
  const observer = new MutationObserver((changes) => {
    for (const change of changes)
      for (const node of change.addedNodes) if (node instanceof HTMLElement) focusableScrollRegions(node);
  });
  observer.observe(doc.documentElement, { childList: true, subtree: true });
  return observer;
}

if (typeof document !== "undefined" && typeof MutationObserver !== "undefined") watchScrollRegions();
