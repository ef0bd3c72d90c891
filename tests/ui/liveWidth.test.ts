// @vitest-environment jsdom
/**
 * live() draws a chart at its container's width: the render function gets the width the page
 * laid out (ResizeObserver), redraws when it changes, ignores height-only changes and hidden (0 px)
 * containers, and stops watching once its cell is invalidated. jsdom has no layout, so a small
 * ResizeObserver stand-in reports the sizes a browser would.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { live, type Listenable } from "../../src/ui/live";
import { watchWidth } from "../../src/ui/watchWidth";

/** Every observer made, so a test can play the browser and report a new size. */
const observers: FakeResizeObserver[] = [];

class FakeResizeObserver {
  targets = new Set<Element>();
  constructor(private callback: (entries: { contentRect: { width: number; height: number } }[]) => void) {
    observers.push(this);
  }
  observe(target: Element): void {
    this.targets.add(target);
  }
  disconnect(): void {
    this.targets.clear();
  }
  /** What the browser does when the element's box changes. */
  report(width: number, height = 200): void {
    if (this.targets.size) this.callback([{ contentRect: { width, height } }]);
  }
}

/** A trainer that never fires: the redraws under test come from resizing alone. */
const quiet: Listenable<{ batch: unknown }> = { on: () => () => {} };

// The next animation frame (watchWidth reports in one), then the task a first drawing is made in.
const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));

beforeEach(() => {
  observers.length = 0;
  Object.assign(globalThis, {
    ResizeObserver: FakeResizeObserver,
    requestAnimationFrame: (f: () => void) => setTimeout(f, 0) as unknown as number,
    cancelAnimationFrame: (id: number) => clearTimeout(id),
  });
});

afterEach(() => {
  delete (globalThis as Record<string, unknown>).ResizeObserver;
});

describe("live() sizes its chart to the container", () => {
  it("renders first once laid out, at the container's width (never at a default width first), then at each new width", async () => {
    const widths: (number | undefined)[] = [];
    const node = live(quiet, (_, width) => (widths.push(width), document.createElement("svg")), { events: ["batch"] });
    document.body.append(node);
    expect(widths, "not drawn before the page lays it out").toEqual([]);

    const observer = observers.find((o) => o.targets.has(node))!;
    expect(observer, "live() watches its own container").toBeDefined();
    observer.report(612.7);
    await frame();
    expect(widths).toEqual([612]); // whole pixels: never wider than the box

    observer.report(612.2, 480); // only the height changed
    observer.report(0); // hidden (display: none, a closed tab)
    await frame();
    expect(widths).toEqual([612]);

    observer.report(358);
    await frame();
    expect(widths).toEqual([612, 358]);
    node.remove();
  });

  it("draws once for a burst of sizes (dragging the window), at the last one", async () => {
    const widths: (number | undefined)[] = [];
    const node = live(quiet, (_, width) => (widths.push(width), document.createElement("div")), { events: ["batch"] });
    const observer = observers.find((o) => o.targets.has(node))!;
    for (const w of [500, 520, 540, 560]) observer.report(w);
    await frame();
    expect(widths).toEqual([560]);
  });

  it("stops watching the size when its cell is invalidated", async () => {
    let invalidate: () => void = () => {};
    const invalidation = new Promise<void>((r) => (invalidate = r));
    let draws = 0;
    const node = live(quiet, () => (draws++, document.createElement("div")), { events: ["batch"], invalidation });
    const observer = observers.find((o) => o.targets.has(node))!;
    invalidate();
    await invalidation;
    observer.report(700);
    await frame();
    expect(draws).toBe(0);
  });

  it("a chart that is never laid out (hidden) is not drawn, even when its run moves on; it draws once shown", async () => {
    const listeners: (() => void)[] = [];
    const run: Listenable<{ batch: unknown }> = { on: (_, f) => (listeners.push(f as () => void), () => {}) };
    const widths: (number | undefined)[] = [];
    const node = live(run, (_, width) => (widths.push(width), document.createElement("div")), {
      events: ["batch"],
      interval: 0,
    });
    listeners.forEach((f) => f());
    await frame();
    expect(widths).toEqual([]);
    observers.find((o) => o.targets.has(node))!.report(480);
    await frame();
    expect(widths).toEqual([480]);
  });

  it("draws at once where there is no layout to wait for (no ResizeObserver: jsdom, old browsers)", () => {
    delete (globalThis as Record<string, unknown>).ResizeObserver;
    const widths: (number | undefined)[] = [];
    live(quiet, (_, width) => (widths.push(width), document.createElement("div")), { events: ["batch"] });
    expect(widths).toEqual([undefined]);
  });

  it("watchWidth does nothing where there is no ResizeObserver (old browsers, jsdom)", () => {
    delete (globalThis as Record<string, unknown>).ResizeObserver;
    const stop = watchWidth(document.createElement("div"), () => {
      throw new Error("never called");
    });
    expect(stop).toBeTypeOf("function");
    stop();
  });
});
