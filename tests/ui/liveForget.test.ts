// @vitest-environment jsdom
/**
 * A live chart whose cell re-ran (gone from the page) stops listening once a new chart is made, so
 * rebuilding a model twenty times does not keep twenty sets of charts (and their trainers) alive.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { live, liveChartCount, type Listenable } from "../../src/ui/live";

/** A trainer that counts its listeners. */
function countingTrainer() {
  let listeners = 0;
  const trainer: Listenable<{ batch: unknown; epoch: unknown; state: unknown }> = {
    on: () => {
      listeners++;
      return () => listeners--;
    },
  };
  return { trainer, listeners: () => listeners };
}

afterEach(() => vi.useRealTimers());

describe("live() charts of a re-run cell", () => {
  it("stop listening once they have been gone from the page for a while", () => {
    vi.useFakeTimers();
    const before = liveChartCount();
    const old = countingTrainer();
    const chart = live(old.trainer, () => document.createElement("svg"));
    document.body.append(chart);
    expect(old.listeners()).toBe(3);
    chart.remove(); // the cell re-ran: Framework took its output off the page

    vi.advanceTimersByTime(11_000);
    const fresh = countingTrainer();
    document.body.append(live(fresh.trainer, () => document.createElement("svg")));
    expect(old.listeners()).toBe(0); // the removed chart let go of its trainer
    expect(fresh.listeners()).toBe(3); // the new one listens
    expect(liveChartCount()).toBe(before + 1);
  });

  it("keeps a chart that is still on the page, or was made only a moment ago", () => {
    vi.useFakeTimers();
    const shown = countingTrainer();
    document.body.append(live(shown.trainer, () => document.createElement("svg")));
    const pending = countingTrainer();
    live(pending.trainer, () => document.createElement("svg")); // made, not yet displayed
    vi.advanceTimersByTime(5_000);
    live(countingTrainer().trainer, () => document.createElement("svg"));
    expect(shown.listeners()).toBe(3);
    expect(pending.listeners()).toBe(3);
  });
});
