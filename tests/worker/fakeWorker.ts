/**
 * A worker and its page in one node process: messages go through structuredClone (with their
 * transferables, as postMessage does) and arrive on a later task, as in a browser.
 */
import { TrainingHost, type HostOptions } from "../../src/worker/host";
import type { FromWorker, ToWorker } from "../../src/worker/protocol";
import type { WorkerLike } from "../../src/worker/remote";

export interface FakeWorker extends WorkerLike {
  host: TrainingHost;
  /** Every message the host sent, in order (clones, as the page got them). */
  sent: FromWorker[];
}

export function fakeWorker(options: HostOptions = {}): FakeWorker {
  const listeners: ((event: MessageEvent<FromWorker>) => void)[] = [];
  const sent: FromWorker[] = [];
  const host = new TrainingHost(
    {
      postMessage(message, transfer = []) {
        const copy = structuredClone(message, { transfer: transfer as Transferable[] });
        sent.push(copy);
        setTimeout(() => listeners.forEach((l) => l({ data: copy } as MessageEvent<FromWorker>)), 0);
      },
    },
    options,
  );
  return {
    host,
    sent,
    postMessage(message: ToWorker, transfer: Transferable[] = []) {
      const copy = structuredClone(message, { transfer });
      setTimeout(() => void host.handle(copy), 0);
    },
    addEventListener(type: string, listener: (event: never) => void) {
      if (type === "message") listeners.push(listener as (event: MessageEvent<FromWorker>) => void);
    },
  } as FakeWorker;
}
