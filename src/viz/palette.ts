/**
 * The kit's colours, in one place. Every colour here comes from the Okabe–Ito palette, which stays
 * distinct for readers with deuteranopia or protanopia. Colour never carries meaning alone: each
 * series also has its own dash and symbol, and each outcome its own mark and label.
 */

/** Okabe & Ito (2008), "Color Universal Design": eight colours safe for the common colour-vision deficiencies. */
export const OKABE_ITO = {
  black: "#000000",
  orange: "#E69F00",
  skyBlue: "#56B4E9",
  bluishGreen: "#009E73",
  yellow: "#F0E442",
  blue: "#0072B2",
  vermillion: "#D55E00",
  reddishPurple: "#CC79A7",
} as const;

/** Colours for the 1st, 2nd, 3rd… series of a chart (training vs validation, run A vs run B…). */
export const SERIES_COLOURS = [
  OKABE_ITO.blue,
  OKABE_ITO.vermillion,
  OKABE_ITO.bluishGreen,
  OKABE_ITO.reddishPurple,
  OKABE_ITO.orange,
  OKABE_ITO.skyBlue,
] as const;

/** The second cue for series: a dash pattern per series (Plot's strokeDasharray; "none" is solid). */
export const SERIES_DASHES = ["none", "6,3", "2,2", "8,3,2,3", "4,4", "1,3"] as const;

/** The second cue for points: a Plot symbol per series. */
export const SERIES_SYMBOLS = ["circle", "triangle", "square", "diamond", "cross", "star"] as const;

/** The i-th series' colour, dash and symbol (cycling when there are more series than entries). */
export function seriesStyle(i: number): { colour: string; dash: string; symbol: string } {
  const at = <T>(list: readonly T[]) => list[((i % list.length) + list.length) % list.length];
  return { colour: at(SERIES_COLOURS), dash: at(SERIES_DASHES), symbol: at(SERIES_SYMBOLS) };
}

/**
 * Outcomes of a prediction, drawn over images (which are grey, often dark) and in charts.
 * Each has a colour AND a mark AND a word, so none depends on seeing the colour.
 */
export const OUTCOME_STYLES = {
  /** A right answer, or a detection that hits a true object: a solid ring. */
  correct: { colour: OKABE_ITO.skyBlue, mark: "✓", label: "correct", dash: "none" },
  /** A wrong answer, or a false alarm: a cross. */
  wrong: { colour: OKABE_ITO.vermillion, mark: "✗", label: "wrong", dash: "none" },
  /** A true object the model missed: a dashed ring. */
  missed: { colour: OKABE_ITO.yellow, mark: "?", label: "missed", dash: "4,3" },
} as const;

export type Outcome = keyof typeof OUTCOME_STYLES;

/** Colour scheme for signed weights: blue negative, orange positive (a colour-blind-safe diverging pair). */
export const DIVERGING_SCHEME = "PuOr" as const;
