/**
 * Scoring a detector: candidates from a heatmap (threshold + non-maximum suppression), matching
 * candidates to true objects, the FROC curve and the LUNA16 CPM score.
 *
 * The rules follow LUNA16 (Setio et al., 2017):
 * - a candidate within an object's match radius of its centre is a hit;
 * - several candidates on one object count it found once, and the extra ones are not false alarms;
 * - a candidate near no object is a false positive (FP);
 * - FROC: sensitivity (objects found / all objects) against FPs per image, as the score threshold falls;
 * - CPM: mean sensitivity at 1/8, 1/4, 1/2, 1, 2, 4 and 8 FPs per image.
 */
import type { TrueObject } from "../data/chestSlices";

/** A heatmap on a grid: cell (i, j) holds the score of the patch centred at (offset + j·stride, offset + i·stride). */
export interface Heatmap {
  values: Float32Array;
  rows: number;
  cols: number;
  /** Pixels between neighbouring cells. */
  stride: number;
  /** Image position (pixels) of cell (0, 0)'s centre, in x and y. */
  offset: number;
}

export interface Candidate {
  x: number;
  y: number;
  score: number;
}

export interface NmsOptions {
  /** Cells scoring below this are never candidates. */
  threshold?: number;
  /** No two candidates closer than this (pixels): the weaker one is suppressed. */
  radius?: number;
  /** At most this many candidates per image (the strongest). */
  maxCandidates?: number;
}

export const NMS_DEFAULTS = { threshold: 0.05, radius: 8, maxCandidates: 50 } as const;

/**
 * Threshold and non-maximum suppression: walk the cells from the highest score down; keep a cell
 * unless a kept candidate lies within `radius`. One object gives one candidate, not a blob of them.
 */
export function nonMaximumSuppression(map: Heatmap, options: NmsOptions = {}): Candidate[] {
  const { threshold, radius, maxCandidates } = { ...NMS_DEFAULTS, ...options };
  const cells: number[] = [];
  for (let k = 0; k < map.values.length; k++) if (map.values[k] >= threshold) cells.push(k);
  cells.sort((a, b) => map.values[b] - map.values[a] || a - b);
  const kept: Candidate[] = [];
  for (const k of cells) {
    if (kept.length >= maxCandidates) break;
    const x = map.offset + (k % map.cols) * map.stride,
      y = map.offset + Math.floor(k / map.cols) * map.stride;
    if (kept.some((c) => Math.hypot(c.x - x, c.y - y) < radius)) continue;
    kept.push({ x, y, score: map.values[k] });
  }
  return kept;
}

/** An object's match radius: its own radius, but never below `minRadius` (tiny objects on a coarse grid). */
export function matchRadius(object: TrueObject, minRadius = 0): number {
  return Math.max(object.r, minRadius);
}

/** Index of the object a candidate hits (the nearest whose match radius holds it), or -1 for a false alarm. */
export function hitObject(candidate: { x: number; y: number }, objects: TrueObject[], minRadius = 0): number {
  let best = -1,
    bestDistance = Infinity;
  objects.forEach((o, i) => {
    const d = Math.hypot(candidate.x - o.x, candidate.y - o.y);
    if (d <= matchRadius(o, minRadius) && d < bestDistance) {
      best = i;
      bestDistance = d;
    }
  });
  return best;
}

export type CandidateOutcome = "hit" | "false alarm";

export interface ImageOutcomes {
  /** Each candidate with what it is. */
  candidates: (Candidate & { outcome: CandidateOutcome; object: number })[];
  /** Indices of the objects no candidate hit. */
  missed: number[];
}

/** Sorts one image's candidates into hits and false alarms, and lists the missed objects. */
export function imageOutcomes(candidates: Candidate[], objects: TrueObject[], minRadius = 0): ImageOutcomes {
  const marked = candidates.map((c) => {
    const object = hitObject(c, objects, minRadius);
    return { ...c, object, outcome: (object >= 0 ? "hit" : "false alarm") as CandidateOutcome };
  });
  const found = new Set(marked.map((c) => c.object));
  return { candidates: marked, missed: objects.map((_, i) => i).filter((i) => !found.has(i)) };
}

export interface FrocPoint {
  /** Candidates scoring at least this are kept. */
  threshold: number;
  fpPerImage: number;
  sensitivity: number;
}

/** The FP rates at which LUNA16 reads the FROC curve. */
export const CPM_FP_RATES = [1 / 8, 1 / 4, 1 / 2, 1, 2, 4, 8] as const;

/**
 * FROC curve over a set of images: one point per distinct candidate score, from the highest
 * threshold (few candidates) to the lowest (all of them).
 */
export function frocCurve(
  candidatesPerImage: Candidate[][],
  objectsPerImage: TrueObject[][],
  minRadius = 0,
): FrocPoint[] {
  const images = candidatesPerImage.length;
  if (images !== objectsPerImage.length)
    throw new Error(`${images} images of candidates but ${objectsPerImage.length} of objects`);
  const totalObjects = objectsPerImage.reduce((n, o) => n + o.length, 0);
  // Every candidate, labelled with the object it hits (image-qualified) or none.
  const all = candidatesPerImage.flatMap((cands, i) =>
    cands.map((c) => {
      const object = hitObject(c, objectsPerImage[i], minRadius);
      return { score: c.score, object: object >= 0 ? `${i}:${object}` : null };
    }),
  );
  all.sort((a, b) => b.score - a.score);
  const found = new Set<string>();
  let fps = 0;
  const points: FrocPoint[] = [{ threshold: Infinity, fpPerImage: 0, sensitivity: 0 }];
  for (let k = 0; k < all.length; k++) {
    const c = all[k];
    if (c.object === null) fps++;
    else found.add(c.object); // a second candidate on a found object changes nothing
    // Candidates with equal scores are kept or dropped together: one point after the last of them.
    if (k + 1 < all.length && all[k + 1].score === c.score) continue;
    points.push({
      threshold: c.score,
      fpPerImage: images ? fps / images : 0,
      sensitivity: totalObjects ? found.size / totalObjects : 0,
    });
  }
  return points;
}

/** Sensitivity at a given FP rate: the best the curve reaches without exceeding that many FPs per image. */
export function sensitivityAt(curve: FrocPoint[], fpPerImage: number): number {
  let best = 0;
  for (const p of curve) if (p.fpPerImage <= fpPerImage + 1e-12) best = Math.max(best, p.sensitivity);
  return best;
}

/** The score threshold of the FROC's operating point at a given FP rate (the lowest threshold that stays within it). */
export function thresholdAt(curve: FrocPoint[], fpPerImage: number): number {
  let best = Infinity;
  for (const p of curve) if (p.fpPerImage <= fpPerImage + 1e-12) best = Math.min(best, p.threshold);
  return best;
}

/** LUNA16's competition performance metric: mean sensitivity at 1/8 … 8 FPs per image. */
export function cpm(curve: FrocPoint[]): number {
  return CPM_FP_RATES.reduce((sum, rate) => sum + sensitivityAt(curve, rate), 0) / CPM_FP_RATES.length;
}

/**
 * Pixel accuracy on the heatmap grid: a cell is "object" when its centre lies within an object's
 * match radius, and predicted "object" when its score is at least 0.5. With tiny objects in large
 * images nearly every cell is background, so this is high even for a detector that finds nothing.
 */
export function pixelAccuracy(
  maps: Heatmap[],
  objectsPerImage: TrueObject[][],
  minRadius = 0,
): { accuracy: number; objectFraction: number } {
  let correct = 0,
    total = 0,
    objectCells = 0;
  maps.forEach((map, i) => {
    for (let k = 0; k < map.values.length; k++) {
      const x = map.offset + (k % map.cols) * map.stride,
        y = map.offset + Math.floor(k / map.cols) * map.stride;
      const truth = hitObject({ x, y }, objectsPerImage[i], minRadius) >= 0;
      if (truth) objectCells++;
      if (truth === map.values[k] >= 0.5) correct++;
      total++;
    }
  });
  return { accuracy: total ? correct / total : NaN, objectFraction: total ? objectCells / total : NaN };
}
