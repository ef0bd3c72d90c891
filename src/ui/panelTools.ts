/**
 * Small tools on every live chart or image panel: download it as PNG (and as SVG when it is one),
 * and open it full screen (Esc or the button again closes). `live()` adds them, so every lesson's
 * charts get them. The PNG is drawn from the panel's own SVGs and canvases at twice the screen
 * size; text outside them (HTML captions) is not part of the picture.
 */
import { el } from "../core/dom";
import { ensureClassroomStyle } from "./classroomStyle";
import { download, lessonName } from "./saveLoad";

/** The panel's name for files: "meddl-chart-loss" → "loss". */
function panelName(panel: HTMLElement): string {
  const cls = [...panel.classList].find(
    (c) => c.startsWith("meddl-chart-") || (c.startsWith("meddl-") && c !== "meddl-live"),
  );
  return (cls ?? "chart").replace(/^meddl-(chart-)?/, "");
}

/** The panel's main SVG chart (the largest), not a legend swatch. */
export function mainSvg(panel: HTMLElement): SVGSVGElement | null {
  const svgs = [...panel.querySelectorAll("svg")].filter((s) => !s.parentElement?.closest("svg"));
  return svgs.sort((a, b) => area(b) - area(a))[0] ?? null;
}

const area = (e: Element) => {
  const r = e.getBoundingClientRect();
  return r.width * r.height;
};

/** An SVG as a standalone file (its namespace declared, so it opens in any viewer). */
export function svgText(svg: SVGSVGElement): string {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  copy.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  if (!copy.getAttribute("width")) copy.setAttribute("width", String(Math.round(svg.getBoundingClientRect().width)));
  if (!copy.getAttribute("height")) copy.setAttribute("height", String(Math.round(svg.getBoundingClientRect().height)));
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(copy)}`;
}

function svgImage(svg: SVGSVGElement): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => resolve(image);
    image.onerror = () => reject(new Error("the chart could not be drawn as an image"));
    image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svgText(svg))}`;
  });
}

/** The panel's SVGs and canvases, drawn where they are on screen, on white, at `scale`× size. */
export async function panelPng(panel: HTMLElement, scale = 2): Promise<Blob> {
  const box = panel.getBoundingClientRect();
  const canvas = el("canvas", {
    width: Math.max(1, Math.ceil(box.width * scale)),
    height: Math.max(1, Math.ceil(box.height * scale)),
  });
  const ctx = canvas.getContext("2d");
  if (!ctx) throw new Error("this browser cannot draw images");
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.scale(scale, scale);
  const parts = [...panel.querySelectorAll("svg, canvas")].filter(
    (e) => !e.parentElement?.closest("svg") && area(e) > 0,
  );
  for (const part of parts) {
    const r = part.getBoundingClientRect();
    const source = part instanceof HTMLCanvasElement ? part : await svgImage(part as SVGSVGElement);
    ctx.imageSmoothingEnabled = !(part instanceof HTMLCanvasElement); // image pixels stay crisp squares
    ctx.drawImage(source, r.left - box.left, r.top - box.top, r.width, r.height);
  }
  return new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("no PNG"))), "image/png"),
  );
}

/** Full screen on or off for one panel (a fixed overlay above the page, below the dock). */
export function toggleFullscreen(panel: HTMLElement): void {
  const on = !panel.classList.contains("meddl-fullscreen");
  document.querySelectorAll(".meddl-fullscreen").forEach((p) => p.classList.remove("meddl-fullscreen"));
  panel.classList.toggle("meddl-fullscreen", on);
}

/** The tool row for a panel: full screen, PNG, SVG. */
export function panelTools(panel: HTMLElement): HTMLElement {
  const name = () => `meddl-${lessonName()}-${panelName(panel)}`;
  const tool = (text: string, label: string, action: () => unknown) => {
    const b = el("button", { type: "button", "aria-label": label, title: label }, text);
    b.addEventListener("click", async () => {
      try {
        await action();
      } catch (error) {
        b.title = `${label}: failed (${(error as Error).message})`;
      }
    });
    return b;
  };
  return el(
    "div",
    { class: "meddl-panel-tools" },
    tool("⤢", "full screen", () => toggleFullscreen(panel)),
    tool("PNG", "download as PNG", async () => download(await panelPng(panel), `${name()}.png`)),
    tool("SVG", "download as SVG", () => {
      const svg = mainSvg(panel);
      if (!svg) throw new Error("this panel has no SVG chart: use PNG");
      download(new Blob([svgText(svg)], { type: "image/svg+xml" }), `${name()}.svg`);
    }),
  );
}

/**
 * A panel that is not redrawn by a trainer (a preview grid, a fixed figure) with the same tools as a
 * live chart: full screen, PNG, SVG where it is SVG.
 */
export function panel(content: Node, { className = "" }: { className?: string } = {}): HTMLElement {
  ensureClassroomStyle();
  const root = el("div", { class: `meddl-live meddl-panel ${className}`.trim() });
  root.append(panelTools(root), content);
  return root;
}
