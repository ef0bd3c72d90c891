import { describe, expect, it } from "vitest";
import { OUTCOME_STYLES, SERIES_COLOURS, SERIES_DASHES, SERIES_SYMBOLS, seriesStyle } from "../../src/viz/palette";

describe("palette", () => {
  it("gives each series a distinct colour, dash and symbol (colour is never the only cue)", () => {
    const styles = [0, 1, 2, 3, 4, 5].map(seriesStyle);
    expect(new Set(styles.map((s) => s.colour)).size).toBe(6);
    expect(new Set(styles.map((s) => s.dash)).size).toBe(6);
    expect(new Set(styles.map((s) => s.symbol)).size).toBe(6);
    expect(seriesStyle(6)).toEqual(seriesStyle(0));
    expect(SERIES_COLOURS.length).toBe(SERIES_DASHES.length);
    expect(SERIES_SYMBOLS.length).toBe(SERIES_DASHES.length);
  });
  it("gives each outcome its own mark and word as well as its colour", () => {
    const outcomes = Object.values(OUTCOME_STYLES);
    expect(new Set(outcomes.map((o) => o.mark)).size).toBe(outcomes.length);
    expect(new Set(outcomes.map((o) => o.label)).size).toBe(outcomes.length);
    expect(new Set(outcomes.map((o) => o.colour)).size).toBe(outcomes.length);
  });
});
