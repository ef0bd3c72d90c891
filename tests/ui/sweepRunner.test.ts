// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { sweepRunner, type SweepHooks } from "../../src/ui/sweepRunner";

const chart = (points: number[]) =>
  Object.assign(document.createElement("div"), { className: "chart", textContent: points.join(",") });
const click = (root: HTMLElement, label: RegExp) =>
  [...root.querySelectorAll("button")].find((b) => label.test(b.textContent ?? ""))!.click();
const settle = () => new Promise((r) => setTimeout(r, 0));

describe("sweep runner", () => {
  it("shows the recorded sweep with its command until the learner's own has points", async () => {
    const root = sweepRunner<number>({
      total: 3,
      recorded: [7, 8],
      recordedBy: "npm run x",
      chart,
      run: async () => {},
    });
    expect(root.querySelector(".chart")!.textContent).toBe("7,8");
    expect(root.querySelector("code")!.textContent).toBe("npm run x");
    expect(root.dataset.points).toBe("0");
  });

  it("runs, reports each point with progress, and stops when asked", async () => {
    let release: () => void = () => {};
    const root = sweepRunner<number>({
      total: 4,
      chart,
      run: async ({ onRun, cancelled }: SweepHooks<number>) => {
        for (let i = 1; i <= 4 && !cancelled(); i++) {
          onRun(i * 10, i);
          if (i === 2) await new Promise<void>((r) => (release = r)); // the learner presses Stop here
        }
      },
    });
    click(root, /Run the sweep/);
    await settle();
    expect(root.dataset.state).toBe("running");
    expect(root.querySelector(".chart")!.textContent).toBe("10,20");
    expect((root.querySelector("progress") as HTMLProgressElement).value).toBe(0.5);
    click(root, /Stop/);
    release();
    await settle();
    expect(root.dataset.state).toBe("stopped");
    expect(root.dataset.points).toBe("2");
    expect(root.querySelector(".meddl-status")!.textContent).toBe("stopped after 2 of 4 runs");
  });

  it("names why it cannot start, and keeps the runs that finished when the sweep fails", async () => {
    const blocked = sweepRunner<number>({ total: 1, chart, problem: () => "no source model", run: async () => {} });
    click(blocked, /Run the sweep/);
    await settle();
    expect(blocked.querySelector(".meddl-message")!.textContent).toBe("no source model");
    expect(blocked.dataset.state).toBeUndefined();

    const failing = sweepRunner<number>({
      total: 3,
      chart,
      run: async ({ onRun }: SweepHooks<number>) => {
        onRun(1, 1);
        throw new Error("out of memory");
      },
    });
    click(failing, /Run the sweep/);
    await settle();
    expect(failing.dataset.state).toBe("failed");
    expect(failing.querySelector(".meddl-message")!.textContent).toMatch(/out of memory.*kept/);
    expect(failing.querySelector(".chart")!.textContent).toBe("1");
  });
});
