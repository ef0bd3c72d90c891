/**
 * When the worker's backend fails mid-training (a lost WebGL context, a WebGPU error), the rescue
 * moves its runs elsewhere and says so; the page's badge must hear it as if training ran there.
 */
import { describe, expect, it } from "vitest";
import { announceBackendNotice, onBackendNotice, type BackendNotice } from "../../src/backend/rescue";
import { TrainingHost } from "../../src/worker/host";
import type { FromWorker } from "../../src/worker/protocol";
import { WorkerConnection } from "../../src/worker/remote";

describe("a backend notice in the worker", () => {
  it("reaches the page as a message, and the page announces it to its badge", () => {
    const posted: FromWorker[] = [];
    new TrainingHost({ postMessage: (m: FromWorker) => posted.push(m) } as never);
    const notice: BackendNotice = {
      name: "wasm",
      message: "WebGL lost its context. Training goes on with WebAssembly.",
    };
    announceBackendNotice(notice); // what the rescue does inside the worker
    expect(posted).toContainEqual({ type: "backendNotice", notice });

    // The page: its connection hears the message and tells the page's listeners (the badge).
    let deliver: (event: { data: FromWorker }) => void = () => {};
    new WorkerConnection({
      postMessage: () => {},
      addEventListener: (type: string, listener: never) => {
        if (type === "message") deliver = listener;
      },
    } as never);
    const heard: BackendNotice[] = [];
    const stop = onBackendNotice((n) => heard.push(n));
    posted.length = 0;
    deliver({ data: { type: "backendNotice", notice } });
    stop();
    expect(heard).toEqual([notice]);
  });
});
