/**
 * Presenter view's stage: the lesson's key charts together on the right half of the screen, next
 * to the controls (left) and the dock (bottom), so a projector shows the whole experiment at once.
 * The stage holds live copies of the page's key charts (made again from the same recipe), so the
 * page's own charts stay where they are, and a chart rebuilt with a new model simply replaces its copy.
 *
 * Which charts are key: `live(…, {key: true})`, or by default the learning-curve and headline
 * charts by their class (loss, AUC, accuracy, ROC, Dice, PSNR, SSIM, strategies, image panels).
 */
import { ensureClassroomStyle } from "./classroomStyle";
import { el } from "../core/dom";
import { isPresenting, onPresentingChange } from "./presenter";

export interface StageRecipe {
  /** When it was registered (ms): a chart not on the page a while after that is gone for good. */
  created?: number;
  /** The page's own chart. */
  root: HTMLElement;
  /** Makes a fresh live copy for the stage, and the way to stop it. */
  make: () => { node: HTMLElement; stop: () => void };
  key?: boolean;
}

/** Charts on the stage by default (their class is meddl-chart-<name> or meddl-<name>). */
export const KEY_CHARTS = [
  "loss",
  "auc",
  "accuracy",
  "roc",
  "dice",
  "boundary",
  "overlay",
  "psnr",
  "ssim",
  "hf",
  "panels",
  "strategies",
];
const MAX_ON_STAGE = 6;

let recipes: StageRecipe[] = [];
let copies: { stop: () => void }[] = [];
let stage: HTMLElement | null = null;
let timer: ReturnType<typeof setTimeout> | null = null;
let listening = false;

export function isKeyChart(root: HTMLElement): boolean {
  return [...root.classList].some((c) => KEY_CHARTS.some((k) => c === `meddl-chart-${k}` || c === `meddl-${k}`));
}

/** Called by live() for every chart; the stage picks the key ones that are on the page. */
export function registerPanel(recipe: StageRecipe): void {
  // Forget charts whose cell re-ran (not on the page, and not just made): they hold old trainers.
  const now = Date.now();
  recipes = recipes.filter((r) => r.root.isConnected || now - (r.created ?? now) < 10_000);
  recipes.push({ ...recipe, created: now });
  if (!listening) {
    onPresentingChange(() => refreshStage());
    listening = true;
  }
  if (isPresenting()) scheduleRefresh();
}

function scheduleRefresh(): void {
  if (timer) clearTimeout(timer);
  timer = setTimeout(refreshStage, 250); // after the cells that are re-running have put their charts in
}

/** Rebuilds the stage from the key charts now on the page (or removes it outside presenter view). */
export function refreshStage(): void {
  timer = null;
  for (const copy of copies) copy.stop();
  copies = [];
  // Forget charts that were on the page and are gone (their cell re-ran).
  recipes = recipes.filter((r) => r.root.isConnected || !r.root.dataset.wasShown);
  for (const r of recipes) if (r.root.isConnected) r.root.dataset.wasShown = "1";
  const chosen = recipes
    .filter((r) => r.root.isConnected && (r.key ?? isKeyChart(r.root)))
    .sort((a, b) => (a.root.compareDocumentPosition(b.root) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1))
    .slice(0, MAX_ON_STAGE);
  const on = isPresenting() && chosen.length > 0;
  document.documentElement.classList.toggle("meddl-has-stage", on);
  if (!on) {
    stage?.remove();
    stage = null;
    return;
  }
  ensureClassroomStyle();
  stage ??= el("aside", { class: "meddl-stage", "aria-label": "key charts" });
  stage.replaceChildren(
    ...chosen.map((r) => {
      const copy = r.make();
      copies.push(copy);
      copy.node.classList.add("meddl-on-stage");
      return copy.node;
    }),
  );
  if (!stage.isConnected) document.body.append(stage);
}
