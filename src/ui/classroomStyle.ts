/**
 * The look of classroom mode (dock, link notes, help overlay, presenter view, full-screen
 * panels), added to the page once by whichever of them appears first. It lives here rather than in
 * lessons/style.css so that any page using the kit's widgets gets it with them.
 */
const CSS = `
.meddl-link-notes { margin: 0.5rem 0 1rem; padding: 0.4rem 0.6rem; border-left: 4px solid #E69F00; background: var(--theme-background-alt, #f6f6f6); font-size: 0.9rem; }
.meddl-link-notes-close { margin-left: 0.5rem; }
html.meddl-has-dock body { padding-bottom: calc(var(--meddl-dock-height, 0px) + 0.5rem); }
html.meddl-has-dock #observablehq-sidebar, html.meddl-has-dock #observablehq-toc { bottom: var(--meddl-dock-height, 0px); }
.meddl-dock { position: fixed; left: 0; right: 0; bottom: 0; z-index: 20; display: flex; flex-wrap: wrap; align-items: center; gap: 0.3rem 0.8rem;
  padding: 0.3rem 0.8rem; background: var(--theme-background, #fff); border-top: 1px solid var(--theme-foreground-faint, #ccc);
  box-shadow: 0 -2px 6px rgba(0,0,0,0.08); font: 13px var(--sans-serif, sans-serif); font-variant-numeric: tabular-nums; }
.meddl-dock button { font: inherit; padding: 0.15rem 0.5rem; }
.meddl-dock-group { display: flex; align-items: center; gap: 0.35rem; }
.meddl-dock progress { width: 90px; height: 0.6rem; }
.meddl-dock .meddl-dock-state { font-weight: 600; min-width: 5.5em; }
.meddl-dock .meddl-dock-message { color: #D55E00; }
.meddl-dock .meddl-dock-tools { margin-left: auto; }
.meddl-pin-chip { display: inline-flex; align-items: center; gap: 0.2rem; border: 1px dashed #777; border-radius: 3px; padding: 0 0.3rem; color: var(--theme-foreground-muted, #444); max-width: 22rem; overflow: hidden; white-space: nowrap; text-overflow: ellipsis; }
.meddl-dock .meddl-unpin { padding: 0 0.25rem; }
.meddl-save-message { max-width: 28rem; font-size: 12px; }
.meddl-save-message[data-ok="false"] { color: #D55E00; }
/* The chart tools (full screen, PNG, SVG) sit in their own band above the chart, never over its legend. */
.meddl-live { position: relative; padding-top: 1.3rem; }
.meddl-help-overlay { position: fixed; inset: 0; z-index: 40; display: flex; align-items: center; justify-content: center; background: rgba(0,0,0,0.45); }
.meddl-help-overlay > div { background: var(--theme-background, #fff); color: var(--theme-foreground, #000); padding: 1rem 1.5rem; border-radius: 6px; max-width: 32rem; font: 15px var(--sans-serif, sans-serif); }
.meddl-help-overlay kbd { display: inline-block; min-width: 1.6em; text-align: center; border: 1px solid #999; border-radius: 3px; padding: 0 0.3em; }
.meddl-help-overlay td { padding: 0.2rem 0.6rem; }
.meddl-panel-tools { position: absolute; top: 0; right: 0; z-index: 2; display: flex; gap: 0.2rem; font: 11px var(--sans-serif, sans-serif); }
.meddl-panel-tools button { font: inherit; padding: 0 0.35rem; opacity: 0.75; }
.meddl-panel-tools button:hover, .meddl-panel-tools button:focus { opacity: 1; }
.meddl-fullscreen { position: fixed !important; inset: 0 0 var(--meddl-dock-height, 0px) 0; z-index: 30; overflow: auto; background: var(--theme-background, #fff); padding: 1rem; }
/* Presenter view's stage: the key charts on the right half, next to the controls and the dock. */
.meddl-stage { display: none; }
html.meddl-present .meddl-stage { position: fixed; top: 0; right: 0; width: 52vw; bottom: var(--meddl-dock-height, 0px); overflow: auto; z-index: 5; box-sizing: border-box;
  display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 0.75rem; align-content: start; padding: 0.75rem; background: var(--theme-background, #fff); border-left: 1px solid var(--theme-foreground-faint, #ccc); }
html.meddl-present.meddl-has-stage #observablehq-center { margin-right: calc(52vw + 1rem) !important; }
.meddl-stage svg, .meddl-stage canvas, .meddl-stage figure { max-width: 100%; height: auto; }
.meddl-stage .meddl-live.meddl-fullscreen { grid-column: auto; }
/* Presenter view: no long prose, bigger everything, the sidebar and contents out of the way. */
html.meddl-present { font-size: 20px; }
html.meddl-present #observablehq-main > p, html.meddl-present #observablehq-main > ul, html.meddl-present #observablehq-main > ol,
html.meddl-present #observablehq-main > blockquote, html.meddl-present #observablehq-main > h3,
html.meddl-present #observablehq-sidebar, html.meddl-present #observablehq-toc, html.meddl-present #observablehq-footer,
html.meddl-present .meddl-help, html.meddl-present .meddl-dataset-description { display: none !important; }
html.meddl-present #observablehq-center { margin: 0 1rem !important; padding-left: 0.5rem !important; padding-right: 0.5rem !important; max-width: none !important; }
html.meddl-present #observablehq-main { max-width: none; }
html.meddl-present body { font-size: 20px; max-width: none !important; margin: 0 !important; }
html.meddl-present .meddl-dock { font-size: 18px; padding: 0.5rem 1rem; }
html.meddl-present .meddl-field, html.meddl-present .meddl-controls { font-size: 18px; }
html.meddl-present .meddl-live svg { max-width: 100%; height: auto; }
html.meddl-present h1 { font-size: 2rem; margin-top: 0.5rem; }
html.meddl-present h2 { font-size: 1.3rem; margin-top: 1rem; }
`;

export function ensureClassroomStyle(): void {
  if (typeof document === "undefined" || document.getElementById("meddl-classroom-style")) return;
  const style = document.createElement("style");
  style.id = "meddl-classroom-style";
  style.textContent = CSS;
  document.head.append(style);
}
