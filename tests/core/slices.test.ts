// @vitest-environment jsdom
/**
 * Work in slices (src/core/slices.ts) gives the same result at once and in slices, and in slices
 * it really lets the browser in between; tidyRead (src/core/tensors.ts) reads a tidy's result and
 * leaves no tensor behind; image canvases of a replaced drawing are reused, stripped of their old
 * attributes; live() shows an asynchronous drawing when it is ready and never makes two at once.
 */
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { runAtOnce, runInSlices, type Slices } from "../../src/core/slices";
import { tidyRead, tidyReadAll } from "../../src/core/tensors";
import { pca, pcaSlices } from "../../src/metrics/pca";
import { imageCanvas, recycleCanvases } from "../../src/viz/raster";
import { live } from "../../src/ui/live";
import { Emitter } from "../../src/train/emitter";
import { stubCanvas } from "../helpers/dom";

beforeAll(async () => {
  stubCanvas();
  await tf.setBackend("cpu");
});

function* countTo(n: number, log: string[]): Slices<number> {
  let sum = 0;
  for (let i = 1; i <= n; i++) {
    sum += i;
    log.push(`work ${i}`);
    yield;
  }
  return sum;
}

describe("work in slices", () => {
  it("gives the same result at once and in slices, and pauses between slices", async () => {
    expect(runAtOnce(countTo(4, []))).toBe(10);
    const log: string[] = [];
    // A pause that logs, and work that always overruns the slice budget: a pause after every slice.
    const slow = () => {
      const until = performance.now() + 10;
      while (performance.now() < until);
    };
    function* slowWork(): Slices<string> {
      for (let i = 0; i < 3; i++) {
        slow();
        log.push(`slice ${i}`);
        yield;
      }
      return "done";
    }
    const result = await runInSlices(slowWork(), async () => void log.push("pause"));
    expect(result).toBe("done");
    expect(log).toEqual(["slice 0", "pause", "slice 1", "pause", "slice 2", "pause"]);
  });

  it("PCA in slices equals PCA at once", async () => {
    const rows = Float32Array.from({ length: 40 * 5 }, (_, i) => Math.sin(i * 1.7) + (i % 5) * 0.3);
    const once = pca(rows, 40, 5);
    const sliced = await runInSlices(pcaSlices(rows, 40, 5), async () => {});
    expect(Array.from(sliced.coords)).toEqual(Array.from(once.coords));
    expect(sliced.explained).toEqual(once.explained);
  });
});

describe("tidyRead", () => {
  it("returns the values of the tensor the function makes, and leaves no tensor", () => {
    const before = tf.memory().numTensors;
    const values = tidyRead(() => tf.mul(tf.tensor1d([1, 2, 3]), 2));
    expect(Array.from(values)).toEqual([2, 4, 6]);
    const [a, b] = tidyReadAll(() => [tf.ones([2]), tf.zeros([3])]);
    expect(Array.from(a)).toEqual([1, 1]);
    expect(Array.from(b)).toEqual([0, 0, 0]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe("image canvases are reused across redraws", () => {
  it("a canvas of a drawing no longer on the page is reused, without its old attributes", () => {
    const old = document.createElement("div");
    const first = imageCanvas(new Float32Array(4), 2, 2, 1, { title: "old map" });
    first.dataset.extra = "from the old drawing";
    old.append(first);
    recycleCanvases(old);
    const next = imageCanvas(new Float32Array(9), 3, 3, 1, { scale: 2 });
    expect(next).toBe(first);
    expect(next.width).toBe(3);
    expect(next.style.width).toBe("6px");
    expect(next.title).toBe("");
    expect(next.getAttribute("aria-label")).toBeNull();
    expect(next.dataset.extra).toBeUndefined();
  });

  it("a canvas still on the page is never reused", () => {
    const shown = document.createElement("div");
    document.body.append(shown);
    const canvas = imageCanvas(new Float32Array(4), 2, 2);
    shown.append(canvas);
    recycleCanvases(shown);
    expect(imageCanvas(new Float32Array(4), 2, 2)).not.toBe(canvas);
    shown.remove();
  });
});

describe("live() with a drawing made asynchronously", () => {
  it("keeps the old drawing until the new one is ready, and never makes two at once", async () => {
    const trainer = new (class extends Emitter<{ batch: number }> {
      fire(value: number) {
        this.emit("batch", value);
      }
    })();
    const started: number[] = [];
    let finish: ((node: Node) => void)[] = [];
    let n = 0;
    const node = live(
      trainer,
      () => {
        started.push(++n);
        return new Promise<Node>((resolve) => finish.push(resolve));
      },
      { events: ["batch"], interval: 0 },
    );
    expect(started).toEqual([1]);
    finish[0](Object.assign(document.createElement("p"), { textContent: "drawing 1" }));
    await new Promise((r) => setTimeout(r, 0));
    expect(node.textContent).toContain("drawing 1");

    // Two redraws asked while the second drawing is being made: one more drawing afterwards, not two.
    trainer.fire(1);
    await new Promise((r) => setTimeout(r, 5));
    expect(started).toEqual([1, 2]);
    trainer.fire(2);
    trainer.fire(3);
    await new Promise((r) => setTimeout(r, 20));
    expect(started).toEqual([1, 2]);
    expect(node.textContent).toContain("drawing 1"); // the old one stays meanwhile
    finish[1](Object.assign(document.createElement("p"), { textContent: "drawing 2" }));
    await new Promise((r) => setTimeout(r, 20));
    expect(node.textContent).toContain("drawing 2");
    expect(started).toEqual([1, 2, 3]);
    finish = [];
  });
});
