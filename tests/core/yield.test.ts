/**
 * yieldToBrowser: in a page or a worker it yields through a MessageChannel message, never a timer
 * (browsers clamp nested timers to 4 ms, which made the detector twice as slow in the worker,
 * where it yields after every slice it searches); in plain node it uses a timer.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { yieldToBrowser } from "../../src/core/yield";

afterEach(() => {
  vi.restoreAllMocks();
  delete (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope;
});

describe("yieldToBrowser", () => {
  it("in a worker (WorkerGlobalScope, no window): a MessageChannel turn, no timer", async () => {
    (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope = function WorkerGlobalScope() {};
    const timer = vi.spyOn(globalThis, "setTimeout");
    const posted = vi.spyOn(MessagePort.prototype, "postMessage");
    await yieldToBrowser();
    expect(posted).toHaveBeenCalledTimes(1);
    expect(timer).not.toHaveBeenCalled();
  });

  it("in plain node: a timer", async () => {
    const timer = vi.spyOn(globalThis, "setTimeout");
    const posted = vi.spyOn(MessagePort.prototype, "postMessage");
    await yieldToBrowser();
    expect(timer).toHaveBeenCalledTimes(1);
    expect(posted).not.toHaveBeenCalled();
  });

  it("lets a message that arrived meanwhile in before it resolves (a Pause click reaches the loop)", async () => {
    (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope = function WorkerGlobalScope() {};
    const order: string[] = [];
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => order.push("message");
    port2.postMessage("pause");
    await yieldToBrowser();
    order.push("resumed");
    port1.close();
    expect(order).toEqual(["message", "resumed"]);
  });
});
