// @vitest-environment jsdom
/**
 * The worker's address has no query string, so `?threads=N` must travel in the setup message: the
 * page reads it from its address as it opened (a shareable control may have rewritten the bar
 * since), and the host hands it to setupBackend.
 */
import { describe, expect, it, vi } from "vitest";
import type { BackendStatus } from "../../src/backend/setup";
import type { FromWorker, ToWorker } from "../../src/worker/protocol";

const STATUS: BackendStatus = {
  name: "cpu",
  reason: "test",
  auto: { name: "cpu", reason: "test" },
  probe: { webgl: false, wasm: false },
  failures: [],
  threads: { on: false, count: 1, reason: "test" },
};
const { setupBackend } = vi.hoisted(() => ({ setupBackend: vi.fn() }));
vi.mock("../../src/backend/setup", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../../src/backend/setup")>()),
  setupBackend,
}));

/** A worker that records what the page posts and answers every setup with a ready. */
function recordingWorker() {
  const posted: ToWorker[] = [];
  let listener: (event: MessageEvent<FromWorker>) => void = () => {};
  return {
    posted,
    postMessage(message: ToWorker) {
      posted.push(message);
      setTimeout(() =>
        listener({ data: { type: "ready", id: message.id, backend: STATUS } } as MessageEvent<FromWorker>),
      );
    },
    addEventListener(type: string, l: (event: never) => void) {
      if (type === "message") listener = l as typeof listener;
    },
  };
}

/** The page's side as a page opened at `search` loads it; then a control rewrites the address bar. */
async function connectionOpenedAt(search: string) {
  vi.resetModules();
  history.replaceState(null, "", `/cnn${search}`);
  const { WorkerConnection } = await import("../../src/worker/remote");
  history.replaceState(null, "", "/cnn?lr=0.1"); // what a shareable control leaves
  const worker = recordingWorker();
  return { worker, connection: new WorkerConnection(worker as never) };
}

describe("the worker's wasm threads", () => {
  it("the setup message carries ?threads=N from the address as the page opened", async () => {
    const { worker, connection } = await connectionOpenedAt("?threads=3&worker=on");
    await connection.setup("auto");
    expect(worker.posted[0]).toMatchObject({ type: "setup", requested: "auto", threads: 3 });
  });

  it("carries null when the address asks for none (the kit chooses), and an explicit count when given one", async () => {
    const { worker, connection } = await connectionOpenedAt("?threads=lots");
    await connection.setup("auto");
    expect(worker.posted[0]).toMatchObject({ type: "setup", threads: null });
    const other = (await connectionOpenedAt("")).connection;
    const w = (other as unknown as { worker: ReturnType<typeof recordingWorker> }).worker;
    await other.setup("wasm", undefined, 2);
    expect(w.posted[0]).toMatchObject({ type: "setup", requested: "wasm", threads: 2 });
  });

  it("the host hands the message's threads to setupBackend", async () => {
    setupBackend.mockResolvedValue(STATUS);
    const { TrainingHost } = await import("../../src/worker/host");
    const sent: FromWorker[] = [];
    const host = new TrainingHost({ postMessage: (m: FromWorker) => sent.push(m) });
    await host.handle({ type: "setup", id: 1, requested: "auto", threads: 4 });
    expect(setupBackend).toHaveBeenCalledWith(expect.objectContaining({ requested: "auto", threads: 4 }));
    expect(sent).toContainEqual(expect.objectContaining({ type: "ready", id: 1 }));
  });
});
